// Time as every part sees it (engine, desktop, client, console), injectable so retries, refreshes, backoff and
// countdowns are tested exactly with the manual clock in test/support.
import { type Disposable, toDisposable } from './disposable.js';

export interface Clock {
  now(): number;
  /** Calls `callback` once after `ms`; disposing the result cancels it. */
  setTimeout(callback: () => void, ms: number): Disposable;
}

/** The longest delay a platform timer takes (about 24.8 days); longer waits are chained. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Real time. A timer never keeps a Node process alive by itself (servers, sockets and child processes do), so a
 * far-off retry cannot hold a finished command open.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const due = Date.now() + Math.max(0, ms);
    let handle: ReturnType<typeof globalThis.setTimeout> | undefined;
    const arm = (): void => {
      const left = due - Date.now();
      handle = globalThis.setTimeout(left > MAX_TIMER_MS ? arm : callback, Math.min(Math.max(0, left), MAX_TIMER_MS));
      (handle as { unref?: () => void }).unref?.();
    };
    arm();
    return toDisposable(() => globalThis.clearTimeout(handle));
  },
};
