// The geometry of the run-history chart and the status timeline: scales, order, stacking, lanes and bands.
import { describe, expect, it } from 'vitest';
import { runChart, runHistorySummary, timeline, timeTicks } from '../../../renderer/logic/charts.js';
import type { ConnectorRun, StatusHistoryResponse } from '../../../shared/api/types.js';

function run(i: number, extra: Partial<ConnectorRun> = {}): ConnectorRun {
  return {
    runId: `r${i}`,
    connectorName: 'Landing',
    connectorId: 'c1',
    connectorInstanceId: 'i1',
    trigger: 'schedule',
    startedAt: new Date(Date.UTC(2026, 0, 1, 10, i)).toISOString(),
    durationMs: 1000 * (i + 1),
    state: 'SUCCEEDED',
    counts: { discovered: 10, created: i, updated: 1, unchanged: 9 - i, archived: 0, failed: 0 },
    ...extra,
  };
}

describe('run chart', () => {
  it('puts the oldest run on the left and scales durations to the longest', () => {
    const chart = runChart([run(2), run(0), run(1)], { width: 100, durationHeight: 50, countsHeight: 20, limit: 4 });
    expect(chart.bars.map((b) => b.run.runId)).toEqual(['r0', 'r1', 'r2']);
    expect(chart.maxDurationMs).toBe(3000);
    expect(chart.bars.map((b) => Math.round(b.durationHeight))).toEqual([17, 33, 50]);
    // Four slots of 25: the three runs sit in the newest three, right-aligned.
    expect(chart.bars.map((b) => b.x)).toEqual([25 + 3.75, 50 + 3.75, 75 + 3.75]);
  });

  it('stacks created, updated, archived and failed on one scale and leaves out kinds with none', () => {
    const chart = runChart([run(0, { counts: { discovered: 4, created: 2, updated: 0, unchanged: 0, archived: 1, failed: 1 } })], {
      width: 10,
      durationHeight: 10,
      countsHeight: 40,
      limit: 1,
    });
    expect(chart.bars[0]!.counts).toEqual([
      { kind: 'created', y: 20, height: 20, value: 2 },
      { kind: 'archived', y: 10, height: 10, value: 1 },
      { kind: 'failed', y: 0, height: 10, value: 1 },
    ]);
  });

  it('keeps only the newest runs and shows a running run as a stub', () => {
    const runs = [...Array.from({ length: 30 }, (_, i) => run(i)), run(40, { durationMs: undefined, state: 'RUNNING' })];
    const chart = runChart(runs, { width: 200, durationHeight: 50, countsHeight: 20, limit: 20 });
    expect(chart.bars).toHaveLength(20);
    expect(chart.bars.at(-1)!.durationHeight).toBe(2);
    expect(runHistorySummary('Landing', [run(0), run(1, { state: 'FAILED' })])).toBe(
      'Run history of Landing: the last 2 runs, 1 succeeded, 1 failed',
    );
  });
});

describe('status timeline', () => {
  const t0 = Date.UTC(2026, 0, 1, 8);
  const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
  const history: StatusHistoryResponse = {
    class: 'StatusHistoryResponse',
    relatedHTTPCode: 200,
    since: at(0),
    changes: [
      { connectorName: 'steady', urlMarker: 'files-integrator', connectorStatus: 'RUNNING', at: at(10) },
      { connectorName: 'flaky', urlMarker: 'files-integrator', connectorStatus: 'RETRYING', at: at(30) },
      {
        connectorName: 'broken',
        urlMarker: 'files-integrator',
        connectorStatus: 'FAILED',
        at: at(-30),
        failingExceptionMessageId: 'X-404-001',
      },
      { connectorName: 'flaky', urlMarker: 'files-integrator', connectorStatus: 'RUNNING', at: at(40) },
    ],
    metadataServerOutages: [
      { metadataServerName: 'pg', from: at(50), to: at(70), waitingConnectors: 2 },
      { metadataServerName: 'pg', from: at(100), waitingConnectors: 1 },
    ],
  };

  it('draws a lane only for connectors in trouble, worst first, each state until the next change', () => {
    const t = timeline(history, t0, t0 + 120 * 60_000);
    expect(t.lanes.map((l) => l.connectorName)).toEqual(['broken', 'flaky']);
    expect(t.lanes[0]!.segments).toEqual([{ from: t0, to: t0 + 120 * 60_000, level: 'failed', status: 'FAILED', messageId: 'X-404-001' }]);
    expect(t.lanes[1]!.segments.map((s) => [s.level, (s.from - t0) / 60_000, (s.to - t0) / 60_000])).toEqual([
      ['retrying', 30, 40],
      ['healthy', 40, 120],
    ]);
  });

  it('shades outages, an ongoing one up to now', () => {
    const t = timeline(history, t0, t0 + 120 * 60_000);
    expect(t.outages.map((o) => [(o.from - t0) / 60_000, (o.to - t0) / 60_000, o.ongoing])).toEqual([
      [50, 70, false],
      [100, 120, true],
    ]);
  });

  it('labels at most seven ticks on round times', () => {
    expect(timeTicks(t0 + 1, t0 + 6 * 3_600_000).map((t) => (t - t0) / 3_600_000)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(timeTicks(t0, t0 + 24 * 3_600_000).length).toBeLessThanOrEqual(7);
  });
});
