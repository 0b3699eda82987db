// A connector's recent runs as a picture: one bar per run (height the duration, colour and symbol the outcome)
// with the elements it created, updated, archived and failed stacked beneath. Hand-drawn SVG: two charts do not
// justify a charting library (see renderer/logic/charts.ts for the geometry).
import type { ConnectorRun } from '../../../shared/api/types.js';
import { formatElapsed } from '../../../shared/logic/duration.js';
import { COUNT_KINDS, RUN_STATE_WORDS, runChart, runHistorySummary } from '../../logic/charts.js';
import { formatTime, RUN_TRIGGER_WORDS } from '../../logic/words.js';

const WIDTH = 320;
const DURATION_HEIGHT = 64;
const COUNTS_HEIGHT = 36;
const GAP = 6;
const LIMIT = 20;

export function RunHistoryChart({ connectorName, runs }: { connectorName: string; runs: readonly ConnectorRun[] }) {
  const chart = runChart(runs, { width: WIDTH, durationHeight: DURATION_HEIGHT, countsHeight: COUNTS_HEIGHT, limit: LIMIT });
  const shown = chart.bars.map((b) => b.run);
  const countsTop = DURATION_HEIGHT + GAP;
  return (
    <figure className="chart run-chart" data-testid="run-history-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${countsTop + COUNTS_HEIGHT}`}
        role="img"
        aria-label={runHistorySummary(connectorName, shown)}
        preserveAspectRatio="none"
      >
        <line className="chart-axis" x1={0} x2={WIDTH} y1={DURATION_HEIGHT + 0.5} y2={DURATION_HEIGHT + 0.5} />
        {chart.bars.map((bar) => (
          <g key={bar.run.runId} className={`run-bar run-${bar.run.state.toLowerCase()}`} data-state={bar.run.state}>
            <title>{barTitle(bar.run)}</title>
            <rect x={bar.x} y={DURATION_HEIGHT - bar.durationHeight} width={bar.width} height={bar.durationHeight} />
            {bar.counts.map((c) => (
              <rect key={c.kind} className={`count-${c.kind}`} x={bar.x} y={countsTop + c.y} width={bar.width} height={c.height} />
            ))}
          </g>
        ))}
      </svg>
      <figcaption className="chart-legend">
        <span>
          bar height: duration (longest {formatElapsed(chart.maxDurationMs)}); colour: <span className="key run-succeeded">succeeded</span>{' '}
          <span className="key run-partial">partly failed</span> <span className="key run-failed">failed</span>{' '}
          <span className="key run-running">running</span>
        </span>
        <span>
          beneath, elements:{' '}
          {COUNT_KINDS.map((k) => (
            <span key={k} className={`key count-${k}`}>
              {k}{' '}
            </span>
          ))}
        </span>
      </figcaption>
    </figure>
  );
}

function barTitle(run: ConnectorRun): string {
  const c = run.counts;
  const duration = run.durationMs === undefined ? 'still running' : formatElapsed(run.durationMs);
  return (
    `${formatTime(run.startedAt)} · ${RUN_TRIGGER_WORDS[run.trigger]} · ${duration} · ${RUN_STATE_WORDS[run.state]}\n` +
    `${c.created} created, ${c.updated} updated, ${c.archived} archived, ${c.failed} failed` +
    (run.failingExceptionMessageId ? `\n${run.failingExceptionMessageId}` : '')
  );
}
