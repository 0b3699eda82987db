// The files monitors' scans on real directories, where the file system does what it does in production: a file
// landing in a new subdirectory between its listing and its watch, file names that are not valid UTF-8, paths longer
// than PATH_MAX, and a monitored mount point whose share is unmounted.
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../electron/connector-sdk/index.js';
import { FILES_AUDIT } from '../../../electron/connectors/files/basic-files.js';
import { DataFilesMonitorConnector, dataFileQualifiedName } from '../../../electron/connectors/files/data-files-monitor.js';
import { NODE_SCAN_FILE_SYSTEM, type ScanFileSystem } from '../../../electron/connectors/files/tree-scan.js';
import { until } from '../../support/until.js';
import { instanceConfig, MemoryMetadataServerClient, neverAborted, RecordingContext } from '../support/connector-harness.js';

let dir: string;
const connectors: DataFilesMonitorConnector[] = [];
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(join(tmpdir(), 'files-trust-scan-')));
});
afterEach(async () => {
  for (const c of connectors.splice(0)) await c.disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(`${dir}.share`, { recursive: true, force: true });
});

/** Counts change runs that are over, so a test can look once every hint taken so far has been applied. */
class SettlingContext extends RecordingContext {
  finishedChangeRuns = 0;

  override async changeRun(work: (signal: AbortSignal) => Promise<void>): Promise<boolean> {
    try {
      return await super.changeRun(work);
    } finally {
      this.finishedChangeRuns++;
    }
  }

  get settled(): boolean {
    return this.finishedChangeRuns === this.changeRuns;
  }
}

async function started(
  options: { properties?: Record<string, unknown>; fileSystem?: ScanFileSystem; metadataServer?: MemoryMetadataServerClient } = {},
) {
  const metadataServer = options.metadataServer ?? new MemoryMetadataServerClient();
  const config = instanceConfig({ endpointAddress: dir, configurationProperties: options.properties ?? {}, baseDirectory: dir });
  const context = new SettlingContext(metadataServer, config);
  const connector = new DataFilesMonitorConnector(config, { fileSystem: options.fileSystem });
  connectors.push(connector);
  await connector.initialize(context);
  await connector.start();
  return { metadataServer, context, connector };
}

/** The real calls, with a hook run right after a directory has been listed (before anything can watch it). */
function afterListing(hook: (path: string) => void): ScanFileSystem {
  return {
    ...NODE_SCAN_FILE_SYSTEM,
    readdirSync: (path, options) => {
      const entries = NODE_SCAN_FILE_SYSTEM.readdirSync(path, options);
      hook(path.toString());
      return entries;
    },
  };
}

const qn = (relativePath: string) => dataFileQualifiedName(join(dir, relativePath));

describe('change hints racing the scan of a new subdirectory', () => {
  it('catch a file that lands in a new subdirectory after its listing and before its watch', async () => {
    const sub = join(dir, 'upload', 'part-1');
    let landed = false;
    const fileSystem = afterListing((path) => {
      // The upload goes on while the connector scans what it has created so far.
      if (path !== sub || landed) return;
      landed = true;
      fs.writeFileSync(join(sub, 'late.csv'), 'late');
    });
    const { metadataServer, context, connector } = await started({ fileSystem });
    await connector.refresh(neverAborted());

    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(join(sub, 'early.csv'), 'early');
    await until(
      'the change run that catalogued early.csv is over',
      () => metadataServer.get(qn('upload/part-1/early.csv')) !== undefined && context.settled,
      10_000,
    );
    expect(landed).toBe(true);
    // No refresh comes to the rescue here: the change run itself must have seen it.
    expect(metadataServer.get(qn('upload/part-1/late.csv'))?.archived).toBe(false);
    expect(context.refreshRequests).toEqual([]);
  });
});

