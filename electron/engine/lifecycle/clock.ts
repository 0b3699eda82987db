// Real time for the daemon; tests inject a manual clock through the same `Clock` contract so retry and refresh
// times can be checked exactly.
import type { Clock } from '../recovery/types.js';

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    // Node caps timers at 2^31-1 ms (about 24.8 days); longer waits are chained so a far retry still fires.
    const MAX = 2_147_483_647;
    let handle: NodeJS.Timeout;
    const due = Date.now() + Math.max(0, ms);
    const arm = () => {
      const left = due - Date.now();
      handle = setTimeout(left > MAX ? arm : fn, Math.min(Math.max(0, left), MAX));
      handle.unref?.();
    };
    arm();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** Egeria writes times as `2021-02-02T20:57:50.647+00:00`; the status report keeps that form. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}
