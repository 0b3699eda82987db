// Run records written in groups. Every run start, end and object failure is a run write; with one durable
// transaction each, a thousand connectors starting their first refresh together spent seconds in disk syncs while
// the event loop stood still. Runs are history, not retry state, so they may wait for the end of the current task:
// the writes of one task go to disk as one transaction. Retries and the breaker stay one durable write per put.
import type { ConnectorRun } from '../../../shared/api/types.js';
import type { StateStore } from './types.js';

export function batchingRunWrites(store: StateStore, onError: (what: string, error: unknown) => void): StateStore {
  const pending = new Map<string, { run: ConnectorRun; keep: number }>();
  let scheduled: NodeJS.Immediate | undefined;

  const flush = (): void => {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    if (pending.size === 0) return;
    const runs = [...pending.values()];
    pending.clear();
    const putAll = (): void => {
      for (const { run, keep } of runs) {
        try {
          store.putRun(run, keep);
        } catch (error) {
          onError(`storing run ${run.runId} of integration connector ${run.connectorName}`, error);
        }
      }
    };
    try {
      if (store.batch) store.batch(putAll);
      else putAll();
    } catch (error) {
      onError(`storing ${runs.length} runs`, error);
    }
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
    putRun(run, keepPerConnector) {
      // A later snapshot of the same run replaces the waiting one: only the newest state is written.
      pending.set(run.runId, { run, keep: keepPerConnector });
      scheduled ??= setImmediate(flush);
    },
    listRuns(filter) {
      flush();
      return store.listRuns(filter);
    },
  };
}
