// Per-connector refresh timers. Egeria runs one daemon thread that refreshes connectors one after another, so one
// slow connector delays all the others; here every connector has its own timer and its refresh runs on its own.
import type { Clock } from '../../../shared/logic/clock.js';
import type { Disposable } from '../../../shared/logic/disposable.js';

export class RefreshScheduler {
  private readonly timers = new Map<string, { at: number; timer: Disposable }>();

  constructor(private readonly clock: Clock) {}

  /**
   * Next refresh `intervalMinutes` after `lastRefreshAt`; 0 minutes = only at start and on request (nothing is
   * scheduled). Replaces any earlier timer of the same connector. Returns the due time, if any.
   */
  scheduleAfter(key: string, lastRefreshAt: number, intervalMinutes: number, fire: () => void): number | undefined {
    this.cancel(key);
    if (!(intervalMinutes > 0)) return undefined;
    const at = lastRefreshAt + Math.round(intervalMinutes * 60_000);
    const timer = this.clock.setTimeout(
      () => {
        if (this.timers.get(key) === entry) this.timers.delete(key);
        fire();
      },
      Math.max(0, at - this.clock.now()),
    );
    const entry = { at, timer };
    this.timers.set(key, entry);
    return at;
  }

  cancel(key: string): void {
    const entry = this.timers.get(key);
    if (entry) {
      entry.timer.dispose();
      this.timers.delete(key);
    }
  }

  nextAt(key: string): number | undefined {
    return this.timers.get(key)?.at;
  }

  cancelAll(): void {
    for (const entry of this.timers.values()) entry.timer.dispose();
    this.timers.clear();
  }
}
