import { describe, expect, it } from 'vitest';
import { PendingObjectRetries } from '../../../electron/engine/lifecycle/pending-object-retries.js';
import type { StoredObjectRetry } from '../../../electron/engine/state/types.js';

const row = (connectorId: string, objectKey: string, state: 'PENDING' | 'GAVE_UP'): StoredObjectRetry => ({
  connectorId,
  objectKey,
  state,
  attempt: 1,
  retryLimit: 3,
  nextRetryAt: state === 'PENDING' ? 1 : null,
  firstFailedAt: 0,
  lastFailedAt: 0,
  lastErrorMessageId: 'X-1',
  lastErrorMessage: 'X-1 failed',
  errorSource: 'thirdParty',
  errorCategory: 'network',
});

describe('PendingObjectRetries', () => {
  it('counts pending triggers per connector through saves, give-ups and removals', () => {
    const pending = new PendingObjectRetries();
    pending.update(row('a', 'k1', 'PENDING'), false);
    pending.update(row('a', 'k1', 'PENDING'), false);
    pending.update(row('a', 'k2', 'PENDING'), false);
    pending.update(row('b', 'k1', 'GAVE_UP'), false);
    expect([pending.count('a'), pending.count('b'), pending.count('c')]).toEqual([2, 0, 0]);
    pending.update(row('a', 'k1', 'GAVE_UP'), false);
    expect(pending.count('a')).toBe(1);
    pending.update(row('a', 'k1', 'PENDING'), false);
    pending.update(row('a', 'k2', 'PENDING'), true);
    pending.update(row('b', 'k1', 'GAVE_UP'), true);
    expect([pending.count('a'), pending.count('b')]).toEqual([1, 0]);
  });
});
