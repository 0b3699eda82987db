import { describe, expect, it } from 'vitest';
import type { ErrorCategory, ErrorScope, ErrorSource } from '../../../shared/api/types.js';
import { decideRecovery, errorHandlingSchema, type DecideRecoveryInput } from '../../../electron/engine/recovery/strategy.js';
import type { ClassifiedError, ErrorHandlingEntry, RecoveryDecision } from '../../../electron/engine/recovery/types.js';

const T0 = Date.UTC(2026, 0, 1, 12);
const MIN = 60_000;

const error = (source: ErrorSource, category: ErrorCategory, scope: ErrorScope = 'refresh'): ClassifiedError => ({
  source,
  category,
  scope,
  messageId: 'TEST-500-001',
  message: 'TEST-500-001 it failed',
  userAction: 'do something',
  retryable: null,
  exceptionClassName: 'Error',
});

const decide = (over: Partial<DecideRecoveryInput> & Pick<DecideRecoveryInput, 'error'>): RecoveryDecision =>
  decideRecovery({ status: 'FATAL_ERROR', attempt: 0, errorCount: 1, now: T0, random: () => 0.5, ...over });

const seed = errorHandlingSchema.parse([{ reaction: { retryLater: { initialInterval: 'PT30M', nextInterval: 'PT1H' }, stopAfter: 4 } }]);

