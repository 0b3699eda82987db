// @vitest-environment happy-dom
// One connector's details panel: its whole report, its run history and objects waiting for a retry (fetched from
// the daemon when it opens), its actions, and the desktop's per-connector mute.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConnectorDetails } from '../../../renderer/components/ConnectorDetails.js';
import type { ConnectorRun, ObjectRetry } from '../../../shared/api/types.js';
import { report, view } from '../../support/console-fixtures.js';
import { FakeBackend } from '../support/fake-backend.js';
import { filesProvider } from '../support/providers.js';
import { modelOf, renderConsole, settled } from '../support/render.js';

const landing = view(
  'lake',
  [
    report('LandingArea', 'RETRYING', {
      connectorId: 'c-0001',
      errorSource: 'thirdParty',
      errorCategory: 'notFound',
      failingExceptionMessageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001',
      failingExceptionMessage: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001 The directory /data/landing does not exist',
      userAction: 'Create the directory or correct the endpoint address.',
      minMinutesBetweenRefresh: 60,
      retry: { attempt: 2, retryLimit: 5, nextRetryAt: new Date(Date.now() + 30_000).toISOString(), reason: 'unavailable' },
      statistics: { elementsCreated: 12, elementsUpdated: 3, elementsArchived: 1, errors: 2 },
    }),
  ],
  { label: 'Data lake' },
);

const run: ConnectorRun = {
  runId: 'r-1',
  connectorName: 'LandingArea',
  connectorId: 'c-0001',
  connectorInstanceId: 'i-1',
  trigger: 'retry',
  startedAt: new Date().toISOString(),
  durationMs: 15_600,
  state: 'FAILED',
  counts: { discovered: 4, created: 1, updated: 0, unchanged: 2, archived: 0, failed: 1 },
  failingExceptionMessageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001',
  failingExceptionMessage: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001 The directory /data/landing does not exist',
};

const objectRetry: ObjectRetry = {
  connectorName: 'LandingArea',
  connectorId: 'c-0001',
  objectKey: '/data/landing/orders.csv',
  state: 'PENDING',
  attempt: 2,
  retryLimit: 5,
  firstFailedAt: new Date().toISOString(),
  lastFailedAt: new Date().toISOString(),
  lastErrorMessageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-500-002',
  lastErrorMessage: 'The file could not be read',
  errorSource: 'thirdParty',
  errorCategory: 'generic',
};

function details(mode: 'browser' | 'desktop' = 'browser', prepare: (backend: FakeBackend) => void = () => {}) {
  const backend = new FakeBackend([landing], { desktop: mode === 'desktop' });
  backend.runList = [run];
  backend.retries = [objectRetry];
  prepare(backend);
  const model = modelOf([landing]);
  const focused = { ...model, focus: { daemonId: 'lake', connectorKey: 'files-integrator/LandingArea' } };
  return renderConsole(<ConnectorDetails daemonId="lake" connectorKey="files-integrator/LandingArea" />, { backend, model: focused, mode });
}

function fact(term: string): string {
  const dt = screen.getAllByRole('term').find((t) => t.textContent === term);
  return dt?.nextElementSibling?.textContent ?? '(none)';
}

