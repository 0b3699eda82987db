// A connector that floods the audit log (thousands of messages or object failures a second) must not drown the
// records of every other connector. Each connector gets a token bucket; what it cannot spend is counted and
// reported in one summary record once the flood is over.
import type { Clock } from '../../../shared/logic/clock.js';

const BURST = 200;
const PER_SECOND = 50;

export class AuditBudget {
  static describe(): string {
    return `${PER_SECOND} a second (bursts of ${BURST} allowed)`;
  }

  private tokens: number;
  private last: number;
  private suppressedCount = 0;

  constructor(
    private readonly clock: Clock,
    private readonly burst = BURST,
    private readonly perSecond = PER_SECOND,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  /** True when this record may be written; false counts it as suppressed. */
  take(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    this.suppressedCount++;
    return false;
  }

  /** Returns and resets how many records were suppressed since the last call. */
  drainSuppressed(): number {
    const n = this.suppressedCount;
    this.suppressedCount = 0;
    return n;
  }
}
