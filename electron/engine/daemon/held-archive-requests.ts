// The operator's side of the mass-archive fail-safe: list the held archives, approve one (its elements are archived
// now) or reject it (they are kept). The decision to hold is the run's (lifecycle/held-archives.ts).
import type { HeldArchive } from '../../../shared/api/types.js';
import { DaemonRequestError } from '../daemon-api.js';
import { MetadataServerUnavailableError } from '../metadata-server/types.js';
import type { DaemonParts } from './assembly.js';
import { metadataServerUnavailable } from './request-errors.js';

function nothingHeld(serverName: string, connectorName: string): DaemonRequestError {
  return new DaemonRequestError(
    404,
    'INTEGRATION-DAEMON-SERVICES-404-130',
    `Integration connector ${connectorName} in integration daemon ${serverName} has no held archive`,
    [connectorName, serverName],
    'Nothing is changed.',
    'List the held archives (GET held-archives, or integration-daemon held-archives); a later refresh may have replaced or dropped this one.',
  );
}

export function listHeldArchives(parts: DaemonParts): HeldArchive[] {
  return parts.env.heldArchives.list();
}

export async function approveHeldArchive(parts: DaemonParts, connectorName: string, userId?: string): Promise<number> {
  const { registry, env, breaker, metadataServer, config, serverName } = parts;
  const { connectorId } = registry.byName(connectorName);
  if (env.heldArchives.get(connectorId) === undefined) throw nothingHeld(serverName, connectorName);
  const unavailable = (detail: string) => metadataServerUnavailable(metadataServer.name, config.localServerUserId, detail);
  if (breaker.state !== 'CLOSED') throw unavailable(breaker.status().lastErrorMessage ?? 'it is not available');
  try {
    // Through the connectors' door to the metadata server, which notices the write: the element count follows.
    return await env.heldArchives.approve(connectorId, userId ?? config.localServerUserId, (names) =>
      env.metadataServerCalls.run(() => env.metadataServer.archiveElements(connectorId, names)),
    );
  } catch (error) {
    if (error instanceof MetadataServerUnavailableError) throw unavailable(error.message);
    throw error;
  }
}

export function rejectHeldArchive(parts: DaemonParts, connectorName: string, userId?: string): void {
  const { connectorId } = parts.registry.byName(connectorName);
  const decidedBy = userId ?? parts.config.localServerUserId;
  if (!parts.env.heldArchives.reject(connectorId, decidedBy)) throw nothingHeld(parts.serverName, connectorName);
}
