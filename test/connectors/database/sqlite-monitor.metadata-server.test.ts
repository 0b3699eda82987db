// The SQLite database monitor against the real embedded metadata repository, relationships included.
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SqliteMonitorConnector } from '../../../electron/connectors/database/sqlite-monitor.js';
import { SqliteMetadataRepository } from '../../../electron/engine/metadata-server/sqlite.js';
import { instanceConfig, neverAborted, RecordingContext, repositoryClient } from '../support/connector-harness.js';

let root: string;
let repository: SqliteMetadataRepository;

beforeEach(async () => {
  root = fs.mkdtempSync(join(tmpdir(), 'sqlite-monitor-repo-'));
  repository = new SqliteMetadataRepository('embedded', join(root, 'metadata.db'));
  await repository.open();
});

afterEach(async () => {
  await repository.close();
  fs.rmSync(root, { recursive: true, force: true });
});

it('stores the catalogue idempotently and archives a dropped table in the real repository', async () => {
  const file = join(root, 'app.db');
  const db = new Database(file);
  db.exec(`CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id));`);
  db.close();
  const config = instanceConfig({ connectorId: 'db-connector', endpointAddress: file });
  const context = new RecordingContext(repositoryClient(repository, 'db-connector'), config);
  const connector = new SqliteMonitorConnector(config);
  await connector.initialize(context);
  await connector.start(neverAborted());
  await connector.refresh(neverAborted());
  const stored = await repository.listElementSummaries('db-connector');
  // Database, schema, 2 tables, 4 columns, 2 primary keys, 1 foreign key.
  expect(stored).toHaveLength(11);
  const [foreignKey] = await repository.findElements({ typeName: 'DatabaseForeignKey', startFrom: 0, pageSize: 10 });
  expect(foreignKey?.qualifiedName).toBe(`${file}::main::b::foreignKey::b_a_id_fkey`);
  expect(await repository.listRelationships('db-connector')).toContainEqual(
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
  expect(await repository.listElementSummaries('db-connector')).toHaveLength(6);
});
