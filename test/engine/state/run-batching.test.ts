// Run records written in groups: the writes of one task reach the real SQLite state file as one transaction (or
// several on consecutive turns, once a turn's budget is spent), readers see every run at once, the newest snapshot
// of a run wins, and closing writes what is waiting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectorRun } from '../../../shared/api/types.js';
import { batchingRunWrites } from '../../../electron/engine/state/run-batching.js';
import { openStateStore } from '../../../electron/engine/state/sqlite-state-store.js';
import type { StateStore } from '../../../electron/engine/state/types.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function stores(turnBudgetMs = Number.POSITIVE_INFINITY): {
  path: string;
  real: StateStore;
  batches: number[];
  errors: string[];
  store: StateStore;
} {
  const directory = mkdtempSync(join(tmpdir(), 'run-batching-'));
  directories.push(directory);
  const path = join(directory, 'state.db');
  const real = openStateStore(path);
  const batches: number[] = [];
  const putRun = real.putRun.bind(real);
  /** Counts the puts `work` makes inside `batch` (either kind of batch of the real store). */
  const counted = <T>(batch: (work: () => void) => T, work: () => void): T => {
    let puts = 0;
    const result = batch(() => {
      counting.putRun = (run, keep) => {
        puts++;
        putRun(run, keep);
      };
      work();
    });
    batches.push(puts);
    return result;
  };
  const counting: StateStore = Object.assign(Object.create(real) as StateStore, {
    batch: (work: () => void) => counted((w) => real.batch?.(w), work),
    batchSyncedLater: (work: () => void) => counted((w) => real.batchSyncedLater?.(w) ?? Promise.resolve(), work),
  });
  const errors: string[] = [];
  return { path, real, batches, errors, store: batchingRunWrites(counting, (what) => errors.push(what), turnBudgetMs) };
}

const run = (i: number, state: ConnectorRun['state'] = 'RUNNING'): ConnectorRun => ({
  runId: `run-${i}`,
  connectorName: `Connector${i % 3}`,
  connectorId: `c-${i % 3}`,
  connectorInstanceId: 'i-1',
  trigger: 'start',
  startedAt: new Date(1_700_000_000_000 + i).toISOString(),
  state,
  counts: { discovered: 0, created: 0, updated: 0, unchanged: 0, archived: 0, failed: 0 },
});

describe('batchingRunWrites', () => {
  it('writes what a turn has no budget left for on the next turns, every run in the end', async () => {
    const { store, batches, real } = stores(0);
    for (let i = 0; i < 3; i++) store.putRun(run(i), 50);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([1]);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([1, 1, 1]);
    store.putRun(run(3), 50);
    store.putRun(run(4), 50);
    // A reader sees every run at once, whatever the budget.
    expect(real.listRuns({ limit: 10 })).toHaveLength(3);
    expect(store.listRuns({ limit: 10 })).toHaveLength(5);
    store.close();
  });

  it('writes the runs of one task in one transaction, after the task', async () => {
    const { store, batches, real } = stores();
    for (let i = 0; i < 100; i++) store.putRun(run(i), 50);
    expect(batches).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([100]);
    expect(real.listRuns({ limit: 1000 })).toHaveLength(100);
    store.close();
  });

  it('lets readers see every run at once, the newest snapshot of each', () => {
    const { store } = stores();
    store.putRun(run(1), 50);
    store.putRun({ ...run(1, 'SUCCEEDED'), finishedAt: new Date(1_700_000_001_000).toISOString() }, 50);
    store.putRun(run(2), 50);
    expect(store.listRuns({ limit: 10 }).map((r) => [r.runId, r.state])).toEqual([
      ['run-2', 'RUNNING'],
      ['run-1', 'SUCCEEDED'],
    ]);
    store.close();
  });

  it('writes what is waiting when the store closes', () => {
    const { store, path } = stores();
    store.putRun(run(7), 50);
    store.close();
    const reopened = openStateStore(path);
    expect(reopened.listRuns({ limit: 10 }).map((r) => r.runId)).toEqual(['run-7']);
    reopened.close();
  });

  it('reports a run the store refuses and still writes the others', async () => {
    const { store, errors } = stores();
    store.putRun({ ...run(1), startedAt: 'not a time' }, 50);
    store.putRun(run(2), 50);
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual(['storing run run-1 of integration connector Connector1']);
    expect(store.listRuns({ limit: 10 }).map((r) => r.runId)).toEqual(['run-2']);
    store.close();
  });
});
