// Run records written in groups. Every run start, end and object failure is a run write; with one durable
// transaction each, a thousand connectors starting their first refresh together spent seconds in disk syncs while
// the event loop stood still. Runs are history, not retry state, so they may wait for the end of the current task:
// the writes of one task go to disk as one transaction (or a few, on consecutive turns, when there are thousands).
// Retries and the breaker stay one durable write per put.
import type { ConnectorRun } from '../../../shared/api/types.js';
import type { StateStore } from './types.js';

/**
 * Runs written in one turn of the loop, for at most about this long: after ten thousand connectors' refreshes end
 * together, one transaction of all their runs held the loop for over 100 ms. The rest wait for the next turn.
 */
const TURN_BUDGET_MS = 10;

export function batchingRunWrites(
  store: StateStore,
  onError: (what: string, error: unknown) => void,
  turnBudgetMs = TURN_BUDGET_MS,
): StateStore {
  const pending = new Map<string, { run: ConnectorRun; keep: number }>();
  let scheduled: NodeJS.Immediate | undefined;

  /** Writes the waiting runs: all of them, or (on the loop's own turn) as many as fit in a turn's budget. */
  const flush = (whole = true): void => {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    if (pending.size === 0) return;
    const began = performance.now();
    const runs: { run: ConnectorRun; keep: number }[] = [];
    const putSome = (): void => {
      for (const [runId, entry] of pending) {
        pending.delete(runId);
        runs.push(entry);
        try {
          store.putRun(entry.run, entry.keep);
        } catch (error) {
          onError(`storing run ${entry.run.runId} of integration connector ${entry.run.connectorName}`, error);
        }
        if (!whole && performance.now() - began >= turnBudgetMs) break;
      }
    };
    try {
      if (store.batchSyncedLater) {
        store.batchSyncedLater(putSome).catch((error: unknown) => onError(`storing ${runs.length} runs`, error));
      } else if (store.batch) store.batch(putSome);
      else putSome();
    } catch (error) {
      onError(`storing ${runs.length} runs`, error);
    }
    // The rest on the next turn, so timers and sockets get theirs in between.
    if (pending.size > 0) scheduled = setImmediate(() => flush(false));
  };

  return {
    get path() {
      return store.path;
    },
    close() {
      flush();
      store.close();
    },
    putObjectRetry: (retry) => store.putObjectRetry(retry),
    getObjectRetry: (connectorId, objectKey) => store.getObjectRetry(connectorId, objectKey),
    deleteObjectRetry: (connectorId, objectKey) => store.deleteObjectRetry(connectorId, objectKey),
    listObjectRetries: (connectorId) => store.listObjectRetries(connectorId),
    putConnectorRetry: (retry) => store.putConnectorRetry(retry),
    getConnectorRetry: (connectorId) => store.getConnectorRetry(connectorId),
    deleteConnectorRetry: (connectorId) => store.deleteConnectorRetry(connectorId),
    listConnectorRetries: () => store.listConnectorRetries(),
    putBreaker: (breaker) => store.putBreaker(breaker),
    getBreaker: (metadataServerName) => store.getBreaker(metadataServerName),
    putHeldArchive: (held) => store.putHeldArchive(held),
    deleteHeldArchive: (key) => store.deleteHeldArchive(key),
    listHeldArchives: () => store.listHeldArchives(),
    ...(store.batch ? { batch: (work: () => void) => store.batch?.(work) } : {}),
    ...(store.batchSyncedLater ? { batchSyncedLater: (work: () => void) => store.batchSyncedLater?.(work) ?? Promise.resolve() } : {}),
    putRun(run, keepPerConnector) {
      // A later snapshot of the same run replaces the waiting one: only the newest state is written.
      pending.set(run.runId, { run, keep: keepPerConnector });
      scheduled ??= setImmediate(() => flush(false));
    },
    listRuns(filter) {
      flush();
      return store.listRuns(filter);
    },
  };
}
