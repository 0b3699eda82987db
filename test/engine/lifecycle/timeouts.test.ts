import { describe, expect, it } from 'vitest';
import { callWithTimeout } from '../../../electron/engine/lifecycle/timeouts.js';
import { ManualClock, settle } from '../../support/manual-clock.js';

const timeoutError = () => Object.assign(new Error('too slow'), { name: 'TimeoutError' });

describe('callWithTimeout', () => {
  it("returns the call's result and cancels its timer", async () => {
    const clock = new ManualClock();
    await expect(callWithTimeout(clock, 1_000, new AbortController().signal, async () => 42, timeoutError)).resolves.toBe(42);
    expect(clock.pending()).toEqual([]);
  });

  it('abandons a call that does not return in time: the signal fires and the caller gets the timeout error', async () => {
    const clock = new ManualClock();
    let seen: AbortSignal | undefined;
    const pending = callWithTimeout(
      clock,
      1_000,
      new AbortController().signal,
      (signal) => {
        seen = signal;
        return new Promise<never>(() => undefined);
      },
      timeoutError,
    );
    const outcome = pending.then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    await clock.advance(999);
    expect(seen?.aborted).toBe(false);
    await clock.advance(1);
    expect(await outcome).toBe('too slow');
    expect(seen?.aborted).toBe(true);
  });

  it('gives up at once when the parent signal fires (restart, shutdown)', async () => {
    const clock = new ManualClock();
    const parent = new AbortController();
    const pending = callWithTimeout(clock, 60_000, parent.signal, () => new Promise<never>(() => undefined), timeoutError);
    parent.abort(new Error('restarted'));
    await expect(pending).rejects.toThrow('restarted');
    await settle();
    expect(clock.pending()).toEqual([]);
  });

  it('passes on what the call throws, including a synchronous throw', async () => {
    const clock = new ManualClock();
    await expect(
      callWithTimeout(
        clock,
        1_000,
        new AbortController().signal,
        async () => {
          throw new RangeError('bad');
        },
        timeoutError,
      ),
    ).rejects.toThrow(RangeError);
    await expect(
      callWithTimeout(
        clock,
        1_000,
        new AbortController().signal,
        () => {
          throw new TypeError('sync');
        },
        timeoutError,
      ),
    ).rejects.toThrow('sync');
  });
});
