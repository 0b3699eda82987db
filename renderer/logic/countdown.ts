// The console's countdown sentences (retry, refresh, reconnect, probe), computed locally from the daemon's absolute
// times. The daemon never sends ticks; the console corrects its own clock by the skew it measured (daemon time −
// local time) so a laptop whose clock is off by minutes still counts down to the daemon's real retry time. The
// `MM:SS` figure itself is shared/logic/duration.ts's, the same the CLI prints.
import type { ErrorSource, RetryInfo } from '../../shared/api/types.js';
import { formatCountdown } from '../../shared/logic/duration.js';

/** Milliseconds until `targetIso` on the daemon's clock; null when there is no (valid) target. */
export function remainingMs(targetIso: string | undefined, localNowMs: number, clockSkewMs: number): number | null {
  if (!targetIso) return null;
  const target = Date.parse(targetIso);
  if (Number.isNaN(target)) return null;
  return target - (localNowMs + clockSkewMs);
}

/**
 * A connector parked behind the metadata server consumes no attempt (attempt 0). A daemon of an earlier version
 * does not say `waitingFor`: its metadata server error source says it, and an attempt 0 is never shown as "retry 0".
 */
export function retryText(retry: RetryInfo, localNowMs: number, clockSkewMs: number, errorSource?: ErrorSource): string {
  const left = remainingMs(retry.nextRetryAt, localNowMs, clockSkewMs);
  const parked = retry.attempt < 1;
  if (retry.waitingFor === 'metadataServer' || (parked && errorSource === 'metadataServer')) {
    if (left === null || left <= 0) return 'waiting for metadata server, probing…';
    return `waiting for metadata server, next probe in ${formatCountdown(left)}`;
  }
  if (left === null || left <= 0) return 'retrying…';
  if (parked) return `retry in ${formatCountdown(left)}`;
  const of = retry.retryLimit === null ? '' : ` of ${retry.retryLimit}`;
  return `retry ${retry.attempt}${of} in ${formatCountdown(left)}`;
}

/**
 * While the console cannot reach the daemon it cannot know when a retry or refresh happens (the daemon may be gone),
 * so the last known time is not counted down: the cell keeps what is known and says the time is not (the list says
 * above it that the daemon cannot be reached). Short, for the list's timing column.
 */
export const TIME_UNKNOWN_WHILE_DISCONNECTED = 'unknown';

export function retryTextWhileDisconnected(retry: RetryInfo, errorSource?: ErrorSource): string {
  const parked = retry.attempt < 1;
  if (retry.waitingFor === 'metadataServer' || (parked && errorSource === 'metadataServer')) return 'waiting for metadata server';
  if (parked) return 'retry time unknown';
  const of = retry.retryLimit === null ? '' : ` of ${retry.retryLimit}`;
  return `retry ${retry.attempt}${of}, time unknown`;
}

export function refreshText(nextRefreshAt: string | undefined, localNowMs: number, clockSkewMs: number): string {
  const left = remainingMs(nextRefreshAt, localNowMs, clockSkewMs);
  if (left === null) return '—';
  if (left <= 0) return 'refreshing…';
  return `in ${formatCountdown(left)}`;
}

export function reconnectText(nextReconnectAt: string | undefined, localNowMs: number): string {
  // Reconnect times are set by this console (browser mode) or the desktop main process, both on the local clock.
  const left = remainingMs(nextReconnectAt, localNowMs, 0);
  if (left === null || left <= 0) return 'reconnecting…';
  return `reconnecting in ${formatCountdown(left)}`;
}

/** The metadata server's circuit breaker: when its next single probe goes out. */
export function probeText(nextProbeAt: string | undefined, localNowMs: number, clockSkewMs: number): string {
  const left = remainingMs(nextProbeAt, localNowMs, clockSkewMs);
  if (left === null || left <= 0) return 'probing…';
  return `next probe in ${formatCountdown(left)}`;
}
