// @vitest-environment happy-dom
// The outcome of the operator's actions (confirmations fade, errors stay until dismissed) and the live region that
// reads connector status changes out.
import { act, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Notices, StatusAnnouncer } from '../../../renderer/components/Notices.js';
import { NOTICE_COLLAPSE_MS } from '../../../renderer/store/store.js';
import { view } from '../../support/console-fixtures.js';
import { renderConsole } from '../support/render.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('Notices', () => {
  it('lets confirmations fade after a few seconds and keeps errors until dismissed', async () => {
    vi.useFakeTimers();
    const { store } = renderConsole(<Notices />);
    act(() => {
      store.getState().notify('info', 'Restart LandingArea: requested');
      store.getState().notify('error', 'Refresh all failed: X-503-001 unreachable');
    });
    expect(screen.getAllByTestId('notice').map((n) => n.textContent)).toEqual([
      'Restart LandingArea: requested✕',
      'Refresh all failed: X-503-001 unreachable✕',
    ]);
    await act(async () => {
      vi.advanceTimersByTime(6_000);
    });
    expect(screen.getAllByTestId('notice').map((n) => n.textContent)).toEqual(['Refresh all failed: X-503-001 unreachable✕']);
    act(() => screen.getByRole('button', { name: 'Dismiss' }).click());
    expect(screen.queryAllByTestId('notice')).toEqual([]);
  });

  it('shows identical notices close together as one with a count, and a later one anew', () => {
    vi.useFakeTimers();
    let now = Date.now();
    const { store } = renderConsole(<Notices />);
    act(() => {
      for (let i = 0; i < 3; i++) store.getState().notify('error', 'Refresh all failed: X-503-001 unreachable');
      store.getState().notify('info', 'Restart A: requested');
    });
    expect(screen.getAllByTestId('notice').map((n) => n.textContent)).toEqual([
      'Refresh all failed: X-503-001 unreachable×3✕',
      'Restart A: requested✕',
    ]);
    // The repeat moves to the end as the newest.
    now += NOTICE_COLLAPSE_MS - 1;
    vi.setSystemTime(now);
    act(() => void store.getState().notify('error', 'Refresh all failed: X-503-001 unreachable'));
    expect(screen.getAllByTestId('notice').map((n) => n.textContent)).toEqual([
      'Restart A: requested✕',
      'Refresh all failed: X-503-001 unreachable×4✕',
    ]);
    // Long after the last one, the same words are news again.
    now += NOTICE_COLLAPSE_MS;
    vi.setSystemTime(now);
    act(() => void store.getState().notify('error', 'Refresh all failed: X-503-001 unreachable'));
    expect(screen.getAllByTestId('notice')).toHaveLength(3);
    expect(screen.getAllByTestId('notice-count').map((n) => n.textContent)).toEqual(['×4']);
  });

  it('joins an action’s outcome to an identical one shown a moment before', () => {
    const { store } = renderConsole(<Notices />);
    act(() => {
      const first = store.getState().notify('info', 'Refresh A: requested');
      store.getState().update(first, 'info', 'Refresh A: done, now WAITING');
      const second = store.getState().notify('info', 'Refresh A: requested');
      store.getState().update(second, 'info', 'Refresh A: done, now WAITING');
    });
    expect(screen.getAllByTestId('notice').map((n) => n.textContent)).toEqual(['Refresh A: done, now WAITING×2✕']);
  });

  it('announces a daemon that is lost to screen readers', () => {
    const { store } = renderConsole(<StatusAnnouncer />, { views: [view('lake', [], { label: 'Data lake' })] });
    act(() =>
      store.getState().dispatch({
        type: 'console',
        now: Date.now(),
        event: { type: 'daemon', view: view('lake', [], { label: 'Data lake', connection: 'disconnected' }) },
      }),
    );
    expect(screen.getByTestId('announcer').textContent).toBe('Data lake: disconnected');
    expect(screen.getByTestId('announcer').getAttribute('aria-live')).toBe('polite');
  });
});
