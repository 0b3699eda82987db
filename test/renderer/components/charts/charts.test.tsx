// @vitest-environment happy-dom
// The two pictures as an operator and a screen reader meet them: accessible names, one bar per run with its
// outcome, lanes for connectors in trouble and outage bands.
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RunHistoryChart } from '../../../../renderer/components/charts/RunHistoryChart.js';
import { StatusTimeline } from '../../../../renderer/components/charts/StatusTimeline.js';
import type { ConnectorRun } from '../../../../shared/api/types.js';
import '../../support/render.js';

const run = (i: number, state: ConnectorRun['state']): ConnectorRun => ({
  runId: `r${i}`,
  connectorName: 'Landing',
  connectorId: 'c1',
  connectorInstanceId: 'i1',
  trigger: 'request',
  startedAt: new Date(Date.UTC(2026, 0, 1, 10, i)).toISOString(),
  durationMs: 2500,
  state,
  counts: { discovered: 3, created: 3, updated: 0, unchanged: 0, archived: 0, failed: 0 },
});

describe('run history chart', () => {
  it('has an accessible name containing "run history" and a bar per run coloured by outcome', () => {
    const { container } = render(<RunHistoryChart connectorName="Landing" runs={[run(1, 'FAILED'), run(0, 'SUCCEEDED')]} />);
    const chart = screen.getByRole('img', { name: /run history/i });
    expect(chart.getAttribute('aria-label')).toBe('Run history of Landing: the last 2 runs, 1 succeeded, 1 failed');
    expect([...container.querySelectorAll('.run-bar')].map((g) => g.getAttribute('data-state'))).toEqual(['SUCCEEDED', 'FAILED']);
    expect(container.querySelector('.run-bar title')?.textContent).toContain('3 created, 0 updated, 0 archived, 0 failed');
  });
});

describe('status timeline', () => {
  const now = Date.UTC(2026, 0, 1, 12);
  const at = (h: number) => new Date(now - h * 3_600_000).toISOString();

  it('draws a lane per connector in trouble and shades metadata server outages', () => {
    const { container } = render(
      <StatusTimeline
        now={now}
        hours={6}
        history={{
          class: 'StatusHistoryResponse',
          relatedHTTPCode: 200,
          since: at(6),
          changes: [
            { connectorName: 'Landing', urlMarker: 'files-integrator', connectorStatus: 'RETRYING', at: at(3) },
            { connectorName: 'Landing', urlMarker: 'files-integrator', connectorStatus: 'RUNNING', at: at(2) },
            { connectorName: 'Quiet', urlMarker: 'files-integrator', connectorStatus: 'RUNNING', at: at(5) },
          ],
          metadataServerOutages: [{ metadataServerName: 'pg', from: at(4), to: at(3.5), waitingConnectors: 2 }],
        }}
      />,
    );
    expect(screen.getByRole('img', { name: /^Landing: retrying \(RETRYING\)/ })).toBeTruthy();
    expect(screen.queryByText('Quiet')).toBeNull();
    expect(screen.getByRole('img', { name: /^pg unavailable .* 2 connectors waiting$/ })).toBeTruthy();
    // The band shows in the metadata server's lane and behind each connector's lane.
    expect(container.querySelectorAll('.outage-band')).toHaveLength(2);
  });

  it('says so when nothing went wrong', () => {
    render(
      <StatusTimeline
        now={now}
        hours={6}
        history={{ class: 'StatusHistoryResponse', relatedHTTPCode: 200, since: at(6), changes: [], metadataServerOutages: [] }}
      />,
    );
    expect(screen.getByText(/No connector failed or retried/)).toBeTruthy();
  });
});
