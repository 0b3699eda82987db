// The data files monitor's writer: sends new and changed elements to the metadata server in batches while the scan
// still runs, two batches at a time, and stops the scan at the first failed batch.
import type { ConnectorContext, ElementInput } from '../../connector-sdk/index.js';

/**
 * Batches sent before the first is answered. A PostgreSQL metadata server writes one batch on one connection, so
 * with a single batch in flight one server process works while this one prepares the next, and on a first refresh
 * each waits for the other; with two, a second server process takes the next batch meanwhile. An in-process
 * metadata server (SQLite) writes them one after the other anyway.
 */
export const BATCHES_IN_FLIGHT = 2;

/**
 * Sends upserts to the metadata server while a scan is still running. Batch n is sent once batch n - 2 is answered,
 * each in its own call (so in its own transaction). The first failed batch stops the scan, no batch is sent after
 * it, and that failure (a metadata server error) is what the refresh throws; a batch already in flight beside it is
 * still awaited, and recorded if the metadata server took it.
 */
export class BatchWriter {
  sent = 0;
  /** One chain per batch in flight; batches take them in turn. */
  private readonly lanes: Promise<void>[] = Array.from({ length: BATCHES_IN_FLIGHT }, () => Promise.resolve());
  private nextLane = 0;
  private failure: { error: unknown } | undefined;
  private readonly stop = new AbortController();

  constructor(
    private readonly context: Pick<ConnectorContext, 'metadataServer'>,
    private readonly signal: AbortSignal,
  ) {}

  /** `onStored` runs once the metadata server has taken the batch, and only then. */
  upsert(elements: ElementInput[], onStored: () => void): void {
    if (elements.length === 0) return;
    this.sent += elements.length;
    const lane = this.nextLane;
    this.nextLane = (lane + 1) % this.lanes.length;
    this.lanes[lane] = (this.lanes[lane] as Promise<void>).then(async () => {
      if (this.failure !== undefined || this.signal.aborted) return;
      try {
        await this.context.metadataServer.upsertElements(elements);
        onStored();
      } catch (error) {
        this.failure ??= { error };
        this.stop.abort(error);
      }
    });
  }

  /**
   * Runs the scan with a signal that fires on abort, on a failed batch or when the scan callback fails; resolves
   * once every batch is answered.
   */
  async during<T>(scan: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const scanSignal = AbortSignal.any([this.signal, this.stop.signal]);
    let result: T;
    try {
      result = await scan(scanSignal);
    } catch (error) {
      // Whatever failed, the walk must not go on.
      this.stop.abort(error);
      throw error;
    } finally {
      await Promise.all(this.lanes);
    }
    if (this.failure !== undefined) throw this.failure.error;
    this.signal.throwIfAborted();
    return result;
  }
}
