// @vitest-environment happy-dom
// The daemon list: each daemon's health in words and symbol (not colour alone), its counts, and selection.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Sidebar } from '../../../renderer/components/Sidebar.js';
import { report, view } from '../../support/console-fixtures.js';
import { renderConsole } from '../support/render.js';

const views = [
  view('local', [report('A', 'RUNNING'), report('B', 'FAILED'), report('C', 'RETRYING')], { label: 'This computer' }),
  view('lake', [report('D', 'RUNNING')], { label: 'Data lake' }),
  view('gone', [report('E', 'FAILED')], {
    label: 'Old server',
    connection: 'disconnected',
    nextReconnectAt: new Date(Date.now() + 65_000).toISOString(),
  }),
  view('new', undefined, { label: 'Fresh', connection: 'connecting' }),
];

function item(label: string): HTMLElement {
  return screen.getByRole('button', { name: new RegExp(`^${label}`) });
}

describe('Sidebar', () => {
  it('lists every daemon with its health and counts, the local one tagged', () => {
    renderConsole(<Sidebar onAdd={() => {}} />, { views });
    const daemons = within(screen.getByRole('navigation', { name: 'Daemons' })).getAllByTestId('daemon-item');
    expect(daemons.map((d) => d.dataset.health)).toEqual(['failed', 'healthy', 'failed', 'disconnected']);
    expect(item('This computer').textContent).toContain('local');
    expect(item('This computer').textContent).toContain('✖');
    expect(item('This computer').textContent).toContain('1 failed · 1 retrying · 1 ok');
    expect(item('Data lake').textContent).toContain('0 failed · 0 retrying · 1 ok');
    expect(item('Data lake').textContent).not.toContain('local');
  });

  it('says when a daemon cannot be reached, with its last known state and the reconnect countdown', () => {
    renderConsole(<Sidebar onAdd={() => {}} />, { views });
    // Its last known failure stays visible: failed is worse than disconnected.
    expect(item('Old server').textContent).toContain('failed (last known), disconnected');
    expect(within(item('Old server')).getByTestId('reconnect-countdown').textContent).toMatch(/^reconnecting in 01:0[45]$/);
    expect(item('Fresh').textContent).toContain('connecting…');
    expect(item('Fresh').textContent).toContain('no status yet');
  });

  it('selects the daemon clicked, marks it current, and offers to add a remote daemon', async () => {
    let added = 0;
    const { store, user } = renderConsole(<Sidebar onAdd={() => added++} />, { views });
    expect(item('This computer').getAttribute('aria-current')).toBe('true');
    await user.click(item('Data lake'));
    expect(store.getState().model.selectedDaemonId).toBe('lake');
    expect(item('Data lake').getAttribute('aria-current')).toBe('true');
    expect(item('This computer').getAttribute('aria-current')).toBeNull();
    await user.click(screen.getByRole('button', { name: '+ Add remote daemon' }));
    expect(added).toBe(1);
  });
});
