// The monitored directories' own checks (is the directory still there, still the same mount?), shared by every
// files connector of the process so that thousands of them cost one timer.

/** How often the monitored directory itself is checked: its loss is reported within about a second. */
const ROOT_CHECK_MS = 500;
/** The shared root check's turn: it checks a share of the monitored directories at each. */
const ROOT_CHECK_TICK_MS = 100;
/** At most this many directories are checked per turn: up to 500 connectors each is checked every ROOT_CHECK_MS. */
const ROOT_CHECKS_PER_TICK = 100;
/** Root checks running at once (Node's thread pool has four threads for their stat calls). */
const ROOT_CHECKS_AT_ONCE = 4;

/**
 * One timer for every connector's root check, not one each: ten thousand intervals of two stat calls every half
 * second were a quarter of a core at start-up. The directories are checked in rounds, a share at each turn, with at
 * most ROOT_CHECKS_PER_TICK calls per turn; beyond 500 connectors a round takes longer (10,000: about 10 s), which
 * bounds what the checks cost while a directory's watch still reports most losses at once.
 */
class RootChecks {
  private readonly checks = new Set<() => Promise<unknown>>();
  private round: (() => Promise<unknown>)[] = [];
  private perTick = 0;
  /** Checks this turn may still begin. */
  private allowance = 0;
  private running = 0;
  private roundBegan = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;

  add(check: () => Promise<unknown>): void {
    this.checks.add(check);
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.tick(), ROOT_CHECK_TICK_MS);
    this.timer.unref();
  }

  delete(check: () => Promise<unknown>): void {
    this.checks.delete(check);
    if (this.checks.size > 0 || this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.round = [];
  }

  private tick(): void {
    if (this.round.length === 0) {
      if (performance.now() - this.roundBegan < ROOT_CHECK_MS) return;
      this.roundBegan = performance.now();
      this.round = [...this.checks].reverse();
      this.perTick = Math.min(ROOT_CHECKS_PER_TICK, Math.ceil((this.round.length * ROOT_CHECK_TICK_MS) / ROOT_CHECK_MS));
    }
    this.allowance = this.perTick;
    this.beginChecks();
  }

  /**
   * Begins the turn's checks a few at a time, the next as one ends: begun together, their hundred stat calls ended
   * together and their callbacks ran in one turn of the loop, which /health and the event stream then waited for.
   * A check the turn had no time for stays in the round for the next turn.
   */
  private beginChecks(): void {
    while (this.running < ROOT_CHECKS_AT_ONCE && this.allowance > 0) {
      const check = this.round.pop();
      if (check === undefined) {
        this.allowance = 0;
        return;
      }
      this.allowance--;
      if (!this.checks.has(check)) continue;
      this.running++;
      void check().finally(() => {
        this.running--;
        this.beginChecks();
      });
    }
  }
}

export const ROOT_CHECKS = new RootChecks();
