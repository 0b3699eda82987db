// Retry and refresh times checked to the millisecond with a clock the test moves by hand; the stores are real
// SQLite files, so a second Daemon on the same state directory sees what the first one persisted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, document, harness, report, waitFor } from './lifecycle/fixtures/daemon-harness.js';
import { ManualClock, settle } from '../support/manual-clock.js';
import { callsOf, resetScript } from './lifecycle/fixtures/scripted-connector.js';

const MINUTE = 60_000;
let h: Harness;
let clock: ManualClock;
beforeEach(() => {
  resetScript();
  clock = new ManualClock();
  h = harness(clock);
});
afterEach(async () => {
  await h.cleanup();
});

const files = (connectors: unknown[]) => ({ urlMarker: 'files-integrator', connectors });

describe('connector retries', () => {
  it("follows the seed's strategy: retry after 30 min, then hourly, stop after 4 errors", async () => {
    const t0 = clock.now();
    const daemon = await h.start(
      document(h.dir, [
        files([
          {
            connectorName: 'Flaky',
            connectorProvider: 'test-scripted-files',
            refreshTimeInterval: 10,
            configurationProperties: { failIn: 'refresh', failVia: 'thirdParty' },
            errorHandling: [{ reaction: { retryLater: { initialInterval: 'PT30M', nextInterval: 'PT1H' }, stopAfter: 4 } }],
          },
        ]),
      ]),
    );
    await settle();
    const seen: { at: number; status: string; nextRetryAt?: number; attempt?: number }[] = [];
    const note = () => {
      const r = report(daemon, 'Flaky');
      seen.push({
        at: clock.now() - t0,
        status: r.connectorStatus,
        ...(r.retry ? { nextRetryAt: Date.parse(r.retry.nextRetryAt) - t0, attempt: r.retry.attempt } : {}),
      });
    };
    note();
    for (const at of [30 * MINUTE, 90 * MINUTE, 150 * MINUTE]) {
      await clock.advanceTo(t0 + at - 1);
      expect(callsOf('Flaky', 'refresh'), `before ${at / MINUTE} min`).toHaveLength(seen.length);
      await clock.advanceTo(t0 + at);
      note();
    }
    expect(seen).toEqual([
      { at: 0, status: 'RETRYING', nextRetryAt: 30 * MINUTE, attempt: 1 },
      { at: 30 * MINUTE, status: 'RETRYING', nextRetryAt: 90 * MINUTE, attempt: 2 },
      { at: 90 * MINUTE, status: 'RETRYING', nextRetryAt: 150 * MINUTE, attempt: 3 },
      { at: 150 * MINUTE, status: 'FAILED' },
    ]);
    expect(callsOf('Flaky', 'refresh')).toHaveLength(4);
    const failed = report(daemon, 'Flaky');
    expect(failed).toMatchObject({ errorSource: 'thirdParty', errorCategory: 'network' });
    expect(failed.retry).toBeUndefined();
    expect(
      daemon.auditLog({ connectorName: 'Flaky', limit: 1000 }).filter((r) => r.messageId === 'INTEGRATION-DAEMON-RECOVERY-0003'),
    ).toHaveLength(1);
    await clock.advance(24 * 60 * MINUTE);
    expect(callsOf('Flaky', 'refresh')).toHaveLength(4);

    // An operator's retry-now on a FAILED connector starts it again.
    await daemon.retryNow('Flaky');
    await settle();
    expect(callsOf('Flaky', 'refresh')).toHaveLength(5);
  });

  it('keeps a pending retry across a daemon restart on the same state directory, due at the same time', async () => {
    const doc = document(h.dir, [
      files([
        {
          connectorName: 'Unreachable',
          connectorProvider: 'test-scripted-files',
          refreshTimeInterval: 10,
          configurationProperties: { failIn: 'start', failVia: 'thirdParty', failTimes: 1 },
          errorHandling: [{ reaction: { retryLater: { initialInterval: 'PT20M' } } }],
        },
      ]),
    ]);
    const first = await h.start(doc);
    await settle();
    const retrying = report(first, 'Unreachable');
    expect(retrying).toMatchObject({ connectorStatus: 'RETRYING', retry: { attempt: 1 } });
    const nextRetryAt = retrying.retry!.nextRetryAt;
    expect(Date.parse(nextRetryAt) - clock.now()).toBe(20 * MINUTE);
    await first.stop();

    await clock.advance(5 * MINUTE);
    const second = await h.start(doc);
    await settle();
    const resumed = report(second, 'Unreachable');
    expect(resumed).toMatchObject({ connectorStatus: 'RETRYING', retry: { attempt: 1, nextRetryAt }, errorSource: 'thirdParty' });
    expect(resumed.failingExceptionMessage).toContain('ECONNREFUSED');
    const starts = callsOf('Unreachable', 'start').length;
    await clock.advanceTo(Date.parse(nextRetryAt) - 1);
    expect(callsOf('Unreachable', 'start')).toHaveLength(starts);
    await clock.advanceTo(Date.parse(nextRetryAt));
    expect(callsOf('Unreachable', 'start')).toHaveLength(starts + 1);
    expect(report(second, 'Unreachable').connectorStatus).toBe('WAITING');
    expect(second.runs({ connectorName: 'Unreachable', limit: 10 })[0]).toMatchObject({ trigger: 'retry', state: 'SUCCEEDED' });
  });
});

