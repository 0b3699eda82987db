// The files monitors against a real daemon and real directories: a monitored directory that goes is reported at
// once and archives nothing, watching resumes when it comes back, a mass archive is held for an operator, changes
// caught by watching are runs, and new directories filling up fast are caught whole without a refresh.
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataFileQualifiedName } from '../../../electron/connectors/files/data-files-monitor.js';
import { CONNECTOR, eventually, startFilesDaemon, type FilesDaemon } from './support/files-daemon.js';

const daemons: FilesDaemon[] = [];
afterEach(async () => {
  for (const d of daemons.splice(0)) await d.stop();
});

async function started(options: Parameters<typeof startFilesDaemon>[0] = {}, files = 0): Promise<FilesDaemon> {
  const d = await startFilesDaemon(options);
  daemons.push(d);
  for (let i = 0; i < files; i++) writeFileSync(join(d.root, `file-${String(i).padStart(3, '0')}.csv`), `row ${i}\n`);
  if (files > 0) await d.client.refreshConnectors(CONNECTOR);
  await eventually(`${files} files catalogued`, async () => (await d.liveFiles()).length === files);
  // Every refresh asked for so far is over: what happens next is the test's.
  const last = files > 0 ? 'request' : 'start';
  await eventually('refreshes done', async () => {
    const runs = await d.client.runs({ connectorName: CONNECTOR });
    return runs.some((r) => r.trigger === last && r.state !== 'RUNNING') && runs.every((r) => r.state !== 'RUNNING');
  });
  return d;
}

