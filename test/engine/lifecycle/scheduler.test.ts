import { describe, expect, it } from 'vitest';
import { RefreshScheduler } from '../../../electron/engine/lifecycle/scheduler.js';
import { ManualClock } from '../../support/manual-clock.js';

describe('RefreshScheduler', () => {
  it('fires refreshTimeInterval minutes after the last refresh, one timer per connector', async () => {
    const clock = new ManualClock();
    const scheduler = new RefreshScheduler(clock);
    const fired: string[] = [];
    const t0 = clock.now();
    expect(scheduler.scheduleAfter('a', t0, 10, () => fired.push('a'))).toBe(t0 + 600_000);
    scheduler.scheduleAfter('b', t0, 0.5, () => fired.push('b'));
    expect(scheduler.nextAt('b')).toBe(t0 + 30_000);
    // Re-scheduling replaces the earlier timer.
    scheduler.scheduleAfter('b', t0 + 10_000, 0.5, () => fired.push('b2'));
    await clock.advance(40_000 - 1);
    expect(fired).toEqual([]);
    await clock.advance(1);
    expect(fired).toEqual(['b2']);
    expect(scheduler.nextAt('b')).toBeUndefined();
    await clock.advance(600_000);
    expect(fired).toEqual(['b2', 'a']);
  });

  it('schedules nothing for 0 minutes and forgets cancelled timers', async () => {
    const clock = new ManualClock();
    const scheduler = new RefreshScheduler(clock);
    const fired: string[] = [];
    expect(scheduler.scheduleAfter('zero', clock.now(), 0, () => fired.push('zero'))).toBeUndefined();
    scheduler.scheduleAfter('x', clock.now(), 1, () => fired.push('x'));
    scheduler.scheduleAfter('y', clock.now(), 1, () => fired.push('y'));
    scheduler.cancel('x');
    expect(scheduler.nextAt('x')).toBeUndefined();
    scheduler.cancelAll();
    await clock.advance(3_600_000);
    expect(fired).toEqual([]);
    expect(clock.pending()).toEqual([]);
  });
});
