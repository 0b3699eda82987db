// Catalog targets on the wire (our extension, named after Egeria's catalogTargetName): the places one connector
// works on (a files monitor's directories, a database monitor's schemas), each with its own status, last run and
// error, carried in the connector's report and answered by GET …/integration-connectors/{name}/catalog-targets.
import type { ErrorCategory, ErrorSource, RunCounts } from './types.js';

/**
 * INITIALIZED: not started yet; WAITING: started, between refreshes; REFRESHING: its refresh runs; FAILED: its last
 * start or refresh failed (retried on its own at `retry.nextRetryAt`); SHUTDOWN: its connector stopped.
 */
export const CATALOG_TARGET_STATUSES = ['INITIALIZED', 'WAITING', 'REFRESHING', 'FAILED', 'SHUTDOWN'] as const;
export type CatalogTargetStatus = (typeof CATALOG_TARGET_STATUSES)[number];

export interface CatalogTargetReport {
  catalogTargetName: string;
  catalogTargetStatus: CatalogTargetStatus;
  /** The target's endpoint when it has its own (a directory), else absent (the connector's). */
  endpointAddress?: string | undefined;
  lastStatusChange?: string | undefined;
  lastRefreshTime?: string | undefined;
  lastSuccessfulRefreshTime?: string | undefined;
  /** Counts of the target's last refresh. */
  lastRunCounts?: RunCounts | undefined;
  failingExceptionMessageId?: string | undefined;
  failingExceptionMessage?: string | undefined;
  errorSource?: ErrorSource | undefined;
  errorCategory?: ErrorCategory | undefined;
  userAction?: string | undefined;
  /** The target's own automatic retry while FAILED. */
  retry?: { attempt: number; nextRetryAt: string } | undefined;
  /** An archive of the target's the mass-archive fail-safe holds (GET held-archives has its sample). */
  heldArchive?: { count: number; heldAt: string } | undefined;
}

/** `GET …/integration-connectors/{name}/catalog-targets`. */
export interface CatalogTargetsResponse {
  class: 'CatalogTargetsResponse';
  relatedHTTPCode: number;
  connectorName: string;
  catalogTargets: CatalogTargetReport[];
}

/** The failing targets of a report, and the words the console, CLI and tray use for them ("1 of 3 catalog targets failing"). */
export function failingTargetsText(targets: readonly CatalogTargetReport[] | undefined): string | undefined {
  if (!targets || targets.length === 0) return undefined;
  const failing = targets.filter((t) => t.catalogTargetStatus === 'FAILED').length;
  return failing === 0 ? undefined : `${failing} of ${targets.length} catalog targets failing`;
}
