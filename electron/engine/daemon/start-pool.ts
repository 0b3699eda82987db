// At most a few connectors beginning at once. Ten thousand first refreshes (or initializations, once start-up's
// wait is over) begun together each hold a file handle, a metadata server call and memory, and their callbacks crowd
// the event loop so /health and the event stream wait behind them; through this pool they begin in configuration
// order as places free. A connector holds its place until its work settles or `holdMs` passes, so a slow one (a
// large folder, an unreachable server) delays the others by at most that.

/** Waiting connectors begun in one turn of the loop, at most this long: the rest begin on the next turns. */
const TURN_BUDGET_MS = 5;

export class StartPool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Places freed but not yet handed to a waiting connector: they are handed on in the next turn's dispatch. */
  private freed = 0;
  private dispatching: NodeJS.Immediate | undefined;

  constructor(
    private readonly limit: number,
    private readonly holdMs: number,
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
}
