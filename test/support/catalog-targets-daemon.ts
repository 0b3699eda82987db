// A real daemon (embedded SQLite, REST on a free loopback port) whose one connector, a data files monitor, works on
// catalog targets: one directory per name given, those listed in `missing` not created. Shared by the engine, CLI
// and console tests of catalog targets.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRealDaemon, type RealDaemon } from './real-daemon.js';
import type { RestServerOptions } from '../../electron/engine/rest/server.js';

export const TARGETS_CONNECTOR = 'LandingAreaFilesMonitor';

export interface TargetsDaemon extends RealDaemon {
  /** A target's directory. */
  root(name: string): string;
}

/** Each present target's directory holds one file, `<target>.csv`. */
export async function startTargetsDaemon(
  serverOptions: Omit<RestServerOptions, 'daemon' | 'port' | 'log'>,
  names: readonly string[],
  missing: readonly string[],
  dir?: string,
): Promise<TargetsDaemon> {
  const roots: Record<string, string> = {};
  const real = await startRealDaemon(serverOptions, dir, (document) => {
    const server = document.metadataServer;
    const data = join(server && 'path' in server ? server.path : '', '..');
    for (const name of names) {
      roots[name] = join(data, 'targets', name);
      if (missing.includes(name)) continue;
      mkdirSync(roots[name], { recursive: true });
      writeFileSync(join(roots[name], `${name}.csv`), `${name}\n1\n`);
    }
    const service = document.integrationServices?.[0];
    if (!service) throw new Error('the demo document has no integration service');
    service.connectors = [
      {
        connectorName: TARGETS_CONNECTOR,
        connectorProvider: 'data-files-monitor',
        refreshTimeInterval: 60,
        // Changes are caught at refresh only, so a test sees exactly what one refresh did.
        configurationProperties: { watchChanges: false },
        catalogTargets: names.map((name) => ({ catalogTargetName: name, endpointAddress: roots[name] })),
      },
    ];
  });
  return {
    ...real,
    root(name) {
      const root = roots[name];
      if (root === undefined) throw new Error(`no catalog target ${name}`);
      return root;
    },
  };
}
