// The daemon's last hours as a picture: a lane per connector that was failing or retrying (when, and with which
// message), metadata server outages shaded across every lane. Hand-drawn SVG lanes in an HTML grid, so names stay
// text and the bars stretch to the width without distorting letters.
import type { ReactNode } from 'react';
import type { StatusHistoryResponse } from '../../../shared/api/types.js';
import { HEALTH_WORDS } from '../../../shared/logic/aggregate.js';
import { lazily } from '../../../shared/logic/lazily.js';
import { timeline, timeTicks, type Timeline, type TimelineSegment } from '../../logic/charts.js';
import { HEALTH_SYMBOL } from '../../logic/health.js';

const SCALE = 1000;

// Made once, not per label: building an Intl formatter costs far more than using one. Made on first use, not while
// the page's scripts evaluate: see renderer/intl-warmup.ts.
const clockFormat = lazily(() => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hour12: false }));

function clock(ms: number): string {
  return clockFormat().format(ms);
}

export function StatusTimeline({ history, now, hours }: { history: StatusHistoryResponse; now: number; hours: number }) {
  const since = now - hours * 3_600_000;
  const t = timeline(history, since, now);
  const x = (ms: number) => ((ms - since) / (now - since)) * SCALE;
  const bands = (
    <>
      {t.outages.map((o) => (
        <rect
          key={`${o.metadataServerName}-${o.from}`}
          className="outage-band"
          x={x(o.from)}
          width={x(o.to) - x(o.from)}
          y={0}
          height={10}
        />
      ))}
    </>
  );
  return (
    <figure className="chart status-timeline" data-testid="status-timeline" aria-label={`Status timeline of the last ${hours} hours`}>
      {t.lanes.length === 0 && t.outages.length === 0 ? (
        <p className="muted">No connector failed or retried, and the metadata server answered, in the last {hours} hours.</p>
      ) : (
        <div className="timeline-grid">
          {t.outages.length > 0 && (
            <Lane label="metadata server" title={t.outages.map(outageText).join('; ')}>
              {bands}
            </Lane>
          )}
          {t.lanes.map((lane) => (
            <Lane
              key={`${lane.urlMarker}/${lane.connectorName}`}
              label={lane.connectorName}
              title={`${lane.connectorName}: ${lane.segments
                .filter((s) => s.level !== 'healthy')
                .map(segmentText)
                .join('; ')}`}
            >
              {bands}
              {lane.segments.map((s) => (
                <rect
                  key={s.from}
                  className={`segment health-fill-${s.level}`}
                  x={x(s.from)}
                  width={Math.max(1, x(s.to) - x(s.from))}
                  y={2}
                  height={6}
                >
                  <title>{segmentText(s)}</title>
                </rect>
              ))}
            </Lane>
          ))}
          <Axis t={t} x={x} />
        </div>
      )}
      <figcaption className="chart-legend">
        <span className="key health-failed">{HEALTH_SYMBOL.failed} failed</span>{' '}
        <span className="key health-retrying">{HEALTH_SYMBOL.retrying} retrying</span>{' '}
        <span className="key health-healthy">{HEALTH_SYMBOL.healthy} running</span>{' '}
        <span className="key outage">metadata server outage</span>
      </figcaption>
    </figure>
  );
}

function Lane({ label, title, children }: { label: string; title: string; children: ReactNode }) {
  return (
    <>
      <span className="lane-name" title={label}>
        {label}
      </span>
      <svg className="lane" viewBox={`0 0 ${SCALE} 10`} preserveAspectRatio="none" role="img" aria-label={title}>
        <title>{title}</title>
        {children}
      </svg>
    </>
  );
}

function Axis({ t, x }: { t: Timeline; x: (ms: number) => number }) {
  return (
    <>
      <span />
      <div className="timeline-axis" aria-hidden="true">
        {timeTicks(t.since, t.until).map((tick) => (
          <span key={tick} style={{ left: `${x(tick) / 10}%` }}>
            {clock(tick)}
          </span>
        ))}
      </div>
    </>
  );
}

function segmentText(s: TimelineSegment): string {
  return `${HEALTH_WORDS[s.level]} (${s.status}${s.messageId ? ` ${s.messageId}` : ''}) ${clock(s.from)}–${clock(s.to)}`;
}

function outageText(o: Timeline['outages'][number]): string {
  return `${o.metadataServerName} unavailable ${clock(o.from)}–${o.ongoing ? 'now' : clock(o.to)}, ${o.waitingConnectors} connectors waiting`;
}
