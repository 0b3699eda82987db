// @vitest-environment happy-dom
// One daemon's header: where it is, why it cannot be reached, its metadata server, and the daemon-wide actions.
import { cleanup, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DaemonHeader } from '../../../renderer/components/DaemonHeader.js';
import type { DaemonView } from '../../../shared/console-backend.js';
import { report, view } from '../../support/console-fixtures.js';
import { formatTime } from '../../../renderer/logic/words.js';
import { modelOf, renderConsole, settled } from '../support/render.js';

function header(v: DaemonView, mode: 'browser' | 'desktop' = 'browser', onEdit: () => void = () => {}) {
  const model = modelOf([v]);
  const daemon = model.daemons[v.entry.id]!;
  return renderConsole(<DaemonHeader daemon={daemon} onEdit={onEdit} />, { views: [v], model, mode });
}

const lake = view('lake', [report('A', 'RUNNING'), report('B', 'RETRYING')], { label: 'Data lake' });

describe('DaemonHeader', () => {
  it('names the daemon, its server and user, and how it is reached', () => {
    header({ ...lake, eventStream: false });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Data lake');
    expect(screen.getByText(/server/).textContent).toBe('server exchangeDL01 as garygeeke at http://127.0.0.1:9443');
    expect(screen.getByText(/polled \(no event stream\)/)).toBeDefined();
  });

  it('asks before restarting all connectors, as before the expensive refresh of all', async () => {
    const { user, backend, store } = header(lake);
    await user.click(screen.getByRole('button', { name: 'Restart all…' }));
    expect(screen.getByRole('dialog', { name: 'Restart every connector on Data lake?' }).textContent).toContain(
      'All 2 connectors will stop',
    );
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(backend.callsOf('action')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Restart all…' }));
    await user.click(screen.getByRole('button', { name: 'Restart all' }));
    expect(backend.callsOf('action')).toEqual([['lake', { kind: 'restart', scope: 'daemon' }]]);
    await user.click(screen.getByRole('button', { name: 'Refresh all…' }));
    expect(screen.getByRole('dialog', { name: 'Refresh every connector on Data lake?' }).textContent).toContain('All 2 connectors');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(backend.callsOf('action')).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Refresh all…' }));
    await user.click(screen.getByRole('button', { name: 'Refresh all' }));
    expect(backend.callsOf('action')[1]).toEqual(['lake', { kind: 'refresh', scope: 'daemon' }]);
    await settled();
    expect(store.getState().notices.map((n) => n.text)).toEqual([
      'Restart all on Data lake: requested',
      'Refresh all on Data lake: requested',
    ]);
  });

  it('retries every retrying connector now, one request each, and only when one is retrying', async () => {
    const { user, backend } = header(lake);
    await user.click(screen.getByRole('button', { name: 'Retry all now' }));
    expect(backend.callsOf('action')).toEqual([
      ['lake', { kind: 'retryNow', scope: 'connector', connectorName: 'B', urlMarker: 'files-integrator' }],
    ]);
    header(view('calm', [report('A', 'RUNNING')]));
    expect(screen.getAllByRole('button', { name: 'Retry all now' })[1]).toHaveProperty('disabled', true);
  });

  it('says why a daemon cannot be reached and offers no action on it', () => {
    header({ ...lake, connection: 'disconnected', lastError: 'INTEGRATION-DAEMON-CLIENT-503-001 Cannot reach the daemon' });
    expect(screen.getByRole('alert').textContent).toBe('INTEGRATION-DAEMON-CLIENT-503-001 Cannot reach the daemon');
    expect(screen.getByTestId('reconnect-countdown')).toBeDefined();
    for (const name of ['Restart all…', 'Refresh all…', 'Retry all now'])
      expect(screen.getByRole('button', { name })).toHaveProperty('disabled', true);
  });

  it('shows a metadata server that is down, the connectors waiting for it and its next probe', () => {
    header({
      ...lake,
      status: {
        ...lake.status!,
        metadataServers: [
          {
            metadataServerName: 'cocoMDS1',
            breakerState: 'OPEN',
            since: new Date().toISOString(),
            waitingConnectors: 2,
            nextProbeAt: new Date(Date.now() + 20_000).toISOString(),
            lastErrorMessage: 'connection refused',
          },
        ],
      },
    });
    const line = screen.getByTestId('metadata-server');
    expect(line.textContent).toMatch(/metadata server cocoMDS1 unavailable since .*; 2 connectors waiting/);
    expect(line.textContent).toMatch(/next probe in 00:(19|20)/);
    expect(line.textContent).toContain('connection refused');
  });

  it('says since when the metadata server is unavailable (the outage’s start, not the last probe), and never "0 connectors waiting"', () => {
    const began = new Date(2026, 0, 1, 8, 15, 30);
    const probed = new Date(2026, 0, 1, 9, 40, 0);
    const down = (waitingConnectors: number) => ({
      metadataServerName: 'cocoMDS1',
      breakerState: 'OPEN' as const,
      since: probed.toISOString(),
      unavailableSince: began.toISOString(),
      waitingConnectors,
    });
    header({ ...lake, status: { ...lake.status!, metadataServers: [down(0)] } });
    const line = screen.getByTestId('metadata-server').textContent ?? '';
    expect(line).toContain(`unavailable since ${formatTime(began.toISOString())}`);
    expect(line).not.toContain(formatTime(probed.toISOString()));
    expect(line).not.toMatch(/0 connectors|waiting/);
    cleanup();
    header({ ...lake, status: { ...lake.status!, metadataServers: [down(1)] } });
    expect(screen.getByTestId('metadata-server').textContent).toContain('; 1 connector waiting');
  });

  it('lets a remote daemon be edited, and the page’s own daemon get a token only in a browser', async () => {
    let edits = 0;
    const { user } = header(lake, 'browser', () => edits++);
    await user.click(screen.getByRole('button', { name: 'Edit daemon…' }));
    expect(edits).toBe(1);
    header(view('local', []), 'browser');
    expect(screen.getByRole('button', { name: 'Token…' })).toBeDefined();
  });

  it('offers no edit for the desktop app’s own local daemon', () => {
    header(view('local', []), 'desktop');
    expect(screen.queryByRole('button', { name: /Edit daemon|Token/ })).toBeNull();
  });
});
