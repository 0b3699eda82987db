// `integration-daemon serve`: loads the configuration document, starts the daemon with the built-in providers and
// its REST + SSE server (bearer tokens, loopback by default, the console at /console/), and stops both cleanly
// when the process is told to stop.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { builtInProviders } from '../connectors/index.js';
import { ConfigError, loadConfigFile } from '../engine/config/load.js';
import { Daemon } from '../engine/daemon.js';
import { ProviderRegistry } from '../engine/providers.js';
import { startRestServer } from '../engine/rest/server.js';
import { type CliIo, DEFAULT_PORT, parse, TOKEN_ENV, UsageError, VIEWER_TOKEN_ENV } from './args.js';

/** The operator token: from the environment, else generated once into <state-dir>/token readable by the owner only. */
function operatorToken(stateDir: string, env: CliIo['env']): { token: string; source: string } {
  const fromEnv = env[TOKEN_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < 16)
      throw new UsageError(
        'INTEGRATION-DAEMON-CLI-400-011',
        `${TOKEN_ENV} is shorter than 16 characters`,
        'Use a long random token, or unset it and let the daemon generate one.',
      );
    return { token: fromEnv, source: `token from ${TOKEN_ENV}` };
  }
  const file = join(stateDir, 'token');
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
      return { token, source: `token file ${file}` };
    }
  }
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, source: `token file ${file}` };
}

/** The console built into this installation, when it has one (a checkout before `vite build` has none). */
function shippedConsole(io: CliIo): string | undefined {
  const dir = io.shippedConsoleDir;
  return dir !== undefined && existsSync(join(dir, 'index.html')) ? dir : undefined;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    config: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'state-dir': { type: 'string' },
    'console-dir': { type: 'string' },
    'no-console': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.config === undefined)
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-012',
      'serve needs --config FILE',
      'Pass the configuration document, e.g. serve --config integration-daemon.json (demo --data-dir DIR writes one).',
    );
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-013',
      `--port ${values.port} is not a port number`,
      'Pass a number from 1 to 65535, or 0 for any free port.',
    );
  }
  const host = values.host ?? '127.0.0.1';
  if (values['no-console'] && values['console-dir'] !== undefined) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-015',
      '--no-console and --console-dir contradict each other',
      'Pass --no-console to serve no console, or --console-dir DIR to serve the console built in DIR.',
    );
  }
  const consoleDir = values['no-console']
    ? undefined
    : values['console-dir'] === undefined
      ? shippedConsole(io)
      : resolve(values['console-dir']);
  const noConsoleReason = values['no-console']
    ? 'it was started with --no-console'
    : 'this installation has no built console (a checkout before npm run build:console)';
  if (consoleDir !== undefined && !existsSync(join(consoleDir, 'index.html'))) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-014',
      `--console-dir ${consoleDir} has no index.html`,
      'Build the console first (npx vite build --config renderer/vite.config.ts) and pass dist/renderer.',
    );
  }

  // The engine ships no connectors of its own: the daemon gets the built-in ones here.
  const registry = new ProviderRegistry(builtInProviders);
  let loaded;
  try {
    loaded = await loadConfigFile(values.config, { providers: registry });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`${error.format()}\n`);
    return 2;
  }
  for (const w of loaded.warnings) io.stderr(`warning ${w.messageId} ${w.path || '(document)'}: ${w.message}\n      fix: ${w.fix}\n`);

  const stateDir = resolve(values['state-dir'] ?? join(loaded.baseDirectory, '.integration-daemon'));
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const { token, source } = operatorToken(stateDir, io.env);
  const viewerToken = io.env[VIEWER_TOKEN_ENV] || undefined;
  if (viewerToken !== undefined && viewerToken.length < 16) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-011',
      `${VIEWER_TOKEN_ENV} is shorter than 16 characters`,
      'Use a long random token for viewers.',
    );
  }

  const daemon = await Daemon.start({
    config: loaded.config,
    configPath: loaded.path,
    document: loaded.document,
    stateDir,
    providers: registry,
    log: (line) => io.stdout(`${line}\n`),
  });
  let server;
  try {
    server = await startRestServer({
      daemon,
      host,
      port,
      token,
      ...(viewerToken !== undefined ? { viewerToken } : {}),
      ...(consoleDir !== undefined ? { consoleDir } : { noConsoleReason }),
      log: (line) => io.stderr(`${line}\n`),
    });
  } catch (error) {
    await daemon.stop();
    const code = (error as NodeJS.ErrnoException).code;
    io.stderr(
      code === 'EADDRINUSE'
        ? `INTEGRATION-DAEMON-CLI-500-001 Port ${port} on ${host} is already in use.\n  fix: stop the other process, or pass --port N (--port 0 picks a free port).\n`
        : `INTEGRATION-DAEMON-CLI-500-002 The REST server could not start on ${host}:${port}: ${(error as Error).message}\n`,
    );
    return 1;
  }
  if (!isLoopback(host)) {
    io.stderr(
      `warning: listening on ${host}, reachable from other machines; every request still needs the bearer token. Prefer TLS in front of it.\n`,
    );
  }
  io.stdout(`${source}\n`);
  io.stdout(`listening on ${server.url}\n`);
  io.stdout(consoleDir !== undefined ? `console at ${server.url}/console/\n` : `no console: ${noConsoleReason}\n`);

  await new Promise<void>((resolveStop) => {
    if (io.stop.aborted) resolveStop();
    else io.stop.addEventListener('abort', () => resolveStop(), { once: true });
  });
  await server.close();
  await daemon.stop();
  return 0;
}
