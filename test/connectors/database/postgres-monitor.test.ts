import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresMonitorConnector, postgresMonitorProvider } from '../../../electron/connectors/database/postgres-monitor.js';
import { ConnectorError } from '../../../electron/connector-sdk/index.js';
import { startPostgres, type PgServer } from '../../support/postgres.js';
import { instanceConfig, MemoryMetadataServerClient, neverAborted, RecordingContext } from '../support/connector-harness.js';

let server: PgServer;
let shop: string;

async function sql(connectionString: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  server = await startPostgres();
  shop = await server.createDatabase('shop');
  await sql(
    shop,
    `CREATE SCHEMA sales;
     CREATE SCHEMA audit_2024;
     CREATE TABLE sales.customers (id bigint PRIMARY KEY, email varchar(200) NOT NULL UNIQUE, name text DEFAULT 'anonymous');
     CREATE TABLE sales.orders (
       region char(2) NOT NULL, id integer NOT NULL, customer_id bigint REFERENCES sales.customers(id), placed_at timestamptz NOT NULL,
       PRIMARY KEY (region, id));
     CREATE TABLE sales.order_lines (
       region char(2), order_id integer, line smallint, amount numeric(10,2),
       CONSTRAINT order_lines_order_fk FOREIGN KEY (region, order_id) REFERENCES sales.orders(region, id));
     CREATE VIEW sales.big_orders AS SELECT region, order_id, sum(amount) AS total FROM sales.order_lines GROUP BY 1, 2;
     CREATE MATERIALIZED VIEW sales.daily AS SELECT date_trunc('day', placed_at) AS day, count(*) AS n FROM sales.orders GROUP BY 1;
     CREATE TABLE public.settings (key text PRIMARY KEY, value jsonb);
     CREATE TABLE audit_2024.events (id serial PRIMARY KEY);`,
  );
}, 120_000);

afterAll(async () => {
  await server?.destroy();
});

