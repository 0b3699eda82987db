// The SQLite database monitor against the real embedded metadata server, relationships included.
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SqliteMonitorConnector } from '../../../electron/connectors/database/sqlite-monitor.js';
import { SqliteMetadataServer } from '../../../electron/engine/metadata-server/sqlite.js';
import { instanceConfig, neverAborted, RecordingContext, metadataServerClient } from '../support/connector-harness.js';

let root: string;
let metadataServer: SqliteMetadataServer;

beforeEach(async () => {
  root = fs.mkdtempSync(join(tmpdir(), 'sqlite-monitor-metadata-server-'));
  metadataServer = new SqliteMetadataServer('embedded', join(root, 'metadata.db'));
  await metadataServer.open();
});

afterEach(async () => {
  await metadataServer.close();
  fs.rmSync(root, { recursive: true, force: true });
});

it('stores the catalogue idempotently and archives a dropped table in the real metadata server', async () => {
  const file = join(root, 'app.db');
  const db = new Database(file);
  db.exec(`CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id));`);
  db.close();
  const config = instanceConfig({ connectorId: 'db-connector', endpointAddress: file });
  const context = new RecordingContext(metadataServerClient(metadataServer, 'db-connector'), config);
  const connector = new SqliteMonitorConnector(config);
  await connector.initialize(context);
  await connector.start(neverAborted());
  await connector.refresh(neverAborted());
  const stored = await metadataServer.listElementSummaries('db-connector');
  // Database, schema, 2 tables, 4 columns, 2 primary keys, 1 foreign key.
  expect(stored).toHaveLength(11);
  const [foreignKey] = await metadataServer.findElements({ typeName: 'DatabaseForeignKey', startFrom: 0, pageSize: 10 });
  expect(foreignKey?.qualifiedName).toBe(`${file}::main::b::foreignKey::b_a_id_fkey`);
  expect(await metadataServer.listRelationships('db-connector')).toContainEqual(
    expect.objectContaining({
      typeName: 'ForeignKey',
      end1QualifiedName: `${file}::main::b::a_id`,
      end2QualifiedName: `${file}::main::a::id`,
    }),
  );

  context.resetCounts();
  await connector.refresh(neverAborted());
  expect(context.counts).toEqual({ discovered: 11, created: 0, updated: 0, unchanged: 11, archived: 0, failed: 0 });

  const change = new Database(file);
  change.exec('DROP TABLE b');
  change.close();
  context.resetCounts();
  await connector.refresh(neverAborted());
  expect(context.counts.archived).toBe(5);
  expect(await metadataServer.listElementSummaries('db-connector')).toHaveLength(6);
});
