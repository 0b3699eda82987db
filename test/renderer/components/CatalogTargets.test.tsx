// @vitest-environment happy-dom
// A connector's catalog targets in its details and its row: each target's status, retry countdown, last run and
// error; Resync and Retry per target (Retry only where one failed), refusals in the notices with the fix; the row
// says how many targets fail instead of looking healthy.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CatalogTargets } from '../../../renderer/components/CatalogTargets.js';
import type { CatalogTargetReport } from '../../../shared/api/catalog-targets.js';
import { reportLevel } from '../../../shared/logic/aggregate.js';
import { report, view } from '../../support/console-fixtures.js';
import { FakeBackend } from '../support/fake-backend.js';
import { renderConsole, settled } from '../support/render.js';

const targets: CatalogTargetReport[] = [
  {
    catalogTargetName: 'landing',
    catalogTargetStatus: 'WAITING',
    endpointAddress: '/data/landing',
    lastRefreshTime: new Date().toISOString(),
    lastRunCounts: { discovered: 3, created: 2, updated: 1, unchanged: 0, archived: 0, failed: 0 },
  },
  {
    catalogTargetName: 'incoming',
    catalogTargetStatus: 'FAILED',
    failingExceptionMessageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001',
    failingExceptionMessage: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001 The directory named /data/incoming does not exist',
    errorSource: 'thirdParty',
    userAction: 'Create the directory /data/incoming.',
    retry: { attempt: 3, nextRetryAt: new Date(Date.now() + 20_000).toISOString() },
  },
];

function render(viewerWhy: string | null = null) {
  const backend = new FakeBackend([view('lake', [report('Landing', 'WAITING', { catalogTargets: targets })])]);
  return renderConsole(<CatalogTargets daemonId="lake" connectorName="Landing" targets={targets} clockSkewMs={0} viewerWhy={viewerWhy} />, {
    backend,
  });
}

const row = (name: string) => within(screen.getAllByTestId('catalog-target-row').find((r) => r.dataset.target === name) as HTMLElement);

describe('CatalogTargets', () => {
  it('lists each target with its status, retry countdown, last run and error, and says how many fail', () => {
    render();
    expect(screen.getByTestId('catalog-targets-failing').textContent).toMatch(/^1 of 2 catalog targets failing/);
    expect(row('landing').getByText('WAITING')).toBeDefined();
    expect(row('landing').getByText('2 new, 1 changed, 0 archived')).toBeDefined();
    expect(row('incoming').getByText(/^retry 3 in 00:(19|20)$/)).toBeDefined();
    expect(row('incoming').getByText('BASIC-FILES-INTEGRATION-CONNECTORS-404-001')).toBeDefined();
    expect(row('incoming').getByText('The directory named /data/incoming does not exist')).toBeDefined();
    expect(row('incoming').getByText('Create the directory /data/incoming.')).toBeDefined();
    expect(row('landing').queryByRole('button', { name: /^Retry/ })).toBeNull();
  });

  it('resyncs one target and retries a failed one through the backend, and shows a refusal with its fix', async () => {
    const { backend, user, store } = render();
    await user.click(screen.getByRole('button', { name: 'Resync catalog target landing' }));
    await user.click(screen.getByRole('button', { name: 'Retry catalog target incoming' }));
    await settled();
    expect(backend.callsOf('catalogTargetAction')).toEqual([
      ['lake', 'Landing', 'landing', 'refresh'],
      ['lake', 'Landing', 'incoming', 'retry'],
    ]);
    expect(store.getState().notices.at(-1)?.text).toBe('Retry of catalog target incoming (Landing) done');
    backend.failNext.set(
      'catalogTargetAction',
      Object.assign(new Error('INTEGRATION-DAEMON-SERVICES-409-142 Landing is not running'), { userAction: 'Restart it.' }),
    );
    await user.click(screen.getByRole('button', { name: 'Resync catalog target landing' }));
    await settled();
    expect(store.getState().notices.at(-1)).toMatchObject({ kind: 'error', text: expect.stringContaining('Restart it.') });
  });

  it('disables Resync and Retry for a viewer token, saying why, and sends nothing', async () => {
    const why = "This console's token is a viewer token.";
    const { backend, user } = render(why);
    for (const name of ['Resync catalog target landing', 'Retry catalog target incoming']) {
      const button = screen.getByRole('button', { name });
      expect((button as HTMLButtonElement).disabled).toBe(true);
      expect(button.title).toBe(why);
      await user.click(button);
    }
    await settled();
    expect(backend.callsOf('catalogTargetAction')).toEqual([]);
  });

  it('counts a running connector whose target fails as retrying, never healthy', () => {
    expect(reportLevel({ connectorStatus: 'WAITING', catalogTargets: targets })).toBe('retrying');
    expect(reportLevel({ connectorStatus: 'WAITING', catalogTargets: targets.slice(0, 1) })).toBe('healthy');
    expect(reportLevel({ connectorStatus: 'FAILED', catalogTargets: targets })).toBe('failed');
    expect(reportLevel({ connectorStatus: 'STOPPED', catalogTargets: targets })).toBe('healthy');
  });
});