describe('the monitored directory going and coming back', () => {
  it('reports 404-001 as a third-party error with its countdown, archives nothing, and resumes watching when it is back', async () => {
    const d = await started({}, 12);
    const moved = `${d.root}.moved`;
    renameSync(d.root, moved);
    const report = await eventually('the loss reported', async () => {
      const r = d.report();
      return r.connectorStatus === 'RETRYING' ? r : undefined;
    });
    expect(report.failingExceptionMessageId).toBe('BASIC-FILES-INTEGRATION-CONNECTORS-404-001');
    expect(report.errorSource).toBe('thirdParty');
    expect(report.retry?.nextRetryAt).toBeDefined();
    expect(await d.liveFiles()).toHaveLength(12);

    renameSync(moved, d.root);
    // The countdown is ten seconds or more; the connector does not wait for it once the directory is back.
    await eventually('resumed', async () => d.report().connectorStatus === 'WAITING', 8_000);
    writeFileSync(join(d.root, 'after-return.csv'), 'new\n');
    const expected = dataFileQualifiedName(join(d.root, 'after-return.csv'));
    await eventually('the new file catalogued', async () => (await d.liveFiles()).includes(expected), 8_000);
    expect(await d.liveFiles()).toHaveLength(13);
  });

  it('reports the loss the same way with waitForDirectory, which waits only for a directory not there yet', async () => {
    const d = await started({ waitForDirectory: true }, 5);
    const moved = `${d.root}.moved`;
    renameSync(d.root, moved);
    const report = await eventually('the loss reported', async () => {
      const r = d.report();
      return r.connectorStatus === 'RETRYING' ? r : undefined;
    });
    expect(report).toMatchObject({ failingExceptionMessageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001', errorSource: 'thirdParty' });
    expect(report.userAction).toMatch(/^Restore /);
    expect(report.retry?.nextRetryAt).toBeDefined();
    expect(await d.liveFiles()).toHaveLength(5);

    renameSync(moved, d.root);
    await eventually('resumed', async () => d.report().connectorStatus === 'WAITING', 8_000);
    writeFileSync(join(d.root, 'after-return.csv'), 'new\n');
    await eventually('the new file catalogued', async () => (await d.liveFiles()).length === 6, 8_000);
  });

  it('a file taking the directory’s place is the directory gone (third party, retrying), not a configuration error; it resumes when the directory is back', async () => {
    const d = await started({}, 4);
    const moved = `${d.root}.moved`;
    renameSync(d.root, moved);
    writeFileSync(d.root, 'not a directory\n');
    const report = await eventually('the loss reported', async () => {
      const r = d.report();
      return r.connectorStatus === 'RETRYING' ? r : undefined;
    });
    expect(report).toMatchObject({ failingExceptionMessageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001', errorSource: 'thirdParty' });
    expect(await d.liveFiles()).toHaveLength(4);

    rmSync(d.root);
    renameSync(moved, d.root);
    await eventually('resumed', async () => d.report().connectorStatus === 'WAITING', 8_000);
    writeFileSync(join(d.root, 'after-return.csv'), 'new\n');
    await eventually('the new file catalogued', async () => (await d.liveFiles()).length === 5, 8_000);
  });

  it('archives nothing when the directory is deleted, and holds the archive when an empty one takes its place', async () => {
    const d = await started({}, 57);
    rmSync(d.root, { recursive: true });
    await eventually('the loss reported', async () => d.report().connectorStatus === 'RETRYING');
    expect(d.report().failingExceptionMessageId).toBe('BASIC-FILES-INTEGRATION-CONNECTORS-404-001');
    expect(await d.liveFiles()).toHaveLength(57);

    mkdirSync(d.root);
    const held = await eventually('the archive held', async () => (await d.client.heldArchives())[0]);
    expect(held).toMatchObject({ connectorName: CONNECTOR, count: 57, liveCount: 57, thresholdPercent: 50 });
    expect(held.sample).toHaveLength(20);
    expect(await d.liveFiles()).toHaveLength(57);
    expect(d.report().heldArchive?.count).toBe(57);
    const runs = await d.client.runs({ connectorName: CONNECTOR });
    expect(runs.find((r) => r.runId === held.runId)?.state).toBe('PARTIAL');
    const audit = await d.client.auditLog({ connectorName: CONNECTOR, limit: 1000 });
    const record = audit.find((r) => r.messageId === 'INTEGRATION-DAEMON-SERVICES-0131');
    expect(record?.messageText).toContain('would have archived 57 of its 57 live elements');

    expect(await d.client.approveHeldArchive(CONNECTOR)).toBe(57);
    expect(await d.liveFiles()).toHaveLength(0);
    expect(await d.client.heldArchives()).toEqual([]);
    expect(d.report().heldArchive).toBeUndefined();
  });
});

describe('the monitored directory replaced by an empty one', () => {
  // Decided: a directory replaced by an empty one on the same file system may be an operator's doing, so it is not
  // reported as missing; the fail-safe holds the archive and the operator says which it was. A mount point whose
  // share goes is reported as missing (404-001; see files-trust-scan.test.ts).
  it('with 30 live elements archives nothing: the archive is held for an operator', async () => {
    const d = await started({}, 30);
    renameSync(d.root, `${d.root}.old`);
    mkdirSync(d.root);
    const held = await eventually('the archive held', async () => (await d.client.heldArchives())[0]);
    expect(held).toMatchObject({ connectorName: CONNECTOR, count: 30, liveCount: 30 });
    expect(await d.liveFiles()).toHaveLength(30);
    expect(d.report().heldArchive?.count).toBe(30);
    const audit = await d.client.auditLog({ connectorName: CONNECTOR, limit: 1000 });
    expect(audit.some((r) => r.messageId === 'BASIC-FILES-INTEGRATION-CONNECTORS-0035' && r.messageText.includes('was replaced'))).toBe(
      true,
    );
    const runs = await d.client.runs({ connectorName: CONNECTOR });
    expect(runs.find((r) => r.runId === held.runId)).toMatchObject({ state: 'PARTIAL', counts: { archived: 0 } });
  });
});

describe('the monitored directory replaced by one with files', () => {
  it('catalogues the directory now in its place and reports no missing directory (no 404-001) for it', async () => {
    const d = await started({}, 6);
    // A change pending as the directory is swapped: its change run finds another directory, not a missing one.
    writeFileSync(join(d.root, 'last-change.csv'), 'late\n');
    renameSync(d.root, `${d.root}.old`);
    mkdirSync(d.root);
    for (let i = 0; i < 6; i++) writeFileSync(join(d.root, `new-${i}.csv`), `row ${i}\n`);
    const expected = dataFileQualifiedName(join(d.root, 'new-5.csv'));
    await eventually('the new directory catalogued', async () => (await d.liveFiles()).includes(expected), 8_000);
    await eventually('its runs done', async () => (await d.client.runs({ connectorName: CONNECTOR })).every((r) => r.state !== 'RUNNING'));
    const audit = await d.client.auditLog({ connectorName: CONNECTOR, limit: 1000 });
    expect(audit.some((r) => r.messageId === 'BASIC-FILES-INTEGRATION-CONNECTORS-0035' && r.messageText.includes('was replaced'))).toBe(
      true,
    );
    expect(audit.filter((r) => JSON.stringify(r).includes('404-001'))).toEqual([]);
    const runs = await d.client.runs({ connectorName: CONNECTOR });
    expect(runs.filter((r) => r.state === 'FAILED')).toEqual([]);
    expect(d.report()).toMatchObject({ connectorStatus: 'WAITING' });
    expect(d.report().failingExceptionMessageId).toBeUndefined();
  });
});

describe('the mass-archive fail-safe', () => {
  it('holds a refresh archiving more than the threshold, keeps the elements on reject, and keeps the hold across a restart', async () => {
    const d = await started({ watchChanges: false, archiveFailSafe: { thresholdPercent: 40, minimumCount: 5 } }, 20);
    for (let i = 0; i < 9; i++) rmSync(join(d.root, `file-${String(i).padStart(3, '0')}.csv`));
    await d.client.refreshConnectors(CONNECTOR);
    const held = await eventually('the archive held', async () => (await d.client.heldArchives())[0]);
    expect(held).toMatchObject({ count: 9, liveCount: 20, thresholdPercent: 40 });
    expect(await d.liveFiles()).toHaveLength(20);

    await d.halt();
    const again = await startFilesDaemon({ watchChanges: false, archiveFailSafe: { thresholdPercent: 40, minimumCount: 5 } }, d.dir);
    daemons.splice(daemons.indexOf(d), 1, again);
    expect((await again.client.heldArchives())[0]).toMatchObject({ connectorName: CONNECTOR, count: 9 });

    await eventually('the first refresh done', async () => again.report().lastRefreshTime !== undefined);
    await again.client.rejectHeldArchive(CONNECTOR);
    expect(await again.client.heldArchives()).toEqual([]);
    expect(await again.liveFiles()).toHaveLength(20);
    const audit = await again.client.auditLog({ connectorName: CONNECTOR, limit: 1000 });
    expect(audit.some((r) => r.messageId === 'INTEGRATION-DAEMON-SERVICES-0133')).toBe(true);
  });

  it('counts the elements an approval archived in the connector’s report', async () => {
    const d = await started({ watchChanges: false }, 12);
    await eventually('the count', async () => d.report().elementCount === 12);
    for (let i = 0; i < 12; i++) rmSync(join(d.root, `file-${String(i).padStart(3, '0')}.csv`));
    await d.client.refreshConnectors(CONNECTOR);
    await eventually('the archive held', async () => (await d.client.heldArchives())[0]);
    expect(await d.client.approveHeldArchive(CONNECTOR)).toBe(12);
    await eventually('the element count follows the approval', async () => d.report().elementCount === 0);
  });

  it('archives a share below the threshold, and never holds fewer than the minimum count', async () => {
    const d = await started({ watchChanges: false }, 12);
    for (let i = 0; i < 8; i++) rmSync(join(d.root, `file-${String(i).padStart(3, '0')}.csv`));
    await d.client.refreshConnectors(CONNECTOR);
    await eventually('archived', async () => (await d.liveFiles()).length === 4);
    expect(await d.client.heldArchives()).toEqual([]);
  });
});

describe('changes caught by watching', () => {
  it('are runs with trigger change and counts, and an audit record', async () => {
    const d = await started({}, 1);
    writeFileSync(join(d.root, 'a.csv'), 'a\n');
    writeFileSync(join(d.root, 'b.csv'), 'b\n');
    const run = await eventually('a change run', async () =>
      (await d.client.runs({ connectorName: CONNECTOR })).find(
        (r) => r.trigger === 'change' && r.state !== 'RUNNING' && r.counts.created > 0,
      ),
    );
    expect(run.state).toBe('SUCCEEDED');
    const audit = await d.client.auditLog({ connectorName: CONNECTOR, limit: 1000 });
    expect(audit.some((r) => r.messageId === 'INTEGRATION-DAEMON-SERVICES-0130' && r.messageText.includes(run.runId))).toBe(true);
  });

  it('catalogues 5,000 files landing in 50 new subdirectories without waiting for a refresh', async () => {
    const d = await started({}, 0);
    // Another process writes them, as an upload would, while the daemon's event loop runs.
    // Each directory fills over some milliseconds, so files keep landing while the daemon scans it.
    const script = [
      "const fs = require('fs'), p = require('path'), pause = new Int32Array(new SharedArrayBuffer(4));",
      'for (let s = 0; s < 50; s++) {',
      "  const dir = p.join(process.argv[1], 'batch-' + s);",
      '  fs.mkdirSync(dir);',
      "  for (let f = 0; f < 100; f++) { fs.writeFileSync(p.join(dir, 'f' + f + '.csv'), 'x'); if (f % 10 === 9) Atomics.wait(pause, 0, 0, 1); }",
      '}',
    ].join('\n');
    execFileSync(process.execPath, ['-e', script, d.root]);
    await eventually('5,000 files catalogued', async () => (await d.liveFiles()).length === 5000, 60_000, 250);
    const runs = await d.client.runs({ connectorName: CONNECTOR, limit: 1000 });
    expect(runs.filter((r) => r.trigger !== 'change' && r.trigger !== 'start')).toEqual([]);
  }, 90_000);
});
