// @vitest-environment happy-dom
// The countdown cells: computed from absolute times on the local clock (corrected by the daemon's skew) and
// ticking once a second without any message from the daemon.
import { act, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProbeCountdown, ReconnectCountdown, RefreshCountdown, RetryCountdown } from '../../../renderer/components/Countdown.js';
import { renderConsole } from '../support/render.js';

const T0 = Date.parse('2026-11-25T01:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

async function tick(ms: number): Promise<void> {
  await act(async () => {
    vi.advanceTimersByTime(ms);
  });
}

describe('Countdown', () => {
  it('counts a retry down every second and says "retrying…" when the moment has come', async () => {
    renderConsole(<RetryCountdown retry={{ attempt: 2, retryLimit: 5, nextRetryAt: at(30_000), reason: 'x' }} clockSkewMs={0} connected />);
    const cell = screen.getByTestId('retry-countdown');
    expect(cell.textContent).toBe('retry 2 of 5 in 00:30');
    await tick(10_000);
    expect(cell.textContent).toBe('retry 2 of 5 in 00:20');
    await tick(20_000);
    expect(cell.textContent).toBe('retrying…');
  });

  it('counts on the daemon’s clock: a daemon 60 s ahead has its retry 60 s sooner', () => {
    renderConsole(
      <RetryCountdown retry={{ attempt: 1, retryLimit: null, nextRetryAt: at(90_000), reason: 'x' }} clockSkewMs={60_000} connected />,
    );
    expect(screen.getByTestId('retry-countdown').textContent).toBe('retry 1 in 00:30');
  });

  it('shows the next refresh, the next reconnect and the next metadata-server probe', async () => {
    renderConsole(
      <>
        <RefreshCountdown at={at(3_723_000)} clockSkewMs={0} connected />
        <ReconnectCountdown at={at(5_000)} />
        <ProbeCountdown at={at(7_000)} clockSkewMs={0} />
      </>,
    );
    expect(screen.getByTestId('refresh-countdown').textContent).toBe('in 1:02:03');
    expect(screen.getByTestId('reconnect-countdown').textContent).toBe('reconnecting in 00:05');
    expect(screen.getByTestId('probe-countdown').textContent).toBe('next probe in 00:07');
    await tick(6_000);
    expect(screen.getByTestId('reconnect-countdown').textContent).toBe('reconnecting…');
    expect(screen.getByTestId('probe-countdown').textContent).toBe('next probe in 00:01');
  });

  it('stops its ticker when the last countdown leaves the screen', () => {
    const { unmount } = renderConsole(<RefreshCountdown at={at(60_000)} clockSkewMs={0} connected />);
    expect(vi.getTimerCount()).toBe(1);
    unmount();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not count down a retry or refresh of a daemon it cannot reach, and keeps what it knows', async () => {
    const retry = { attempt: 2, retryLimit: 5, nextRetryAt: at(30_000), reason: 'x' };
    const { rerender } = renderConsole(
      <>
        <RetryCountdown retry={retry} clockSkewMs={0} connected={false} />
        <RefreshCountdown at={at(60_000)} clockSkewMs={0} connected={false} />
        <RetryCountdown
          retry={{ attempt: 0, retryLimit: null, nextRetryAt: at(10_000), reason: 'x', waitingFor: 'metadataServer' }}
          clockSkewMs={0}
          connected={false}
        />
      </>,
    );
    const [retryCell, parkedCell] = screen.getAllByTestId('retry-countdown');
    expect(retryCell?.textContent).toBe('retry 2 of 5, time unknown');
    expect(parkedCell?.textContent).toBe('waiting for metadata server');
    expect(screen.getByTestId('refresh-countdown').textContent).toBe('unknown');
    // Nothing ticks for cells that do not count.
    expect(vi.getTimerCount()).toBe(0);
    rerender(<RetryCountdown retry={retry} clockSkewMs={0} connected />);
    expect(screen.getByTestId('retry-countdown').textContent).toBe('retry 2 of 5 in 00:30');
    await tick(1_000);
    expect(screen.getByTestId('retry-countdown').textContent).toBe('retry 2 of 5 in 00:29');
  });
});
