import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from '../../../electron/engine/metadata-server/concurrency-limit.js';
import { ManualClock, settle } from '../../support/manual-clock.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ConcurrencyLimit', () => {
  it('never runs more than max calls at once and runs the waiting ones in order', async () => {
    const limit = new ConcurrencyLimit(2, { holdLimit: { clock: new ManualClock(), ms: 30_000 } });
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const done = gates.map((gate, i) =>
      limit.run(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await gate.promise;
        running--;
        return i;
      }),
    );
    await settle();
    expect(started).toEqual([0, 1]);
    expect(limit.queued).toBe(3);
    gates[1]!.resolve();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(limit.inFlight).toBe(0);
  });

  it('frees the slot of a failing call and of a call that holds it past the hold limit', async () => {
    const clock = new ManualClock();
    const limit = new ConcurrencyLimit(1, { holdLimit: { clock, ms: 1_000 } });
    await expect(
      limit.run(async () => {
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(limit.inFlight).toBe(0);
    const hung = limit.run(() => new Promise<never>(() => undefined));
    const next = limit.run(async () => 'ran');
    await settle();
    expect(limit.queued).toBe(1);
    await clock.advance(1_000);
    expect(await next).toBe('ran');
    expect(limit.inFlight).toBe(0);
    void hung;
  });

  it('without a hold limit keeps a slot until the call settles, however long (a busy pool is not an outage)', async () => {
    const limit = new ConcurrencyLimit(1);
    const gate = deferred();
    const slow = limit.run(() => gate.promise);
    const next = limit.run(async () => 'ran');
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(limit.queued).toBe(1);
    gate.resolve();
    await slow;
    expect(await next).toBe('ran');
    expect(limit.inFlight).toBe(0);
  });
});
