// The recovery state on the real SQLite state store: what one daemon process wrote, the next one (a new store on the
// same file) resumes — object retry due times and attempts, the breaker's open state, connector retry records.
import { ManualClock } from '../../support/manual-clock.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MetadataServerBreaker } from '../../../electron/engine/recovery/breaker.js';
import { recordConnectorFailure } from '../../../electron/engine/recovery/connector-retries.js';
import { ObjectRetryQueue } from '../../../electron/engine/recovery/object-retries.js';
import type { ClassifiedError } from '../../../electron/engine/recovery/types.js';
import { openStateStore } from '../../../electron/engine/state/sqlite-state-store.js';
import type { StateStore } from '../../../electron/engine/state/types.js';

const MIN = 60_000;
const dirs: string[] = [];
const stores: StateStore[] = [];

function storePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'recovery-state-'));
  dirs.push(dir);
  return join(dir, 'state.db');
}
function open(path: string): StateStore {
  const store = openStateStore(path);
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const store of stores.splice(0)) {
    try {
      store.close();
    } catch {
      // Closed by the test already.
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const error = (over: Partial<ClassifiedError> = {}): ClassifiedError => ({
  source: 'thirdParty',
  category: 'network',
  scope: 'object',
  messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-500-001',
  message: 'BASIC-FILES-INTEGRATION-CONNECTORS-500-001 could not read a.csv',
  userAction: 'check it',
  retryable: true,
  exceptionClassName: 'ConnectorError',
  ...over,
});

describe('recovery state on the SQLite state store', () => {
  it('keeps object retry due times and attempts across a daemon restart', async () => {
    const path = storePath();
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const t0 = clock.now();
    const seen: { key: string; at: number; attempt: number }[] = [];
    const queueOn = (store: StateStore) =>
      new ObjectRetryQueue({
        store,
        clock,
        random: () => 0.5,
        isReady: () => true,
        onDue: async (retry) => {
          seen.push({ key: retry.objectKey, at: clock.now(), attempt: retry.attempt });
          return 'failed';
        },
      });
    const first = open(path);
    const q1 = queueOn(first);
    q1.start();
    q1.recordFailure('c1', 'a.csv', error(), { action: 'retryObject', attempt: 1, retryLimit: 10, nextRetryAt: t0 + MIN, delayMs: MIN });
    q1.recordFailure('c1', 'b.csv', error(), {
      action: 'retryObject',
      attempt: 1,
      retryLimit: 10,
      nextRetryAt: t0 + 5 * MIN,
      delayMs: 5 * MIN,
    });
    await clock.advance(MIN);
    expect(seen).toEqual([{ key: 'a.csv', at: t0 + MIN, attempt: 1 }]);
    await q1.stop();
    first.close();

    // The daemon was down for 2 minutes; a.csv's second retry (due at 3 min) is not yet due, b.csv's at 5 min neither.
    await clock.advance(MIN);
    const second = open(path);
    const q2 = queueOn(second);
    q2.start();
    expect(q2.list().map((r) => [r.objectKey, r.attempt, (r.nextRetryAt ?? 0) - t0])).toEqual([
      ['a.csv', 2, 3 * MIN],
      ['b.csv', 1, 5 * MIN],
    ]);
    await clock.advance(3 * MIN);
    expect(seen.slice(1)).toEqual([
      { key: 'a.csv', at: t0 + 3 * MIN, attempt: 2 },
      { key: 'b.csv', at: t0 + 5 * MIN, attempt: 1 },
    ]);
    await q2.stop();
  });

  it('resumes an open breaker as probe-first and a scheduled connector retry with its countdown', async () => {
    const path = storePath();
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const first = open(path);
    const probes: number[] = [];
    const breakerOn = (store: StateStore, up: boolean) =>
      new MetadataServerBreaker({
        metadataServerName: 'cocoMDS1',
        clock,
        random: () => 0.5,
        store,
        probe: async () => {
          probes.push(clock.now());
          if (!up) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        },
      });
    const b1 = breakerOn(first, false);
    b1.reportUnavailable(error({ source: 'metadataServer', scope: 'refresh', detail: 'connect ECONNREFUSED 127.0.0.1:5432' }));
    const { retry } = recordConnectorFailure({
      store: first,
      connectorId: 'c1',
      error: error({ scope: 'refresh' }),
      status: 'FATAL_ERROR',
      now: clock.now(),
      random: () => 0.5,
    });
    b1.dispose();
    first.close();

    const second = open(path);
    expect(second.getConnectorRetry('c1')).toEqual(retry);
    const b2 = breakerOn(second, true);
    expect(b2.state).toBe('OPEN');
    expect(b2.status().lastErrorMessage).toBe('connect ECONNREFUSED 127.0.0.1:5432');
    expect(probes).toEqual([]);
    await clock.advance(0);
    expect(probes).toEqual([clock.now()]);
    expect(b2.state).toBe('CLOSED');
    expect(second.getBreaker('cocoMDS1')).toMatchObject({ state: 'CLOSED', nextProbeAt: null });
    b2.dispose();
  });
});
