// The PostgreSQL monitor's connection test against a real PostgreSQL: every step passes on a database with a table;
// a wrong database fails at authenticate; a closed port fails the first step and skips the rest; a schema filter
// that matches nothing fails at list schemas.
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresMonitorProvider } from '../../../electron/connectors/database/postgres-monitor.js';
import type { ConnectorInstanceConfig } from '../../../electron/connector-sdk/index.js';
import { runConnectionTest } from '../../../electron/engine/workbench/connection-test.js';
import { startPostgres, type PgServer } from '../../support/postgres.js';

let server: PgServer;
let shop: string;

beforeAll(async () => {
  server = await startPostgres();
  shop = await server.createDatabase('shop');
  const client = new pg.Client({ connectionString: shop });
  await client.connect();
  await client.query('CREATE TABLE orders (id integer PRIMARY KEY); CREATE VIEW recent AS SELECT * FROM orders');
  await client.end();
}, 120_000);

afterAll(async () => {
  await server?.destroy();
});

function config(endpointAddress: string, configurationProperties: Record<string, unknown> = {}): ConnectorInstanceConfig {
  return {
    connectorName: 'Shop',
    connectorId: 'shop',
    connectorInstanceId: 'i',
    endpointAddress,
    configurationProperties,
    permittedSynchronization: 'FROM_THIRD_PARTY',
    baseDirectory: '/',
  };
}

const test = (endpoint: string, properties: Record<string, unknown> = {}) =>
  runConnectionTest(postgresMonitorProvider, config(endpoint, properties), { timeoutMs: 30_000 });

describe('PostgreSQL connection test', () => {
  it('passes every step on a reachable database', async () => {
    const result = await test(shop);
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['reach the server', 'PASSED'],
      ['authenticate', 'PASSED'],
      ['list databases', 'PASSED'],
      ['list schemas', 'PASSED'],
      ['list tables', 'PASSED'],
    ]);
    expect(result.steps[2]?.message).toContain('shop');
    expect(result.steps[4]?.message).toContain('2 tables and views');
  });

  it('fails at authenticate for a database that does not exist, and skips what needs it', async () => {
    const result = await test(shop.replace(/\/shop$/, '/nosuchdb'));
    expect(result.steps.map((s) => s.status)).toEqual(['PASSED', 'FAILED', 'SKIPPED', 'SKIPPED', 'SKIPPED']);
    expect(result.steps[1]?.messageId).toBe('POSTGRES-DATABASE-MONITOR-404-001');
  });

  it('fails the first step on a port where nothing listens', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const result = await test(`postgresql://postgres@127.0.0.1:${port}/shop`);
    expect(result.steps.map((s) => s.status)).toEqual(['FAILED', 'SKIPPED', 'SKIPPED', 'SKIPPED', 'SKIPPED']);
    expect(result.steps[0]?.messageId).toBe('POSTGRES-DATABASE-MONITOR-503-001');
  });

  it('fails at list schemas when the schema filter matches nothing', async () => {
    const result = await test(shop, { includeSchemaNames: ['nothing_*'] });
    expect(result.steps.map((s) => s.status)).toEqual(['PASSED', 'PASSED', 'PASSED', 'FAILED', 'SKIPPED']);
  });
});
