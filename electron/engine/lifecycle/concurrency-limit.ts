// Caps how many metadata server calls the daemon's connectors have in flight together. Without it, a thousand
// connectors resuming after an outage queue inside the repository's connection pool until its connect timeout
// fires, which looks exactly like the server being down and opens the breaker again.
import type { Clock } from '../../../shared/logic/clock.js';

export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  /**
   * @param holdLimitMs a call that holds its slot longer than this gives it up (and carries on unlimited), so a
   *   hung call can never block every other connector.
   */
  constructor(
    private readonly max: number,
    private readonly clock: Clock,
    private readonly holdLimitMs: number,
  ) {}

  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.active < this.max) this.active++;
    // A released slot is handed straight to the next waiter, so `active` does not change then.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      timer.dispose();
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
    const timer = this.clock.setTimeout(release, this.holdLimitMs);
    try {
      return await call();
    } finally {
      release();
    }
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }
}
