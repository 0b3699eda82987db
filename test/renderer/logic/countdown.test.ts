// The console's countdown sentences, computed from the daemon's absolute times and its clock skew.
import { describe, expect, it } from 'vitest';
import { formatCountdown } from '../../../shared/logic/duration.js';
import { probeText, reconnectText, refreshText, remainingMs, retryText } from '../../../renderer/logic/countdown.js';

const T0 = Date.parse('2026-11-25T01:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

describe('countdowns', () => {
  it('counts in the shared MM:SS / H:MM:SS format, rounding up so zero shows only when the time has come', () => {
    const retry = { attempt: 1, retryLimit: 3, nextRetryAt: at(3_723_000), reason: 'x' };
    expect(retryText(retry, T0, 0)).toBe(`retry 1 of 3 in ${formatCountdown(3_723_000)}`);
    expect(retryText(retry, T0, 0)).toBe('retry 1 of 3 in 1:02:03');
    expect(refreshText(at(400), T0, 0)).toBe('in 00:01');
  });

  it('shows the retry attempt, the limit and the time left', () => {
    const retry = { attempt: 2, retryLimit: 5, nextRetryAt: at(192_000), reason: 'x' };
    expect(retryText(retry, T0, 0)).toBe('retry 2 of 5 in 03:12');
    expect(retryText({ ...retry, retryLimit: null }, T0, 0)).toBe('retry 2 in 03:12');
  });

  it('says "retrying…" at zero and after, never a negative time', () => {
    const retry = { attempt: 1, retryLimit: 3, nextRetryAt: at(1_000), reason: 'x' };
    expect(retryText(retry, T0 + 1_000, 0)).toBe('retrying…');
    expect(retryText(retry, T0 + 60_000, 0)).toBe('retrying…');
  });

  it('words a connector waiting for the metadata server differently', () => {
    const retry = { attempt: 1, retryLimit: 3, nextRetryAt: at(7_000), reason: 'x', waitingFor: 'metadataServer' as const };
    expect(retryText(retry, T0, 0)).toBe('waiting for metadata server, next probe in 00:07');
    expect(retryText(retry, T0 + 8_000, 0)).toBe('waiting for metadata server, probing…');
  });

  it('never says "retry 0": a parked connector waits for the metadata server, even when an older daemon does not say so', () => {
    const parked = { attempt: 0, retryLimit: 3, nextRetryAt: at(7_000), reason: 'x' };
    expect(retryText({ ...parked, waitingFor: 'metadataServer' }, T0, 0)).toBe('waiting for metadata server, next probe in 00:07');
    expect(retryText(parked, T0, 0, 'metadataServer')).toBe('waiting for metadata server, next probe in 00:07');
    expect(retryText(parked, T0, 0, 'thirdParty')).toBe('retry in 00:07');
    expect(retryText(parked, T0, 0)).not.toMatch(/retry 0/);
  });

  it('corrects by the daemon clock skew', () => {
    // The daemon's clock is 60 s ahead of ours: its retry in 90 s (its time) is 30 s away.
    const retry = { attempt: 1, retryLimit: 3, nextRetryAt: at(90_000), reason: 'x' };
    expect(retryText(retry, T0, 60_000)).toBe('retry 1 of 3 in 00:30');
    expect(remainingMs(at(90_000), T0, -10_000)).toBe(100_000);
  });

  it('handles absent and malformed times', () => {
    expect(refreshText(undefined, T0, 0)).toBe('—');
    expect(remainingMs('not a date', T0, 0)).toBeNull();
    expect(refreshText(at(65_000), T0, 0)).toBe('in 01:05');
    expect(refreshText(at(-1), T0, 0)).toBe('refreshing…');
  });

  it('counts down to the metadata server probe', () => {
    expect(probeText(at(7_000), T0, 0)).toBe('next probe in 00:07');
    expect(probeText(undefined, T0, 0)).toBe('probing…');
  });

  it('counts down to a reconnect on the local clock', () => {
    expect(reconnectText(at(5_000), T0)).toBe('reconnecting in 00:05');
    expect(reconnectText(undefined, T0)).toBe('reconnecting…');
  });
});
