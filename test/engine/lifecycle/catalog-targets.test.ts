// The catalog targets of one connector, with a clock the test moves by hand: a failing target is retried on its own
// backoff (5 s, then 10 s, … from CATALOG_TARGET_BACKOFF) while the connector and its other targets go on untouched;
// the connector's report says how many targets fail and never looks healthy meanwhile; a restart of the connector
// keeps what each target last reported.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isoTime } from '../../../electron/engine/lifecycle/time.js';
import { reportLevel } from '../../../shared/logic/aggregate.js';
import { ManualClock, settle } from '../../support/manual-clock.js';
import { type Harness, document, harness, report } from './fixtures/daemon-harness.js';
import { callsOf, resetScript } from './fixtures/scripted-connector.js';

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

const CONNECTOR = 'Targets';

function start() {
  return h.start(
    document(h.dir, [
      {
        urlMarker: 'files-integrator',
        connectors: [
          {
            connectorName: CONNECTOR,
            connectorProvider: 'test-scripted-files',
            refreshTimeInterval: 60,
            configurationProperties: { elements: 2 },
            catalogTargets: [
              { catalogTargetName: 'good' },
              { catalogTargetName: 'bad', configurationProperties: { failIn: 'refresh', failVia: 'thirdParty' } },
            ],
          },
        ],
      },
    ]),
    // No jitter: the retry times are exact.
    { random: () => 0.5 },
  );
}

describe('catalog targets', () => {
  it('retries a failing target on its own backoff while the connector and the other target go on', async () => {
    const t0 = clock.now();
    const daemon = await start();
    await settle();
    const targets = () => new Map(daemon.catalogTargets(CONNECTOR).map((t) => [t.catalogTargetName, t]));
    expect(targets().get('good')).toMatchObject({ catalogTargetStatus: 'WAITING', lastRunCounts: { created: 2 } });
    expect(targets().get('bad')).toMatchObject({
      catalogTargetStatus: 'FAILED',
      errorSource: 'thirdParty',
      retry: { attempt: 1, nextRetryAt: isoTime(t0 + 5_000) },
    });
    const connector = report(daemon, CONNECTOR);
    expect(connector.connectorStatus).toBe('WAITING');
    expect(connector.failingExceptionMessage).toMatch(/^1 of 2 catalog targets failing; bad: /);
    expect(connector.errorSource).toBe('thirdParty');
    expect(reportLevel(connector)).toBe('retrying');
    const instance = connector.connectorInstanceId;

    const refreshesBefore = callsOf(CONNECTOR, 'refresh').length;
    await clock.advanceTo(t0 + 4_999);
    expect(callsOf(CONNECTOR, 'refresh')).toHaveLength(refreshesBefore);
    await clock.advanceTo(t0 + 5_000);
    // Only the failed target ran again: one refresh call, a fresh instance of it, and the connector was not restarted.
    expect(callsOf(CONNECTOR, 'refresh')).toHaveLength(refreshesBefore + 1);
    expect(targets().get('bad')?.retry).toEqual({ attempt: 2, nextRetryAt: isoTime(t0 + 15_000) });
    expect(report(daemon, CONNECTOR).connectorInstanceId).toBe(instance);
    expect(targets().get('good')?.lastRefreshTime).toBe(isoTime(t0));
  });

  it('a refresh of one target runs that target alone; a restart of the connector keeps each target’s last report', async () => {
    const t0 = clock.now();
    const daemon = await start();
    await settle();
    await clock.advanceTo(t0 + 1_000);
    const refreshes = callsOf(CONNECTOR, 'refresh').length;
    await daemon.refreshCatalogTarget(CONNECTOR, 'good');
    expect(callsOf(CONNECTOR, 'refresh')).toHaveLength(refreshes + 1);
    const good = daemon.catalogTargets(CONNECTOR).find((t) => t.catalogTargetName === 'good');
    expect(good).toMatchObject({ lastRefreshTime: isoTime(t0 + 1_000), lastRunCounts: { created: 0, unchanged: 2 } });

    await daemon.restartConnectors(CONNECTOR);
    await settle();
    const after = new Map(daemon.catalogTargets(CONNECTOR).map((t) => [t.catalogTargetName, t.catalogTargetStatus]));
    expect(after).toEqual(
      new Map([
        ['good', 'WAITING'],
        ['bad', 'FAILED'],
      ]),
    );
  });
});
