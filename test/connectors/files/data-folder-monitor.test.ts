import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DataFolderMonitorConnector,
  dataFolderMonitorProvider,
  dataFolderQualifiedName,
} from '../../../electron/connectors/files/data-folder-monitor.js';
import type { ScanFileSystem } from '../../../electron/connectors/files/tree-scan.js';
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
const connectors: DataFolderMonitorConnector[] = [];

beforeEach(() => {
  root = fs.mkdtempSync(join(tmpdir(), 'folder-monitor-'));
  dir = join(root, 'dataset');
  fs.mkdirSync(dir);
});

afterEach(async () => {
  for (const c of connectors.splice(0)) await c.disconnect();
  fs.rmSync(root, { recursive: true, force: true });
});

const at = (iso: string) => new Date(iso);

function write(relativePath: string, modified?: string): string {
  const path = join(dir, relativePath);
  fs.mkdirSync(join(path, '..'), { recursive: true });
  fs.writeFileSync(path, 'record');
  if (modified !== undefined) fs.utimesSync(path, at(modified), at(modified));
  return path;
}

/** Directories get a fixed old time so the newest file decides the folder's time. */
function ageDirectories(path = dir): void {
  for (const entry of fs.readdirSync(path, { withFileTypes: true })) if (entry.isDirectory()) ageDirectories(join(path, entry.name));
  fs.utimesSync(path, at('2020-01-01T00:00:00Z'), at('2020-01-01T00:00:00Z'));
}

async function setUp(properties: Record<string, unknown> = {}, fileSystem?: ScanFileSystem, endpoint = dir) {
  const metadataServer = new MemoryMetadataServerClient();
  const config = instanceConfig({ endpointAddress: endpoint, configurationProperties: properties });
  const context = new RecordingContext(metadataServer, config);
  const connector = new DataFolderMonitorConnector(config, { fileSystem });
  connectors.push(connector);
  await connector.initialize(context);
  await connector.start();
  return { metadataServer, context, connector };
}

describe('data folder monitor', () => {
  it('catalogues one DataFolder with the newest modification time in the tree and the file count', async () => {
    write('2024/01/part-0.parquet', '2024-01-31T10:00:00.000Z');
    write('2024/02/part-0.parquet', '2024-02-29T10:00:00.000Z');
    write('2024/02/part-1.parquet', '2024-02-29T12:30:00.000Z');
    ageDirectories();
    const { metadataServer, context, connector } = await setUp({ watchChanges: false });
    await connector.refresh(neverAborted());
    expect(metadataServer.active()).toHaveLength(1);
    expect(metadataServer.get(dataFolderQualifiedName(dir))?.properties).toEqual({
      path: dir,
      name: 'dataset',
      lastModifiedTime: '2024-02-29T12:30:00.000Z',
      fileCount: 3,
      directoryCount: 3,
    });
    expect(context.audits.find((a) => a.messageId === 'BASIC-FILES-INTEGRATION-CONNECTORS-0010')?.messageText).toBe(
      `The TestConnector integration connector has updated the last updated time in the DataFolder ${dataFolderQualifiedName(dir)} to 2024-02-29T12:30:00.000Z`,
    );

    const upserts = metadataServer.upsertCalls;
    context.resetCounts();
    await connector.refresh(neverAborted());
    expect(metadataServer.upsertCalls).toBe(upserts);
    expect(context.counts).toEqual({ discovered: 1, created: 0, updated: 0, unchanged: 1, archived: 0, failed: 0 });
  });

  it('sees a new file and a deleted file within a second', async () => {
    write('a.csv', '2024-01-01T00:00:00.000Z');
    write('sub/b.csv', '2024-01-01T00:00:00.000Z');
    ageDirectories();
    const { metadataServer, connector } = await setUp();
    await connector.refresh(neverAborted());
    const element = () => metadataServer.get(dataFolderQualifiedName(dir))?.properties;
    expect(element()?.fileCount).toBe(2);

    write('sub/c.csv');
    await waitFor(() => element()?.fileCount === 3, 1000, 'new file counted');
    expect(Date.parse(String(element()?.lastModifiedTime))).toBeGreaterThan(Date.now() - 60_000);

    ageDirectories();
    fs.utimesSync(join(dir, 'sub/c.csv'), at('2024-01-01T00:00:00Z'), at('2024-01-01T00:00:00Z'));
    await connector.refresh(neverAborted());
    expect(element()?.lastModifiedTime).toBe('2024-01-01T00:00:00.000Z');
    fs.rmSync(join(dir, 'sub/c.csv'));
    await waitFor(() => element()?.fileCount === 2, 1000, 'deleted file');
    // Only the directory's time records a deletion.
    expect(Date.parse(String(element()?.lastModifiedTime))).toBeGreaterThan(Date.now() - 60_000);
  });

  it('leaves the DataFolder as it was when a subdirectory cannot be read', async () => {
    write('ok/a.csv');
    write('bad/b.csv');
    const bad = join(dir, 'bad');
    let denied = false;
    const fileSystem = hookedFileSystem((path) => {
      if (denied && path === bad) throw permissionDenied(path);
    });
    const { metadataServer, context, connector } = await setUp({ watchChanges: false }, fileSystem);
    await connector.refresh(neverAborted());
    const before = structuredClone(metadataServer.get(dataFolderQualifiedName(dir)));
    write('ok/c.csv');
    denied = true;
    context.resetCounts();
    await connector.refresh(neverAborted());
    expect(metadataServer.get(dataFolderQualifiedName(dir))).toEqual(before);
    expect(context.objectFailures.map((f) => f.objectKey)).toEqual([bad]);
    expect(context.counts).toEqual({ discovered: 1, created: 0, updated: 0, unchanged: 0, archived: 0, failed: 1 });
    await expect(connector.reprocessObject(bad, neverAborted())).rejects.toMatchObject({
      messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-400-003',
    });
    denied = false;
    await connector.reprocessObject(bad, neverAborted());
    expect(metadataServer.get(dataFolderQualifiedName(dir))?.properties.fileCount).toBe(3);
  });

  it('archives the DataFolder of a previous endpoint after a complete scan of the new one', async () => {
    const other = join(root, 'other');
    fs.mkdirSync(other);
    const first = await setUp({ watchChanges: false });
    await first.connector.refresh(neverAborted());
    const { metadataServer, connector } = await setUp({ watchChanges: false }, undefined, other);
    for (const [q, e] of first.metadataServer.elements) metadataServer.elements.set(q, structuredClone(e));
    await connector.refresh(neverAborted());
    expect(metadataServer.get(dataFolderQualifiedName(dir))?.archived).toBe(true);
    expect(metadataServer.get(dataFolderQualifiedName(other))?.archived).toBe(false);
  });

  it('fails with BASIC-FILES-INTEGRATION-CONNECTORS-404-001 when the directory is missing', async () => {
    const missing = join(root, 'missing');
    await expect(setUp({}, undefined, missing)).rejects.toMatchObject({
      messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001',
      message: `BASIC-FILES-INTEGRATION-CONNECTORS-404-001 The directory named ${missing} in the endpoint of connector TestConnector does not exist`,
      category: 'notFound',
      thirdParty: true,
    });
  });

  it('answers to its name and the Egeria provider class name', () => {
    expect(dataFolderMonitorProvider.providerName).toBe('data-folder-monitor');
    expect(dataFolderMonitorProvider.connectorKind).toBe('files');
    expect(dataFolderMonitorProvider.aliases).toContain(
      'org.odpi.openmetadata.adapters.connectors.integration.basicfiles.DataFolderMonitorIntegrationProvider',
    );
  });
});
