import * as fs from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../electron/connector-sdk/index.js';
import {
  DataFilesMonitorConnector,
  dataFileQualifiedName,
  dataFilesMonitorProvider,
} from '../../../electron/connectors/files/data-files-monitor.js';
import { FILES_PER_BATCH, NODE_SCAN_FILE_SYSTEM, type ScanFileSystem } from '../../../electron/connectors/files/tree-scan.js';
import {
  hookedFileSystem,
  instanceConfig,
  MemoryMetadataServerClient,
  neverAborted,
  permissionDenied,
  RecordingContext,
  waitFor,
} from '../support/connector-harness.js';

let root: string;
let dir: string;
const connectors: DataFilesMonitorConnector[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'files-monitor-'));
  dir = join(root, 'landing');
  fs.mkdirSync(dir);
});

afterEach(async () => {
  for (const c of connectors.splice(0)) await c.disconnect();
  fs.rmSync(root, { recursive: true, force: true });
});

function write(relativePath: string, content = 'x'): string {
  const path = join(dir, relativePath);
  fs.mkdirSync(join(path, '..'), { recursive: true });
  fs.writeFileSync(path, content);
  return path;
}

async function setUp(
  options: { properties?: Record<string, unknown>; endpoint?: string; fileSystem?: ScanFileSystem | undefined; start?: boolean } = {},
) {
  const metadataServer = new MemoryMetadataServerClient();
  const config = instanceConfig({
    endpointAddress: options.endpoint ?? dir,
    configurationProperties: options.properties ?? {},
    baseDirectory: root,
  });
  const context = new RecordingContext(metadataServer, config);
  const connector = new DataFilesMonitorConnector(config, { fileSystem: options.fileSystem });
  connectors.push(connector);
  await connector.initialize(context);
  if (options.start !== false) await connector.start();
  return { metadataServer, context, connector };
}

const qn = (relativePath: string) => dataFileQualifiedName(join(dir, relativePath));