describe('errorHandlingSchema', () => {
  it('accepts the seed’s example as written and keeps it unchanged', () => {
    expect(seed).toEqual([{ reaction: { retryLater: { initialInterval: 'PT30M', nextInterval: 'PT1H' }, stopAfter: 4 } }]);
  });

  it('accepts situations and every reaction form', () => {
    const parsed = errorHandlingSchema.parse([
      {
        situation: { status: ['PARTIAL_ERROR'], errorSource: ['thirdParty'], errorCategory: ['network'], scope: ['object'] },
        reaction: { ignore: {} },
      },
      { reaction: { ignore: true, stopAfter: 50 } },
      { reaction: { stop: {} } },
      { reaction: { retryLater: { multiplier: 3, maxInterval: 'PT6H', retryLimit: 0, jitter: 0.1 } } },
    ]);
    expect(parsed[3]).toEqual({
      reaction: { retryLater: { initialInterval: 'PT30M', multiplier: 3, maxInterval: 'PT6H', retryLimit: 0, jitter: 0.1 } },
    });
  });

  const issues = (input: unknown) => {
    const result = errorHandlingSchema.safeParse(input);
    expect(result.success).toBe(false);
    return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('says what is wrong and how to fix it', () => {
    expect(issues([{ reaction: {} }])).toEqual(['0.reaction: a reaction needs exactly one of ignore, stop or retryLater; none is given']);
    expect(issues([{ reaction: { stop: {}, ignore: true } }])).toEqual([
      '0.reaction: a reaction needs exactly one of ignore, stop or retryLater; ignore and stop are given — keep one',
    ]);
    expect(issues([{ reaction: { stop: true, stopAfter: 3 } }])).toEqual([
      '0.reaction.stopAfter: stopAfter applies only to ignore and retryLater; stop already stops at the first error — remove stopAfter',
    ]);
    expect(issues([{ reaction: { retryLater: { initialInterval: 'PT30X' } } }])[0]).toMatch(
      /^0\.reaction\.retryLater\.initialInterval: "PT30X" is not a usable ISO-8601 duration.*for example PT30M/,
    );
    expect(issues([{ reaction: { retryLater: { initialInterval: 'PT1H', maxInterval: 'PT10M' } } }])).toEqual([
      '0.reaction.retryLater.maxInterval: maxInterval (PT10M) is shorter than initialInterval (PT1H); raise maxInterval or lower initialInterval',
    ]);
    expect(issues([{ reaction: { retryLatr: {} } }])[0]).toBe(
      '0.reaction: reaction does not know "retryLatr"; allowed: ignore, stop, retryLater, stopAfter',
    );
    expect(issues([{ situation: { errorSource: ['daemon'] }, reaction: { stop: {} } }])).toEqual([
      '0.situation.errorSource.0: errorSource entries must be one of connector, thirdParty, metadataServer',
    ]);
    expect(issues([{ reaction: { retryLater: { retryLimit: 1.5 } } }])).toEqual([
      '0.reaction.retryLater.retryLimit: retryLimit must be a whole number',
    ]);
    expect(issues([{ reaction: { ignore: {}, stopAfter: 0 } }])).toEqual(['0.reaction.stopAfter: stopAfter must be ≥ 1']);
    expect(issues({})).toEqual([': errorHandling must be a list of {situation, reaction} entries']);
  });
});

describe('decideRecovery', () => {
  it('parks metadata server availability failures behind the breaker whatever is configured', () => {
    const stopAll: ErrorHandlingEntry[] = [{ reaction: { stop: true } }];
    for (const category of ['network', 'timeout'] as const) {
      for (const scope of ['object', 'refresh', 'connector'] as const) {
        expect(decide({ entries: stopAll, error: error('metadataServer', category, scope), attempt: 7, errorCount: 99 })).toEqual({
          action: 'waitForMetadataServer',
        });
      }
    }
    expect(decide({ entries: stopAll, error: error('metadataServer', 'conflict') })).toEqual({
      action: 'stop',
      status: 'FAILED',
      reason: 'strategy',
    });
  });

  it('uses the first configured entry whose situation matches; absent fields match anything', () => {
    const entries: ErrorHandlingEntry[] = [
      { situation: { status: ['PARTIAL_ERROR'], errorCategory: ['network'] }, reaction: { ignore: true } },
      { situation: { errorSource: ['thirdParty'], scope: ['refresh'] }, reaction: { stop: {} } },
      { situation: { errorCategory: ['network'] }, reaction: { retryLater: { initialInterval: 'PT5M' } } },
    ];
    expect(decide({ entries, status: 'PARTIAL_ERROR', error: error('thirdParty', 'network') })).toEqual({ action: 'ignore' });
    expect(decide({ entries, status: 'FATAL_ERROR', error: error('thirdParty', 'network') })).toEqual({
      action: 'stop',
      status: 'FAILED',
      reason: 'strategy',
    });
    expect(decide({ entries, status: 'FATAL_ERROR', error: error('thirdParty', 'network', 'connector') })).toEqual({
      action: 'retryConnector',
      attempt: 1,
      retryLimit: null,
      nextRetryAt: T0 + 5 * MIN,
      delayMs: 5 * MIN,
    });
    // No configured entry matches → built-in defaults.
    expect(decide({ entries, error: error('connector', 'configuration', 'connector') })).toEqual({
      action: 'stop',
      status: 'CONFIG_FAILED',
      reason: 'strategy',
    });
  });

  it('follows the seed’s example: retry after 30 min, then every hour, stop at the 4th error', () => {
    for (const scope of ['refresh', 'object'] as const) {
      const times: number[] = [];
      let now = T0;
      let attempt = 0;
      for (let errorCount = 1; ; errorCount++) {
        times.push(now - T0);
        const d = decide({ entries: seed, error: error('thirdParty', 'network', scope), attempt, errorCount, now });
        if (d.action === 'stop') {
          expect(d).toEqual({ action: 'stop', status: 'FAILED', reason: 'stopAfter' });
          break;
        }
        expect(d.action).toBe(scope === 'object' ? 'retryObject' : 'retryConnector');
        if (d.action !== 'retryConnector' && d.action !== 'retryObject') throw new Error('unexpected');
        expect(d.attempt).toBe(attempt + 1);
        now = d.nextRetryAt;
        attempt = d.attempt;
      }
      expect(times).toEqual([0, 30 * MIN, 90 * MIN, 150 * MIN]);
    }
  });

  it('counts retries in retryLimit: retryLimit 3 means 4 executions', () => {
    const entries: ErrorHandlingEntry[] = [{ reaction: { retryLater: { initialInterval: 'PT1M', retryLimit: 3 } } }];
    let executions = 1;
    let attempt = 0;
    for (;;) {
      const d = decide({ entries, error: error('thirdParty', 'network'), attempt, errorCount: attempt + 1 });
      if (d.action === 'stop') {
        expect(d.reason).toBe('retryLimit');
        break;
      }
      if (d.action !== 'retryConnector') throw new Error(`unexpected ${d.action}`);
      attempt = d.attempt;
      executions++;
    }
    expect(executions).toBe(4);
    const none = decide({
      entries: [{ reaction: { retryLater: { initialInterval: 'PT1M', retryLimit: 0 } } }],
      error: error('thirdParty', 'network'),
    });
    expect(none).toEqual({ action: 'stop', status: 'FAILED', reason: 'retryLimit' });
  });

  it('counts errors in stopAfter for ignore', () => {
    const entries: ErrorHandlingEntry[] = [{ reaction: { ignore: {}, stopAfter: 3 } }];
    expect([1, 2, 3].map((errorCount) => decide({ entries, error: error('thirdParty', 'notFound'), errorCount }).action)).toEqual([
      'ignore',
      'ignore',
      'stop',
    ]);
  });

  describe('built-in defaults', () => {
    const delays = (e: ClassifiedError, attempts: number[], random = () => 0.5) =>
      attempts.map((attempt) => {
        const d = decide({ error: e, attempt, errorCount: attempt + 1, random });
        return d.action === 'retryConnector' || d.action === 'retryObject' ? d.delayMs : d.action;
      });

    it('stops configuration errors of the connector with CONFIG_FAILED', () => {
      expect(decide({ error: error('connector', 'configuration', 'connector') })).toEqual({
        action: 'stop',
        status: 'CONFIG_FAILED',
        reason: 'strategy',
      });
      expect(decide({ error: error('thirdParty', 'configuration', 'refresh') })).toEqual({
        action: 'stop',
        status: 'CONFIG_FAILED',
        reason: 'strategy',
      });
    });

    it('retries third-party unavailability without limit: 10 s ×2 capped at 5 min, ±20 %', () => {
      for (const category of ['network', 'timeout', 'notFound', 'conflict', 'generic'] as const) {
        for (const scope of ['connector', 'refresh'] as const) {
          expect(delays(error('thirdParty', category, scope), [0, 1, 2, 3, 4, 5, 500])).toEqual([
            10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000,
          ]);
        }
      }
      expect(delays(error('thirdParty', 'network'), [0, 3], () => 0)).toEqual([8_000, 64_000]);
      expect(delays(error('thirdParty', 'network'), [0, 3], () => 0.999_999)).toEqual([12_000, 96_000]);
      const d = decide({ error: error('thirdParty', 'network'), attempt: 2 });
      expect(d).toEqual({ action: 'retryConnector', attempt: 3, retryLimit: null, nextRetryAt: T0 + 40_000, delayMs: 40_000 });
    });

    it('retries third-party security errors 3 times, then stops FAILED', () => {
      expect(delays(error('thirdParty', 'security'), [0, 1, 2, 3])).toEqual([10_000, 20_000, 40_000, 'stop']);
      expect(decide({ error: error('thirdParty', 'security'), attempt: 3 })).toEqual({
        action: 'stop',
        status: 'FAILED',
        reason: 'retryLimit',
      });
    });

    it('restarts a crashing connector 5 times, then stops FAILED', () => {
      expect(delays(error('connector', 'generic', 'connector'), [0, 1, 2, 3, 4, 5])).toEqual([
        10_000,
        20_000,
        40_000,
        80_000,
        160_000,
        'stop',
      ]);
      expect(decide({ error: error('connector', 'generic'), attempt: 5 })).toMatchObject({ status: 'FAILED', reason: 'retryLimit' });
    });

    it('retries objects 1 min ×2 capped at 6 h, 10 times; configuration and security only 3 times', () => {
      expect(delays(error('thirdParty', 'network', 'object'), [0, 1, 2, 8, 9, 10])).toEqual([
        60_000,
        120_000,
        240_000,
        15_360_000,
        21_600_000,
        'stop',
      ]);
      expect(decide({ error: error('thirdParty', 'network', 'object') })).toMatchObject({ action: 'retryObject', retryLimit: 10 });
      for (const category of ['configuration', 'security'] as const) {
        expect(delays(error('connector', category, 'object'), [0, 1, 2, 3])).toEqual([60_000, 120_000, 240_000, 'stop']);
      }
    });
  });
});
