// The daemon process killed with SIGKILL while retries are pending, then started again on the same state
// directory: the connector retry and the object retries are still due at exactly the same times.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IntegrationDaemonStatusResponse, ObjectRetry } from '../../shared/api/types.js';
import { type Harness, document, harness, report } from '../engine/lifecycle/fixtures/daemon-harness.js';
import { settle } from '../support/manual-clock.js';

interface Snapshot {
  status: IntegrationDaemonStatusResponse;
  objectRetries: ObjectRetry[];
}

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.cleanup();
});

const tenMinutes = (scope?: 'object') => [
  { ...(scope ? { situation: { scope: [scope] } } : {}), reaction: { retryLater: { initialInterval: 'PT10M' } } },
];

function connector(snapshot: Snapshot, name: string) {
  return snapshot.status.integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports).find((r) => r.connectorName === name);
}

describe('daemon killed with SIGKILL', () => {
  it('finds its pending retries due at the same times after a restart', async () => {
    const configPath = join(h.dir, 'daemon.json');
    const doc = document(h.dir, [
      {
        urlMarker: 'files-integrator',
        connectors: [
          {
            connectorName: 'Unreachable',
            connectorProvider: 'test-scripted-files',
            configurationProperties: { failIn: 'start', failVia: 'thirdParty' },
            errorHandling: tenMinutes(),
          },
          {
            connectorName: 'Partial',
            connectorProvider: 'test-scripted-files',
            configurationProperties: { objectFailures: 3 },
            errorHandling: tenMinutes('object'),
          },
        ],
      },
    ]);
    writeFileSync(configPath, JSON.stringify(doc));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(import.meta.dirname, 'fixtures/run-daemon.ts'), configPath, h.stateDir],
      {
        cwd: resolve(import.meta.dirname, '../..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));

    const before = await new Promise<Snapshot>((done, fail) => {
      let buffer = '';
      const timer = setTimeout(() => fail(new Error(`the daemon process did not reach the expected state: ${stderr}`)), 30_000);
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.startsWith('STATUS ')) continue;
          const snapshot = JSON.parse(line.slice(7)) as Snapshot;
          if (connector(snapshot, 'Unreachable')?.retry && snapshot.objectRetries.length === 3) {
            clearTimeout(timer);
            done(snapshot);
          }
        }
      });
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const unreachable = connector(before, 'Unreachable')!;
    expect(unreachable).toMatchObject({ connectorStatus: 'RETRYING', retry: { attempt: 1 } });
    const retryAt = unreachable.retry!.nextRetryAt;
    expect(Date.parse(retryAt) - Date.parse(before.status.serverTime!)).toBeGreaterThan(9 * 60_000);

    const restarted = await h.start(doc, { configPath });
    await settle();
    expect(report(restarted, 'Unreachable')).toMatchObject({
      connectorStatus: 'RETRYING',
      retry: { attempt: 1, nextRetryAt: retryAt },
      errorSource: 'thirdParty',
    });
    const key = (r: ObjectRetry) => [r.objectKey, r.state, r.attempt, Date.parse(r.nextRetryAt!)];
    expect(restarted.objectRetries('Partial').map(key)).toEqual(before.objectRetries.map(key));
    expect(report(restarted, 'Partial').pendingObjectRetries).toBe(3);
    expect(restarted.runs({ connectorName: 'Partial', limit: 10 }).map((r) => r.state)).toContain('PARTIAL');
  }, 60_000);
});
