// The package as a user gets it: `npm pack` of the sources (its prepack and prepare steps build the console and the
// CLI), `npm install -g` of the tarball into a temporary prefix from the local npm cache, and the installed command
// run outside the checkout: --help, demo, config validate, and serve answering /health, serving the console it
// ships at /console/ and running a third-party connector written in TypeScript against
// `integration-daemon/connector-sdk` (the package export, with types), whose ConnectorError the daemon recognises.
//
// Two things keep it fast: the sources are packed from a copy (so the build it triggers never rewrites the dist/
// the other tests are running), and better-sqlite3's install script takes its prebuilt binary from a local directory
// holding the checkout's own build (prebuild-install's option for offline installs) instead of compiling SQLite for a
// minute or more.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/daemon-process.js';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
const TOKEN = 'pack-test-token-0123456789abcdef';
/** Connector statuses of a connector at work or between refreshes. */
const HEALTHY = ['RUNNING', 'WAITING', 'REFRESHING'];

let dir: string;
let prefix: string;
let command: string;
let installLog: string;
// A user's shell: none of the npm_* settings `npx vitest` put into this process, and this Node first on PATH, where
// the bin's `#!/usr/bin/env node` finds it.
const env: Record<string, string> = {
  ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => !/^npm_/i.test(e[0]) && e[1] !== undefined)),
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
};

