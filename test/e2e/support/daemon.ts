// Real integration daemons for the browser tests: each one is `integration-daemon serve` in its own child
// process with its own configuration, state directory and token, serving the built console at /console/.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');
const CONSOLE_DIR = join(ROOT, 'dist/renderer');
const STARTUP_TIMEOUT_MS = 30_000;

/** Builds the console once if no build is there (the test runner normally builds it first). */
export function ensureConsoleBuilt(): void {
  if (existsSync(join(CONSOLE_DIR, 'index.html'))) return;
  const build = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`The console build failed:\n${build.stdout}\n${build.stderr}`);
}

export interface ConnectorSpec {
  connectorName: string;
  connectorProvider: 'data-files-monitor' | 'data-folder-monitor';
  endpointAddress: string;
  /** Minutes; 0 = only at start and on request. */
  refreshTimeInterval?: number;
  /** Retry policy for an unavailable third-party technology (a missing directory). */
  retry?: { initialInterval: string; retryLimit: number };
}

export interface DaemonSpec {
  serverName: string;
  connectors: ConnectorSpec[];
}

export interface RunningDaemon {
  serverName: string;
  userId: string;
  url: string;
  token: string;
  /** Working directory of this daemon (configuration, state, data); removed by stop(). */
  dir: string;
  /** The console URL with the token in the fragment, as the daemon's own start-up link gives it. */
  consoleUrl: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

const USER_ID = 'e2eoperator';

function configDocument(spec: DaemonSpec, dir: string): unknown {
  return {
    serverName: spec.serverName,
    localServerUserId: `${spec.serverName}npa`,
    maxPageSize: 1000,
    metadataServer: { name: `${spec.serverName}-metadata`, kind: 'embedded', path: join(dir, 'metadata.db') },
    auditLog: { destinations: [{ kind: 'console' }, { kind: 'memory', capacity: 5000 }] },
    integrationServices: [
      {
        urlMarker: 'files-integrator',
        defaultPermittedSynchronization: 'FROM_THIRD_PARTY',
        connectors: spec.connectors.map((c) => ({
          connectorName: c.connectorName,
          connectorProvider: c.connectorProvider,
          endpointAddress: c.endpointAddress,
          refreshTimeInterval: c.refreshTimeInterval ?? 60,
          ...(c.retry
            ? {
                errorHandling: [
                  {
                    situation: { errorSource: ['thirdParty'] },
                    reaction: { retryLater: { initialInterval: c.retry.initialInterval, retryLimit: c.retry.retryLimit } },
                  },
                ],
              }
            : {}),
        })),
      },
    ],
  };
}

/** A fresh directory for one daemon; connectors' directories can be made inside it before start. */
export function daemonDirectory(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `console-e2e-${prefix}-`));
}

export async function startDaemon(spec: DaemonSpec, dir = daemonDirectory(spec.serverName)): Promise<RunningDaemon> {
  const configPath = join(dir, 'daemon-config.json');
  const stateDir = join(dir, 'state');
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(configPath, JSON.stringify(configDocument(spec, dir), null, 2));
  const token = `e2e-${spec.serverName}-${Math.random().toString(36).slice(2)}-token`;
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin/integration-daemon.mjs'), 'serve', '--config', configPath, '--port', '0', '--state-dir', stateDir, '--console-dir', CONSOLE_DIR],
    { cwd: ROOT, env: { ...process.env, INTEGRATION_DAEMON_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (output += chunk));
  child.stderr.on('data', (chunk: string) => (output += chunk));

  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`The daemon ${spec.serverName} did not report "listening on" within ${STARTUP_TIMEOUT_MS} ms:\n${output}`)), STARTUP_TIMEOUT_MS);
    const look = () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1].replace(/\/+$/, ''));
      }
    };
    child.stdout.on('data', look);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The daemon ${spec.serverName} exited with code ${code} before listening:\n${output}`));
    });
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  return {
    serverName: spec.serverName,
    userId: USER_ID,
    url,
    token,
    dir,
    consoleUrl: `${url}/console/#token=${encodeURIComponent(token)}&userId=${USER_ID}`,
    process: child,
    output: () => output,
    stop,
  };
}
