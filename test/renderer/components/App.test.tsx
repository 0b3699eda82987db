// @vitest-environment happy-dom
// The console as a whole: the worst state at the top, the daemons beside the selected one, its connectors and
// audit log in tabs, the daemon form, and a notification click opening a connector's details.
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../../renderer/components/App.js';
import { report, view } from '../../support/console-fixtures.js';
import { renderConsole, settled } from '../support/render.js';

const views = [
  view('local', [report('LandingArea', 'RUNNING')], { label: 'This computer' }),
  view('lake', [report('Warehouse', 'FAILED', { failingExceptionMessageId: 'OMIS-DATABASE-INTEGRATOR-400-001' })], { label: 'Data lake' }),
];

describe('App', () => {
  it('invites the operator to add a daemon when there is none', () => {
    renderConsole(<App />);
    expect(screen.getByText('No daemon yet. Add one with “Add remote daemon”.')).toBeDefined();
    expect(screen.getByTestId('overall-health').textContent).toBe('✔ overall: healthy');
  });

  it('shows the worst state of all daemons at the top and the first daemon’s connectors', () => {
    renderConsole(<App />, { views });
    expect(screen.getByTestId('overall-health').textContent).toBe('✖ overall: failed');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('This computer');
    expect(screen.getAllByTestId('connector-row').map((r) => r.dataset.connector)).toEqual(['LandingArea']);
  });

  it('switches daemon from the sidebar', async () => {
    const { user } = renderConsole(<App />, { views });
    await user.click(screen.getByRole('button', { name: /^Data lake/ }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Data lake');
    expect(screen.getAllByTestId('connector-row').map((r) => r.dataset.connector)).toEqual(['Warehouse']);
  });

  it('switches between the connectors and the audit log, by click and with the arrow keys', async () => {
    const { user, backend } = renderConsole(<App />, { views });
    const audit = screen.getByRole('tab', { name: 'Audit log' });
    expect(screen.getByRole('tab', { name: 'Connectors' }).getAttribute('aria-selected')).toBe('true');
    await user.click(audit);
    expect(audit.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('tab-audit');
    expect(screen.getByTestId('audit-table')).toBeDefined();
    await settled();
    expect(backend.callsOf('auditLog')).toEqual([['local', { limit: 500 }]]);
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Connectors' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Connectors' }));
    expect(screen.queryByTestId('audit-table')).toBeNull();
  });

  it('opens the daemon form to add or to edit, and closes it on Cancel', async () => {
    const { user } = renderConsole(<App />, { views });
    await user.click(screen.getByRole('button', { name: '+ Add remote daemon' }));
    expect(screen.getByRole('dialog', { name: 'Add a remote daemon' })).toBeDefined();
    await user.click(within(screen.getByRole('dialog', { name: 'Add a remote daemon' })).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog', { name: 'Add a remote daemon' })).toBeNull();
    await user.click(screen.getByRole('button', { name: /^Data lake/ }));
    await user.click(screen.getByRole('button', { name: 'Edit daemon…' }));
    expect(screen.getByRole('dialog', { name: 'Edit Data lake' })).toBeDefined();
  });

  it('opens the details of the connector a notification was about, on its daemon', () => {
    const { store, container } = renderConsole(<App />, { views });
    act(() =>
      store
        .getState()
        .dispatch({ type: 'console', now: Date.now(), event: { type: 'focus-connector', daemonId: 'lake', connectorName: 'Warehouse' } }),
    );
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Data lake');
    const details = screen.getByTestId('connector-details');
    expect(within(details).getByRole('heading', { level: 2 }).textContent).toBe('Warehouse');
    expect(container.querySelector('.app')?.className).toBe('app with-details');
  });
});
