// The one limit on how many calls to the metadata server are in flight together; callers beyond it wait their
// turn in order. It is used twice, on purpose, with the metadata server's own number of connections (SQLite one writer,
// PostgreSQL its pool size):
// - inside the PostgreSQL metadata server, around every caller (connectors, REST queries, the breaker's probe): pg-pool
//   says "timeout exceeded when trying to connect" alike when it is merely full and when the server does not
//   answer, so a caller only reaches the pool once a connection is free, and a full pool is never taken for an
//   outage;
// - around the connectors' calls, with a hold limit: a thousand connectors resuming after an outage then queue here
//   rather than all at the pool, and one hung call gives up its slot instead of blocking every other connector.
import type { Clock } from '../../../shared/logic/clock.js';
import type { Disposable } from '../../../shared/logic/disposable.js';

export interface ConcurrencyLimitOptions {
  /**
   * A call that holds its slot longer than `ms` gives it up (and carries on unlimited), so a hung call can never
   * block every other caller. Without it a slot is held until the call settles.
   */
  holdLimit?: { clock: Clock; ms: number };
}

export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly max: number,
    private readonly options: ConcurrencyLimitOptions = {},
  ) {}

  /** Runs `call` once a slot is free (at once when one is); the slot is freed when it settles. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.active < this.max) this.active++;
    // A released slot is handed straight to the next waiter, so `active` does not change then.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    let timer: Disposable | undefined;
    const release = () => {
      if (released) return;
      released = true;
      timer?.dispose();
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
    const { holdLimit } = this.options;
    if (holdLimit) timer = holdLimit.clock.setTimeout(release, holdLimit.ms);
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
