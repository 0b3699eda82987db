// Geometry of the console's two pictures, kept pure so it is tested without a DOM: the run-history chart (a bar
// per run, its height the duration, its colour the outcome, below it the elements created, updated, archived and
// failed) and the daemon's status timeline (a lane per connector that was not healthy, outages as bands).
import type { ConnectorRun, RunCounts, RunState, StatusHistoryResponse } from '../../shared/api/types.js';
import { connectorLevel, type HealthLevel } from '../../shared/logic/aggregate.js';

export const COUNT_KINDS = ['created', 'updated', 'archived', 'failed'] as const satisfies readonly (keyof RunCounts)[];
export type CountKind = (typeof COUNT_KINDS)[number];

export interface RunBar {
  run: ConnectorRun;
  x: number;
  width: number;
  /** Height of the duration bar (a running run shows a stub). */
  durationHeight: number;
  /** One segment per count kind with elements, stacked from the bottom of the counts area. */
  counts: { kind: CountKind; y: number; height: number; value: number }[];
}

export interface RunChart {
  bars: RunBar[];
  maxDurationMs: number;
  maxCount: number;
}

const STUB = 2;

/**
 * Bars for the newest `limit` runs, oldest on the left. Durations scale to `durationHeight`; the stacked counts
 * to `countsHeight` on one scale for every run, so a big refresh looks big.
 */
export function runChart(
  runs: readonly ConnectorRun[],
  size: { width: number; durationHeight: number; countsHeight: number; limit: number },
): RunChart {
  const shown = [...runs].sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0)).slice(-size.limit);
  const maxDurationMs = Math.max(1, ...shown.map((r) => r.durationMs ?? 0));
  const maxCount = Math.max(1, ...shown.map((r) => COUNT_KINDS.reduce((sum, k) => sum + r.counts[k], 0)));
  const slot = size.width / Math.max(size.limit, 1);
  const width = Math.max(2, slot * 0.7);
  const bars = shown.map((run, i) => {
    const durationHeight = run.durationMs === undefined ? STUB : Math.max(STUB, (run.durationMs / maxDurationMs) * size.durationHeight);
    let y = size.countsHeight;
    const counts = COUNT_KINDS.filter((k) => run.counts[k] > 0).map((kind) => {
      const height = (run.counts[kind] / maxCount) * size.countsHeight;
      y -= height;
      return { kind, y, height, value: run.counts[kind] };
    });
    return { run, x: (i + (size.limit - shown.length)) * slot + (slot - width) / 2, width, durationHeight, counts };
  });
  return { bars, maxDurationMs, maxCount };
}

export const RUN_STATE_WORDS: Record<RunState, string> = {
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  PARTIAL: 'partly failed',
  FAILED: 'failed',
};

/** What a screen reader hears for the chart: the shape of the history in one sentence. */
export function runHistorySummary(connectorName: string, runs: readonly ConnectorRun[]): string {
  if (runs.length === 0) return `Run history of ${connectorName}: no runs yet`;
  const byState = new Map<RunState, number>();
  for (const r of runs) byState.set(r.state, (byState.get(r.state) ?? 0) + 1);
  const states = [...byState].map(([state, n]) => `${n} ${RUN_STATE_WORDS[state]}`).join(', ');
  return `Run history of ${connectorName}: the last ${runs.length} run${runs.length === 1 ? '' : 's'}, ${states}`;
}

export interface TimelineSegment {
  from: number;
  to: number;
  level: HealthLevel;
  status: string;
  messageId?: string | undefined;
}

export interface TimelineLane {
  connectorName: string;
  urlMarker: string;
  segments: TimelineSegment[];
}

export interface Timeline {
  since: number;
  until: number;
  lanes: TimelineLane[];
  outages: { metadataServerName: string; from: number; to: number; ongoing: boolean; waitingConnectors: number }[];
}

/**
 * Lanes of the status timeline between `since` and `until` (epoch ms). A connector gets a lane only when it was
 * failing or retrying at some time in the window: the picture answers "who was in trouble when", and a daemon
 * with 1,000 healthy connectors draws nothing. Each change holds until the next change of that connector.
 */
export function timeline(history: StatusHistoryResponse, since: number, until: number): Timeline {
  const byConnector = new Map<string, { urlMarker: string; changes: StatusHistoryResponse['changes'] }>();
  for (const change of history.changes) {
    const key = `${change.urlMarker}/${change.connectorName}`;
    const entry = byConnector.get(key) ?? { urlMarker: change.urlMarker, changes: [] };
    entry.changes.push(change);
    byConnector.set(key, entry);
  }
  const lanes: TimelineLane[] = [];
  for (const { urlMarker, changes } of byConnector.values()) {
    const sorted = [...changes].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const segments: TimelineSegment[] = [];
    sorted.forEach((change, i) => {
      const next = sorted[i + 1];
      const from = Math.max(since, Date.parse(change.at));
      const to = Math.min(until, next ? Date.parse(next.at) : until);
      if (to <= from) return;
      segments.push({
        from,
        to,
        level: connectorLevel(change.connectorStatus),
        status: change.connectorStatus,
        messageId: change.failingExceptionMessageId,
      });
    });
    if (segments.some((s) => s.level === 'failed' || s.level === 'retrying')) {
      lanes.push({ connectorName: sorted[0]?.connectorName ?? '', urlMarker, segments });
    }
  }
  lanes.sort((a, b) => worstFirst(a, b) || a.connectorName.localeCompare(b.connectorName));
  const outages = history.metadataServerOutages.flatMap((o) => {
    const from = Math.max(since, Date.parse(o.from));
    const to = Math.min(until, o.to ? Date.parse(o.to) : until);
    return to > from
      ? [{ metadataServerName: o.metadataServerName, from, to, ongoing: !o.to, waitingConnectors: o.waitingConnectors }]
      : [];
  });
  return { since, until, lanes, outages };
}

function troubleMs(lane: TimelineLane, level: HealthLevel): number {
  return lane.segments.reduce((sum, s) => sum + (s.level === level ? s.to - s.from : 0), 0);
}

/** Lanes that failed longest first, then those that retried longest. */
function worstFirst(a: TimelineLane, b: TimelineLane): number {
  return troubleMs(b, 'failed') - troubleMs(a, 'failed') || troubleMs(b, 'retrying') - troubleMs(a, 'retrying');
}

/** Hour ticks for a window: at most `max` labels, on whole hours (or half hours for short windows). */
export function timeTicks(since: number, until: number, max = 7): number[] {
  const span = until - since;
  const steps = [15 * 60_000, 30 * 60_000, 3_600_000, 2 * 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000];
  const step = steps.find((s) => span / s <= max) ?? 24 * 3_600_000;
  const ticks: number[] = [];
  for (let t = Math.ceil(since / step) * step; t <= until; t += step) ticks.push(t);
  return ticks;
}
