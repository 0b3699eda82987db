// The words of an action's outcome and of why "Retry now" is not offered.
import { describe, expect, it } from 'vitest';
import { connectorOutcome, groupOutcome, retryNowUnavailable, settledSince } from '../../../renderer/logic/outcome.js';
import { report } from '../../support/console-fixtures.js';

const t = Date.UTC(2026, 0, 1, 10);
const after = new Date(t + 500).toISOString();

describe('action outcome', () => {
  it('is read only from a status reached after the request, not from one passed through', () => {
    expect(settledSince(report('A', 'RUNNING', { lastStatusChange: after }), t)).toBe(true);
    expect(settledSince(report('A', 'REFRESHING', { lastStatusChange: after }), t)).toBe(false);
    expect(settledSince(report('A', 'INITIALIZED', { lastStatusChange: after }), t)).toBe(false);
    expect(settledSince(report('A', 'RUNNING', { lastStatusChange: new Date(t - 1).toISOString() }), t)).toBe(false);
    expect(settledSince(report('A', 'RUNNING'), t)).toBe(false);
  });

  it('says "now RUNNING" or "still failing" with why and what to do', () => {
    expect(connectorOutcome('Restart A', report('A', 'RUNNING'))).toEqual({ failing: false, text: 'Restart A: done, now RUNNING' });
    const failed = report('A', 'FAILED', {
      failingExceptionMessageId: 'X-404-001',
      failingExceptionMessage: 'X-404-001 The directory is gone',
      userAction: 'Create it.',
    });
    expect(connectorOutcome('Restart A', failed)).toEqual({
      failing: true,
      text: 'Restart A: still failing, FAILED: X-404-001 The directory is gone. What to do: Create it.',
    });
    const retrying = report('A', 'RETRYING', { retry: { attempt: 1, retryLimit: 5, nextRetryAt: after, reason: '' } });
    expect(connectorOutcome('Restart A', retrying).text).toBe('Restart A: still failing, RETRYING, retry 1 of 5 pending.');
  });

  it('sums a group up and names the first still failing', () => {
    const out = groupOutcome('Restart all', [report('A', 'RUNNING'), report('B', 'FAILED', { failingExceptionMessageId: 'X-1' })], 1);
    expect(out).toEqual({ failing: true, text: 'Restart all: 1 now running, 1 still failing, 1 not settled yet (first: B FAILED: X-1)' });
  });

  it('says why "Retry now" is not offered and what to press instead', () => {
    expect(retryNowUnavailable(report('A', 'RETRYING'))).toBeNull();
    expect(retryNowUnavailable(report('A', 'FAILED'))).toBe(
      'Retry now runs a pending automatic retry, and A has FAILED with none pending. Fix the cause, then press Restart.',
    );
    expect(retryNowUnavailable(report('A', 'WAITING'))).toMatch(/Press Refresh to run it now\.$/);
  });
});
