// At most a few connectors beginning at once. Ten thousand first refreshes (or initializations, once start-up's
// wait is over) begun together each hold a file handle, a metadata server call and memory, and their callbacks crowd
// the event loop so /health and the event stream wait behind them; through this pool they begin in configuration
// order as places free. A connector holds its place until its work settles or `holdMs` passes, so a slow one (a
// large folder, an unreachable server) delays the others by at most that.

export class StartPool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly holdMs: number,
  ) {}

  /** Begins `work` once a place is free (at once, synchronously, when one is and nobody waits); resolves then. */
  async begin(work: () => Promise<unknown>): Promise<void> {
    // A place freed is handed to the first waiting connector, so none is taken past the limit meanwhile.
    if (this.running < this.limit && this.waiting.length === 0) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      // On the loop's next turn, not in this microtask: work that settles at once must not chain ten thousand
      // starts into one long task.
      const next = this.waiting.shift();
      if (next === undefined) this.running--;
      else setImmediate(next);
    };
    const timer = setTimeout(release, this.holdMs);
    work().then(release, release);
  }
}