describe('object retries', () => {
  it('re-processes a failed object with a full refresh when the connector has no reprocessObject', async () => {
    const daemon = await h.start(
      document(h.dir, [
        files([
          {
            connectorName: 'NoSingle',
            connectorProvider: 'test-scripted-files',
            refreshTimeInterval: 0,
            configurationProperties: { objectFailures: 1, objectFailureRefreshes: 1, noReprocessObject: true },
            errorHandling: [{ situation: { scope: ['object'] }, reaction: { retryLater: { initialInterval: 'PT1M' } } }],
          },
        ]),
      ]),
    );
    await waitFor(
      () => daemon.runs({ connectorName: 'NoSingle', limit: 1 })[0]?.state === 'PARTIAL',
      () => JSON.stringify(daemon.runs({ connectorName: 'NoSingle', limit: 1 })),
    );
    const [retry] = daemon.objectRetries('NoSingle');
    expect(retry).toMatchObject({ objectKey: 'object-0', state: 'PENDING', attempt: 1 });
    expect(Date.parse(retry!.nextRetryAt!) - clock.now()).toBe(MINUTE);
    expect(report(daemon, 'NoSingle').pendingObjectRetries).toBe(1);
    await clock.advance(MINUTE);
    await waitFor(
      () => daemon.objectRetries('NoSingle').length === 0,
      () => JSON.stringify(daemon.objectRetries('NoSingle')),
    );
    expect(callsOf('NoSingle', 'refresh')).toHaveLength(2);
    expect(daemon.runs({ connectorName: 'NoSingle', limit: 10 }).map((r) => [r.trigger, r.state])).toEqual([
      ['retry', 'SUCCEEDED'],
      ['start', 'PARTIAL'],
    ]);
  });
});

describe('refresh scheduling', () => {
  it('refreshes every refreshTimeInterval minutes after the last refresh; 0 = only at start and on request', async () => {
    const daemon = await h.start(
      document(h.dir, [
        files([
          { connectorName: 'Every10', connectorProvider: 'test-scripted-files', refreshTimeInterval: 10 },
          { connectorName: 'OnRequest', connectorProvider: 'test-scripted-files', refreshTimeInterval: 0 },
        ]),
      ]),
    );
    await settle();
    const t0 = clock.now();
    expect(Date.parse(report(daemon, 'Every10').nextRefreshAt!) - t0).toBe(10 * MINUTE);
    expect(report(daemon, 'OnRequest').nextRefreshAt).toBeUndefined();
    await clock.advance(10 * MINUTE - 1);
    expect(callsOf('Every10', 'refresh')).toHaveLength(1);
    await clock.advance(1);
    expect(callsOf('Every10', 'refresh')).toHaveLength(2);
    await clock.advance(4 * MINUTE);
    await daemon.refreshConnectors('Every10');
    await settle();
    expect(callsOf('Every10', 'refresh')).toHaveLength(3);
    // The next refresh counts from the requested one.
    expect(Date.parse(report(daemon, 'Every10').nextRefreshAt!) - clock.now()).toBe(10 * MINUTE);
    await clock.advance(60 * MINUTE);
    expect(callsOf('Every10', 'refresh')).toHaveLength(9);
    expect(callsOf('OnRequest', 'refresh')).toHaveLength(1);
    expect(
      daemon
        .runs({ connectorName: 'Every10', limit: 100 })
        .map((r) => r.trigger)
        .sort(),
    ).toEqual(['request', ...Array(7).fill('schedule'), 'start'].sort());
  });

  it('times out a hung initialize on the clock and moves on without holding up the others', async () => {
    const daemon = await h.start(
      document(h.dir, [
        files([
          {
            connectorName: 'HangsInInitialize',
            connectorProvider: 'test-scripted-files',
            configurationProperties: { hangIn: 'initialize' },
            timeouts: { initialize: 30_000 },
          },
          { connectorName: 'Fine', connectorProvider: 'test-scripted-files' },
        ]),
      ]),
      { startupWaitMs: 200 },
    );
    await waitFor(
      () => report(daemon, 'Fine').lastRefreshTime !== undefined,
      () => JSON.stringify(daemon.status()),
    );
    expect(callsOf('HangsInInitialize', 'start')).toEqual([]);
    expect(report(daemon, 'HangsInInitialize').lastRefreshTime).toBeUndefined();
    await clock.advance(30_000);
    expect(report(daemon, 'HangsInInitialize')).toMatchObject({ connectorStatus: 'RETRYING', errorCategory: 'timeout' });
  });
});
