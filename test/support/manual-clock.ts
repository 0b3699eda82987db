// The one clock tests move by hand, so retry, refresh, backoff and countdown times can be asserted to the
// millisecond. Between timers it lets pending promise chains and I/O callbacks run, the way real time would.
import type { Clock } from '../../shared/logic/clock.js';
import type { Disposable } from '../../shared/logic/disposable.js';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Lets queued promise callbacks and I/O run: `rounds` turns of the event loop. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = Date.parse('2026-01-05T09:00:00.000Z')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): Disposable {
    const timer: Timer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { dispose: () => void (timer.cancelled = true) };
  }

  /** Due times of the timers still armed, earliest first. */
  pending(): number[] {
    return this.armed().map((t) => t.at);
  }

  /** Moves time forward, firing every timer that falls due, in order, letting async work run after each. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.current + ms);
  }

  async advanceTo(target: number): Promise<void> {
    await settle();
    for (;;) {
      const due = this.armed()[0];
      if (!due || due.at > target) break;
      this.fire(due);
      await settle();
    }
    this.current = Math.max(this.current, target);
    await settle();
  }

  /**
   * Jumps to the earliest armed timer and fires it; throws when none is armed. Waits `realMs` of real time before
   * and after, for code whose next step depends on real sockets (a fetch to a test server).
   */
  async fireNext(realMs = 5): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, realMs));
    const next = this.armed()[0];
    if (!next) throw new Error('no timer pending');
    this.fire(next);
    await new Promise((resolve) => setTimeout(resolve, realMs));
  }

  private armed(): Timer[] {
    this.timers = this.timers.filter((t) => !t.cancelled);
    return [...this.timers].sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  private fire(timer: Timer): void {
    timer.cancelled = true;
    this.current = Math.max(this.current, timer.at);
    timer.fn();
  }
}
