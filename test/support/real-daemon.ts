// The real Daemon (embedded SQLite store, the built-in files connectors on a demo landing area holding one file)
// behind a real REST server on a free loopback port, in a temporary directory removed by stop().
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_BASE } from '../../shared/api/types.js';
import { demoConfig, loadConfigFile, writeConfigAtomically } from '../../electron/engine/config/load.js';
import { Daemon } from '../../electron/engine/daemon.js';
import { startRestServer, type RestServer, type RestServerOptions } from '../../electron/engine/rest/server.js';
import { builtInProviderRegistry } from './providers.js';

export const REAL_SERVER_NAME = 'exchangeDL01';
export const REAL_USER_ID = 'exchangeDL01npa';

export interface RealDaemon {
  dir: string;
  configPath: string;
  daemon: Daemon;
  server: RestServer;
  /** Platform root + daemon base path. */
  base: string;
  /** What the REST server logged (incidents). */
  logged: string[];
  stop(): Promise<void>;
}

/** `dir` may be prepared by the caller (a console directory, files outside it); it is removed by stop(). */
export async function startRealDaemon(
  serverOptions: Omit<RestServerOptions, 'daemon' | 'port' | 'log'>,
  dir = mkdtempSync(join(tmpdir(), 'rest-real-')),
  /** Changes the demo configuration before the daemon starts (another integration service, say). */
  editDocument: (document: ReturnType<typeof demoConfig>) => void = () => undefined,
): Promise<RealDaemon> {
  const data = join(dir, 'data');
  mkdirSync(join(data, 'landing-area'), { recursive: true });
  writeFileSync(join(data, 'landing-area', 'weekly.csv'), 'a,b\n1,2\n');
  const configPath = join(dir, 'integration-daemon.json');
  const document = demoConfig({ dataDirectory: data });
  document.auditLog = { destinations: [{ kind: 'memory', capacity: 1000 }] };
  editDocument(document);
  await writeConfigAtomically(configPath, document);
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
  const logged: string[] = [];
  const server = await startRestServer({ ...serverOptions, daemon, port: 0, log: (line) => logged.push(line) }).catch(
    async (error: unknown) => {
      await daemon.stop();
      throw error;
    },
  );
  return {
    dir,
    configPath,
    daemon,
    server,
    base: `${server.url}${API_BASE(REAL_SERVER_NAME, REAL_USER_ID)}`,
    logged,
    async stop() {
      await server.close();
      await daemon.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
