// A state file written by the previous daemon version (schema 1, camelCase states) opens with this one: the
// migration rewrites its rows and CHECK constraints to the UPPER_SNAKE states, and the retries, breakers and runs
// it held are all still there, so a daemon upgraded in place resumes where the old one stopped.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MetadataServerBreaker } from '../../../electron/engine/recovery/breaker.js';
import { openStateStore } from '../../../electron/engine/state/sqlite-state-store.js';
import { ManualClock } from '../../support/manual-clock.js';
import { document, harness, report, type Harness } from '../lifecycle/fixtures/daemon-harness.js';
import { resetScript } from '../lifecycle/fixtures/scripted-connector.js';
import { writeVersion1StateFile } from './fixtures/state-v1.js';

const base = Date.parse('2026-01-05T09:00:00.000Z');
const directories: string[] = [];
let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function version1File(): string {
  const directory = mkdtempSync(join(tmpdir(), 'state-migration-'));
  directories.push(directory);
  const path = join(directory, 'state.db');
  writeVersion1StateFile(path, 'c-1', base);
  return path;
}

describe('state file migration from version 1', () => {
  it('rewrites the states of every row and keeps everything else as it was', () => {
    const path = version1File();
    const store = openStateStore(path);
    expect(store.listObjectRetries('c-1')).toEqual([
      {
        connectorId: 'c-1',
        objectKey: '/data/a.csv',
        state: 'PENDING',
        attempt: 2,
        retryLimit: 5,
        nextRetryAt: base + 60_000,
        firstFailedAt: base - 2_000,
        lastFailedAt: base - 1_000,
        lastErrorMessageId: 'X-500-001',
        lastErrorMessage: 'a failed',
        errorSource: 'thirdParty',
        errorCategory: 'network',
      },
      expect.objectContaining({ objectKey: '/data/b.csv', state: 'GAVE_UP', attempt: 4, retryLimit: 3, nextRetryAt: null }),
    ]);
    expect(store.getBreaker('cocoMDS1')).toEqual({
      metadataServerName: 'cocoMDS1',
      state: 'OPEN',
      since: base - 5_000,
      nextProbeAt: base + 30_000,
      openCount: 3,
      lastErrorMessage: 'connect ECONNREFUSED 127.0.0.1:5432',
    });
    expect(store.getBreaker('probing')?.state).toBe('HALF_OPEN');
    expect(store.getBreaker('healthy')?.state).toBe('CLOSED');
    expect(store.getConnectorRetry('c-1')).toMatchObject({ attempt: 2, nextRetryAt: base + 20 * 60_000, errorCount: 2 });
    expect(store.listRuns({ limit: 10 }).map((r) => [r.runId, r.state])).toEqual([['r-1', 'FAILED']]);
    store.close();

    const raw = new Database(path);
    expect(raw.pragma('user_version', { simple: true })).toBe(3);
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'held_archives'").get()).toBeDefined();
    // The constraints are the new ones: the old names can no longer be written, the new ones can.
    const putState = (state: string) => raw.prepare(`UPDATE object_retries SET state = ? WHERE object_key = '/data/a.csv'`).run(state);
    expect(() => putState('pending')).toThrow(/CHECK constraint failed/);
    expect(() => raw.prepare(`UPDATE breakers SET state = 'halfOpen'`).run()).toThrow(/CHECK constraint failed/);
    putState('GAVE_UP');
    raw.close();

    // Opening it again is a no-op.
    const again = openStateStore(path);
    expect(again.getObjectRetry('c-1', '/data/a.csv')?.state).toBe('GAVE_UP');
    expect(again.getBreaker('cocoMDS1')?.state).toBe('OPEN');
    again.close();
  });

  it('resumes the breaker it held open: probe first, closed when the metadata server answers', async () => {
    const store = openStateStore(version1File());
    const clock = new ManualClock(base);
    const probes: number[] = [];
    const breaker = new MetadataServerBreaker({
      metadataServerName: 'cocoMDS1',
      clock,
      random: () => 0.5,
      store,
      probe: async () => void probes.push(clock.now()),
    });
    expect(breaker.state).toBe('OPEN');
    expect(breaker.status().lastErrorMessage).toBe('connect ECONNREFUSED 127.0.0.1:5432');
    await clock.advance(0);
    expect(probes).toHaveLength(1);
    expect(breaker.state).toBe('CLOSED');
    breaker.dispose();
    store.close();
  });

  it('lets a daemon started on it resume the connector retry and list the object retries', async () => {
    resetScript();
    const clock = new ManualClock(base);
    h = harness(clock);
    mkdirSync(h.stateDir, { recursive: true });
    writeVersion1StateFile(join(h.stateDir, 'state.db'), 'unreachable-id', base);
    const daemon = await h.start(
      document(h.dir, [
        {
          urlMarker: 'files-integrator',
          connectors: [{ connectorName: 'Unreachable', connectorId: 'unreachable-id', connectorProvider: 'test-scripted-files' }],
        },
      ]),
    );
    const resumed = report(daemon, 'Unreachable');
    expect(resumed).toMatchObject({ connectorStatus: 'RETRYING', retry: { attempt: 2 }, errorSource: 'thirdParty' });
    expect(Date.parse(resumed.retry!.nextRetryAt)).toBe(base + 20 * 60_000);
    // The given-up object is listed but no longer pending.
    expect(resumed.pendingObjectRetries).toBe(1);
    expect(daemon.objectRetries('Unreachable').map((o) => [o.objectKey, o.state, o.attempt])).toEqual([
      ['/data/a.csv', 'PENDING', 2],
      ['/data/b.csv', 'GAVE_UP', 4],
    ]);
  });
});
