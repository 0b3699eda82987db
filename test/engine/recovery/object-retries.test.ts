import { describe, expect, it } from 'vitest';
import { ManualClock, settle } from '../../support/manual-clock.js';
import {
  ObjectRetryQueue,
  toObjectRetry,
  type ObjectRetryOutcome,
  type ObjectRetryQueueOptions,
} from '../../../electron/engine/recovery/object-retries.js';
import { decideRecovery, errorHandlingSchema } from '../../../electron/engine/recovery/strategy.js';
import type { ClassifiedError, ErrorHandlingEntry } from '../../../electron/engine/recovery/types.js';
import type { StoredObjectRetry } from '../../../electron/engine/state/types.js';
import { MemoryStateStore, expectCatalogued } from './fakes.js';

const MIN = 60_000;

const failure = (over: Partial<ClassifiedError> = {}): ClassifiedError => ({
  source: 'thirdParty',
  category: 'network',
  scope: 'object',
  messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-500-001',
  message: 'BASIC-FILES-INTEGRATION-CONNECTORS-500-001 could not read file a.csv',
  userAction: 'check the file',
  retryable: true,
  exceptionClassName: 'ConnectorError',
  ...over,
});

function setup(over: Partial<ObjectRetryQueueOptions> & { entries?: ErrorHandlingEntry[] } = {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const store = new MemoryStateStore();
  const calls: { key: string; at: number; attempt: number }[] = [];
  const outcomes: ObjectRetryOutcome[] = [];
  const audits: [string, string[]][] = [];
  let ready = true;
  const options = (): ObjectRetryQueueOptions => ({
    store,
    clock,
    random: () => 0.5,
    onDue: async (retry: StoredObjectRetry) => {
      calls.push({ key: retry.objectKey, at: clock.now(), attempt: retry.attempt });
      return outcomes.shift() ?? 'failed';
    },
    isReady: () => ready,
    onAudit: (id, params) => audits.push([id, params]),
    ...(over.entries ? { entriesFor: () => over.entries } : {}),
    ...over,
  });
  const queue = new ObjectRetryQueue(options());
  const decideFirst = (error = failure()) => {
    const d = decideRecovery({
      entries: over.entries,
      error,
      status: 'PARTIAL_ERROR',
      attempt: 0,
      errorCount: 1,
      now: clock.now(),
      random: () => 0.5,
    });
    if (d.action !== 'retryObject') throw new Error(`expected retryObject, got ${d.action}`);
    return d;
  };
  return {
    clock,
    store,
    queue,
    calls,
    outcomes,
    audits,
    decideFirst,
    newQueue: () => new ObjectRetryQueue(options()),
    setReady: (value: boolean) => void (ready = value),
  };
}

describe('ObjectRetryQueue', () => {
  it('keeps a durable trigger and re-processes the object at its due time', async () => {
    const { clock, store, queue, calls, outcomes, decideFirst } = setup();
    queue.start();
    const t0 = clock.now();
    const row = queue.recordFailure('c1', 'a.csv', failure(), decideFirst());
    expect(row).toMatchObject({ state: 'PENDING', attempt: 1, retryLimit: 10, nextRetryAt: t0 + MIN, firstFailedAt: t0 });
    expect(store.getObjectRetry('c1', 'a.csv')).toEqual(row);
    await clock.advance(MIN - 1);
    expect(calls).toHaveLength(0);
    outcomes.push('succeeded');
    await clock.advance(1);
    expect(calls).toEqual([{ key: 'a.csv', at: t0 + MIN, attempt: 1 }]);
    expect(store.getObjectRetry('c1', 'a.csv')).toBeUndefined();
    expect(queue.list()).toEqual([]);
  });

  it('removes the trigger when a newer processing of the object succeeds', async () => {
    const { clock, store, queue, calls, decideFirst } = setup();
    const changes: [string, boolean][] = [];
    const q = new ObjectRetryQueue({
      store,
      clock,
      random: () => 0.5,
      onDue: async () => 'failed',
      isReady: () => true,
      onChange: (r, removed) => changes.push([r.objectKey, removed]),
    });
    q.start();
    q.recordFailure('c1', 'a.csv', failure(), decideFirst());
    expect(q.recordSuccess('c1', 'a.csv')).toBe(true);
    expect(q.recordSuccess('c1', 'a.csv')).toBe(false);
    expect(store.listObjectRetries()).toEqual([]);
    expect(changes).toEqual([
      ['a.csv', false],
      ['a.csv', true],
    ]);
    await clock.advance(10 * MIN);
    expect(calls).toHaveLength(0);
    expect(queue.list()).toEqual([]);
  });

  it('keeps the schedule when a refresh meets the same failing object again', async () => {
    const { clock, queue, decideFirst } = setup();
    queue.start();
    const first = queue.recordFailure('c1', 'a.csv', failure(), decideFirst());
    await clock.advance(30_000);
    const again = queue.recordFailure('c1', 'a.csv', failure({ message: 'newer error' }), decideFirst());
    expect(again).toMatchObject({
      attempt: 1,
      nextRetryAt: first.nextRetryAt,
      firstFailedAt: first.firstFailedAt,
      lastErrorMessage: 'newer error',
      lastFailedAt: clock.now(),
    });
  });

  it('gives up after the limit, keeps the trigger visible and retries it by hand', async () => {
    const entries = errorHandlingSchema.parse([{ reaction: { retryLater: { initialInterval: 'PT1M', multiplier: 2, retryLimit: 2 } } }]);
    const { clock, store, queue, calls, outcomes, audits, decideFirst } = setup({ entries });
    queue.start();
    const t0 = clock.now();
    queue.recordFailure('c1', 'a.csv', failure(), decideFirst());
    await clock.advance(60 * MIN);
    // retryLimit 2: two retries (at 1 min and 1 + 2 min), then it gives up.
    expect(calls.map((c) => [c.at - t0, c.attempt])).toEqual([
      [MIN, 1],
      [3 * MIN, 2],
    ]);
    const gaveUp = store.getObjectRetry('c1', 'a.csv');
    expect(gaveUp).toMatchObject({ state: 'GAVE_UP', attempt: 3, retryLimit: 2, nextRetryAt: null });
    // Three attempts: the first processing and two retries.
    expect(audits.at(-1)).toEqual(['INTEGRATION-DAEMON-RECOVERY-0008', ['c1', 'a.csv', '3', failure().message]]);
    expect(audits.filter(([id]) => id === 'INTEGRATION-DAEMON-RECOVERY-0007').map(([, p]) => [p[2], p[3], p[4]])).toEqual([
      [new Date(t0 + MIN).toISOString(), '1', '2'],
      [new Date(t0 + 3 * MIN).toISOString(), '2', '2'],
    ]);
    expectCatalogued(audits);
    expect(queue.count('c1')).toBe(1);
    expect(toObjectRetry(gaveUp!, 'FilesMonitor')).toMatchObject({ connectorName: 'FilesMonitor', state: 'GAVE_UP', attempt: 3 });
    expect(toObjectRetry(gaveUp!, 'FilesMonitor').nextRetryAt).toBeUndefined();

    expect(queue.retryObjectsNow('c1', 'a.csv')).toBe(1);
    outcomes.push('succeeded');
    await clock.advance(0);
    expect(calls).toHaveLength(3);
    expect(store.getObjectRetry('c1', 'a.csv')).toBeUndefined();
    expect(audits.at(-1)).toEqual(['INTEGRATION-DAEMON-RECOVERY-0009', ['c1', 'a.csv', '3']]);
  });

  it('limits object retry audit records per connector and sums up the rest', async () => {
    const { clock, queue, audits, decideFirst } = setup({ auditPerMinute: 20 });
    queue.start();
    for (let i = 0; i < 30; i++) queue.recordFailure('flood', `f${i}`, failure(), decideFirst());
    queue.recordFailure('quiet', 'q.csv', failure(), decideFirst());
    expect(audits.filter(([, p]) => p[0] === 'flood')).toHaveLength(20);
    expect(audits.filter(([, p]) => p[0] === 'quiet')).toHaveLength(1);
    await clock.advance(MIN);
    const summary = audits.find(([id]) => id === 'INTEGRATION-DAEMON-SERVICES-0106');
    expect(summary).toEqual(['INTEGRATION-DAEMON-SERVICES-0106', ['10', 'flood', '20 object retry records a minute']]);
    expectCatalogued(audits);
    await queue.stop();
  });

  it('gives up again at once when a hand retry of a given-up object fails', async () => {
    const entries = errorHandlingSchema.parse([{ reaction: { retryLater: { initialInterval: 'PT1M', retryLimit: 1 } } }]);
    const { clock, store, queue, calls, decideFirst } = setup({ entries });
    queue.start();
    queue.recordFailure('c1', 'a.csv', failure(), decideFirst());
    await clock.advance(10 * MIN);
    expect(store.getObjectRetry('c1', 'a.csv')).toMatchObject({ state: 'GAVE_UP', attempt: 2 });
    queue.retryObjectsNow('c1');
    await clock.advance(0);
    expect(calls).toHaveLength(2);
    expect(store.getObjectRetry('c1', 'a.csv')).toMatchObject({ state: 'GAVE_UP', attempt: 3 });
  });

  it('follows the seed’s strategy for objects: 0, 30 min, 90 min, 150 min, then gives up', async () => {
    const entries = errorHandlingSchema.parse([
      { reaction: { retryLater: { initialInterval: 'PT30M', nextInterval: 'PT1H' }, stopAfter: 4 } },
    ]);
    const { clock, store, queue, calls, decideFirst } = setup({ entries });
    queue.start();
    const t0 = clock.now();
    queue.recordFailure('c1', 'a.csv', failure(), decideFirst());
    await clock.advance(24 * 60 * MIN);
    expect(calls.map((c) => (c.at - t0) / MIN)).toEqual([30, 90, 150]);
    expect(store.getObjectRetry('c1', 'a.csv')?.state).toBe('GAVE_UP');
  });

  it('defers without consuming an attempt while the connector is not ready or the metadata server is down', async () => {
    const { clock, store, queue, calls, outcomes, decideFirst, setReady } = setup({ deferralMs: 30_000 });
    queue.start();
    const t0 = clock.now();
    queue.recordFailure('c1', 'a.csv', failure(), decideFirst());
    setReady(false);
    await clock.advance(5 * MIN);
    expect(calls).toHaveLength(0);
    expect(store.getObjectRetry('c1', 'a.csv')).toMatchObject({ attempt: 1, nextRetryAt: t0 + MIN });
    setReady(true);
    outcomes.push('deferred');
    await clock.advance(30_000);
    expect(calls).toHaveLength(1);
    expect(store.getObjectRetry('c1', 'a.csv')).toMatchObject({ attempt: 1, state: 'PENDING' });
    // `wake` skips the rest of the deferral.
    outcomes.push('succeeded');
    queue.wake('c1');
    await clock.advance(0);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.attempt).toBe(1);
    expect(store.listObjectRetries()).toEqual([]);
  });

  it('counts a failure reported while the retry runs, and defers metadata server outages', async () => {
    const { clock, store, decideFirst } = setup();
    let report: (() => void) | undefined;
    const queue = new ObjectRetryQueue({
      store,
      clock,
      random: () => 0.5,
      isReady: () => true,
      onDue: async (retry) => {
        report?.();
        return retry.attempt === 1 ? 'succeeded' : 'failed';
      },
    });
    queue.start();
    const t0 = clock.now();
    queue.recordFailure('c1', 'a.csv', failure(), decideFirst());
    report = () => queue.recordFailure('c1', 'a.csv', failure({ message: 'still broken' }), decideFirst());
    await clock.advance(MIN);
    expect(store.getObjectRetry('c1', 'a.csv')).toMatchObject({
      attempt: 2,
      nextRetryAt: t0 + MIN + 2 * MIN,
      lastErrorMessage: 'still broken',
    });
    report = () =>
      queue.recordFailure('c1', 'a.csv', failure({ source: 'metadataServer', messageId: 'OMAG-MULTI-TENANT-404-001' }), decideFirst());
    await clock.advance(2 * MIN);
    expect(store.getObjectRetry('c1', 'a.csv')).toMatchObject({
      attempt: 2,
      state: 'PENDING',
      lastErrorMessageId: 'OMAG-MULTI-TENANT-404-001',
    });
  });

  it('decides the next retry on the new failure when onDue hands it over', async () => {
    const { clock, store, queue, outcomes, decideFirst } = setup();
    queue.start();
    queue.recordFailure('c1', 'a.csv', failure(), decideFirst());
    expect(store.getObjectRetry('c1', 'a.csv')).toMatchObject({ retryLimit: 10 });
    outcomes.push({ failed: failure({ category: 'security', messageId: 'X-403-001', message: 'X-403-001 permission denied' }) });
    await clock.advance(MIN);
    // Object-scope security errors get 3 retries, not 10.
    expect(store.getObjectRetry('c1', 'a.csv')).toMatchObject({
      attempt: 2,
      retryLimit: 3,
      errorCategory: 'security',
      lastErrorMessageId: 'X-403-001',
      lastFailedAt: clock.now(),
    });
  });

  it('keeps due times across a restart on the same store and spreads overdue triggers', async () => {
    const { clock, store, queue, calls, decideFirst, newQueue } = setup();
    queue.start();
    const t0 = clock.now();
    queue.recordFailure('c1', 'a.csv', failure(), decideFirst());
    await queue.stop();
    await clock.advance(30_000);
    const restarted = newQueue();
    restarted.start();
    expect(restarted.list()).toEqual([expect.objectContaining({ objectKey: 'a.csv', nextRetryAt: t0 + MIN, attempt: 1 })]);
    await clock.advance(29_999);
    expect(calls).toHaveLength(0);
    await clock.advance(1);
    expect(calls).toEqual([{ key: 'a.csv', at: t0 + MIN, attempt: 1 }]);
    await restarted.stop();
    expect(restarted.discard('c1')).toBe(1);
    expect(store.listObjectRetries()).toEqual([]);

    for (const key of ['b', 'c', 'd', 'e', 'f']) restarted.recordFailure('c2', key, failure(), decideFirst());
    await clock.advance(60 * MIN);
    const beforeRestart = calls.length;
    const later = newQueue();
    const restartAt = clock.now();
    later.start();
    expect(later.list('c2').map((r) => (r.nextRetryAt ?? 0) - restartAt)).toEqual([0, 100, 200, 300, 400]);
    // The spread is not written back: no disk sync per overdue row at start-up.
    expect(store.listObjectRetries('c2').every((r) => (r.nextRetryAt ?? 0) < restartAt)).toBe(true);
    await clock.advance(500);
    expect(calls.slice(beforeRestart).map((c) => c.at - restartAt)).toEqual([0, 100, 200, 300, 400]);
  });

  it('runs at most maxConcurrent retries at once', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const store = new MemoryStateStore();
    let running = 0;
    let most = 0;
    const finishers: (() => void)[] = [];
    const queue = new ObjectRetryQueue({
      store,
      clock,
      random: () => 0.5,
      maxConcurrent: 2,
      isReady: () => true,
      onDue: () => {
        running++;
        most = Math.max(most, running);
        return new Promise((resolve) =>
          finishers.push(() => {
            running--;
            resolve('succeeded');
          }),
        );
      },
    });
    queue.start();
    const d = { action: 'retryObject' as const, attempt: 1, retryLimit: 10, nextRetryAt: clock.now() + 1_000, delayMs: 1_000 };
    for (const key of ['a', 'b', 'c', 'd', 'e']) queue.recordFailure('c1', key, failure(), d);
    await clock.advance(1_000);
    expect(running).toBe(2);
    while (finishers.length > 0) {
      finishers.shift()?.();
      await settle();
    }
    expect(most).toBe(2);
    expect(store.listObjectRetries()).toEqual([]);
  });
});
