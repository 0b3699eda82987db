// @vitest-environment happy-dom
// A console holding a viewer token: every control that would change the daemon is disabled, its accessible
// description the one plain sentence saying why; "+ Add connector" is not offered; a "viewer" tag sits by the
// daemon's name. The same console with an operator token (or a daemon that does not say) offers everything.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConnectorDetails } from '../../../renderer/components/ConnectorDetails.js';
import { ConnectorForm } from '../../../renderer/components/ConnectorForm.js';
import { ConnectorList } from '../../../renderer/components/ConnectorList.js';
import { DaemonHeader } from '../../../renderer/components/DaemonHeader.js';
import { Sidebar } from '../../../renderer/components/Sidebar.js';
import { VIEWER_SENTENCE } from '../../../shared/console-actions.js';
import type { DaemonView } from '../../../shared/console-backend.js';
import { report, view } from '../../support/console-fixtures.js';
import { FakeBackend } from '../support/fake-backend.js';
import { modelOf, renderConsole, settled } from '../support/render.js';

const KEY = 'files-integrator/Landing';

function daemonOf(mayChange: boolean | undefined): DaemonView {
  return view(
    'lake',
    [
      report('Landing', 'RETRYING', {
        retry: { attempt: 1, retryLimit: 5, nextRetryAt: new Date(Date.now() + 60_000).toISOString(), reason: 'unavailable' },
        heldArchive: { count: 120, heldAt: new Date().toISOString() },
      }),
    ],
    mayChange === undefined ? {} : { mayChange },
  );
}

function button(name: string | RegExp): HTMLButtonElement {
  return screen.getByRole<HTMLButtonElement>('button', { name });
}

function expectViewerRefused(name: string | RegExp): void {
  const b = button(name);
  expect(b.disabled, String(name)).toBe(true);
  expect(b.title, String(name)).toBe(VIEWER_SENTENCE);
}

function backendWithHeldArchive(v: DaemonView): FakeBackend {
  const backend = new FakeBackend([v]);
  backend.held = [
    {
      connectorName: 'Landing',
      connectorId: 'id-Landing',
      urlMarker: 'files-integrator',
      runId: 'r1',
      heldAt: new Date().toISOString(),
      count: 120,
      liveCount: 150,
      thresholdPercent: 50,
      sample: ['DataFile::/data/a.csv'],
    },
  ];
  backend.retries = [
    {
      connectorName: 'Landing',
      connectorId: 'id-Landing',
      objectKey: '/data/a.csv',
      state: 'PENDING',
      attempt: 1,
      retryLimit: 5,
      nextRetryAt: new Date(Date.now() + 60_000).toISOString(),
      lastErrorMessageId: 'X-1',
      lastErrorMessage: 'locked',
      errorSource: 'thirdParty',
      errorCategory: 'conflict',
      firstFailedAt: new Date().toISOString(),
      lastFailedAt: new Date().toISOString(),
    },
  ];
  return backend;
}

describe('a viewer token gets a read-only console', () => {
  it('the daemon header disables restart, refresh and retry all with the sentence and shows a viewer tag', () => {
    const v = daemonOf(false);
    const model = modelOf([v]);
    renderConsole(<DaemonHeader daemon={model.daemons.lake!} onEdit={() => {}} />, { views: [v], model });
    for (const name of ['Restart all…', 'Refresh all…', 'Retry all now']) expectViewerRefused(name);
    expect(screen.getByTestId('viewer-badge').textContent).toBe('viewer');
    // Editing the daemon (to give it an operator token) stays possible.
    expect(button('Edit daemon…').disabled).toBe(false);
  });

  it('the list hides + Add connector and disables every service and connector action', () => {
    renderConsole(<ConnectorList daemonId="lake" />, { views: [daemonOf(false)] });
    expect(screen.queryByRole('button', { name: '+ Add connector' })).toBeNull();
    for (const name of [/^Restart all connectors of /, /^Refresh all connectors of /, /^Retry now every retrying connector of /]) {
      expectViewerRefused(name);
    }
    for (const name of ['Restart connector Landing', 'Refresh connector Landing', 'Retry connector Landing now']) expectViewerRefused(name);
    // The sentence is the accessible description, not only a hover text.
    expect(button('Restart connector Landing').getAttribute('aria-label')).toBe('Restart connector Landing');
  });

  it('connector details: actions, test, edit, object retries and the held archive answers are all disabled', async () => {
    const v = daemonOf(false);
    const model = { ...modelOf([v]), focus: { daemonId: 'lake', connectorKey: KEY } };
    const { backend } = renderConsole(<ConnectorDetails daemonId="lake" connectorKey={KEY} />, {
      views: [v],
      model,
      backend: backendWithHeldArchive(v),
    });
    await settled();
    for (const name of ['Restart', 'Refresh', 'Retry now', 'Test connection', 'Edit…', 'Archive them', 'Keep them']) {
      expectViewerRefused(name);
    }
    expectViewerRefused('Retry object /data/a.csv now');
    expectViewerRefused('Retry objects now');
    // Reading goes on: the run history and the held archive's preview were asked for.
    expect(backend.callsOf('runs')).toHaveLength(1);
    expect(screen.getByTestId('held-archive').textContent).toContain('120 elements held back');
  });

  it('the connector form (left open when the token turns out to be a viewer’s) cannot save, test or remove', async () => {
    const v = daemonOf(false);
    renderConsole(
      <ConnectorForm daemonId="lake" target={{ connectorName: 'Landing', urlMarker: 'files-integrator' }} onClose={() => {}} />,
      {
        views: [v],
      },
    );
    await settled();
    for (const name of ['Save and restart', 'Test connection', 'Remove connector…']) expectViewerRefused(name);
  });

  it('the sidebar tags the daemon as viewer', () => {
    renderConsole(<Sidebar onAdd={() => {}} />, { views: [daemonOf(false)] });
    expect(screen.getByTestId('daemon-item').textContent).toContain('viewer');
  });

  it.each([
    ['an operator token', true],
    ['a daemon that does not name the role', undefined],
  ])('%s gets every action and no tag', (_, mayChange) => {
    const v = daemonOf(mayChange);
    const model = modelOf([v]);
    renderConsole(
      <>
        <DaemonHeader daemon={model.daemons.lake!} onEdit={() => {}} />
        <ConnectorList daemonId="lake" />
      </>,
      { views: [v], model },
    );
    expect(button('Restart all…').disabled).toBe(false);
    expect(button('Restart connector Landing').disabled).toBe(false);
    expect(button('Restart connector Landing').title).toBe('Restart connector Landing');
    expect(button('+ Add connector').disabled).toBe(false);
    expect(screen.queryByTestId('viewer-badge')).toBeNull();
  });
});