describe('data files monitor: reconciliation', () => {
  it('catalogues every file recursively, updates changed files and archives deleted ones', async () => {
    write('a.csv', 'id,name\n1,x\n');
    write('sub/b.json', '{}');
    write('sub/deeper/c.txt', 'hello');
    const { metadataServer, context, connector } = await setUp({ properties: { watchChanges: false } });
    await connector.refresh(neverAborted());

    expect(
      metadataServer
        .active('DataFile')
        .map((e) => e.qualifiedName)
        .sort(),
    ).toEqual([qn('a.csv'), qn('sub/b.json'), qn('sub/deeper/c.txt')].sort());
    const a = metadataServer.get(qn('a.csv'));
    const stats = fs.statSync(join(dir, 'a.csv'));
    expect(a?.properties).toEqual({
      path: join(dir, 'a.csv'),
      name: 'a.csv',
      extension: 'csv',
      size: 12,
      modifiedTime: new Date(stats.mtimeMs).toISOString(),
      fileType: 'CSV Data File',
      isSymLink: false,
    });
    expect(context.counts).toEqual({ discovered: 3, created: 3, updated: 0, unchanged: 0, archived: 0, failed: 0 });

    fs.writeFileSync(join(dir, 'a.csv'), 'id,name\n1,x\n2,y\n');
    fs.rmSync(join(dir, 'sub/b.json'));
    context.resetCounts();
    await connector.refresh(neverAborted());
    expect(metadataServer.get(qn('a.csv'))?.properties.size).toBe(16);
    expect(metadataServer.get(qn('sub/b.json'))?.archived).toBe(true);
    expect(metadataServer.get(qn('sub/deeper/c.txt'))?.archived).toBe(false);
    expect(context.counts).toEqual({ discovered: 2, created: 0, updated: 1, unchanged: 1, archived: 1, failed: 0 });
  });

  it('sends nothing to the metadata server for files whose fingerprint is unchanged', async () => {
    for (let i = 0; i < 50; i++) write(`d${i % 5}/f${i}.csv`);
    const { metadataServer, context, connector } = await setUp({ properties: { watchChanges: false } });
    await connector.refresh(neverAborted());
    const upserts = metadataServer.upsertCalls;
    context.resetCounts();
    await connector.refresh(neverAborted());
    expect(metadataServer.upsertCalls).toBe(upserts);
    expect(context.counts).toEqual({ discovered: 50, created: 0, updated: 0, unchanged: 50, archived: 0, failed: 0 });
  });

  it('repairs an element changed in the metadata server behind its back', async () => {
    write('a.csv', 'abc');
    const { metadataServer, context, connector } = await setUp({ properties: { watchChanges: false } });
    await connector.refresh(neverAborted());
    await connector.refresh(neverAborted());
    const element = metadataServer.get(qn('a.csv'));
    if (element === undefined) throw new Error('a.csv was not catalogued');
    element.properties.size = 999;
    context.resetCounts();
    await connector.refresh(neverAborted());
    expect(metadataServer.get(qn('a.csv'))?.properties.size).toBe(3);
    expect(context.counts).toMatchObject({ discovered: 1, updated: 1 });
  });

  it('batches upserts by the files the walk hands on at a time', async () => {
    const files = FILES_PER_BATCH * 2 + FILES_PER_BATCH / 2;
    for (let i = 0; i < files; i++) write(`d${i % 10}/f${i}`);
    const { metadataServer, connector } = await setUp({ properties: { watchChanges: false } });
    await connector.refresh(neverAborted());
    expect(metadataServer.upsertCalls).toBe(3);
    expect(metadataServer.active().length).toBe(files);
  });

  it('walks deep trees', async () => {
    const deep = Array.from({ length: 60 }, (_, i) => `level${i}`).join('/');
    write(`${deep}/bottom.parquet`);
    const { metadataServer, connector } = await setUp({ properties: { watchChanges: false } });
    await connector.refresh(neverAborted());
    expect(metadataServer.get(qn(`${deep}/bottom.parquet`))?.properties.fileType).toBe('Apache Parquet Data File');
  });

  it('skips excluded names and paths, and archives files that become excluded', async () => {
    write('keep.csv');
    write('scratch.tmp');
    write('.git/objects/ab/cdef');
    write('archive/2020/old.csv');
    write('archive/readme.txt');
    write('sub/archive/kept.csv');
    const first = await setUp({ properties: { watchChanges: false } });
    await first.connector.refresh(neverAborted());
    expect(first.metadataServer.active().length).toBe(6);

    const { metadataServer, connector } = await setUp({
      properties: { watchChanges: false, excludeNames: ['*.tmp', '.git', 'archive/**'] },
    });
    for (const [q, e] of first.metadataServer.elements) metadataServer.elements.set(q, structuredClone(e));
    await connector.refresh(neverAborted());
    expect(
      metadataServer
        .active()
        .map((e) => e.qualifiedName)
        .sort(),
    ).toEqual([qn('keep.csv'), qn('sub/archive/kept.csv')].sort());
    expect(metadataServer.get(qn('archive/readme.txt'))?.archived).toBe(true);
    expect(metadataServer.get(qn('scratch.tmp'))?.archived).toBe(true);
    expect(metadataServer.get(qn('.git/objects/ab/cdef'))?.archived).toBe(true);
  });

  it('resolves a relative endpoint address against the base directory and accepts file: URLs', async () => {
    write('x.csv');
    const relativeSetUp = await setUp({ endpoint: 'landing', properties: { watchChanges: false } });
    await relativeSetUp.connector.refresh(neverAborted());
    expect(relativeSetUp.metadataServer.get(qn('x.csv'))).toBeDefined();
    const urlSetUp = await setUp({ endpoint: `file://${dir}/`, properties: { watchChanges: false } });
    await urlSetUp.connector.refresh(neverAborted());
    expect(urlSetUp.metadataServer.get(qn('x.csv'))).toBeDefined();
  });
});

