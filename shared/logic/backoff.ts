// The one delay formula behind every automatic retry (connector restarts, object retries, breaker probes), so the
// countdown the console shows is the time that is actually used.

export interface BackoffPolicy {
  initialMs: number;
  /** midPoint's fixed mode: every retry after the first waits this long. */
  nextMs?: number;
  multiplier: number;
  maxMs?: number;
  /** Proportional jitter 0..1: the delay is multiplied by U(1 − jitter, 1 + jitter). */
  jitter: number;
}

/** Shortest delay ever scheduled: a retry storm against a broken endpoint helps nobody. */
export const MIN_RETRY_DELAY_MS = 1_000;
/**
 * Longest delay when no maxMs is given: the largest a Node.js timer accepts (about 24.8 days). Without it an
 * unbounded exponent would reach Infinity and no timestamp could be shown for it.
 */
export const MAX_RETRY_DELAY_MS = 2_147_483_647;

/** Delay before retry number `attempt` (1 = the first retry). `random` returns values in [0, 1). */
export function retryDelayMs(policy: BackoffPolicy, attempt: number, random: () => number): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`Retry attempt numbers start at 1; got ${attempt}.`);
  }
  const { initialMs, nextMs, multiplier, jitter } = policy;
  if (!(initialMs >= 0) || !(multiplier >= 1) || !(jitter >= 0 && jitter <= 1)) {
    throw new RangeError(
      `Invalid backoff policy (initialMs ${initialMs}, multiplier ${multiplier}, jitter ${jitter}): initialMs must be ≥ 0, multiplier ≥ 1 and jitter between 0 and 1.`,
    );
  }
  const maxMs = Math.min(policy.maxMs ?? MAX_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS);
  const base = nextMs !== undefined && attempt > 1 ? nextMs : Math.min(maxMs, initialMs * multiplier ** (attempt - 1));
  const jittered = jitter > 0 ? base * (1 - jitter + 2 * jitter * random()) : base;
  return Math.round(Math.min(maxMs, Math.max(MIN_RETRY_DELAY_MS, jittered)));
}
