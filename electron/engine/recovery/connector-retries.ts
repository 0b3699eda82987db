// The connector-level retry record (status RETRYING): decided by the strategy, kept in the state store so a
// restarted daemon resumes the same countdown and the same attempt numbers.
import type { StateStore, StoredConnectorRetry } from '../state/types.js';
import { decideRecovery } from './strategy.js';
import type { ClassifiedError, ErrorHandlingEntry, OperationStatus, RecoveryDecision } from './types.js';

/** A connector that has run this long without a new failure starts its next failure streak from attempt 1. */
export const DEFAULT_HEALTHY_RESET_MS = 600_000;

export interface ConnectorFailureInput {
  store: StateStore;
  connectorId: string;
  error: ClassifiedError;
  status: OperationStatus;
  /** The connector's configured errorHandling; absent = the built-in defaults. */
  entries?: readonly ErrorHandlingEntry[] | undefined;
  now: number;
  random: () => number;
  healthyResetMs?: number;
}

export interface ConnectorFailureOutcome {
  decision: RecoveryDecision;
  /** The record now stored (undefined once the streak ended with stop). */
  retry: StoredConnectorRetry | undefined;
  /** Errors in the current streak, this one included (what `stopAfter` counts). */
  errorCount: number;
}

/** `nextRetryAt` is when the streak last acted: the retry that ran then, or the ignored error's time. */
function isStale(record: StoredConnectorRetry, now: number, healthyResetMs: number): boolean {
  return now - record.nextRetryAt >= healthyResetMs;
}

/**
 * Decides what to do about a connector-level failure (initialize, start, refresh) and persists the outcome:
 * retryConnector → the scheduled retry; ignore → counters only (attempt 0) so stopAfter keeps counting;
 * waitForMetadataServer → nothing changes (no attempt, no error counted); stop → the streak ends.
 */
export function recordConnectorFailure(input: ConnectorFailureInput): ConnectorFailureOutcome {
  const { store, connectorId, error, now } = input;
  const healthyResetMs = input.healthyResetMs ?? DEFAULT_HEALTHY_RESET_MS;
  const stored = store.getConnectorRetry(connectorId);
  const previous = stored && !isStale(stored, now, healthyResetMs) ? stored : undefined;
  const errorCount = (previous?.errorCount ?? 0) + 1;
  const decision = decideRecovery({
    ...(input.entries === undefined ? {} : { entries: input.entries }),
    error,
    status: input.status,
    attempt: previous?.attempt ?? 0,
    errorCount,
    now,
    random: input.random,
  });
  const base = {
    connectorId,
    reason: error.message,
    messageId: error.messageId,
    errorSource: error.source,
    errorCategory: error.category,
    errorCount,
    firstFailedAt: previous?.firstFailedAt ?? now,
  };
  switch (decision.action) {
    case 'retryConnector':
    case 'retryObject': {
      const retry: StoredConnectorRetry = {
        ...base,
        attempt: decision.attempt,
        retryLimit: decision.retryLimit,
        nextRetryAt: decision.nextRetryAt,
      };
      store.putConnectorRetry(retry);
      return { decision, retry, errorCount };
    }
    case 'ignore': {
      const retry: StoredConnectorRetry = { ...base, attempt: 0, retryLimit: previous?.retryLimit ?? null, nextRetryAt: now };
      store.putConnectorRetry(retry);
      return { decision, retry, errorCount };
    }
    case 'waitForMetadataServer':
      return { decision, retry: stored, errorCount };
    case 'stop':
      store.deleteConnectorRetry(connectorId);
      return { decision, retry: undefined, errorCount };
  }
}

/**
 * Call after each successful start or refresh: once the connector has gone `healthyResetMs` without a new
 * failure, its retry record is dropped. Returns true when it was.
 */
export function noteConnectorHealthy(
  store: StateStore,
  connectorId: string,
  now: number,
  healthyResetMs = DEFAULT_HEALTHY_RESET_MS,
): boolean {
  const stored = store.getConnectorRetry(connectorId);
  if (!stored || !isStale(stored, now, healthyResetMs)) return false;
  store.deleteConnectorRetry(connectorId);
  return true;
}
