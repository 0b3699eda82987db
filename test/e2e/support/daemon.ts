// Real integration daemons for the browser tests: each one is `integration-daemon serve` in its own child
// process with its own configuration, state directory and token, serving the built console at /console/.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDaemonProcess } from '../../support/daemon-process.js';

export const ROOT = resolve(import.meta.dirname, '../../..');
const CONSOLE_DIR = join(ROOT, 'dist/renderer');

/** Builds the console once if no build is there (the test runner normally builds it first). */
export function ensureConsoleBuilt(): void {
  if (existsSync(join(CONSOLE_DIR, 'index.html'))) return;
  const build = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`The console build failed:\n${build.stdout}\n${build.stderr}`);
}

export interface ConnectorSpec {
  connectorName: string;
  connectorProvider: 'data-files-monitor' | 'data-folder-monitor';
  endpointAddress: string;
  /** Minutes; 0 = only at start and on request. */
  refreshTimeInterval?: number;
  /** The provider's configuration properties (e.g. `{ watchChanges: false }`). */
  configurationProperties?: Record<string, unknown>;
  /** Directories the connector works on, each its own catalog target. */
  catalogTargets?: { catalogTargetName: string; endpointAddress: string }[];
  /** Retry policy for an unavailable third-party technology (a missing directory). */
  retry?: { initialInterval: string; retryLimit: number };
}

export interface DaemonSpec {
  serverName: string;
  connectors: ConnectorSpec[];
  /** A second token that may only read (the daemon's INTEGRATION_DAEMON_VIEWER_TOKEN). */
  viewerToken?: string;
  /** Integration groups the daemon runs (their definitions live in its metadata server). */
  integrationGroups?: string[];
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

function configDocument(spec: DaemonSpec, dir: string): { serverName: string; localServerUserId: string } & Record<string, unknown> {
  return {
    serverName: spec.serverName,
    localServerUserId: `${spec.serverName}npa`,
    maxPageSize: 1000,
    metadataServer: { name: `${spec.serverName}-metadata`, kind: 'embedded', path: join(dir, 'metadata.db') },
    auditLog: { destinations: [{ kind: 'console' }, { kind: 'memory', capacity: 5000 }] },
    ...(spec.integrationGroups ? { integrationGroups: spec.integrationGroups.map((groupName) => ({ groupName })) } : {}),
    integrationServices: [
      {
        urlMarker: 'files-integrator',
        defaultPermittedSynchronization: 'FROM_THIRD_PARTY',
        connectors: spec.connectors.map((c) => ({
          connectorName: c.connectorName,
          connectorProvider: c.connectorProvider,
          endpointAddress: c.endpointAddress,
          refreshTimeInterval: c.refreshTimeInterval ?? 60,
          ...(c.configurationProperties ? { configurationProperties: c.configurationProperties } : {}),
          ...(c.catalogTargets ? { catalogTargets: c.catalogTargets } : {}),
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
  const daemon = await startDaemonProcess({
    dir,
    config: configDocument(spec, dir),
    token: `e2e-${spec.serverName}-${Math.random().toString(36).slice(2)}-token`,
    args: ['--console-dir', CONSOLE_DIR],
    ...(spec.viewerToken !== undefined ? { env: { INTEGRATION_DAEMON_VIEWER_TOKEN: spec.viewerToken } } : {}),
  });
  return {
    serverName: spec.serverName,
    userId: USER_ID,
    url: daemon.url,
    token: daemon.token,
    dir,
    consoleUrl: `${daemon.url}/console/#token=${encodeURIComponent(daemon.token)}&userId=${USER_ID}`,
    process: daemon.process,
    output: daemon.output,
    async stop() {
      await daemon.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