async function setUp(endpoint: string, properties: Record<string, unknown> = {}) {
  const metadataServer = new MemoryMetadataServerClient();
  const config = instanceConfig({ endpointAddress: endpoint, configurationProperties: properties });
  const context = new RecordingContext(metadataServer, config);
  const connector = new PostgresMonitorConnector(config);
  await connector.initialize(context);
  await connector.start();
  return { metadataServer, context, connector };
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe('PostgreSQL database monitor', () => {
  it('catalogues schemas, tables, views, columns and keys in catalog::schema::table::column names', async () => {
    const { metadataServer, context, connector } = await setUp(shop);
    await connector.refresh(neverAborted());
    const catalog = `127.0.0.1:${server.port}/shop`;
    const q = (...parts: string[]) => [catalog, ...parts].join('::');

    expect(metadataServer.get(catalog)?.properties).toMatchObject({ databaseType: 'PostgreSQL', databaseName: 'shop', encoding: 'UTF8' });
    expect(
      metadataServer
        .active('DeployedDatabaseSchema')
        .map((e) => e.qualifiedName)
        .sort(),
    ).toEqual([q('audit_2024'), q('public'), q('sales')]);
    expect(metadataServer.get(q('sales', 'orders'))?.properties).toMatchObject({ tableType: 'BASE TABLE', schemaName: 'sales' });
    expect(metadataServer.get(q('sales', 'big_orders'))?.typeName).toBe('DatabaseView');
    expect(metadataServer.get(q('sales', 'daily'))?.properties.tableType).toBe('MATERIALIZED VIEW');
    expect(metadataServer.get(q('sales', 'customers', 'email'))?.properties).toEqual({
      name: 'email',
      dataType: 'character varying(200)',
      nullable: false,
      position: 2,
      defaultValue: null,
      isPrimaryKey: false,
    });
    expect(metadataServer.get(q('sales', 'customers', 'name'))?.properties.defaultValue).toBe("'anonymous'::text");
    expect(metadataServer.get(q('sales', 'order_lines', 'amount'))?.properties.dataType).toBe('numeric(10,2)');
    expect(metadataServer.get(q('sales', 'orders', 'primaryKey', 'orders_pkey'))?.properties.columnQualifiedNames).toEqual([
      q('sales', 'orders', 'region'),
      q('sales', 'orders', 'id'),
    ]);
    expect(metadataServer.get(q('sales', 'orders', 'id'))?.properties.isPrimaryKey).toBe(true);
    expect(metadataServer.get(q('sales', 'order_lines', 'foreignKey', 'order_lines_order_fk'))?.properties).toMatchObject({
      referencedTableQualifiedName: q('sales', 'orders'),
      columnQualifiedNames: [q('sales', 'order_lines', 'region'), q('sales', 'order_lines', 'order_id')],
      referencedColumnQualifiedNames: [q('sales', 'orders', 'region'), q('sales', 'orders', 'id')],
    });
    expect(metadataServer.relationships.has(`ForeignKey|${q('sales', 'order_lines', 'order_id')}|${q('sales', 'orders', 'id')}`)).toBe(
      true,
    );
    expect(metadataServer.elements.has(q('pg_catalog'))).toBe(false);
    expect(context.countsBalance).toBe(true);

    const upserts = metadataServer.upsertCalls;
    context.resetCounts();
    await connector.refresh(neverAborted());
    expect(metadataServer.upsertCalls).toBe(upserts);
    expect(context.counts.unchanged).toBe(metadataServer.elements.size);
  });

  it('archives dropped objects and only those, and honours the schema filter', async () => {
    const db = await server.createDatabase('changing');
    await sql(
      db,
      `CREATE TABLE t (id int PRIMARY KEY, a text, b text); CREATE VIEW v AS SELECT id FROM t; CREATE SCHEMA scratch; CREATE TABLE scratch.x (y int);`,
    );
    const { metadataServer, connector } = await setUp(db, { excludeSchemaNames: ['scr*'] });
    await connector.refresh(neverAborted());
    const q = (...parts: string[]) => [`127.0.0.1:${server.port}/changing`, ...parts].join('::');
    expect(metadataServer.get(q('scratch'))).toBeUndefined();
    expect(metadataServer.get(q('public', 't', 'b'))?.archived).toBe(false);

    await sql(db, `DROP VIEW v; ALTER TABLE t DROP COLUMN b; ALTER TABLE t ALTER COLUMN a SET NOT NULL; ALTER TABLE t ADD COLUMN c int;`);
    await connector.refresh(neverAborted());
    expect(metadataServer.get(q('public', 'v'))?.archived).toBe(true);
    expect(metadataServer.get(q('public', 'v', 'id'))?.archived).toBe(true);
    expect(metadataServer.get(q('public', 't', 'b'))?.archived).toBe(true);
    expect(metadataServer.get(q('public', 't', 'a'))?.properties.nullable).toBe(false);
    expect(metadataServer.get(q('public', 't', 'c'))?.properties.position).toBe(4);
    expect(metadataServer.get(q('public', 't'))?.archived).toBe(false);
  });

  it('reports an unreachable server as a third-party network error without the password, and archives nothing', async () => {
    const db = await server.createDatabase('outage');
    await sql(db, 'CREATE TABLE kept (id int)');
    const withPassword = db.replace('postgres@', 'postgres:s3cret@');
    const { metadataServer, connector } = await setUp(withPassword);
    await connector.refresh(neverAborted());
    await server.stop();
    try {
      const error = await failure(connector.refresh(neverAborted()));
      expect(error).toMatchObject({
        messageId: 'POSTGRES-DATABASE-MONITOR-503-001',
        category: 'network',
        thirdParty: true,
        retryable: true,
      });
      expect(error.message).not.toContain('s3cret');
      expect(error.message).toContain('postgres:***@');
      expect(metadataServer.archiveCalls).toBe(0);
    } finally {
      await server.start();
    }
    await connector.refresh(neverAborted());
    expect(metadataServer.active().length).toBeGreaterThan(3);
  }, 60_000);

  it('reports refused credentials as a security error', async () => {
    await sql(server.connectionString, `CREATE ROLE guarded LOGIN PASSWORD 'right'`);
    // Password authentication for this one role, ahead of the trust rule that covers everyone else.
    const hba = join(server.dataDirectory, 'pg_hba.conf');
    writeFileSync(hba, `host all guarded 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, 'utf8')}`);
    await sql(server.connectionString, 'SELECT pg_reload_conf()');
    const { connector } = await setUp(`postgresql://guarded:wrong@127.0.0.1:${server.port}/shop`);
    const error = await failure(connector.refresh(neverAborted()));
    expect(error).toMatchObject({ messageId: 'POSTGRES-DATABASE-MONITOR-401-001', category: 'security', thirdParty: true });
    expect(error.message).not.toContain('wrong');
    const right = await setUp(`postgresql://guarded:right@127.0.0.1:${server.port}/shop`);
    await right.connector.refresh(neverAborted());
  });

  it('stops a refresh when aborted and leaves no session behind', async () => {
    const { metadataServer, connector } = await setUp(shop);
    const controller = new AbortController();
    const refresh = connector.refresh(controller.signal);
    setTimeout(() => controller.abort(new Error('refresh timed out')), 1);
    await expect(refresh).rejects.toThrow('refresh timed out');
    expect(metadataServer.archiveCalls).toBe(0);
    const client = new pg.Client({ connectionString: server.connectionString });
    await client.connect();
    try {
      for (let i = 0; i < 50; i++) {
        const { rows } = await client.query<{ n: string }>(
          "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'integration-daemon postgres monitor'",
        );
        if (rows[0]?.n === '0') return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the aborted refresh left its session open');
    } finally {
      await client.end();
    }
  });

  it('reports a database that does not exist as notFound', async () => {
    const { connector } = await setUp(`postgresql://postgres@127.0.0.1:${server.port}/no_such_db`);
    expect(await failure(connector.refresh(neverAborted()))).toMatchObject({
      messageId: 'POSTGRES-DATABASE-MONITOR-404-001',
      category: 'notFound',
    });
  });

  it('validates the endpoint and properties, and answers to the Egeria provider name', () => {
    expect(
      postgresMonitorProvider.validate({
        endpointAddress: 'jdbc:postgresql://db:5432/x',
        configurationProperties: { includeSchemaNames: ['public'] },
      }),
    ).toEqual([]);
    expect(
      postgresMonitorProvider.validate({ endpointAddress: 'mysql://db/x', configurationProperties: { ssl: 'false' } }).map((p) => p.path),
    ).toEqual(['endpointAddress', 'configurationProperties.ssl']);
    expect(postgresMonitorProvider.aliases).toContain(
      'org.odpi.openmetadata.adapters.connectors.integration.postgres.PostgresDatabaseProvider',
    );
    expect(postgresMonitorProvider.connectorKind).toBe('database');
  });
});
