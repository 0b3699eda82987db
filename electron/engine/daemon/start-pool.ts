// At most a few connectors beginning at once. Ten thousand first refreshes (or initializations, once start-up's
// wait is over) begun together each hold a file handle, a metadata server call and memory, and their callbacks crowd
// the event loop so /health and the event stream wait behind them; through this pool they begin in configuration
// order as places free. A connector holds its place until its work settles or `holdMs` passes, so a slow one (a
// large folder, an unreachable server) delays the others by at most that. Given a busy share, waiting connectors also
// wait while the loop has been busier than that, so requests arriving meanwhile find it with time to spare.

import { performance } from 'node:perf_hooks';

/** Waiting connectors begun in one turn of the loop, at most this long: the rest begin on the next turns. */
const TURN_BUDGET_MS = 5;
/** How long a stretch of the loop's time the pool looks back on to judge how busy the loop is. */
const BUSY_WINDOW_MS = 20;
/** How long waiting connectors wait, while the loop is busy, before the pool looks again. */
const BUSY_PAUSE_MS = 10;

export class StartPool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Places freed but not yet handed to a waiting connector: they are handed on in the next turn's dispatch. */
  private freed = 0;
  private dispatching: NodeJS.Immediate | NodeJS.Timeout | undefined;
  /** The loop's utilization counters when the current stretch began; see loopBusy. */
  private stretchBegan = performance.eventLoopUtilization();
  private stretchWasBusy = false;

  /**
   * `busyShare`: while the event loop has been busy (running callbacks, or ready to and waiting for a core) more
   * than this share of the last BUSY_WINDOW_MS, waiting connectors wait (one is always running). Absent, they begin
   * as places free.
   */
  constructor(
    private readonly limit: number,
    private readonly holdMs: number,
    private readonly busyShare?: number,
  ) {}

  /** Begins `work` once a place is free (at once, synchronously, when one is and nobody waits); resolves then. */
  begin(work: () => Promise<unknown>): Promise<void> {
    // A place freed is handed to the first waiting connector, so none is taken past the limit meanwhile.
    if (this.running < this.limit && this.waiting.length === 0) {
      this.running++;
      this.run(work);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) =>
      this.waiting.push(() => {
        this.run(work);
        resolve();
      }),
    );
  }

  /** Runs `work` in a place taken for it, handing the place on when it settles or after holdMs. */
  private run(work: () => Promise<unknown>): void {
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      // On a later turn of the loop, not in this microtask: work that settles at once must not chain ten thousand
      // starts into one long task.
      if (this.waiting.length === 0) this.running--;
      else {
        this.freed++;
        this.dispatching ??= setImmediate(() => this.dispatch());
      }
    };
    const timer = setTimeout(release, this.holdMs);
    work().then(release, release);
  }

  /**
   * Hands freed places to waiting connectors for at most TURN_BUDGET_MS, then leaves the rest to the next turn:
   * sixty places freed in one turn (their work settled together) would otherwise begin sixty connectors in one task.
   */
  private dispatch(): void {
    this.dispatching = undefined;
    if (this.running - this.freed > 0 && this.loopBusy()) {
      this.dispatching = setTimeout(() => this.dispatch(), BUSY_PAUSE_MS);
      return;
    }
    const began = performance.now();
    while (this.freed > 0) {
      const next = this.waiting.shift();
      if (next === undefined) {
        this.running -= this.freed;
        this.freed = 0;
        return;
      }
      this.freed--;
      next();
      if (performance.now() - began >= TURN_BUDGET_MS) break;
    }
    if (this.freed > 0) this.dispatching = setImmediate(() => this.dispatch());
  }

  /** Whether the loop was busier than busyShare over the last stretch of at least BUSY_WINDOW_MS. */
  private loopBusy(): boolean {
    if (this.busyShare === undefined) return false;
    const now = performance.eventLoopUtilization();
    const stretch = performance.eventLoopUtilization(now, this.stretchBegan);
    if (stretch.idle + stretch.active < BUSY_WINDOW_MS) return this.stretchWasBusy;
    this.stretchBegan = now;
    this.stretchWasBusy = stretch.utilization > this.busyShare;
    return this.stretchWasBusy;
  }
}
