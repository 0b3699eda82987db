// The one backoff formula behind every automatic retry: growth, cap, fixed mode, jitter and clamping.
import { describe, expect, it } from 'vitest';
import { MAX_RETRY_DELAY_MS, retryDelayMs } from '../../../shared/logic/backoff.js';

const mid = () => 0.5;

describe('retryDelayMs', () => {
  it('grows exponentially from initialMs and stops at maxMs', () => {
    const policy = { initialMs: 10_000, multiplier: 2, maxMs: 300_000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => retryDelayMs(policy, n, mid))).toEqual([
      10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000,
    ]);
  });

  it('uses nextMs for every retry after the first (midPoint fixed mode)', () => {
    const policy = { initialMs: 1_800_000, nextMs: 3_600_000, multiplier: 2, jitter: 0 };
    expect([1, 2, 3, 4].map((n) => retryDelayMs(policy, n, mid))).toEqual([1_800_000, 3_600_000, 3_600_000, 3_600_000]);
  });

  it('applies proportional jitter once: U(1 − j, 1 + j) around the base', () => {
    const policy = { initialMs: 10_000, multiplier: 2, maxMs: 300_000, jitter: 0.2 };
    expect(retryDelayMs(policy, 1, () => 0)).toBe(8_000);
    expect(retryDelayMs(policy, 1, mid)).toBe(10_000);
    expect(retryDelayMs(policy, 1, () => 0.75)).toBe(11_000);
    expect(retryDelayMs(policy, 2, () => 0.999_999)).toBe(24_000);
  });

  it('clamps the jittered delay to at least 1 s and at most maxMs', () => {
    expect(retryDelayMs({ initialMs: 100, multiplier: 2, jitter: 0 }, 1, mid)).toBe(1_000);
    expect(retryDelayMs({ initialMs: 10_000, multiplier: 2, maxMs: 300_000, jitter: 0.2 }, 10, () => 0.999)).toBe(300_000);
    expect(retryDelayMs({ initialMs: 10_000, multiplier: 2, maxMs: 300_000, jitter: 0.2 }, 10, () => 0)).toBe(240_000);
  });

  it('stays finite without maxMs however many attempts', () => {
    expect(retryDelayMs({ initialMs: 10_000, multiplier: 2, jitter: 0 }, 5_000, mid)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('refuses attempt numbers below 1 and impossible policies', () => {
    expect(() => retryDelayMs({ initialMs: 1_000, multiplier: 2, jitter: 0 }, 0, mid)).toThrow(/start at 1/);
    expect(() => retryDelayMs({ initialMs: 1_000, multiplier: 0.5, jitter: 0 }, 1, mid)).toThrow(/multiplier ≥ 1/);
    expect(() => retryDelayMs({ initialMs: 1_000, multiplier: 2, jitter: 2 }, 1, mid)).toThrow(/jitter between 0 and 1/);
  });
});
