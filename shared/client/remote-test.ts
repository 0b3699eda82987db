// Tests a remote daemon before it is saved: is it reachable, is the token accepted, and which kind of daemon answers
// (ours, or Egeria of which era, told apart by the shape of its status answer). Each finding says what to do next.
import { API_BASE } from '../api/types.js';
import type { RemoteDaemonEra, RemoteDaemonTest } from '../console-backend.js';
import { DaemonClient, type DaemonClientOptions } from './client.js';
import { DaemonClientError } from './errors.js';

/** The era a status answer's shape shows: ours carries metadataServers, 4.x/5.x wrap it, 2.x/3.x do not. */
export function eraOfStatus(json: unknown, answersHealth: boolean): RemoteDaemonEra {
  const body = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  if (answersHealth || Array.isArray(body.metadataServers)) return 'integration-daemon';
  if (body.integrationDaemonStatus !== undefined) return 'egeria-4';
  return 'egeria-2';
}

export async function testRemoteDaemon(options: DaemonClientOptions, signal?: AbortSignal): Promise<RemoteDaemonTest> {
  const client = new DaemonClient({ timeoutMs: 10_000, ...options });
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const answersHealth = await client
    .health(signal)
    .then(() => true)
    .catch(() => false);
  let era: RemoteDaemonEra | undefined;
  try {
    await client.status(signal);
    // The status parsed as a daemon status; its raw shape tells the era (one more small request, only when testing).
    const target = `${client.url}${API_BASE(client.serverName, client.userId)}/status`;
    const raw = await fetchImpl(target, {
      headers: { Accept: 'application/json', ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) },
      ...(signal ? { signal } : {}),
    });
    era = eraOfStatus(await raw.json(), answersHealth);
  } catch (error) {
    return failed(error, answersHealth, options.url);
  }
  return {
    reachable: true,
    tokenAccepted: true,
    era,
    message: `The daemon ${options.serverName} at ${options.url} answers and accepts the token (${ERA_WORDS[era]}).`,
  };
}

export const ERA_WORDS: Record<RemoteDaemonEra, string> = {
  'integration-daemon': 'an integration daemon of this project',
  'egeria-4': 'Egeria 4.x or 5.x',
  'egeria-2': 'Egeria 2.x or 3.x',
};

function failed(error: unknown, answersHealth: boolean, url: string): RemoteDaemonTest {
  if (!(error instanceof DaemonClientError)) throw error;
  const common = { messageId: error.messageId, message: error.message, userAction: error.userAction };
  if (error.kind === 'network' && !answersHealth) return { reachable: false, ...common };
  if (error.httpStatus === 401 || error.httpStatus === 403) {
    return {
      reachable: true,
      tokenAccepted: false,
      ...(answersHealth ? { era: 'integration-daemon' as const } : {}),
      ...common,
      userAction: `Copy the token again from the daemon at ${url} (<state-dir>/token or INTEGRATION_DAEMON_TOKEN); a viewer token is enough to watch, an operator token is needed to act.`,
    };
  }
  return { reachable: true, ...(answersHealth ? { era: 'integration-daemon' as const } : {}), ...common };
}
