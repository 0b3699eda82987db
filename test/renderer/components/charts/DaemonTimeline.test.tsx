// @vitest-environment happy-dom
// The daemon page's status timeline: asked for when opened (the last hours), drawn from the daemon's history, a
// failure said in words, and absent on an Egeria daemon, which keeps no history.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DaemonTimeline, TIMELINE_HOURS } from '../../../../renderer/components/charts/DaemonTimeline.js';
import { DaemonClientError } from '../../../../shared/client/errors.js';
import { report, view } from '../../../support/console-fixtures.js';
import { FakeBackend } from '../../support/fake-backend.js';
import { renderConsole, settled } from '../../support/render.js';

const lake = view('lake', [report('Landing', 'RETRYING')]);
const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

describe('DaemonTimeline', () => {
  it('asks for the last hours when opened and draws the connectors in trouble and the outages', async () => {
    const backend = new FakeBackend([lake]);
    backend.history = {
      class: 'StatusHistoryResponse',
      relatedHTTPCode: 200,
      since: ago(TIMELINE_HOURS),
      changes: [{ connectorName: 'Landing', urlMarker: 'files-integrator', connectorStatus: 'RETRYING', at: ago(1) }],
      metadataServerOutages: [{ metadataServerName: 'pg', from: ago(3), to: ago(2), waitingConnectors: 2 }],
    };
    const { user } = renderConsole(<DaemonTimeline entry={lake.entry} />, { backend });
    expect(backend.callsOf('statusHistory')).toEqual([]);
    await user.click(screen.getByText(`Status timeline (last ${TIMELINE_HOURS} hours)`));
    await settled();
    const [[daemonId, since]] = backend.callsOf('statusHistory') as [[string, string]];
    expect(daemonId).toBe('lake');
    expect(Math.abs(Date.parse(since) - (Date.now() - TIMELINE_HOURS * 3_600_000))).toBeLessThan(60_000);
    expect(screen.getByTestId('status-timeline')).toBeTruthy();
    expect(screen.getByRole('img', { name: /^Landing: retrying/ })).toBeTruthy();
    expect(screen.getByRole('img', { name: /^pg unavailable .* 2 connectors waiting$/ })).toBeTruthy();
  });

  it('says why the history could not be read', async () => {
    const backend = new FakeBackend([lake]);
    backend.failNext.set('statusHistory', new DaemonClientError('http', 'X-403-001', 'X-403-001 Not allowed', 'Use a viewer token.', 'u'));
    const { user } = renderConsole(<DaemonTimeline entry={lake.entry} />, { backend });
    await user.click(screen.getByText(/Status timeline/));
    await settled();
    expect(screen.getByRole('alert').textContent).toBe('X-403-001 Not allowed\nUse a viewer token.');
  });

  it('is not offered on an Egeria daemon, which keeps no status history', () => {
    renderConsole(<DaemonTimeline entry={{ ...lake.entry, era: 'egeria-5' }} />, { views: [lake] });
    expect(screen.queryByText(/Status timeline/)).toBeNull();
  });
});
