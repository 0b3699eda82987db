// Countdown texts computed locally from the daemon's absolute times. The daemon never sends ticks; the console
// corrects its own clock by the skew it measured (daemon time − local time) so a laptop whose clock is off by
// minutes still counts down to the daemon's real retry time.
import type { RetryInfo } from '../../shared/api/types.js';

/** Milliseconds until `targetIso` on the daemon's clock; null when there is no (valid) target. */
export function remainingMs(targetIso: string | undefined, localNowMs: number, clockSkewMs: number): number | null {
  if (!targetIso) return null;
  const target = Date.parse(targetIso);
  if (Number.isNaN(target)) return null;
  return target - (localNowMs + clockSkewMs);
}

/**
 * `MM:SS`, or `H:MM:SS` from one hour. Rounds up so the display reaches 00:00 only when the time has really
 * come: a retry due in 0.4 s still reads 00:01, never a premature zero.
 */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = String(minutes).padStart(2, '0');
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function retryText(retry: RetryInfo, localNowMs: number, clockSkewMs: number): string {
  const left = remainingMs(retry.nextRetryAt, localNowMs, clockSkewMs);
  if (retry.waitingFor === 'metadataServer') {
    if (left === null || left <= 0) return 'waiting for metadata server, checking…';
    return `waiting for metadata server, next check in ${formatClock(left)}`;
  }
  if (left === null || left <= 0) return 'retrying…';
  const of = retry.retryLimit === null ? '' : ` of ${retry.retryLimit}`;
  return `retry ${retry.attempt}${of} in ${formatClock(left)}`;
}

export function refreshText(nextRefreshAt: string | undefined, localNowMs: number, clockSkewMs: number): string {
  const left = remainingMs(nextRefreshAt, localNowMs, clockSkewMs);
  if (left === null) return '—';
  if (left <= 0) return 'refreshing…';
  return `in ${formatClock(left)}`;
}

export function reconnectText(nextReconnectAt: string | undefined, localNowMs: number): string {
  // Reconnect times are set by this console (browser mode) or the desktop main process, both on the local clock.
  const left = remainingMs(nextReconnectAt, localNowMs, 0);
  if (left === null || left <= 0) return 'reconnecting…';
  return `reconnecting in ${formatClock(left)}`;
}

/** The metadata server's circuit breaker: when its next single probe goes out. */
export function probeText(nextProbeAt: string | undefined, localNowMs: number, clockSkewMs: number): string {
  const left = remainingMs(nextProbeAt, localNowMs, clockSkewMs);
  if (left === null || left <= 0) return 'checking…';
  return `next check in ${formatClock(left)}`;
}
