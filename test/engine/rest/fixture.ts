// A real REST server on a free loopback port over the in-memory daemon loaded with the seed's example.
import type { IntegrationDaemonStatusResponse, RegisteredOMAGService } from '../../../shared/api/types.js';
import { API_BASE } from '../../../shared/api/types.js';
import { startRestServer, type RestServer, type RestServerOptions } from '../../../electron/engine/rest/server.js';
import { MemoryDaemon } from './memory-daemon.js';
import { seedExamples } from './seed.js';

export const OPERATOR_TOKEN = 'operator-token-0123456789abcdef';
export const VIEWER_TOKEN = 'viewer-token-0123456789abcdef';
export const SERVER_NAME = 'exchangeDL01';
export const USER_ID = 'exchangeDL01npa';

export interface Fixture {
  daemon: MemoryDaemon;
  server: RestServer;
  /** Platform root + daemon base path. */
  base: string;
  logged: string[];
  auth: { Authorization: string };
}

export function seedDaemon(): MemoryDaemon {
  const seed = seedExamples();
  return new MemoryDaemon(
    SERVER_NAME,
    seed.statusFailed as unknown as IntegrationDaemonStatusResponse,
    (seed.registeredServices as { services: RegisteredOMAGService[] }).services,
  );
}

export async function startFixture(extra: Partial<RestServerOptions> = {}, daemon = seedDaemon()): Promise<Fixture> {
  const logged: string[] = [];
  const server = await startRestServer({
    daemon,
    port: 0,
    token: OPERATOR_TOKEN,
    viewerToken: VIEWER_TOKEN,
    log: (line) => logged.push(line),
    ...extra,
  });
  return {
    daemon,
    server,
    base: `${server.url}${API_BASE(SERVER_NAME, USER_ID)}`,
    logged,
    auth: { Authorization: `Bearer ${OPERATOR_TOKEN}` },
  };
}
