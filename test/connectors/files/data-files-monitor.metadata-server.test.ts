// The data files monitor against the real embedded metadata server (a SQLite file), wired as the daemon wires it.
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataFilesMonitorConnector, dataFileQualifiedName } from '../../../electron/connectors/files/data-files-monitor.js';
import { SqliteMetadataServer } from '../../../electron/engine/metadata-server/sqlite.js';
import { instanceConfig, neverAborted, RecordingContext, metadataServerClient, waitFor } from '../support/connector-harness.js';

let root: string;
let dir: string;
let metadataServer: SqliteMetadataServer;
let connector: DataFilesMonitorConnector | undefined;
const source = 'files-connector-id';

beforeEach(async () => {
  root = fs.mkdtempSync(join(tmpdir(), 'files-metadata-server-'));
  dir = join(root, 'landing');
  fs.mkdirSync(dir);
  metadataServer = new SqliteMetadataServer('embedded', join(root, 'metadata.db'));
  await metadataServer.open();
});

afterEach(async () => {
  await connector?.disconnect();
  connector = undefined;
  await metadataServer.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function write(relativePath: string, content = 'x'): void {
  const path = join(dir, relativePath);
  fs.mkdirSync(join(path, '..'), { recursive: true });
  fs.writeFileSync(path, content);
}

async function setUp(properties: Record<string, unknown> = {}) {
  const config = instanceConfig({ connectorId: source, endpointAddress: dir, configurationProperties: properties });
  const context = new RecordingContext(metadataServerClient(metadataServer, source), config);
  connector = new DataFilesMonitorConnector(config);
  await connector.initialize(context);
  await connector.start();
  return { context, connector };
}

const active = async () => (await metadataServer.listElementSummaries(source, { typeName: 'DataFile' })).map((s) => s.qualifiedName).sort();

describe('data files monitor with the SQLite metadata server', () => {
  it('creates, skips unchanged by fingerprint, updates, archives and revives DataFile elements', async () => {
    write('a.csv', '1');
    write('sub/b.csv', '22');
    const { context, connector } = await setUp({ watchChanges: false });
    await connector.refresh(neverAborted());
    expect(await active()).toEqual([dataFileQualifiedName(join(dir, 'a.csv')), dataFileQualifiedName(join(dir, 'sub/b.csv'))]);
    expect(context.counts).toMatchObject({ discovered: 2, created: 2 });

    // The metadata server's stored fingerprint equals the connector's: nothing is sent the second time.
    context.resetCounts();
    await connector.refresh(neverAborted());
    expect(context.counts).toEqual({ discovered: 2, created: 0, updated: 0, unchanged: 2, archived: 0, failed: 0 });

    write('a.csv', '333');
    fs.rmSync(join(dir, 'sub/b.csv'));
    context.resetCounts();
    await connector.refresh(neverAborted());
    expect(context.counts).toEqual({ discovered: 1, created: 0, updated: 1, unchanged: 0, archived: 1, failed: 0 });
    const [element] = await metadataServer.findElements({
      qualifiedNamePrefix: dataFileQualifiedName(join(dir, 'a.csv')),
      startFrom: 0,
      pageSize: 10,
    });
    expect(element?.properties).toMatchObject({ size: 3, name: 'a.csv', extension: 'csv' });

    write('sub/b.csv', 'back');
    context.resetCounts();
    await connector.refresh(neverAborted());
    expect(await active()).toHaveLength(2);
    expect(context.counts).toMatchObject({ discovered: 2, updated: 1, unchanged: 1 });
  });

  it('archives exactly a renamed directory whose name contains LIKE wildcards', async () => {
    write('sub_dir/one.csv');
    write('subXdir/two.csv');
    write('100%/three.csv');
    write('100x/four.csv');
    const { connector } = await setUp();
    await connector.refresh(neverAborted());
    fs.renameSync(join(dir, 'sub_dir'), join(dir, 'moved'));
    fs.renameSync(join(dir, '100%'), join(dir, 'percent'));
    await waitFor(async () => (await active()).includes(dataFileQualifiedName(join(dir, 'percent/three.csv'))), 1500, 'renames');
    await waitFor(async () => (await active()).length === 4, 1500, 'old names archived');
    expect(await active()).toEqual(
      ['100x/four.csv', 'moved/one.csv', 'percent/three.csv', 'subXdir/two.csv'].map((p) => dataFileQualifiedName(join(dir, p))).sort(),
    );
  });
});
