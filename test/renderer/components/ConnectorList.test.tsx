// @vitest-environment happy-dom
// The list of services and connectors: what each row tells the operator, what its buttons ask the daemon for,
// the filters, and a daemon that can no longer be reached.
import { screen, waitFor, within } from '@testing-library/react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { ConnectorList, ROWS_PER_TASK } from '../../../renderer/components/ConnectorList.js';
import type { DaemonView } from '../../../shared/console-backend.js';
import { report, view } from '../../support/console-fixtures.js';
import { FakeBackend } from '../support/fake-backend.js';
import { modelOf, renderConsole, settled } from '../support/render.js';
import { ConfirmProvider } from '../../../renderer/components/ConfirmDialog.js';
import { ConsoleContext } from '../../../renderer/components/context.js';
import { createConsoleStore } from '../../../renderer/store/store.js';

const soon = () => new Date(Date.now() + 90_000).toISOString();

function lake(extra: Partial<DaemonView> = {}): DaemonView {
  return view(
    'lake',
    {
      'files-integrator': [
        report('LandingArea', 'RETRYING', {
          errorSource: 'thirdParty',
          failingExceptionMessageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001',
          failingExceptionMessage: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001 The directory /data/landing does not exist',
          userAction: 'Create the directory or correct the endpoint address.',
          retry: { attempt: 2, retryLimit: 5, nextRetryAt: soon(), reason: 'The third-party technology is unavailable' },
        }),
        report('Archive', 'RUNNING', {
          nextRefreshAt: soon(),
          connectorProvider: 'data-files-monitor',
          endpointAddress: '/data/archive/a-rather-long-directory-name/that-the-row-cuts-at-its-end',
        }),
      ],
      'database-integrator': [
        report('Warehouse', 'CONFIG_FAILED', { errorSource: 'connector', failingExceptionMessageId: 'OMIS-DATABASE-INTEGRATOR-400-001' }),
      ],
      'lineage-integrator': [],
    },
    { label: 'Data lake', ...extra },
  );
}

function row(name: string): HTMLElement {
  const found = screen.getAllByTestId('connector-row').find((r) => r.dataset.connector === name);
  if (!found) throw new Error(`no row for ${name}`);
  return found;
}

