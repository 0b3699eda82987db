// The system clock: timers as Disposables, and waits longer than a platform timer takes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../shared/logic/clock.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('systemClock', () => {
  it("fires a timer further away than Node's 24.8-day limit at its time, not at once", () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z') });
    const fired: number[] = [];
    systemClock.setTimeout(() => fired.push(Date.now()), 40 * 86_400_000);
    vi.advanceTimersByTime(25 * 86_400_000);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(15 * 86_400_000);
    expect(fired).toEqual([Date.parse('2026-02-10T00:00:00Z')]);
  });

  it('cancels, also after a long timer was re-armed', () => {
    vi.useFakeTimers();
    const fired: string[] = [];
    const long = systemClock.setTimeout(() => fired.push('long'), 30 * 86_400_000);
    const short = systemClock.setTimeout(() => fired.push('short'), 1_000);
    short.dispose();
    vi.advanceTimersByTime(26 * 86_400_000);
    long.dispose();
    vi.advanceTimersByTime(10 * 86_400_000);
    expect(fired).toEqual([]);
  });
});
