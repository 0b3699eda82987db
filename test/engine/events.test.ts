import { describe, expect, it } from 'vitest';
import type { AuditRecord, DaemonEvent } from '../../shared/api/types.js';
import { EventBus, type DaemonEventInput } from '../../electron/engine/events.js';

function audit(n: number): DaemonEventInput {
  const record: AuditRecord = {
    sequence: n,
    timeStamp: '2021-02-02T20:57:50.000Z',
    serverName: 's',
    severity: 'Information',
    messageId: 'X-0001',
    messageText: `record ${n}`,
    messageParameters: [],
  };
  return { type: 'audit', serverTime: record.timeStamp, record };
}

describe('EventBus', () => {
  it('assigns increasing sequence numbers and delivers in order to every listener', async () => {
    const bus = new EventBus();
    const a: number[] = [];
    const b: string[] = [];
    bus.subscribe((e) => void a.push(e.sequence));
    bus.subscribe((e) => void b.push(e.type));
    const first = bus.publish(audit(1));
    bus.publish({ type: 'object-retry', serverTime: 't', removed: true, objectRetry: {} as never });
    expect(first.sequence).toBe(1);
    expect(bus.lastSequence).toBe(2);
    await bus.idle();
    expect(a).toEqual([1, 2]);
    expect(b).toEqual(['audit', 'object-retry']);
  });

  it('returns from publish before any listener runs', () => {
    const bus = new EventBus();
    let called = false;
    bus.subscribe(() => {
      called = true;
    });
    bus.publish(audit(1));
    expect(called).toBe(false);
  });

  it('keeps delivering to others when a listener throws, and reports the error', async () => {
    const errors: unknown[] = [];
    const bus = new EventBus({ onListenerError: (error) => errors.push(error) });
    const seen: number[] = [];
    bus.subscribe(() => {
      throw new Error('listener bug');
    });
    bus.subscribe((e) => void seen.push(e.sequence));
    bus.publish(audit(1));
    bus.publish(audit(2));
    await bus.idle();
    expect(seen).toEqual([1, 2]);
    expect(errors).toHaveLength(2);
    expect((errors[0] as Error).message).toBe('listener bug');
  });

  it('does not let a slow async listener hold up publishing or other listeners', async () => {
    const bus = new EventBus();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: number[] = [];
    const fast: number[] = [];
    bus.subscribe(async (e) => {
      await gate;
      slow.push(e.sequence);
    });
    bus.subscribe((e) => void fast.push(e.sequence));
    for (let i = 1; i <= 100; i++) bus.publish(audit(i));
    await new Promise((r) => setTimeout(r, 20));
    expect(fast).toHaveLength(100);
    expect(slow).toEqual([]);
    release();
    await bus.idle();
    expect(slow).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('cuts off a listener that falls too far behind and tells it, so it can resynchronise', async () => {
    const bus = new EventBus();
    const overflowAt: number[] = [];
    const got: number[] = [];
    bus.subscribe(
      async (e) => {
        got.push(e.sequence);
        await new Promise(() => {});
      },
      { maxQueued: 3, onOverflow: (seq) => overflowAt.push(seq) },
    );
    for (let i = 1; i <= 6; i++) bus.publish(audit(i));
    expect(overflowAt).toEqual([4]);
    expect(bus.listenerCount).toBe(0);
    await new Promise((r) => setTimeout(r, 5));
    expect(got).toEqual([]);
  });

  it('delivers a burst of any size to a listener without a limit, yielding to timers while it drains', async () => {
    const bus = new EventBus();
    let got = 0;
    let deliveredWhenTimerFired: number | undefined;
    bus.subscribe(() => {
      got++;
      // Set while the drain is under way, so the timer cannot fire before it begins, however loaded the machine.
      if (got === 1) setTimeout(() => (deliveredWhenTimerFired = got), 0);
      // Every thousand events take a few milliseconds, so the drain yields and the timer is due by then (on a fast
      // machine a drain of trivial listeners could otherwise end before a 1 ms timer is due).
      if (got % 1000 === 0) {
        const until = performance.now() + 2;
        while (performance.now() < until);
      }
    });
    for (let i = 1; i <= 20_000; i++) bus.publish(audit(i));
    await bus.idle();
    expect(got).toBe(20_000);
    expect(deliveredWhenTimerFired).toBeGreaterThan(0);
    expect(deliveredWhenTimerFired).toBeLessThan(20_000);
  });

  it('reports a listener dropped for falling behind when it gave no onOverflow', () => {
    const errors: string[] = [];
    const bus = new EventBus({ onListenerError: (e) => errors.push((e as Error).message) });
    bus.subscribe(() => {}, { maxQueued: 2 });
    for (let i = 1; i <= 3; i++) bus.publish(audit(i));
    expect(errors).toEqual(['INTEGRATION-DAEMON-EVENTS-0002 A listener fell more than 2 events behind and was unsubscribed']);
  });

  it('stops delivering after unsubscribe, including events already queued', async () => {
    const bus = new EventBus();
    const got: DaemonEvent[] = [];
    const subscription = bus.subscribe((e) => void got.push(e));
    bus.publish(audit(1));
    subscription.dispose();
    bus.publish(audit(2));
    await bus.idle();
    await new Promise((r) => setTimeout(r, 5));
    expect(got).toEqual([]);
    expect(bus.listenerCount).toBe(0);
  });

  it('can start its sequence past an earlier range', () => {
    const bus = new EventBus({ firstSequence: 500 });
    expect(bus.publish(audit(1)).sequence).toBe(500);
  });
});