function run(cmd: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 180_000 });
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  expect(result.status, `${what} failed:\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

/** A copy of the sources to pack: what git knows about, without the tests, with the checkout's node_modules. */
function copySources(to: string): void {
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  for (const file of files.stdout.split('\0')) {
    if (file === '' || file.startsWith('test/')) continue;
    try {
      cpSync(join(root, file), join(to, file));
    } catch (error) {
      // Deleted in the working tree but still in the index.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  symlinkSync(join(root, 'node_modules'), join(to, 'node_modules'), 'dir');
}

/**
 * A directory holding better-sqlite3's prebuilt binary for this Node, made from the checkout's build, under the
 * name prebuild-install looks for: better-sqlite3-v<version>-node-v<abi>-<platform><libc>-<arch>.tar.gz.
 */
function localPrebuilds(): string {
  const prebuilds = join(dir, 'prebuilds');
  mkdirSync(prebuilds);
  const module = join(root, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(join(module, 'package.json'), 'utf8')) as { version: string };
  const glibc = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime;
  const libc = process.platform === 'linux' && glibc === undefined ? 'musl' : '';
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}${libc}-${process.arch}.tar.gz`;
  ok(
    run('tar', ['-czf', join(prebuilds, name), '-C', module, 'build/Release/better_sqlite3.node'], dir),
    'tar of the better-sqlite3 binary',
  );
  return prebuilds;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pack-'));
  const sources = join(dir, 'sources');
  copySources(sources);
  ok(run('npm', ['pack', '--pack-destination', dir], sources), 'npm pack');
  const tarball = join(dir, `${pkg.name}-${pkg.version}.tgz`);

  prefix = join(dir, 'prefix');
  installLog = ok(
    run('npm', ['install', '-g', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund', '--foreground-scripts'], dir, {
      npm_config_better_sqlite3_local_prebuilds: localPrebuilds(),
    }),
    'npm install -g',
  );
  command = join(prefix, 'bin', 'integration-daemon');
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm pack, then npm install -g of the tarball', () => {
  it('packs the compiled CLI, the SDK with its types and the built console, and no TypeScript sources', () => {
    const listing = ok(run('tar', ['-tzf', join(dir, `${pkg.name}-${pkg.version}.tgz`)], dir), 'tar -t').split('\n');
    expect(listing).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/bin/integration-daemon.mjs',
        'package/dist/cli/integration-daemon.js',
        'package/dist/cli/connector-sdk.js',
        'package/dist/types/electron/connector-sdk/index.d.ts',
        'package/dist/types/shared/api/types.d.ts',
        'package/dist/renderer/index.html',
      ]),
    );
    expect(listing.filter((f) => /\.(m|c)?ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(listing.filter((f) => f.endsWith('.map') || f.startsWith('package/test/') || f.startsWith('package/electron/'))).toEqual([]);
    // better-sqlite3's binary came prebuilt, not from a compiler.
    expect(installLog).toContain('better-sqlite3');
    expect(installLog).not.toContain('gyp info');
  });

  it('gives a working integration-daemon command outside the checkout: --help, demo, config validate', () => {
    const help = run(command, ['--help'], dir);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('integration-daemon serve --config FILE');
    const demo = ok(run(command, ['demo', '--data-dir', join(dir, 'demo')], dir), 'demo');
    const config = demo.trim();
    expect(config).toBe(join(dir, 'demo', 'integration-daemon.json'));
    expect(ok(run(command, ['config', 'validate', config], dir), 'config validate')).toMatch(
      /is valid: server exchangeDL01, 1 integration service\(s\), 2 connector\(s\)\./,
    );
  });

  it('serves /health and the shipped console, and runs a third-party TypeScript connector whose ConnectorError it recognises', async () => {
    // A connector project outside the repository, compiled with tsc against the installed package's declarations.
    const connector = join(dir, 'acme-connector');
    mkdirSync(connector);
    writeFileSync(join(connector, 'package.json'), JSON.stringify({ name: 'acme-connector', private: true, type: 'module' }));
    ok(run('npm', ['link', pkg.name, '--offline', '--no-audit', '--no-fund'], connector, { npm_config_prefix: prefix }), 'npm link');
    writeFileSync(
      join(connector, 'index.ts'),
      `import { ConnectorError, type ConnectorProvider } from 'integration-daemon/connector-sdk';

export const provider: ConnectorProvider = {
  providerName: 'acme-inventory-monitor',
  aliases: [],
  connectorKind: 'files',
  description: 'Catalogues the Acme inventory service (a connector from outside the repository).',
  validate: () => [],
  create: () => ({
    initialize: async () => {},
    start: async () => {},
    refresh: async () => {
      throw new ConnectorError({
        messageId: 'ACME-INVENTORY-503-001',
        text: 'The Acme inventory service does not answer.',
        category: 'network',
        retryable: true,
        thirdParty: true,
        userAction: 'Start the Acme inventory service.',
      });
    },
    disconnect: async () => {},
  }),
};
`,
    );
    ok(
      run(
        process.execPath,
        [
          join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
          ...['--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--strict', '--skipLibCheck'],
          ...['--types', 'node', '--typeRoots', join(root, 'node_modules', '@types'), 'index.ts'],
        ],
        connector,
      ),
      'tsc of the connector',
    );

    const document = JSON.parse(readFileSync(join(dir, 'demo', 'integration-daemon.json'), 'utf8')) as {
      integrationServices: { connectors: Record<string, unknown>[] }[];
    };
    document.integrationServices[0]?.connectors.push({
      connectorName: 'AcmeInventoryMonitor',
      connectorProvider: join(connector, 'index.js'),
      refreshTimeInterval: 0,
    });
    const config = join(dir, 'demo', 'with-acme.json');
    writeFileSync(config, JSON.stringify(document, null, 2));
    ok(run(command, ['config', 'validate', config], dir), 'config validate with the third-party connector');

    const daemon = spawn(command, ['serve', '--config', config, '--port', '0', '--state-dir', join(dir, 'state')], {
      cwd: dir,
      env: { ...env, INTEGRATION_DAEMON_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    daemon.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => daemon.once('exit', (code) => done(code)));
    try {
      const url = await new Promise<string>((listening, fail) => {
        const timer = setTimeout(() => fail(new Error(`no "listening on" within 30 s:\n${output}`)), 30_000);
        createInterface({ input: daemon.stdout }).on('line', (line) => {
          output += `${line}\n`;
          const match = /^listening on (http:\/\/\S+)$/.exec(line);
          if (match?.[1]) {
            clearTimeout(timer);
            listening(match[1]);
          }
        });
        void exited.then((code) => fail(new Error(`serve exited with ${code}:\n${output}`)));
      });
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const page = await fetch(`${url}/console/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');

      const statusUrl = `${url}/servers/exchangeDL01/open-metadata/integration-daemon/users/exchangeDL01npa/status`;
      type Report = { connectorName: string; connectorStatus: string; errorSource?: string; failingExceptionMessageId?: string };
      const reports = await eventually(
        async () => {
          const response = await fetch(statusUrl, { headers: { Authorization: `Bearer ${TOKEN}` } });
          const body = (await response.json()) as { integrationServiceSummaries: { integrationConnectorReports: Report[] }[] };
          const all = body.integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports);
          const acme = all.find((r) => r.connectorName === 'AcmeInventoryMonitor');
          const healthy = all.filter((r) => r !== acme && HEALTHY.includes(r.connectorStatus));
          return acme?.errorSource !== undefined && healthy.length === 2 ? all : undefined;
        },
        20_000,
        'the demo connectors healthy and the Acme connector failing',
      );
      // The connector's own ConnectorError, seen as such: its message id and the third party as the source. A
      // second copy of the SDK would make it an unknown error of the connector itself.
      expect(reports.find((r) => r.connectorName === 'AcmeInventoryMonitor')).toMatchObject({
        errorSource: 'thirdParty',
        failingExceptionMessageId: 'ACME-INVENTORY-503-001',
      });
    } finally {
      daemon.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