describe('ConnectorDetails', () => {
  it('shows the whole report: status, cause, message, what to do, retry, refresh and statistics', () => {
    details();
    expect(screen.getByRole('heading', { level: 2, name: 'LandingArea' })).toBe(document.activeElement);
    expect(fact('Status')).toBe('↻RETRYING');
    expect(fact('Integration service')).toBe('files-integrator');
    expect(fact('Cause')).toBe('third-party technology (notFound)');
    expect(fact('Message')).toBe('BASIC-FILES-INTEGRATION-CONNECTORS-404-001 The directory /data/landing does not exist');
    expect(fact('What to do')).toBe('Create the directory or correct the endpoint address.');
    expect(fact('Automatic retry')).toMatch(/^retry 2 of 5 in 00:(29|30)$/);
    expect(fact('Next refresh')).toBe('— (every 60 min)');
    expect(fact('Elements')).toBe('12 created, 3 updated, 1 archived, 2 errors');
    expect(fact('Connector id')).toBe('c-0001');
  });

  it('fetches its run history and its objects waiting for a retry when it opens', async () => {
    const { backend } = details();
    await settled();
    expect(backend.callsOf('runs')).toEqual([['lake', { connectorName: 'LandingArea', limit: 20 }]]);
    expect(backend.callsOf('objectRetries')).toEqual([['lake', 'LandingArea']]);
    const history = screen.getByTestId('run-history');
    expect(history.textContent).toContain('automatic retry · 15.6 s · FAILED');
    expect(history.textContent).toContain('4 found: 1 new, 0 changed, 2 unchanged, 0 archived, 1 failed');
    expect(screen.getByText(/\/data\/landing\/orders\.csv/).parentElement?.textContent).toContain('attempt 2 of 5');
  });

  it('retries one object or all of them now, then shows the list the daemon has left', async () => {
    const { backend, user, store } = details();
    await settled();
    backend.retries = [];
    await user.click(screen.getByRole('button', { name: 'Retry object /data/landing/orders.csv now' }));
    await settled();
    expect(backend.callsOf('retryObjectsNow')).toEqual([['lake', 'LandingArea', '/data/landing/orders.csv']]);
    expect(screen.getByText('None.')).toBeDefined();
    expect(store.getState().notices.at(-1)?.text).toBe('Retry objects now (/data/landing/orders.csv) of LandingArea: requested');
  });

  it('restarts, refreshes and retries the connector through its service', async () => {
    const { backend, user } = details();
    const actions = within(screen.getByRole('group', { name: 'Actions for connector LandingArea' }));
    for (const name of ['Restart', 'Refresh', 'Retry now']) await user.click(actions.getByRole('button', { name }));
    expect(backend.callsOf('action').map(([, action]) => action)).toEqual([
      { kind: 'restart', scope: 'connector', connectorName: 'LandingArea', urlMarker: 'files-integrator' },
      { kind: 'refresh', scope: 'connector', connectorName: 'LandingArea', urlMarker: 'files-integrator' },
      { kind: 'retryNow', scope: 'connector', connectorName: 'LandingArea', urlMarker: 'files-integrator' },
    ]);
  });

  it('says in the notices when the daemon refuses, with the fix', async () => {
    const { backend, user, store } = details('browser', (b) =>
      b.failNext.set('runs', Object.assign(new Error('X-403-001 Not allowed'), { userAction: 'Use an operator token.' })),
    );
    await settled();
    expect(screen.getByText('No runs recorded yet.')).toBeDefined();
    backend.failNext.set('action', new Error('X-409-001 The connector is not retrying'));
    await user.click(screen.getByRole('button', { name: 'Retry now' }));
    await settled();
    expect(store.getState().notices.map((n) => [n.kind, n.text])).toEqual([
      ['error', 'Run history of LandingArea: X-403-001 Not allowed\nUse an operator token.'],
      ['error', 'Retry now LandingArea failed: X-409-001 The connector is not retrying'],
    ]);
  });

  it('closes, giving the focus back to the list', async () => {
    const { user, store } = details();
    await user.click(screen.getByRole('button', { name: 'Close connector details' }));
    expect(store.getState().model.focus).toBeNull();
  });

  it('offers no mute in a browser tab: the desktop app keeps that list, with the tray', () => {
    details('browser');
    expect(screen.queryByRole('button', { name: /notifications/i })).toBeNull();
  });

  it('mutes and resumes the connector’s notifications in the desktop app', async () => {
    const { backend, user, store } = details('desktop');
    await settled();
    const mute = screen.getByRole('button', { name: 'Mute notifications' });
    expect(mute.getAttribute('aria-pressed')).toBe('false');
    await user.click(mute);
    await settled();
    expect(backend.callsOf('muteConnector')).toEqual([['lake', 'LandingArea', true]]);
    expect(screen.getByRole('button', { name: 'Notifications muted' }).getAttribute('aria-pressed')).toBe('true');
    expect(store.getState().notices.at(-1)?.text).toBe('Notifications for LandingArea muted');
  });

  it('previews a held archive from the report, and archives it on "Archive them"', async () => {
    const heldAt = new Date().toISOString();
    const withHeld = view('lake', [report('LandingArea', 'WAITING', { heldArchive: { count: 12, heldAt } })]);
    const backend = new FakeBackend([withHeld]);
    backend.held = [
      {
        connectorName: 'LandingArea',
        connectorId: 'c-0001',
        urlMarker: 'files-integrator',
        runId: 'r-2',
        heldAt,
        count: 12,
        liveCount: 12,
        thresholdPercent: 50,
        sample: ['DataFile::/data/a.csv', 'DataFile::/data/b.csv'],
      },
    ];
    const { user, store } = renderConsole(<ConnectorDetails daemonId="lake" connectorKey="files-integrator/LandingArea" />, { backend });
    await settled();
    const preview = screen.getByTestId('held-archive');
    expect(within(preview).getByRole('heading').textContent).toBe('⚠ 12 elements held back from archiving');
    expect(
      within(preview)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['DataFile::/data/a.csv', 'DataFile::/data/b.csv']);
    await user.click(within(preview).getByRole('button', { name: 'Archive them' }));
    await settled();
    expect(backend.callsOf('approveHeldArchive')).toEqual([['lake', 'LandingArea']]);
    expect(screen.queryByTestId('held-archive')).toBeNull();
    expect(store.getState().notices.at(-1)?.text).toBe('LandingArea: 12 elements archived');
  });

  it('previews each catalog target’s held archive under its name, and keeps or archives that target’s alone', async () => {
    const heldAt = new Date().toISOString();
    const withHeld = view('lake', [report('LandingArea', 'WAITING', { heldArchive: { count: 27, heldAt } })]);
    const backend = new FakeBackend([withHeld]);
    const base = { connectorName: 'LandingArea', connectorId: 'c-0001', urlMarker: 'files-integrator', runId: 'r-3', heldAt };
    const sample = (dir: string) => [`DataFile::/data/${dir}/a.csv`];
    backend.held = [
      { ...base, catalogTargetName: 'north', count: 15, liveCount: 20, thresholdPercent: 50, sample: sample('north') },
      { ...base, catalogTargetName: 'south', count: 12, liveCount: 20, thresholdPercent: 50, sample: sample('south') },
    ];
    const { user, store } = renderConsole(<ConnectorDetails daemonId="lake" connectorKey="files-integrator/LandingArea" />, { backend });
    await settled();
    const previews = screen.getAllByTestId('held-archive');
    expect(previews.map((p) => within(p).getByRole('heading').textContent)).toEqual([
      '⚠ 15 elements of catalog target north held back from archiving',
      '⚠ 12 elements of catalog target south held back from archiving',
    ]);
    await user.click(within(previews[1] as HTMLElement).getByRole('button', { name: 'Keep them' }));
    await settled();
    expect(backend.callsOf('rejectHeldArchive')).toEqual([['lake', 'LandingArea', 'south']]);
    expect(store.getState().notices.at(-1)?.text).toBe('LandingArea (catalog target south): the 12 elements are kept');
    await user.click(within(screen.getByTestId('held-archive')).getByRole('button', { name: 'Archive them' }));
    await settled();
    expect(backend.callsOf('approveHeldArchive')).toEqual([['lake', 'LandingArea', 'north']]);
    expect(screen.queryByTestId('held-archive')).toBeNull();
    expect(store.getState().notices.at(-1)?.text).toBe('LandingArea (catalog target north): 15 elements archived');
  });

  it('shows no preview while the report holds nothing', async () => {
    const { backend } = details();
    await settled();
    expect(backend.callsOf('heldArchives')).toEqual([]);
    expect(screen.queryByTestId('held-archive')).toBeNull();
  });

  it('opens the edit form filled from the configured entry, and saves the fields it does not show along', async () => {
    const { user, backend } = details('browser', (b) => {
      b.providers = [filesProvider];
      b.entries.LandingArea = {
        connectorName: 'LandingArea',
        connectorProvider: 'data-files-monitor',
        endpointAddress: '/data/landing',
        refreshTimeInterval: 60,
        configurationProperties: { maxDepth: 4 },
        errorHandling: [{ situation: { errorSource: ['thirdParty'] }, reaction: 'stop' }],
      };
    });
    await user.click(screen.getByRole('button', { name: 'Edit…' }));
    await settled();
    expect(backend.callsOf('connectorEntry')).toEqual([['lake', 'LandingArea']]);
    const form = screen.getByRole('dialog', { name: 'Edit connector LandingArea' });
    expect(within(form).getByRole('textbox', { name: 'Directory (endpoint address)' })).toHaveProperty('value', '/data/landing');
    expect(within(form).getByRole('textbox', { name: 'maxDepth' })).toHaveProperty('value', '4');
    await user.click(within(form).getByRole('button', { name: 'Save and restart' }));
    await settled();
    expect(backend.callsOf('updateConnector')).toEqual([
      [
        'lake',
        'LandingArea',
        {
          connectorName: 'LandingArea',
          connectorProvider: 'data-files-monitor',
          endpointAddress: '/data/landing',
          refreshTimeInterval: 60,
          configurationProperties: { maxDepth: 4 },
          errorHandling: [{ situation: { errorSource: ['thirdParty'] }, reaction: 'stop' }],
        },
      ],
    ]);
  });
});
