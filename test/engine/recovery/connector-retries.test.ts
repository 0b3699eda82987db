import { describe, expect, it } from 'vitest';
import {
  noteConnectorHealthy,
  recordConnectorFailure,
  type ConnectorFailureInput,
} from '../../../electron/engine/recovery/connector-retries.js';
import { errorHandlingSchema } from '../../../electron/engine/recovery/strategy.js';
import type { ClassifiedError } from '../../../electron/engine/recovery/types.js';
import { MemoryStateStore } from './fakes.js';

const T0 = Date.UTC(2026, 0, 1, 12);
const MIN = 60_000;

const crash: ClassifiedError = {
  source: 'connector',
  category: 'generic',
  scope: 'refresh',
  messageId: 'INTEGRATION-DAEMON-SERVICES-500-031',
  message:
    'INTEGRATION-DAEMON-SERVICES-500-031 The integration connector c1 method refresh has returned with a TypeError exception containing message boom',
  userAction: 'fix it',
  retryable: null,
  exceptionClassName: 'TypeError',
};

describe('connector retry records', () => {
  const fail = (store: MemoryStateStore, now: number, over: Partial<ConnectorFailureInput> = {}) =>
    recordConnectorFailure({ store, connectorId: 'c1', error: crash, status: 'FATAL_ERROR', now, random: () => 0.5, ...over });

  it('numbers the retries of a streak, persists each, and ends it with stop after the limit', () => {
    const store = new MemoryStateStore();
    let now = T0;
    const attempts: number[] = [];
    for (;;) {
      const { decision, retry } = fail(store, now);
      if (decision.action === 'stop') {
        expect(decision).toEqual({ action: 'stop', status: 'FAILED', reason: 'retryLimit' });
        expect(retry).toBeUndefined();
        expect(store.getConnectorRetry('c1')).toBeUndefined();
        break;
      }
      expect(store.getConnectorRetry('c1')).toEqual(retry);
      attempts.push(retry!.attempt);
      now = retry!.nextRetryAt + 5_000;
    }
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
  });

  it('stores what the console needs', () => {
    const store = new MemoryStateStore();
    const { retry } = fail(store, T0);
    expect(retry).toEqual({
      connectorId: 'c1',
      attempt: 1,
      retryLimit: 5,
      nextRetryAt: T0 + 10_000,
      reason: crash.message,
      messageId: crash.messageId,
      errorSource: 'connector',
      errorCategory: 'generic',
      errorCount: 1,
      firstFailedAt: T0,
    });
  });

  it('consumes nothing while the metadata server is unavailable', () => {
    const store = new MemoryStateStore();
    const first = fail(store, T0).retry;
    const parked = fail(store, T0 + 20_000, { error: { ...crash, source: 'metadataServer', category: 'network' } });
    expect(parked.decision).toEqual({ action: 'waitForMetadataServer' });
    expect(store.getConnectorRetry('c1')).toEqual(first);
  });

  it('starts a new streak after 10 healthy minutes', () => {
    const store = new MemoryStateStore();
    const first = fail(store, T0).retry!;
    const second = fail(store, first.nextRetryAt + MIN).retry!;
    expect(second.attempt).toBe(2);
    expect(noteConnectorHealthy(store, 'c1', second.nextRetryAt + 9 * MIN)).toBe(false);
    const again = fail(store, second.nextRetryAt + 10 * MIN).retry!;
    expect(again).toMatchObject({ attempt: 1, errorCount: 1, firstFailedAt: second.nextRetryAt + 10 * MIN });
    expect(noteConnectorHealthy(store, 'c1', again.nextRetryAt + 10 * MIN)).toBe(true);
    expect(store.getConnectorRetry('c1')).toBeUndefined();
  });

  it('keeps counting errors for stopAfter when the reaction is ignore', () => {
    const store = new MemoryStateStore();
    const entries = errorHandlingSchema.parse([{ reaction: { ignore: {}, stopAfter: 3 } }]);
    const actions = [0, 1, 2].map((i) => fail(store, T0 + i * MIN, { entries }).decision.action);
    expect(actions).toEqual(['ignore', 'ignore', 'stop']);
    // A fresh streak that is ignored schedules no retry: its record only counts errors.
    expect(fail(store, T0, { entries }).retry).toMatchObject({ attempt: 0 });
  });

  it('stops configuration errors with CONFIG_FAILED at the first error', () => {
    const store = new MemoryStateStore();
    const { decision } = fail(store, T0, { error: { ...crash, category: 'configuration' } });
    expect(decision).toEqual({ action: 'stop', status: 'CONFIG_FAILED', reason: 'strategy' });
  });
});