describe('data files monitor: failures', () => {
  it('throws BASIC-FILES-INTEGRATION-CONNECTORS-404-001 for a missing directory, as a third-party notFound error', async () => {
    const missing = join(root, 'nowhere');
    const { connector } = await setUp({ endpoint: missing, start: false });
    const error = await connector.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectorError);
    const e = error as ConnectorError;
    expect(e.messageId).toBe('BASIC-FILES-INTEGRATION-CONNECTORS-404-001');
    expect(e.message).toBe(
      `BASIC-FILES-INTEGRATION-CONNECTORS-404-001 The directory named ${missing} in the endpoint of connector TestConnector does not exist`,
    );
    expect(e.category).toBe('notFound');
    expect(e.thirdParty).toBe(true);
    expect(e.userAction).toContain(`Create the directory ${missing}`);
    expect(e.userAction).toContain('endpointAddress');
    await expect(connector.refresh(neverAborted())).rejects.toMatchObject({ messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001' });
  });

  it('refuses an endpoint that is a file with its own message id', async () => {
    const file = write('not-a-dir.csv');
    const { connector } = await setUp({ endpoint: file, start: false });
    await expect(connector.start()).rejects.toMatchObject({
      messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-400-002',
      category: 'configuration',
      thirdParty: true,
    });
  });

  it('waits with waitForDirectory for a directory not there yet', async () => {
    fs.rmSync(dir, { recursive: true });
    const { context, connector } = await setUp({ properties: { waitForDirectory: true, watchChanges: false } });
    await connector.refresh(neverAborted());
    expect(context.audits.map((a) => a.messageId)).toContain('BASIC-FILES-INTEGRATION-CONNECTORS-0032');
    fs.mkdirSync(dir);
    await waitFor(() => context.refreshRequests.some((r) => r.includes('has been created')), 3000, 'refresh request');
  });

  it('archives nothing when the monitored directory disappears, and reports it even with waitForDirectory', async () => {
    // waitForDirectory waits for a directory not there yet; one that was there and went is a loss to report.
    write('a.csv');
    const { metadataServer, context, connector } = await setUp({ properties: { waitForDirectory: true, watchChanges: false } });
    await connector.refresh(neverAborted());
    fs.rmSync(dir, { recursive: true });
    const failure = await connector.refresh(neverAborted()).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001', thirdParty: true });
    expect((failure as ConnectorError).userAction).toMatch(/^Restore /);
    expect(metadataServer.get(qn('a.csv'))?.archived).toBe(false);
    expect(context.audits.map((a) => a.messageId)).not.toContain('BASIC-FILES-INTEGRATION-CONNECTORS-0032');
    // So does the instance a retry starts, until the directory is back.
    const retried = await setUp({ properties: { waitForDirectory: true, watchChanges: false }, start: false });
    await expect(retried.connector.start()).rejects.toMatchObject({ messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001' });
    fs.mkdirSync(dir);
    await (failure as ConnectorError).resumeWhen?.(neverAborted());
    await retried.connector.start();
  });

  it('archives nothing when a directory vanishes mid-scan, reports it and asks for another refresh', async () => {
    write('stays.csv');
    write('doomed/one.csv');
    write('other/deleted-meanwhile.csv');
    const doomed = join(dir, 'doomed');
    let removeDuringScan = false;
    const fileSystem = hookedFileSystem((path) => {
      if (removeDuringScan && path === doomed) fs.rmSync(doomed, { recursive: true });
    });
    const { metadataServer, context, connector } = await setUp({ properties: { watchChanges: false }, fileSystem });
    await connector.refresh(neverAborted());
    expect(metadataServer.active().length).toBe(3);

    fs.rmSync(join(dir, 'other/deleted-meanwhile.csv'));
    removeDuringScan = true;
    context.resetCounts();
    await connector.refresh(neverAborted());
    expect(metadataServer.active().length).toBe(3);
    expect(metadataServer.archiveCalls).toBe(0);
    expect(context.objectFailures.map((f) => f.objectKey)).toEqual([doomed]);
    expect(context.objectFailures[0]?.error).toMatchObject({ messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-002', thirdParty: true });
    expect(context.refreshRequests.length).toBe(1);
    expect(
      context.audits.some(
        (a) => a.messageId === 'BASIC-FILES-INTEGRATION-CONNECTORS-0031' && a.messageText.includes('no DataFile was archived'),
      ),
    ).toBe(true);
    expect(context.counts).toMatchObject({ discovered: 2, archived: 0, failed: 1 });
    expect(context.countsBalance).toBe(true);

    removeDuringScan = false;
    await connector.refresh(neverAborted());
    expect(metadataServer.active().map((e) => e.qualifiedName)).toEqual([qn('stays.csv')]);
  });

  it('archives nothing while a subdirectory is unreadable, and reprocessObject catalogues it once readable', async () => {
    write('open/a.csv');
    write('locked/secret.csv');
    write('gone.csv');
    const locked = join(dir, 'locked');
    const isRoot = process.getuid?.() === 0;
    // Root reads any directory, so there the permission error is injected; elsewhere it is real (chmod 000).
    let denied = false;
    const fileSystem = isRoot
      ? hookedFileSystem((path) => {
          if (denied && path === locked) throw permissionDenied(path);
        })
      : undefined;
    const { metadataServer, context, connector } = await setUp({ properties: { watchChanges: false }, fileSystem });
    await connector.refresh(neverAborted());
    expect(
      metadataServer
        .active()
        .map((e) => e.qualifiedName)
        .sort(),
    ).toEqual([qn('gone.csv'), qn('locked/secret.csv'), qn('open/a.csv')].sort());

    fs.rmSync(join(dir, 'gone.csv'));
    if (!isRoot) fs.chmodSync(locked, 0o000);
    denied = true;
    await connector.refresh(neverAborted());
    expect(metadataServer.get(qn('gone.csv'))?.archived).toBe(false);
    expect(metadataServer.get(qn('locked/secret.csv'))?.archived).toBe(false);
    const failure = context.objectFailures.find((f) => f.objectKey === locked);
    expect(failure?.error).toMatchObject({ messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-400-003', category: 'security' });
    await expect(connector.reprocessObject(locked, neverAborted())).rejects.toMatchObject({ category: 'security' });

    if (!isRoot) fs.chmodSync(locked, 0o755);
    denied = false;
    write('locked/new.csv');
    fs.rmSync(join(locked, 'secret.csv'));
    await connector.reprocessObject(locked, neverAborted());
    expect(metadataServer.get(qn('locked/new.csv'))?.archived).toBe(false);
    expect(metadataServer.get(qn('locked/secret.csv'))?.archived).toBe(true);
    await connector.refresh(neverAborted());
    expect(metadataServer.get(qn('gone.csv'))?.archived).toBe(true);
  });

  it('reports a file that cannot be stat-ed as an object failure, keeps its element, and reprocessObject re-reads it', async () => {
    write('good.csv');
    fs.symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
    fs.symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
    const { metadataServer, context, connector } = await setUp({ properties: { watchChanges: false } });
    await connector.refresh(neverAborted());
    expect(metadataServer.active().map((e) => e.qualifiedName)).toEqual([qn('good.csv')]);
    expect(context.objectFailures.map((f) => f.objectKey).sort()).toEqual([join(dir, 'loop-a'), join(dir, 'loop-b')]);
    expect(context.objectFailures[0]?.error).toMatchObject({ messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-500-005', thirdParty: true });
    expect(context.counts).toEqual({ discovered: 3, created: 1, updated: 0, unchanged: 0, archived: 0, failed: 2 });

    await expect(connector.reprocessObject(join(dir, 'loop-a'), neverAborted())).rejects.toMatchObject({
      messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-500-005',
    });
    fs.rmSync(join(dir, 'loop-a'));
    fs.writeFileSync(join(dir, 'loop-a'), 'now a file');
    await connector.reprocessObject(join(dir, 'loop-a'), neverAborted());
    expect(metadataServer.get(qn('loop-a'))?.properties.size).toBe(10);

    fs.rmSync(join(dir, 'good.csv'));
    await connector.reprocessObject(join(dir, 'good.csv'), neverAborted());
    expect(metadataServer.get(qn('good.csv'))?.archived).toBe(true);
  });

  it('stops the scan and archives nothing when the metadata server fails mid-refresh, and throws its error', async () => {
    // Enough changed files for more than one batch: the second one fails.
    const files = FILES_PER_BATCH * 2 + FILES_PER_BATCH / 2;
    for (let i = 0; i < files; i++) write(`d${i % 10}/f${i}.csv`);
    write('soon-gone.csv');
    const { metadataServer, connector } = await setUp({ properties: { watchChanges: false } });
    await connector.refresh(neverAborted());
    fs.rmSync(join(dir, 'soon-gone.csv'));
    for (let i = 0; i < files; i += 2) fs.writeFileSync(join(dir, `d${i % 10}/f${i}.csv`), 'changed');
    const unavailable = new Error('metadata server unavailable');
    let calls = 0;
    const upsert = metadataServer.upsertElements.bind(metadataServer);
    metadataServer.upsertElements = async (elements) => {
      if (++calls === 2) throw unavailable;
      return upsert(elements);
    };
    await expect(connector.refresh(neverAborted())).rejects.toBe(unavailable);
    expect(calls).toBe(2);
    expect(metadataServer.archiveCalls).toBe(0);
    expect(metadataServer.get(qn('soon-gone.csv'))?.archived).toBe(false);
  });

  it('fails the refresh with the metadata server error when listing the catalogue fails', async () => {
    write('a.csv');
    const { metadataServer, connector } = await setUp({ properties: { watchChanges: false } });
    const unavailable = new Error('metadata server unavailable');
    metadataServer.listElements = async () => {
      throw unavailable;
    };
    await expect(connector.refresh(neverAborted())).rejects.toBe(unavailable);
    expect(metadataServer.upsertCalls).toBe(0);
  });

  it('stops a scan promptly when aborted and archives nothing', async () => {
    for (let i = 0; i < 3000; i++) write(`d${i % 30}/f${i}.csv`);
    const controller = new AbortController();
    let armed = false;
    let calls = 0;
    // The abort comes from inside the walk, a tenth of the way through, so the scan is surely mid-way however loaded
    // the machine is (a timer could fire only after a fast scan had already finished).
    const midWay = () => {
      if (armed && ++calls === 300) controller.abort(new Error('refresh timed out'));
    };
    const fileSystem: ScanFileSystem = {
      readdirSync: (path, options) => (midWay(), NODE_SCAN_FILE_SYSTEM.readdirSync(path, options)),
      lstatSync: (path) => (midWay(), NODE_SCAN_FILE_SYSTEM.lstatSync(path)),
      statSync: (path) => (midWay(), NODE_SCAN_FILE_SYSTEM.statSync(path)),
    };
    const { metadataServer, connector } = await setUp({ properties: { watchChanges: false }, fileSystem });
    await connector.refresh(neverAborted());
    fs.rmSync(join(dir, 'd0'), { recursive: true });
    armed = true;
    await expect(connector.refresh(controller.signal)).rejects.toThrow('refresh timed out');
    expect(calls).toBeGreaterThanOrEqual(300);
    // Promptly = within the directory it was in (100 files) and the next one's listing, not the 2,900 files of the walk.
    expect(calls).toBeLessThanOrEqual(300 + 101);
    expect(metadataServer.archiveCalls).toBe(0);
  });
});

describe('data files monitor: change hints', () => {
  it('sees a new, changed, renamed and deleted file within a second', async () => {
    write('sub/existing.csv');
    const { metadataServer, connector } = await setUp();
    await connector.refresh(neverAborted());

    const created = write('sub/new.csv', 'a');
    const seenIn = await waitFor(() => metadataServer.get(qn('sub/new.csv')) !== undefined, 1000, 'new file');
    expect(seenIn).toBeLessThan(1000);

    fs.writeFileSync(created, 'abc');
    await waitFor(() => metadataServer.get(qn('sub/new.csv'))?.properties.size === 3, 1000, 'changed file');

    fs.renameSync(created, join(dir, 'sub/renamed.csv'));
    await waitFor(
      () => metadataServer.get(qn('sub/renamed.csv'))?.archived === false && metadataServer.get(qn('sub/new.csv'))?.archived === true,
      1000,
      'rename',
    );

    fs.rmSync(join(dir, 'sub/existing.csv'));
    await waitFor(() => metadataServer.get(qn('sub/existing.csv'))?.archived === true, 1000, 'delete');
  });

  it('follows new directories, renamed directories and removed directories', async () => {
    const { metadataServer, connector } = await setUp();
    await connector.refresh(neverAborted());

    write('fresh/inner/one.csv');
    await waitFor(() => metadataServer.get(qn('fresh/inner/one.csv')) !== undefined, 1000, 'file in new directory');
    // The new directory is now watched too.
    write('fresh/inner/two.csv');
    await waitFor(() => metadataServer.get(qn('fresh/inner/two.csv')) !== undefined, 1000, 'second file in new directory');

    fs.renameSync(join(dir, 'fresh'), join(dir, 'moved'));
    await waitFor(
      () =>
        metadataServer.get(qn('moved/inner/one.csv'))?.archived === false &&
        metadataServer.get(qn('fresh/inner/one.csv'))?.archived === true,
      1000,
      'directory rename',
    );
    fs.rmSync(join(dir, 'moved'), { recursive: true });
    await waitFor(() => metadataServer.active().length === 0, 1000, 'directory removal');
  });

  it('ignores changes to excluded names', async () => {
    const { metadataServer, connector } = await setUp({ properties: { excludeNames: ['*.part'] } });
    await connector.refresh(neverAborted());
    write('upload.part');
    write('done.csv');
    await waitFor(() => metadataServer.get(qn('done.csv')) !== undefined, 1000, 'included file');
    expect(metadataServer.get(qn('upload.part'))).toBeUndefined();
  });

  it('stops watching on disconnect', async () => {
    const { metadataServer, connector } = await setUp();
    await connector.refresh(neverAborted());
    await connector.disconnect();
    write('after.csv');
    await new Promise((r) => setTimeout(r, 400));
    expect(metadataServer.elements.size).toBe(0);
  });
});

describe('data files monitor provider', () => {
  it('answers to its name and the Egeria class names', () => {
    expect(dataFilesMonitorProvider.providerName).toBe('data-files-monitor');
    expect(dataFilesMonitorProvider.connectorKind).toBe('files');
    expect(dataFilesMonitorProvider.aliases).toContain(
      'org.odpi.openmetadata.adapters.connectors.integration.basicfiles.DataFilesMonitorIntegrationProvider',
    );
  });

  it('lists configuration problems with their path and fix', () => {
    expect(
      dataFilesMonitorProvider.validate({
        endpointAddress: '/data',
        configurationProperties: { waitForDirectory: true, excludeNames: ['*.tmp'] },
      }),
    ).toEqual([]);
    const problems = dataFilesMonitorProvider.validate({
      endpointAddress: ' ',
      configurationProperties: { waitForDirectory: 'yes', excludeNames: ['/abs'], allowCatalogDelete: true, waitForDirecotry: true },
    });
    expect(problems.map((p) => p.path).sort()).toEqual([
      'configurationProperties.allowCatalogDelete',
      'configurationProperties.waitForDirecotry',
      'configurationProperties.waitForDirectory',
      'endpointAddress',
    ]);
    for (const p of problems) expect(p.fix.length).toBeGreaterThan(10);
    expect(dataFilesMonitorProvider.validate({ endpointAddress: '/d', configurationProperties: { excludeNames: ['../x'] } })[0]?.path).toBe(
      'configurationProperties.excludeNames.0',
    );
  });

  it('fails initialize with a configuration error when the configuration was not validated', async () => {
    const config = instanceConfig({ configurationProperties: { watchChanges: 'sometimes' } });
    const connector = dataFilesMonitorProvider.create(config);
    await expect(
      connector.initialize(new RecordingContext(new MemoryMetadataServerClient(), config), neverAborted()),
    ).rejects.toMatchObject({
      messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-400-001',
      category: 'configuration',
    });
  });
});
