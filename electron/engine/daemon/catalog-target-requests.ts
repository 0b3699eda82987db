// The operator's side of catalog targets: list one connector's targets with their status, refresh one target now, or
// retry a failed one now, without restarting the connector. The targets' lifecycle is lifecycle/catalog-targets.ts.
import type { CatalogTargetReport } from '../../../shared/api/catalog-targets.js';
import { DaemonRequestError } from '../daemon-api.js';
import type { CatalogTargetBoard, TargetRequestOutcome } from '../lifecycle/catalog-target-board.js';
import type { DaemonParts } from './assembly.js';

const NOTHING_CHANGED = 'Nothing is changed.';

function unknownTarget(serverName: string, connectorName: string, target: string, known: readonly string[]): DaemonRequestError {
  return new DaemonRequestError(
    404,
    'INTEGRATION-DAEMON-SERVICES-404-140',
    `Integration connector ${connectorName} in integration daemon ${serverName} has no catalog target named ${target}`,
    [connectorName, serverName, target],
    NOTHING_CHANGED,
    known.length > 0
      ? `Use one of its catalog targets: ${known.join(', ')}.`
      : `${connectorName} is configured without catalog targets: refresh or restart the connector itself, or add catalogTargets to its configuration.`,
  );
}

function refused(serverName: string, connectorName: string, target: string, outcome: TargetRequestOutcome): DaemonRequestError {
  if (outcome === 'notFailed') {
    return new DaemonRequestError(
      409,
      'INTEGRATION-DAEMON-SERVICES-409-141',
      `Catalog target ${target} of integration connector ${connectorName} in integration daemon ${serverName} has not failed, so there is nothing to retry`,
      [target, connectorName, serverName],
      NOTHING_CHANGED,
      `Refresh the target to catalogue it again now (POST …/integration-connectors/${connectorName}/catalog-targets/${target}/refresh).`,
      'org.odpi.openmetadata.frameworks.connectors.ffdc.InvalidParameterException',
    );
  }
  return new DaemonRequestError(
    409,
    'INTEGRATION-DAEMON-SERVICES-409-142',
    `Integration connector ${connectorName} in integration daemon ${serverName} is not running, so its catalog target ${target} cannot be refreshed or retried on its own`,
    [connectorName, serverName, target],
    NOTHING_CHANGED,
    `Wait until ${connectorName} runs again (its status says why it does not), or restart it: that starts every catalog target afresh.`,
    'org.odpi.openmetadata.frameworks.connectors.ffdc.InvalidParameterException',
  );
}

function board(parts: DaemonParts, connectorName: string, target?: string): CatalogTargetBoard {
  const handler = parts.registry.byName(connectorName);
  const targets = handler.targets;
  if (target !== undefined && !targets?.entry(target)) {
    throw unknownTarget(parts.serverName, connectorName, target, targets?.reports().map((t) => t.catalogTargetName) ?? []);
  }
  if (!targets) throw unknownTarget(parts.serverName, connectorName, target ?? '', []);
  return targets;
}

/**
 * A connector's targets, as its report carries them (with their held archives); empty for a connector configured
 * without them (its own endpoint is its one target).
 */
export function listCatalogTargets(parts: DaemonParts, connectorName: string): CatalogTargetReport[] {
  return parts.registry.byName(connectorName).report().catalogTargets ?? [];
}

export async function refreshCatalogTarget(parts: DaemonParts, connectorName: string, target: string): Promise<void> {
  const outcome = await board(parts, connectorName, target).refresh(target);
  if (outcome !== 'done') throw refused(parts.serverName, connectorName, target, outcome);
}

export async function retryCatalogTarget(parts: DaemonParts, connectorName: string, target: string): Promise<void> {
  const outcome = await board(parts, connectorName, target).retry(target);
  if (outcome !== 'done') throw refused(parts.serverName, connectorName, target, outcome);
}
