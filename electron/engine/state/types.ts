// The daemon's own durable state (SQLite file in the state directory): what must survive a restart or kill -9.
// Synchronous on purpose: better-sqlite3 is synchronous and every write here is small.
import type { BreakerState, ConnectorRun, ErrorCategory, ErrorSource, HeldArchive, ObjectRetryState } from '../../../shared/api/types.js';

export interface StoredObjectRetry {
  connectorId: string;
  objectKey: string;
  state: ObjectRetryState;
  /** Number of the next attempt (1 = first retry). */
  attempt: number;
  retryLimit: number | null;
  /** Epoch ms; absent once given up. */
  nextRetryAt: number | null;
  firstFailedAt: number;
  lastFailedAt: number;
  lastErrorMessageId: string;
  lastErrorMessage: string;
  errorSource: ErrorSource;
  errorCategory: ErrorCategory;
}

/** A connector-level automatic restart that is scheduled (status RETRYING) or the counters behind the next one. */
export interface StoredConnectorRetry {
  connectorId: string;
  /** Number of the retry being waited for (1-based). */
  attempt: number;
  retryLimit: number | null;
  /** Epoch ms. */
  nextRetryAt: number;
  reason: string;
  messageId: string;
  errorSource: ErrorSource;
  errorCategory: ErrorCategory;
  /** Errors seen so far for `stopAfter`. */
  errorCount: number;
  firstFailedAt: number;
}

export interface StoredBreaker {
  metadataServerName: string;
  state: BreakerState;
  /** Epoch ms of the last transition. */
  since: number;
  nextProbeAt: number | null;
  /** How many times it opened in a row (drives the open interval). */
  openCount: number;
  lastErrorMessage: string | null;
}

/**
 * What a held archive is kept under: its connector's id, or for a catalog target's the target's metadata source
 * (`{connectorId}::catalogTarget::{name}`, as lifecycle/catalog-targets.ts names it), so the state file needs no new column.
 */
export function heldArchiveKey(held: Pick<HeldArchive, 'connectorId' | 'catalogTargetName'>): string {
  return held.catalogTargetName === undefined ? held.connectorId : `${held.connectorId}::catalogTarget::${held.catalogTargetName}`;
}

/** An archive the mass-archive fail-safe held, with every qualified name it would archive. */
export interface StoredHeldArchive extends HeldArchive {
  qualifiedNames: string[];
}

export interface StateStore {
  readonly path: string;
  close(): void;

  putObjectRetry(retry: StoredObjectRetry): void;
  getObjectRetry(connectorId: string, objectKey: string): StoredObjectRetry | undefined;
  deleteObjectRetry(connectorId: string, objectKey: string): void;
  listObjectRetries(connectorId?: string): StoredObjectRetry[];

  putConnectorRetry(retry: StoredConnectorRetry): void;
  getConnectorRetry(connectorId: string): StoredConnectorRetry | undefined;
  deleteConnectorRetry(connectorId: string): void;
  listConnectorRetries(): StoredConnectorRetry[];

  putBreaker(breaker: StoredBreaker): void;
  getBreaker(metadataServerName: string): StoredBreaker | undefined;

  /**
   * Optional: runs `work` (several puts) as one durable write, so recording many object retries at once costs one
   * disk sync instead of one per row. Callers do plain puts when a store lacks it.
   */
  batch?(work: () => void): void;

  /**
   * Optional: like batch, but the disk sync happens off the event loop; the puts are visible at once and the promise
   * resolves once they are on disk (rejects if that failed). Callers use batch when a store lacks it.
   */
  batchSyncedLater?(work: () => void): Promise<void>;

  /** One held archive per connector and per catalog target: put replaces the earlier one of the same key (heldArchiveKey). */
  putHeldArchive(held: StoredHeldArchive): void;
  deleteHeldArchive(key: string): void;
  listHeldArchives(): StoredHeldArchive[];

  /** Appends or replaces (by runId) a run; keeps at most `keepPerConnector` newest runs per connector. */
  putRun(run: ConnectorRun, keepPerConnector: number): void;
  listRuns(filter: { connectorName?: string | undefined; limit: number }): ConnectorRun[];
}