describe('ConnectorList', () => {
  it('shows each service with its counts and each connector with status, cause, message and countdown', () => {
    renderConsole(<ConnectorList daemonId="lake" />, { views: [lake()] });
    expect(screen.getAllByTestId('service-row').map((r) => r.dataset.service)).toEqual([
      'files-integrator',
      'database-integrator',
      'lineage-integrator',
    ]);
    const files = screen.getAllByTestId('service-row')[0]!;
    expect(files.textContent).toContain('↻ 1 retrying');
    expect(files.textContent).toContain('✔ 1 ok');
    // Name, marker and counts are words apart, not "files-integrator✔ 2 ok".
    expect(within(files).getByRole('rowheader').textContent?.trim()).toMatch(/ files-integrator ↻ 1 retrying ✔ 1 ok$/);
    const landing = row('LandingArea');
    expect(within(landing).getByTestId('connector-status').textContent).toBe('↻RETRYING');
    expect(within(landing).getByTestId('error-source').textContent).toBe('cause: third-party technology');
    // The id is shown once, beside the text it no longer repeats.
    expect(landing.textContent).toContain('BASIC-FILES-INTEGRATION-CONNECTORS-404-001 The directory /data/landing does not exist');
    expect(within(landing).getByTestId('retry-countdown').textContent).toMatch(/^retry 2 of 5 in 01:(29|30)$/);
    expect(within(row('Archive')).getByText('no problem reported')).toBeDefined();
    expect(within(row('Archive')).getByTestId('refresh-countdown').textContent).toMatch(/^in 01:(29|30)$/);
    expect(within(row('Warehouse')).getByTestId('error-source').textContent).toBe('cause: connector or its configuration');
    // What it is and where it looks; the endpoint's whole text is its tooltip.
    expect(within(row('Archive')).getByTestId('connector-provider').textContent).toBe('data-files-monitor');
    const endpoint = within(row('Archive')).getByTestId('connector-endpoint');
    expect(endpoint.textContent).toBe('/data/archive/a-rather-long-directory-name/that-the-row-cuts-at-its-end');
    expect(endpoint.title).toBe(endpoint.textContent);
    expect(within(row('Warehouse')).queryByTestId('connector-endpoint')).toBeNull();
    expect(screen.getByText('This integration service has no connectors.')).toBeDefined();
    expect(screen.getByText('3 connectors')).toBeDefined();
  });

  it('expands a message to show what to do and why it is retrying', async () => {
    const { user } = renderConsole(<ConnectorList daemonId="lake" />, { views: [lake()] });
    const toggle = within(row('LandingArea')).getByRole('button', { name: 'Show message and fix' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(row('LandingArea').textContent).toContain('What to do: Create the directory or correct the endpoint address.');
    expect(row('LandingArea').textContent).toContain('Retry reason: The third-party technology is unavailable');
    await user.click(within(row('LandingArea')).getByRole('button', { name: 'Hide message' }));
    expect(row('LandingArea').textContent).not.toContain('What to do');
  });

  it('restarts, refreshes and retries one connector through its service', async () => {
    const { user, backend } = renderConsole(<ConnectorList daemonId="lake" />, { views: [lake()] });
    await user.click(screen.getByRole('button', { name: 'Restart connector Warehouse' }));
    await user.click(screen.getByRole('button', { name: 'Refresh connector Archive' }));
    await user.click(screen.getByRole('button', { name: 'Retry connector LandingArea now' }));
    expect(backend.callsOf('action')).toEqual([
      ['lake', { kind: 'restart', scope: 'connector', connectorName: 'Warehouse', urlMarker: 'database-integrator' }],
      ['lake', { kind: 'refresh', scope: 'connector', connectorName: 'Archive', urlMarker: 'files-integrator' }],
      ['lake', { kind: 'retryNow', scope: 'connector', connectorName: 'LandingArea', urlMarker: 'files-integrator' }],
    ]);
    // Only a connector with a retry pending can be retried now.
    expect(screen.getByRole('button', { name: 'Retry connector Archive now' })).toHaveProperty('disabled', true);
  });

  it('acts on a whole service, asking first before a restart or the expensive refresh', async () => {
    const { user, backend } = renderConsole(<ConnectorList daemonId="lake" />, { views: [lake()] });
    await user.click(screen.getByRole('button', { name: 'Restart all connectors of files-integrator OMIS' }));
    await user.click(
      within(screen.getByRole('dialog', { name: 'Restart every connector of files-integrator OMIS?' })).getByRole('button', {
        name: 'Restart service',
      }),
    );
    await user.click(screen.getByRole('button', { name: 'Refresh all connectors of files-integrator OMIS' }));
    const dialog = screen.getByRole('dialog', { name: 'Refresh every connector of files-integrator OMIS?' });
    expect(dialog.textContent).toContain('2 connectors will read their third-party technology again in full');
    await user.click(within(dialog).getByRole('button', { name: 'Refresh service' }));
    await user.click(screen.getByRole('button', { name: 'Retry now every retrying connector of files-integrator OMIS' }));
    expect(backend.callsOf('action')).toEqual([
      ['lake', { kind: 'restart', scope: 'service', urlMarker: 'files-integrator' }],
      ['lake', { kind: 'refresh', scope: 'service', urlMarker: 'files-integrator' }],
      ['lake', { kind: 'retryNow', scope: 'connector', connectorName: 'LandingArea', urlMarker: 'files-integrator' }],
    ]);
    expect(screen.getByRole('button', { name: 'Retry now every retrying connector of database-integrator OMIS' })).toHaveProperty(
      'disabled',
      true,
    );
  });

  it('filters to the connectors that need attention, or by name, status or message id', async () => {
    const { user } = renderConsole(<ConnectorList daemonId="lake" />, { views: [lake()] });
    await user.click(screen.getByRole('checkbox', { name: 'Only failed or retrying' }));
    expect(screen.getAllByTestId('connector-row').map((r) => r.dataset.connector)).toEqual(['LandingArea', 'Warehouse']);
    await user.click(screen.getByRole('checkbox', { name: 'Only failed or retrying' }));
    await user.type(screen.getByRole('searchbox', { name: 'Find connector' }), 'omis-database');
    expect(screen.getAllByTestId('connector-row').map((r) => r.dataset.connector)).toEqual(['Warehouse']);
    expect(screen.getAllByTestId('service-row').map((r) => r.dataset.service)).toEqual(['database-integrator']);
    await user.clear(screen.getByRole('searchbox', { name: 'Find connector' }));
    await user.type(screen.getByRole('searchbox', { name: 'Find connector' }), 'nothing like it');
    expect(screen.getByText('No connector matches the filter.')).toBeDefined();
  });

  it('opens a connector’s details from its name', async () => {
    const { user, store } = renderConsole(<ConnectorList daemonId="lake" />, { views: [lake()] });
    await user.click(screen.getByRole('button', { name: 'Details of connector Archive' }));
    expect(store.getState().model.focus).toEqual({ daemonId: 'lake', connectorKey: 'files-integrator/Archive' });
    expect(row('Archive').className).toContain('focused');
  });

  it('keeps the last known list of a daemon it cannot reach, says so, and offers no action', () => {
    renderConsole(<ConnectorList daemonId="lake" />, { views: [lake({ connection: 'disconnected' })] });
    expect(screen.getByTestId('stale-note').textContent).toContain('these statuses may be out of date');
    expect(row('LandingArea')).toBeDefined();
    for (const button of within(row('Archive'))
      .getAllByRole('button', { name: /connector Archive/ })
      .slice(1))
      expect(button).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'Restart all connectors of files-integrator OMIS' })).toHaveProperty('disabled', true);
  });

  it('claims nothing about connectors before the daemon’s first status', () => {
    renderConsole(<ConnectorList daemonId="new" />, { views: [view('new', undefined, { connection: 'connecting' })] });
    expect(screen.getByText('No status received from this daemon yet.')).toBeDefined();
    expect(screen.queryAllByTestId('connector-row')).toEqual([]);
  });

  it('sorts failed first or by name within each service, and the count follows the filter', async () => {
    const { user } = renderConsole(<ConnectorList daemonId="lake" />, { views: [lake()] });
    const names = () => screen.getAllByTestId('connector-row').map((r) => r.dataset.connector);
    expect(names()).toEqual(['LandingArea', 'Archive', 'Warehouse']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Sort' }), 'name');
    expect(names()).toEqual(['Archive', 'LandingArea', 'Warehouse']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Sort' }), 'severity');
    expect(names()).toEqual(['LandingArea', 'Archive', 'Warehouse']);
    expect(screen.getByTestId('connector-count').textContent).toBe('3 connectors');
    await user.click(screen.getByRole('checkbox', { name: 'Only failed or retrying' }));
    expect(screen.getByTestId('connector-count').textContent).toBe('2 of 3 connectors');
  });

  it('marks a WAITING connector with a failing catalog target as retrying, never with the healthy tick, group tag on its last line', () => {
    const v = lake();
    const summary = v.status!.integrationServiceSummaries[1]!;
    summary.integrationConnectorReports[0] = {
      ...summary.integrationConnectorReports[0]!,
      connectorStatus: 'WAITING',
      integrationGroupName: 'landing-zone',
      catalogTargets: [
        { catalogTargetName: 'a', catalogTargetStatus: 'WAITING' },
        { catalogTargetName: 'b', catalogTargetStatus: 'FAILED' },
      ],
    };
    renderConsole(<ConnectorList daemonId="lake" />, { views: [v] });
    const warehouse = row('Warehouse');
    const badge = within(warehouse).getByTestId('connector-status');
    expect(badge.className).toContain('health-retrying');
    expect(badge.textContent).toBe('↻WAITING');
    expect(within(warehouse).getByTestId('targets-failing').textContent).toBe('1 of 2 catalog targets failing');
    expect(within(warehouse).getByTestId('group-tag').parentElement?.className).toBe('connector-when');
  });

  it('shows the element count and the last run’s duration, and says why Retry now is not offered', async () => {
    const v = lake();
    const summary = v.status!.integrationServiceSummaries[1]!;
    summary.integrationConnectorReports[0] = { ...summary.integrationConnectorReports[0]!, connectorStatus: 'FAILED', elementCount: 1234 };
    const backend = new FakeBackend([v]);
    backend.runList = [
      {
        runId: 'r1',
        connectorName: 'Warehouse',
        connectorId: 'c',
        connectorInstanceId: 'i',
        trigger: 'start',
        startedAt: new Date().toISOString(),
        durationMs: 2500,
        state: 'FAILED',
        counts: { discovered: 0, created: 0, updated: 0, unchanged: 0, archived: 0, failed: 0 },
      },
    ];
    renderConsole(<ConnectorList daemonId="lake" />, { backend });
    await settled();
    const warehouse = row('Warehouse');
    expect(within(warehouse).getByTestId('element-count').textContent).toBe(`${(1234).toLocaleString()} elements`);
    expect(within(warehouse).getByTestId('last-run-duration').textContent).toMatch(/^took 2\.5 ?s$/);
    const retry = within(warehouse).getByRole('button', { name: 'Retry connector Warehouse now' });
    expect(retry).toHaveProperty('disabled', true);
    expect(retry.title).toBe(
      'Retry now runs a pending automatic retry, and Warehouse has FAILED with none pending. Fix the cause, then press Restart.',
    );
    expect(within(warehouse).getByRole('button', { name: 'Restart connector Warehouse' }).title).toBe('Restart connector Warehouse');
  });

  it('mounts a first screen of many connectors a few rows per task, until the window is filled', async () => {
    const list = mountOutsideAct([view('many', many())]);
    // The service row and the first connectors.
    expect(list.rows()).toHaveLength(ROWS_PER_TASK - 1);
    expect(within(list.container).getByTestId('connector-count').textContent).toBe('200 connectors');
    await expectWindowFilled(list.rows);
    list.unmount();
  });

  it('renders the first snapshot of a list that waited for it without rows, then mounts them in tasks of their own', async () => {
    const list = mountOutsideAct([view('many', undefined, { connection: 'connecting' })]);
    // Its subscription to the store is made by an effect, which Preact runs after the next frame.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    list.store.getState().dispatch({ type: 'console', event: { type: 'daemon', view: view('many', many()) }, now: Date.now() });
    // Preact renders a state change in microtasks of the task that made it.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(within(list.container).getByTestId('connector-count').textContent).toBe('200 connectors');
    expect(list.rows()).toHaveLength(0);
    await expectWindowFilled(list.rows);
    list.unmount();
  });
});

const many = () =>
  Array.from({ length: 200 }, (_, i) => report(`Monitor${String(i).padStart(3, '0')}`, 'RUNNING', { nextRefreshAt: soon() }));

/** The list rendered the way the console mounts it, outside Testing Library's act(), which would run every stage at once. */
function mountOutsideAct(views: DaemonView[]) {
  const container = document.body.appendChild(document.createElement('div'));
  const store = createConsoleStore(modelOf(views));
  const root = createRoot(container);
  root.render(
    <ConsoleContext.Provider value={{ store, backend: new FakeBackend(views), mode: 'browser' }}>
      <ConfirmProvider>
        <ConnectorList daemonId="many" />
      </ConfirmProvider>
    </ConsoleContext.Provider>,
  );
  return {
    container,
    store,
    rows: () => within(container).queryAllByTestId('connector-row'),
    unmount: () => {
      root.unmount();
      container.remove();
    },
  };
}

async function expectWindowFilled(rows: () => HTMLElement[]): Promise<void> {
  const filled = Math.ceil(window.innerHeight / 64);
  await waitFor(() => expect(rows().length).toBeGreaterThan(filled));
  expect(rows()[filled]?.dataset.connector).toBe(`Monitor${String(filled).padStart(3, '0')}`);
  // Windowed still: nowhere near all 200.
  expect(rows().length).toBeLessThan(filled + 10);
}
