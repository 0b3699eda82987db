// Third-party faults under a real data files monitor: the monitored directory removed and re-created, and one
// file that cannot be read. Tests run as root, which ignores file modes, so the unreadable file is a symbolic
// link that points at itself: stat fails with ELOOP for root too. Making it readable = replacing the loop with a
// real file.
import { mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Daemon } from '../../electron/engine/daemon.js';
import { type Harness, document, harness, report, waitFor } from '../engine/lifecycle/fixtures/daemon-harness.js';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.cleanup();
});

function dataFiles(daemon: Daemon) {
  return daemon.findElements({ typeName: 'DataFile', startFrom: 0, pageSize: 100 });
}

const quickRetries = [
  { situation: { scope: ['object'] }, reaction: { retryLater: { initialInterval: 'PT1S', retryLimit: 10 } } },
  { situation: { errorSource: ['thirdParty'] }, reaction: { retryLater: { initialInterval: 'PT1S', maxInterval: 'PT2S' } } },
];

describe('third-party faults', () => {
  it('a monitored directory removed and re-created: RETRYING with BASIC-FILES-INTEGRATION-CONNECTORS-404-001, then back by itself', async () => {
    const landing = join(h.dir, 'landing');
    mkdirSync(landing);
    writeFileSync(join(landing, 'a.csv'), 'a\n');
    writeFileSync(join(landing, 'b.csv'), 'b\n');
    const daemon = await h.start(
      document(h.dir, [
        {
          urlMarker: 'files-integrator',
          connectors: [
            {
              connectorName: 'Landing',
              connectorProvider: 'data-files-monitor',
              endpointAddress: landing,
              refreshTimeInterval: 0.01,
              errorHandling: quickRetries,
            },
          ],
        },
      ]),
    );
    await waitFor(
      () => report(daemon, 'Landing').lastSuccessfulRefreshTime !== undefined,
      () => JSON.stringify(report(daemon, 'Landing')),
    );
    expect((await dataFiles(daemon)).map((e) => e.properties.name).sort()).toEqual(['a.csv', 'b.csv']);

    rmSync(landing, { recursive: true });
    await waitFor(
      () => report(daemon, 'Landing').failingExceptionMessageId === 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001',
      () => JSON.stringify(report(daemon, 'Landing')),
      20_000,
    );
    const failing = report(daemon, 'Landing');
    expect(failing).toMatchObject({ connectorStatus: 'RETRYING', errorSource: 'thirdParty', errorCategory: 'notFound' });
    expect(failing.failingExceptionMessage).toContain(landing);
    expect(failing.userAction).toBeTruthy();

    mkdirSync(landing);
    writeFileSync(join(landing, 'b.csv'), 'b\n');
    writeFileSync(join(landing, 'c.csv'), 'c\n');
    await waitFor(
      () => report(daemon, 'Landing').connectorStatus === 'WAITING' && report(daemon, 'Landing').failingExceptionMessage === undefined,
      () => JSON.stringify(report(daemon, 'Landing')),
      20_000,
    );
    await waitFor(
      () => daemon.runs({ connectorName: 'Landing', limit: 1 })[0]?.state === 'SUCCEEDED',
      () => JSON.stringify(daemon.runs({ connectorName: 'Landing', limit: 3 })),
    );
    // a.csv is gone for good (archived, so not listed); b.csv is catalogued again, once.
    const current = await dataFiles(daemon);
    expect(current.map((e) => e.properties.name).sort()).toEqual(['b.csv', 'c.csv']);
  }, 60_000);

  it('a file that cannot be read is retried as an object and catalogued once it can be', async () => {
    const landing = join(h.dir, 'landing');
    mkdirSync(landing);
    writeFileSync(join(landing, 'fine.csv'), 'fine\n');
    const looped = join(landing, 'looped.csv');
    symlinkSync(looped, looped);
    const daemon = await h.start(
      document(h.dir, [
        {
          urlMarker: 'files-integrator',
          connectors: [
            {
              connectorName: 'Landing',
              connectorProvider: 'data-files-monitor',
              endpointAddress: landing,
              refreshTimeInterval: 0,
              errorHandling: quickRetries,
            },
          ],
        },
      ]),
    );
    await waitFor(
      () => daemon.runs({ connectorName: 'Landing', limit: 5 }).some((r) => r.state === 'PARTIAL'),
      () => JSON.stringify(daemon.runs({ connectorName: 'Landing', limit: 5 })),
    );
    const partial = daemon.runs({ connectorName: 'Landing', limit: 5 }).find((r) => r.state === 'PARTIAL')!;
    expect(partial.counts).toMatchObject({ discovered: 2, created: 1, failed: 1 });
    expect(report(daemon, 'Landing')).toMatchObject({ connectorStatus: 'WAITING', pendingObjectRetries: 1 });
    const [retry] = daemon.objectRetries('Landing');
    expect(retry).toMatchObject({
      objectKey: looped,
      state: 'PENDING',
      errorSource: expect.any(String),
      lastErrorMessage: expect.stringContaining('ELOOP'),
    });

    // Let at least one retry fail against the loop, then make the file readable.
    await waitFor(
      () => (daemon.objectRetries('Landing')[0]?.attempt ?? 0) >= 2,
      () => JSON.stringify(daemon.objectRetries('Landing')),
      15_000,
    );
    unlinkSync(looped);
    writeFileSync(looped, 'readable now\n');
    await waitFor(
      () => daemon.objectRetries('Landing').length === 0,
      () => JSON.stringify(daemon.objectRetries('Landing')),
      20_000,
    );
    const files = await dataFiles(daemon);
    expect(files.map((e) => e.properties.name).sort()).toEqual(['fine.csv', 'looped.csv']);
    expect(files.find((e) => e.properties.name === 'looped.csv')?.version).toBe(1);
    expect(report(daemon, 'Landing').pendingObjectRetries).toBe(0);
  }, 60_000);
});
