import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectorRun } from '../../../shared/api/types.js';
import { openStateStore, StateStoreError } from '../../../electron/engine/state/sqlite-state-store.js';
import { heldArchiveKey, type StateStore, type StoredHeldArchive, type StoredObjectRetry } from '../../../electron/engine/state/types.js';

const directories: string[] = [];
const stores: StateStore[] = [];
function statePath(): string {
  const directory = mkdtempSync(join(tmpdir(), 'state-store-'));
  directories.push(directory);
  return join(directory, 'nested', 'state.db');
}
function open(path: string): StateStore {
  const store = openStateStore(path);
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const retry = (objectKey: string, overrides: Partial<StoredObjectRetry> = {}): StoredObjectRetry => ({
  connectorId: 'c-1',
  objectKey,
  state: 'PENDING',
  attempt: 1,
  retryLimit: 5,
  nextRetryAt: 2_000,
  firstFailedAt: 1_000,
  lastFailedAt: 1_000,
  lastErrorMessageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001',
  lastErrorMessage: 'gone',
  errorSource: 'thirdParty',
  errorCategory: 'notFound',
  ...overrides,
});

const run = (runId: string, connectorName: string, startedAt: string, overrides: Partial<ConnectorRun> = {}): ConnectorRun => ({
  runId,
  connectorName,
  connectorId: `id-${connectorName}`,
  connectorInstanceId: 'i-1',
  trigger: 'schedule',
  startedAt,
  state: 'SUCCEEDED',
  counts: { discovered: 3, created: 1, updated: 1, unchanged: 1, archived: 0, failed: 0 },
  ...overrides,
});

describe('SQLite state store', () => {
  it('creates its directory and uses WAL with synchronous FULL', () => {
    const path = statePath();
    const store = open(path);
    expect(store.path).toBe(path);
    store.close();
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('puts, replaces, lists and deletes object retries', () => {
    const store = open(statePath());
    store.putObjectRetry(retry('/b', { nextRetryAt: 3_000 }));
    store.putObjectRetry(retry('/a'));
    store.putObjectRetry(retry('/gave-up', { state: 'GAVE_UP', nextRetryAt: null, retryLimit: null }));
    store.putObjectRetry(retry('/other', { connectorId: 'c-2' }));
    expect(store.getObjectRetry('c-1', '/a')).toEqual(retry('/a'));
    expect(store.getObjectRetry('c-1', '/missing')).toBeUndefined();
    expect(store.listObjectRetries('c-1').map((r) => r.objectKey)).toEqual(['/a', '/b', '/gave-up']);
    expect(store.listObjectRetries().map((r) => `${r.connectorId}${r.objectKey}`)).toEqual(['c-1/a', 'c-1/b', 'c-1/gave-up', 'c-2/other']);
    expect(store.getObjectRetry('c-1', '/gave-up')).toMatchObject({ state: 'GAVE_UP', nextRetryAt: null, retryLimit: null });

    store.putObjectRetry(retry('/a', { attempt: 2, nextRetryAt: 9_000, lastErrorMessage: 'still gone' }));
    expect(store.getObjectRetry('c-1', '/a')).toMatchObject({ attempt: 2, nextRetryAt: 9_000, lastErrorMessage: 'still gone' });
    expect(store.listObjectRetries('c-1')).toHaveLength(3);

    store.deleteObjectRetry('c-1', '/a');
    store.deleteObjectRetry('c-1', '/never-there');
    expect(store.listObjectRetries('c-1').map((r) => r.objectKey)).toEqual(['/b', '/gave-up']);
  });

  it('writes a batch of puts as one transaction: all of it or none of it', () => {
    const store = open(statePath());
    store.batch!(() => {
      for (let i = 0; i < 500; i++) store.putObjectRetry(retry(`/batch/${i}`));
      store.putRun(run('r-1', 'files', '2026-11-25T00:00:00.000Z'), 10);
    });
    expect(store.listObjectRetries('c-1')).toHaveLength(500);
    expect(store.listRuns({ limit: 10 })).toHaveLength(1);
    expect(() =>
      store.batch!(() => {
        store.putObjectRetry(retry('/never-kept'));
        throw new Error('the caller failed half way');
      }),
    ).toThrow('the caller failed half way');
    expect(store.getObjectRetry('c-1', '/never-kept')).toBeUndefined();
  });

  it('keeps connector retries and breakers', () => {
    const store = open(statePath());
    const connectorRetry = {
      connectorId: 'c-1',
      attempt: 3,
      retryLimit: null,
      nextRetryAt: 50_000,
      reason: 'down',
      messageId: 'M-1',
      errorSource: 'metadataServer' as const,
      errorCategory: 'network' as const,
      errorCount: 4,
      firstFailedAt: 10,
    };
    store.putConnectorRetry(connectorRetry);
    store.putConnectorRetry({ ...connectorRetry, connectorId: 'c-0', nextRetryAt: 60_000 });
    expect(store.getConnectorRetry('c-1')).toEqual(connectorRetry);
    expect(store.listConnectorRetries().map((r) => r.connectorId)).toEqual(['c-1', 'c-0']);
    store.putConnectorRetry({ ...connectorRetry, attempt: 4 });
    expect(store.getConnectorRetry('c-1')?.attempt).toBe(4);
    store.deleteConnectorRetry('c-1');
    expect(store.getConnectorRetry('c-1')).toBeUndefined();

    expect(store.getBreaker('shared')).toBeUndefined();
    const breaker = {
      metadataServerName: 'shared',
      state: 'OPEN' as const,
      since: 5,
      nextProbeAt: 500,
      openCount: 2,
      lastErrorMessage: 'refused',
    };
    store.putBreaker(breaker);
    expect(store.getBreaker('shared')).toEqual(breaker);
    store.putBreaker({ ...breaker, state: 'CLOSED', nextProbeAt: null, openCount: 0, lastErrorMessage: null });
    expect(store.getBreaker('shared')).toMatchObject({ state: 'CLOSED', nextProbeAt: null, lastErrorMessage: null });
  });

  it('keeps the newest runs per connector and lists them newest first', () => {
    const store = open(statePath());
    for (let i = 0; i < 8; i++) store.putRun(run(`a-${i}`, 'alpha', new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString()), 5);
    store.putRun(run('b-0', 'beta', '2025-01-01T00:30:00.000Z', { state: 'RUNNING' }), 5);
    expect(store.listRuns({ connectorName: 'alpha', limit: 100 }).map((r) => r.runId)).toEqual(['a-7', 'a-6', 'a-5', 'a-4', 'a-3']);
    expect(store.listRuns({ limit: 2 }).map((r) => r.runId)).toEqual(['b-0', 'a-7']);

    const finished = run('b-0', 'beta', '2025-01-01T00:30:00.000Z', {
      state: 'FAILED',
      finishedAt: '2025-01-01T00:31:00.000Z',
      durationMs: 60_000,
      failingExceptionMessageId: 'X-1',
      failingExceptionMessage: 'boom',
    });
    store.putRun(finished, 5);
    expect(store.listRuns({ connectorName: 'beta', limit: 10 })).toEqual([finished]);
    expect(store.listRuns({ connectorName: 'nobody', limit: 10 })).toEqual([]);

    // Runs started in the same millisecond keep the order they were recorded in.
    for (const id of ['s-1', 's-2', 's-3']) store.putRun(run(id, 'same', '2025-02-01T00:00:00.000Z'), 2);
    expect(store.listRuns({ connectorName: 'same', limit: 10 }).map((r) => r.runId)).toEqual(['s-3', 's-2']);

    expect(() => store.putRun(run('x', 'alpha', 'yesterday'), 5)).toThrow(/INTEGRATION-DAEMON-STATE-400-006/);
    expect(() => store.putRun(run('x', 'alpha', '2025-01-01T00:00:00Z'), 0)).toThrow(/INTEGRATION-DAEMON-STATE-400-005/);
  });

  it('writes a batch synced later at once, resolves once it is on disk and closes while its sync still runs', async () => {
    const path = statePath();
    const store = open(path);
    const synced = store.batchSyncedLater!(() => {
      for (let i = 0; i < 3; i++) store.putRun(run(`l-${i}`, 'later', new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString()), 5);
    });
    // Readable before the sync has ended (listRuns syncs what it shows first).
    expect(store.listRuns({ connectorName: 'later', limit: 10 }).map((r) => r.runId)).toEqual(['l-2', 'l-1', 'l-0']);
    await expect(synced).resolves.toBeUndefined();

    // A failed batch leaves nothing and the store goes on with synchronous FULL puts.
    expect(() =>
      store.batchSyncedLater!(() => {
        store.putRun(run('l-3', 'later', '2025-01-01T01:00:00.000Z'), 5);
        throw new Error('half-way');
      }),
    ).toThrow('half-way');
    store.putObjectRetry(retry('/after'));
    expect(store.getObjectRetry('c-1', '/after')).toMatchObject({ objectKey: '/after' });

    const pending = store.batchSyncedLater!(() => store.putRun(run('l-4', 'later', '2025-01-01T02:00:00.000Z'), 5));
    store.close();
    await expect(pending).resolves.toBeUndefined();
    const reopened = open(path);
    expect(reopened.listRuns({ connectorName: 'later', limit: 10 }).map((r) => r.runId)).toEqual(['l-4', 'l-2', 'l-1', 'l-0']);
  });

  it('keeps a connector’s held archive and each of its catalog targets’ apart, across a reopen', () => {
    const path = statePath();
    const store = open(path);
    const held = (catalogTargetName: string | undefined, count: number): StoredHeldArchive => ({
      connectorName: 'Landing',
      connectorId: 'c-1',
      urlMarker: 'files-integrator',
      ...(catalogTargetName === undefined ? {} : { catalogTargetName }),
      runId: `r-${count}`,
      heldAt: '2026-01-01T00:00:00.000Z',
      count,
      liveCount: 20,
      thresholdPercent: 50,
      sample: [],
      qualifiedNames: [],
    });
    store.putHeldArchive(held(undefined, 11));
    store.putHeldArchive(held('a', 15));
    store.putHeldArchive(held('b', 12));
    store.putHeldArchive(held('a', 16));
    store.deleteHeldArchive(heldArchiveKey({ connectorId: 'c-1', catalogTargetName: 'b' }));
    store.close();
    stores.splice(stores.indexOf(store), 1);
    const again = open(path).listHeldArchives();
    expect(again.map((h) => [h.catalogTargetName, h.count])).toEqual([
      [undefined, 11],
      ['a', 16],
    ]);
  });

  it('finds everything again after reopening', () => {
    const path = statePath();
    const first = openStateStore(path);
    first.putObjectRetry(retry('/kept'));
    first.putRun(run('r', 'alpha', '2025-01-01T00:00:00.000Z'), 3);
    first.close();
    const second = open(path);
    expect(second.getObjectRetry('c-1', '/kept')).toEqual(retry('/kept'));
    expect(second.listRuns({ limit: 5 })).toHaveLength(1);
  });

  it('says which state file cannot be created and what to do', () => {
    const blocker = statePath().replace(/nested.*$/, 'a-file');
    writeFileSync(blocker, 'not a directory');
    expect(() => openStateStore(join(blocker, 'state.db'))).toThrow(
      /INTEGRATION-DAEMON-STATE-500-001 .*a-file.*state directory it may write/,
    );
  });

  it('names a damaged file, a bad row and a newer schema with the fix', () => {
    const damaged = statePath();
    open(damaged).close();
    writeFileSync(damaged, 'not a database at all, just text long enough to fill a header block of bytes.........');
    rmSync(`${damaged}-wal`, { force: true });
    rmSync(`${damaged}-shm`, { force: true });
    expect(() => openStateStore(damaged)).toThrow(StateStoreError);
    expect(() => openStateStore(damaged)).toThrow(/INTEGRATION-DAEMON-STATE-500-002 .*damaged.*move the file aside/);

    const edited = statePath();
    const store = open(edited);
    store.putObjectRetry(retry('/x'));
    const db = new Database(edited);
    db.prepare(`UPDATE object_retries SET error_source = 'gremlins'`).run();
    db.close();
    expect(() => store.listObjectRetries()).toThrow(/INTEGRATION-DAEMON-STATE-500-004 .*object_retries.*error_source/);

    const newer = statePath();
    open(newer).close();
    const raw = new Database(newer);
    raw.pragma('user_version = 7');
    raw.close();
    expect(() => openStateStore(newer)).toThrow(/INTEGRATION-DAEMON-STATE-500-003 .*version 7/);
  });

  it('loses no acknowledged write when the writing process is killed with SIGKILL', async () => {
    const path = statePath();
    const base = Date.UTC(2030, 0, 1);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./fixtures/write-retries.ts', import.meta.url)), path, String(base)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const acknowledged = await new Promise<number>((resolve, reject) => {
      let buffer = '';
      let last = -1;
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) if (/^\d+$/.test(line)) last = Number(line);
        if (last >= 200 && child.exitCode === null && !child.killed) {
          child.kill('SIGKILL');
          resolve(last);
        }
      });
      child.once('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`writer exited with ${code ?? signal}: ${stderr}`));
      });
      setTimeout(() => reject(new Error(`writer too slow; stderr: ${stderr}`)), 25_000).unref();
    });
    await new Promise((resolve) =>
      child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve),
    );
    expect(child.signalCode).toBe('SIGKILL');

    const store = open(path);
    const retries = store.listObjectRetries('c-1');
    expect(retries.length).toBeGreaterThanOrEqual(acknowledged + 1);
    for (let i = 0; i <= acknowledged; i++) {
      expect(store.getObjectRetry('c-1', `/data/file-${i}.csv`)).toMatchObject({
        nextRetryAt: base + i * 1_000,
        lastErrorMessage: `failure ${i}`,
      });
    }
    expect(store.getBreaker('shared')).toMatchObject({ state: 'OPEN', nextProbeAt: base + 30_000, openCount: 3 });
    expect(store.getConnectorRetry('c-1')).toMatchObject({ attempt: 2, nextRetryAt: base + 60_000 });
  });
});
