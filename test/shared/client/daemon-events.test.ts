// orderedEvents hands a stream's events on in the stream's order, a hello checked in slices included.
import { describe, expect, it } from 'vitest';
import type { DaemonEvent } from '../../../shared/api/types.js';
import { orderedEvents } from '../../../shared/client/daemon-events.js';

const serverTime = '2026-01-01T00:00:00.000Z';
const report = (i: number) => ({ connectorName: `C${i}`, connectorStatus: 'RUNNING', connectorId: `id-${i}` });
const hello = JSON.stringify({
  type: 'hello',
  sequence: 1,
  serverTime,
  status: {
    integrationServiceSummaries: [
      { integrationServiceURLMarker: 'files-integrator', integrationConnectorReports: Array.from({ length: 250 }, (_, i) => report(i)) },
    ],
  },
});
const status = (sequence: number) =>
  JSON.stringify({ type: 'connector-status', sequence, serverTime, urlMarker: 'files-integrator', report: report(sequence) });

describe('orderedEvents', () => {
  it('delivers events after a hello behind it, in order; before it, at once; a bad one as undefined', async () => {
    const delivered: (string | undefined)[] = [];
    const events = orderedEvents((name, event: DaemonEvent | undefined) => delivered.push(event ? `${name}:${event.sequence}` : undefined));
    events.read('connector-status', status(0));
    expect(delivered).toEqual(['connector-status:0']);
    events.read('hello', hello);
    events.read('connector-status', status(2));
    events.read('connector-status', 'not json');
    expect(delivered).toEqual(['connector-status:0']);
    await events.drained();
    expect(delivered).toEqual(['connector-status:0', 'hello:1', 'connector-status:2', undefined]);
    events.read('connector-status', status(3));
    expect(delivered.at(-1)).toBe('connector-status:3');
  });

  it('lets the thread go between the events queued behind a hello once a few milliseconds went on them', async () => {
    const order: string[] = [];
    const events = orderedEvents((name, event: DaemonEvent | undefined) => {
      // Another task asks for the thread as soon as the hello is in.
      if (name === 'hello') setTimeout(() => order.push('another task'), 0);
      const until = Date.now() + 3;
      while (Date.now() < until);
      order.push(`${name}:${event?.sequence}`);
    });
    events.read('hello', hello);
    for (let sequence = 2; sequence < 8; sequence++) events.read('connector-status', status(sequence));
    await events.drained();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order.filter((o) => o !== 'another task')).toEqual(['hello:1', ...[2, 3, 4, 5, 6, 7].map((n) => `connector-status:${n}`)]);
    // It ran before the last of them, not after all of them.
    expect(order.indexOf('another task')).toBeGreaterThan(0);
    expect(order.indexOf('another task')).toBeLessThan(order.length - 2);
  });
});
