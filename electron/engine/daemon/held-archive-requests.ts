// The operator's side of the mass-archive fail-safe: list the held archives, approve one (its elements are archived
// now) or reject it (they are kept). The decision to hold is the run's (lifecycle/held-archives.ts).
import type { HeldArchive } from '../../../shared/api/types.js';
import { DaemonRequestError } from '../daemon-api.js';
import { catalogTargetSource } from '../lifecycle/catalog-targets.js';
import { MetadataServerUnavailableError } from '../metadata-server/types.js';
import type { DaemonParts } from './assembly.js';
import { metadataServerUnavailable } from './request-errors.js';

function nothingHeld(serverName: string, connectorName: string, catalogTargetName: string | undefined): DaemonRequestError {
  const whose = catalogTargetName === undefined ? '' : ` for catalog target ${catalogTargetName}`;
  return new DaemonRequestError(
    404,
    'INTEGRATION-DAEMON-SERVICES-404-130',
    `Integration connector ${connectorName} in integration daemon ${serverName} has no held archive${whose}`,
    [connectorName, serverName, ...(catalogTargetName === undefined ? [] : [catalogTargetName])],
    'Nothing is changed.',
    'List the held archives (GET held-archives, or integration-daemon held-archives); a later refresh may have replaced or dropped this one.',
  );
}

export function listHeldArchives(parts: DaemonParts): HeldArchive[] {
  return parts.env.heldArchives.list();
}

/** A catalog target's held archive is named by the target; one of a target since removed from the configuration too. */
export async function approveHeldArchive(
  parts: DaemonParts,
  connectorName: string,
  userId?: string,
  catalogTargetName?: string,
): Promise<number> {
  const { registry, env, breaker, metadataServer, config, serverName } = parts;
  const { connectorId } = registry.byName(connectorName);
  const ref = { connectorId, catalogTargetName };
  if (env.heldArchives.get(ref) === undefined) throw nothingHeld(serverName, connectorName, catalogTargetName);
  // Archived where the run that held them would have: the connector's metadata source, or the target's.
  const source = catalogTargetName === undefined ? connectorId : catalogTargetSource(connectorId, catalogTargetName);
  const unavailable = (detail: string) => metadataServerUnavailable(metadataServer.name, config.localServerUserId, detail);
  if (breaker.state !== 'CLOSED') throw unavailable(breaker.status().lastErrorMessage ?? 'it is not available');
  try {
    // Through the connectors' door to the metadata server, which notices the write: the element count follows.
    return await env.heldArchives.approve(ref, userId ?? config.localServerUserId, (names) =>
      env.metadataServerCalls.run(() => env.metadataServer.archiveElements(source, names)),
    );
  } catch (error) {
    if (error instanceof MetadataServerUnavailableError) throw unavailable(error.message);
    throw error;
  }
}

export function rejectHeldArchive(parts: DaemonParts, connectorName: string, userId?: string, catalogTargetName?: string): void {
  const { connectorId } = parts.registry.byName(connectorName);
  const decidedBy = userId ?? parts.config.localServerUserId;
  if (!parts.env.heldArchives.reject({ connectorId, catalogTargetName }, decidedBy))
    throw nothingHeld(parts.serverName, connectorName, catalogTargetName);
}
