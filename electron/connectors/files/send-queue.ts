// The data files monitor's files waiting to go to the metadata server on a refresh. The walk runs well ahead of the
// metadata server (at 100,000 files it is done in a quarter of the time a PostgreSQL metadata server takes to store
// them), so elements built as soon as their files were found waited in the writer's queue long enough to be promoted
// to the old generation: about 45 MB at 100,000 files for the garbage collector to mark and sweep while both cores
// are busy. Here files wait instead (smaller, and held anyway), and a batch's elements are built when the writer can
// send it.
import type { ElementInput } from '../../connector-sdk/index.js';
import { BATCHES_IN_FLIGHT, type BatchWriter } from './batch-writer.js';

/**
 * Batches handed to the writer and not yet stored, at most: one more than the writer sends at once, so a batch is
 * ready behind each one in flight and the metadata server never waits for elements to be built.
 */
const HANDED_OVER = BATCHES_IN_FLIGHT + 1;

export class SendQueue<File> {
  private readonly waiting: File[][] = [];
  private handedOver = 0;
  private readonly stores = new InSendingOrder();
  private whenEmpty: (() => void) | undefined;

  /**
   * `record` runs once the metadata server has stored a batch, in the order the batches were sent (see
   * InSendingOrder), or at `flush` for batches stored behind one that never was.
   */
  constructor(
    private readonly writer: BatchWriter,
    private readonly build: (file: File) => ElementInput,
    private readonly record: (files: readonly File[], elements: readonly ElementInput[]) => void,
  ) {}

  add(files: File[]): void {
    if (files.length === 0) return;
    this.waiting.push(files);
    this.send();
  }

  /**
   * Resolves once every file added has been handed to the writer (its `during` then waits for them to be stored);
   * rejects when `signal` fires first: a batch failed or the refresh was stopped, and what waits is not sent.
   */
  allHandedOver(signal: AbortSignal): Promise<void> {
    if (this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.whenEmpty = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
    });
  }

  /** Records the batches stored behind one that never was (a failed or stopped write). */
  flush(): void {
    this.stores.flush();
  }

  private send(): void {
    while (this.handedOver < HANDED_OVER && this.waiting.length > 0) {
      const files = this.waiting.shift() as File[];
      const elements = files.map(this.build);
      const place = this.stores.next();
      this.handedOver++;
      this.writer.upsert(elements, () => {
        this.handedOver--;
        this.stores.record(place, () => this.record(files, elements));
        this.send();
      });
    }
    if (this.waiting.length === 0 && this.whenEmpty !== undefined) {
      const whenEmpty = this.whenEmpty;
      this.whenEmpty = undefined;
      whenEmpty();
    }
  }
}

/**
 * Runs each batch's record step in the order the batches were sent, whatever order the metadata server answers them
 * in. With two batches in flight a later batch is often answered first; recorded then, its names came before an
 * earlier batch's and turned CataloguedFiles' sorted list into a Map at the first refresh: at 100,000 files about
 * 60 ms of the event loop's time and a Map of every name for the garbage collector to trace.
 */
export class InSendingOrder {
  private sent = 0;
  private recorded = 0;
  private readonly held = new Map<number, () => void>();

  /** A place in the order for the next batch sent; `record` at that place runs the batch's step in turn. */
  next(): number {
    return this.sent++;
  }

  record(place: number, step: () => void): void {
    this.held.set(place, step);
    for (let ready = this.held.get(this.recorded); ready !== undefined; ready = this.held.get(this.recorded)) {
      this.held.delete(this.recorded++);
      ready();
    }
  }

  /** Runs the steps still held behind a batch that was never stored (a failed or aborted write), in order. */
  flush(): void {
    for (const place of [...this.held.keys()].sort((a, b) => a - b)) {
      const step = this.held.get(place) as () => void;
      this.held.delete(place);
      step();
    }
  }
}