describe('file names that are not valid UTF-8', () => {
  /** `dir` joined with names given as bytes. */
  const bytesPath = (...names: number[][]) =>
    Buffer.concat([Buffer.from(dir), ...names.flatMap((name) => [Buffer.from('/'), Buffer.from(name)])]);
  const F_FF_CSV = [0x66, 0xff, 0x2e, 0x63, 0x73, 0x76];

  it('are catalogued under a faithful name, kept while there (re-processing included) and archived once gone', async () => {
    fs.writeFileSync(bytesPath(F_FF_CSV), 'abc');
    fs.mkdirSync(bytesPath([0x64, 0xc3]));
    fs.writeFileSync(bytesPath([0x64, 0xc3], [0x69, 0x6e, 0x2e, 0x63, 0x73, 0x76]), 'inner');
    fs.writeFileSync(join(dir, 'plain.csv'), 'x');
    const { metadataServer, context, connector } = await started({ properties: { watchChanges: false } });
    await connector.refresh(neverAborted());
    expect(metadataServer.get(qn('f%FF.csv'))?.properties).toMatchObject({
      name: 'f%FF.csv',
      size: 3,
      extension: 'csv',
      path: join(dir, 'f%FF.csv'),
    });
    expect(metadataServer.get(qn('d%C3/in.csv'))?.properties).toMatchObject({ size: 5 });
    expect(metadataServer.active()).toHaveLength(3);
    expect(context.objectFailures).toEqual([]);

    // An object retry of a faithful name does not mistake it for a deleted file.
    await connector.reprocessObject(join(dir, 'f%FF.csv'), neverAborted());
    expect(metadataServer.active()).toHaveLength(3);
    expect(metadataServer.archiveCalls).toBe(0);

    fs.rmSync(bytesPath(F_FF_CSV));
    await connector.refresh(neverAborted());
    expect(metadataServer.get(qn('f%FF.csv'))?.archived).toBe(true);
    expect(metadataServer.get(qn('d%C3/in.csv'))?.archived).toBe(false);
  });

  it('are caught by watching, with % escaped too so two faithful names never meet', async () => {
    fs.mkdirSync(join(dir, 'sub'));
    const { metadataServer, connector } = await started();
    await connector.refresh(neverAborted());
    fs.writeFileSync(bytesPath([0x73, 0x75, 0x62], [0x67, 0xfe, 0x25, 0x2e, 0x63, 0x73, 0x76]), 'g');
    await until('the file catalogued from its hint', () => metadataServer.get(qn('sub/g%FE%25.csv')), 10_000);
  });

  it('refuses one whose faithful name is a valid sibling name, with an object failure', async () => {
    fs.writeFileSync(bytesPath(F_FF_CSV), 'bytes');
    fs.writeFileSync(join(dir, 'f%FF.csv'), 'literal name');
    const { metadataServer, context, connector } = await started({ properties: { watchChanges: false } });
    await connector.refresh(neverAborted());
    expect(metadataServer.get(qn('f%FF.csv'))?.properties.size).toBe('literal name'.length);
    expect(context.objectFailures).toHaveLength(1);
    expect(context.objectFailures[0]?.error).toMatchObject({ messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-500-005' });
    expect(String((context.objectFailures[0]?.error as Error).message)).toContain('not valid UTF-8');
  });
});

describe('a path longer than PATH_MAX', () => {
  it('is an object failure that protects only its own subtree: files deleted elsewhere are archived', async () => {
    // Sixteen levels of 250-character names, made while the path is short enough, then lengthened by renaming the
    // top: the deepest directory's path passes 4,096 bytes, which no system call accepts.
    const level = 'd'.repeat(250);
    let deep = join(dir, 'deep');
    for (let i = 0; i < 16; i++) deep = join(deep, level);
    fs.mkdirSync(deep, { recursive: true });
    const longer = join(dir, `deep${'e'.repeat(100)}`);
    fs.renameSync(join(dir, 'deep'), longer);
    const tooLong = join(longer, ...Array<string>(16).fill(level));
    expect(Buffer.byteLength(tooLong)).toBeGreaterThan(4096);
    try {
      fs.writeFileSync(join(dir, 'keep.csv'), 'k');
      fs.writeFileSync(join(dir, 'gone.csv'), 'g');
      const { metadataServer, context, connector } = await started({ properties: { watchChanges: false } });
      // Catalogued when its path was still short enough (before a directory on the way was renamed).
      const under = dataFileQualifiedName(join(tooLong, 'inner.csv'));
      await metadataServer.upsertElements([
        { typeName: 'DataFile', qualifiedName: under, properties: { path: join(tooLong, 'inner.csv') } },
      ]);
      await connector.refresh(neverAborted());
      expect(metadataServer.active()).toHaveLength(3);
      const failure = context.objectFailures.find((f) => f.objectKey === tooLong);
      expect(failure?.error).toMatchObject({ messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-400-006', thirdParty: true });

      fs.rmSync(join(dir, 'gone.csv'));
      await connector.refresh(neverAborted());
      expect(metadataServer.get(qn('gone.csv'))?.archived).toBe(true);
      expect(metadataServer.get(qn('keep.csv'))?.archived).toBe(false);
      expect(metadataServer.get(under)?.archived).toBe(false);
      expect(context.audits.some((a) => a.messageId === 'BASIC-FILES-INTEGRATION-CONNECTORS-0031')).toBe(false);
    } finally {
      // Node's rmSync cannot reach past PATH_MAX either.
      fs.renameSync(longer, join(dir, 'deep'));
    }
  });
});

describe('a monitored mount point whose share is unmounted', () => {
  it('reports 404-001 and archives nothing, in a new instance too (a retry), until a file system is mounted there again', async () => {
    // The monitored directory is a mount point while its device differs from its parent's (faked: no mounts here).
    let mounted = true;
    const fileSystem: ScanFileSystem = {
      ...NODE_SCAN_FILE_SYSTEM,
      statSync: (path) => {
        const stats = NODE_SCAN_FILE_SYSTEM.statSync(path);
        if (mounted && path.toString() === dir) stats.dev += 1000;
        return stats;
      },
    };
    for (let i = 0; i < 30; i++) fs.writeFileSync(join(dir, `file-${i}.csv`), `${i}`);
    const { metadataServer, context, connector } = await started({ fileSystem });
    await connector.refresh(neverAborted());
    expect(metadataServer.active()).toHaveLength(30);

    // Unmounting shows the empty directory beneath the mount point.
    const share = `${dir}.share`;
    fs.renameSync(dir, share);
    fs.mkdirSync(dir);
    mounted = false;
    await until(
      'the unmount noticed',
      () => context.audits.some((a) => a.messageId === FILES_AUDIT.rootLost && a.messageText.includes('was unmounted')),
      10_000,
    );
    expect(context.refreshRequests.some((r) => r.includes('was unmounted'))).toBe(true);
    const failure = await connector.refresh(neverAborted()).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001', thirdParty: true, category: 'notFound' });
    expect(failure).toBeInstanceOf(ConnectorError);
    const resumeWhen = (failure as ConnectorError).resumeWhen;
    expect(resumeWhen).toBeDefined();

    const retried = await started({ fileSystem, metadataServer });
    await expect(retried.connector.refresh(neverAborted())).rejects.toMatchObject({
      messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001',
    });
    expect(metadataServer.archiveCalls).toBe(0);
    expect(metadataServer.active()).toHaveLength(30);

    fs.rmdirSync(dir);
    fs.renameSync(share, dir);
    mounted = true;
    await resumeWhen?.(neverAborted());
    fs.writeFileSync(join(dir, 'after.csv'), 'back');
    const resumed = await started({ fileSystem, metadataServer });
    await resumed.connector.refresh(neverAborted());
    expect(metadataServer.active()).toHaveLength(31);
  });
});
