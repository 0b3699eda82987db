// A real daemon (embedded SQLite metadata server, state file, REST server on a free loopback port) monitoring one
// temporary directory with the data files monitor, and a DaemonClient talking to it. Used by the files monitor
// trust tests and the files-trust benchmark; everything lives in one temporary directory removed by stop().
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IntegrationConnectorReport } from '../../../../shared/api/types.js';
import { DaemonClient } from '../../../../shared/client/client.js';
import { loadConfigFile, writeConfigAtomically } from '../../../../electron/engine/config/load.js';
import { Daemon } from '../../../../electron/engine/daemon.js';
import { startRestServer, type RestServer } from '../../../../electron/engine/rest/server.js';
import { builtInProviderRegistry } from '../../../support/providers.js';

export const CONNECTOR = 'LandingFiles';
/** The operator token of the REST server (for the CLI's tests). */
export const FILES_DAEMON_TOKEN = 'files-trust-token';

export interface FilesDaemonOptions {
  /** The connector entry's archiveFailSafe. */
  archiveFailSafe?: { thresholdPercent?: number; minimumCount?: number };
  watchChanges?: boolean;
  waitForDirectory?: boolean;
}

export interface FilesDaemon {
  dir: string;
  /** The monitored directory. */
  root: string;
  daemon: Daemon;
  /** The REST server's base URL. */
  url: string;
  client: DaemonClient;
  report(): IntegrationConnectorReport;
  /** Qualified names of the connector's live DataFile elements. */
  liveFiles(): Promise<string[]>;
  /** Stops the daemon, keeping its files (for a restart on the same state). */
  halt(): Promise<void>;
  stop(): Promise<void>;
}

export async function startFilesDaemon(
  options: FilesDaemonOptions = {},
  dir = mkdtempSync(join(tmpdir(), 'files-trust-')),
): Promise<FilesDaemon> {
  const root = join(dir, 'landing');
  mkdirSync(root, { recursive: true });
  const configPath = join(dir, 'daemon.json');
  await writeConfigAtomically(configPath, {
    serverName: 'filesTrust',
    metadataServer: { kind: 'embedded', path: join(dir, 'metadata.db') },
    auditLog: { destinations: [{ kind: 'memory', capacity: 10_000 }] },
    integrationServices: [
      {
        urlMarker: 'files-integrator',
        connectors: [
          {
            connectorName: CONNECTOR,
            connectorProvider: 'data-files-monitor',
            endpointAddress: root,
            // Only at start and on request: every change seen here was seen by watching.
            refreshTimeInterval: 0,
            configurationProperties: {
              ...(options.watchChanges === false ? { watchChanges: false } : {}),
              ...(options.waitForDirectory === undefined ? {} : { waitForDirectory: options.waitForDirectory }),
            },
            ...(options.archiveFailSafe ? { archiveFailSafe: options.archiveFailSafe } : {}),
          },
        ],
      },
    ],
  });
  const providers = builtInProviderRegistry();
  const loaded = await loadConfigFile(configPath, { providers });
  const daemon = await Daemon.start({
    config: loaded.config,
    configPath,
    document: loaded.document,
    stateDir: join(dir, 'state'),
    providers,
    log: () => undefined,
  });
  let server: RestServer;
  try {
    server = await startRestServer({ daemon, port: 0, token: FILES_DAEMON_TOKEN, log: () => undefined });
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  const client = new DaemonClient({ url: server.url, serverName: 'filesTrust', userId: 'filesTrustnpa', token: FILES_DAEMON_TOKEN });
  const halt = async () => {
    await server.close();
    await daemon.stop();
  };
  return {
    dir,
    root,
    daemon,
    url: server.url,
    client,
    report: () => {
      const report = daemon.status().integrationServiceSummaries[0]?.integrationConnectorReports[0];
      if (report === undefined) throw new Error('no connector report');
      return report;
    },
    liveFiles: async () => {
      // Straight from the daemon: polled often, and the REST layer is not what is tested here.
      const names: string[] = [];
      for (let startFrom = 0; ;) {
        const page = await daemon.findElements({ typeName: 'DataFile', startFrom, pageSize: daemon.maxPageSize });
        for (const element of page) if (!element.archived) names.push(element.qualifiedName);
        if (page.length < daemon.maxPageSize) return names;
        startFrom += page.length;
      }
    },
    halt,
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls an asynchronous probe every 20 ms until it gives a value. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  everyMs = 20,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
