import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteMonitorConnector, sqliteMonitorProvider } from '../../../electron/connectors/database/sqlite-monitor.js';
import { instanceConfig, MemoryMetadataServerClient, neverAborted, RecordingContext } from '../support/connector-harness.js';

let root: string;
let file: string;

beforeEach(() => {
  root = fs.mkdtempSync(join(tmpdir(), 'sqlite-monitor-'));
  file = join(root, 'shop.db');
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function exec(sql: string): void {
  const db = new Database(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

async function setUp(endpoint = file, properties: Record<string, unknown> = {}) {
  const metadataServer = new MemoryMetadataServerClient();
  const config = instanceConfig({ endpointAddress: endpoint, configurationProperties: properties, baseDirectory: root });
  const context = new RecordingContext(metadataServer, config);
  const connector = new SqliteMonitorConnector(config);
  await connector.initialize(context);
  return { metadataServer, context, connector };
}

const SHOP = `
  CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT DEFAULT 'anonymous');
  CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    placed_at TEXT NOT NULL
  );
  CREATE TABLE order_lines (
    order_id INTEGER NOT NULL, line INTEGER NOT NULL, sku TEXT, quantity REAL,
    PRIMARY KEY (order_id, line),
    FOREIGN KEY (order_id) REFERENCES orders
  );
  CREATE VIEW big_orders AS SELECT order_id, SUM(quantity) AS total FROM order_lines GROUP BY order_id;
`;

describe('SQLite database monitor', () => {
  it('catalogues schema, tables, views, columns and keys with Egeria-style qualified names', async () => {
    exec(SHOP);
    const { metadataServer, context, connector } = await setUp();
    await connector.start(neverAborted());
    await connector.refresh(neverAborted());
    const q = (...parts: string[]) => [file, ...parts].join('::');

    expect(metadataServer.get(file)?.typeName).toBe('Database');
    expect(metadataServer.get(file)?.properties).toMatchObject({ databaseType: 'SQLite', path: file });
    expect(metadataServer.get(q('main'))?.typeName).toBe('DeployedDatabaseSchema');
    expect(metadataServer.get(q('main', 'orders'))?.typeName).toBe('DatabaseTable');
    expect(metadataServer.get(q('main', 'big_orders'))?.typeName).toBe('DatabaseView');
    expect(metadataServer.get(q('main', 'big_orders', 'total'))?.typeName).toBe('DatabaseColumn');
    expect(metadataServer.get(q('main', 'customers', 'name'))?.properties).toEqual({
      name: 'name',
      dataType: 'TEXT',
      nullable: true,
      position: 3,
      defaultValue: "'anonymous'",
      isPrimaryKey: false,
    });
    expect(metadataServer.get(q('main', 'customers', 'email'))?.properties).toMatchObject({ nullable: false, position: 2 });
    expect(metadataServer.get(q('main', 'order_lines', 'line'))?.properties.isPrimaryKey).toBe(true);
    expect(metadataServer.get(q('main', 'order_lines', 'primaryKey', 'order_lines_pkey'))?.properties.columnQualifiedNames).toEqual([
      q('main', 'order_lines', 'order_id'),
      q('main', 'order_lines', 'line'),
    ]);
    // A reference without columns points at the parent's primary key.
    expect(metadataServer.get(q('main', 'order_lines', 'foreignKey', 'order_lines_order_id_fkey'))?.properties).toMatchObject({
      referencedTableQualifiedName: q('main', 'orders'),
      referencedColumnQualifiedNames: [q('main', 'orders', 'id')],
    });
    expect(metadataServer.relationships.has(`ForeignKey|${q('main', 'orders', 'customer_id')}|${q('main', 'customers', 'id')}`)).toBe(true);
    expect(metadataServer.relationships.has(`NestedSchemaAttribute|${q('main', 'orders')}|${q('main', 'orders', 'placed_at')}`)).toBe(true);
    expect(context.countsBalance).toBe(true);
    expect(context.counts.created).toBe(metadataServer.elements.size);
  });

  it('sends nothing when nothing changed, updates altered columns and archives dropped objects', async () => {
    exec(SHOP);
    const { metadataServer, context, connector } = await setUp();
    await connector.refresh(neverAborted());
    const total = metadataServer.elements.size;
    const upserts = metadataServer.upsertCalls;
    context.resetCounts();
    await connector.refresh(neverAborted());
    expect(metadataServer.upsertCalls).toBe(upserts);
    expect(context.counts).toEqual({ discovered: total, created: 0, updated: 0, unchanged: total, archived: 0, failed: 0 });

    exec(
      `DROP VIEW big_orders; DROP TABLE order_lines; ALTER TABLE customers ADD COLUMN phone TEXT; ALTER TABLE customers RENAME COLUMN name TO full_name;`,
    );
    context.resetCounts();
    await connector.refresh(neverAborted());
    const q = (...parts: string[]) => [file, ...parts].join('::');
    expect(metadataServer.get(q('main', 'big_orders'))?.archived).toBe(true);
    expect(metadataServer.get(q('main', 'order_lines', 'sku'))?.archived).toBe(true);
    expect(metadataServer.get(q('main', 'order_lines', 'foreignKey', 'order_lines_order_id_fkey'))?.archived).toBe(true);
    expect(metadataServer.get(q('main', 'customers', 'name'))?.archived).toBe(true);
    expect(metadataServer.get(q('main', 'customers', 'full_name'))?.archived).toBe(false);
    expect(metadataServer.get(q('main', 'customers', 'phone'))?.properties.position).toBe(4);
    expect(metadataServer.get(q('main', 'customers'))?.archived).toBe(false);
    expect(context.counts.created).toBe(2);
    expect(context.countsBalance).toBe(true);
  });

  it('reports a missing file as a third-party notFound error and archives nothing', async () => {
    exec(SHOP);
    const { metadataServer, connector } = await setUp();
    await connector.refresh(neverAborted());
    fs.rmSync(file);
    await expect(connector.refresh(neverAborted())).rejects.toMatchObject({
      messageId: 'SQLITE-DATABASE-MONITOR-404-001',
      category: 'notFound',
      thirdParty: true,
      message: `SQLITE-DATABASE-MONITOR-404-001 The SQLite database file ${file} in the endpoint of connector TestConnector does not exist`,
    });
    expect(metadataServer.archiveCalls).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuses a file that is not a SQLite database', async () => {
    fs.writeFileSync(file, 'this is a text file, not a database, padded to be long enough to have a header.'.repeat(10));
    const { connector } = await setUp();
    await expect(connector.start(neverAborted())).rejects.toMatchObject({
      messageId: 'SQLITE-DATABASE-MONITOR-400-002',
      category: 'configuration',
    });
  });

  it('waits for a write lock held by another connection, then reports a timeout', async () => {
    exec(SHOP);
    const { connector } = await setUp();
    const writer = new Database(file);
    writer.exec('BEGIN EXCLUSIVE');
    try {
      // The event loop stays free while the connector waits for the lock.
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 50);
      await expect(connector.refresh(neverAborted())).rejects.toMatchObject({
        messageId: 'SQLITE-DATABASE-MONITOR-503-001',
        category: 'timeout',
      });
      clearInterval(ticker);
      expect(ticks).toBeGreaterThan(40);
      // And a lock that goes away in time is simply waited for.
      const refresh = connector.refresh(neverAborted());
      setTimeout(() => writer.exec('ROLLBACK'), 300);
      await refresh;
      writer.exec('BEGIN EXCLUSIVE');
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  }, 20_000);

  it('accepts relative paths and JDBC URLs, and validates its configuration', async () => {
    exec(SHOP);
    for (const endpoint of ['shop.db', `jdbc:sqlite:${file}`]) {
      const { metadataServer, connector } = await setUp(endpoint);
      await connector.refresh(neverAborted());
      expect(metadataServer.get(file)?.typeName).toBe('Database');
    }
    expect(sqliteMonitorProvider.validate({ endpointAddress: file, configurationProperties: {} })).toEqual([]);
    expect(sqliteMonitorProvider.validate({ endpointAddress: '', configurationProperties: { tables: 1 } }).map((p) => p.path)).toEqual([
      'endpointAddress',
      'configurationProperties.tables',
    ]);
    expect(sqliteMonitorProvider.connectorKind).toBe('database');
  });
});
