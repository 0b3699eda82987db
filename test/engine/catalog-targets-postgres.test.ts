// Catalog targets of the PostgreSQL database monitor on a real PostgreSQL (test/support/postgres.ts), run by the real
// daemon: one connection, one target per schema (includeSchemaNames), plus a target whose database does not exist
// yet. The schema targets catalogue their own tables each, in metadata sources of their own, so neither archives the
// other's; the missing database fails only its target, and once it exists a retry of that target brings it back.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetadataElement } from '../../shared/api/types.js';
import { startPostgres, type PgServer } from '../support/postgres.js';
import { startRealDaemon, type RealDaemon } from '../support/real-daemon.js';
import { until } from '../support/until.js';

const CONNECTOR = 'ShopSchemas';
let server: PgServer;
let shop: string;
let real: RealDaemon;

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
    `CREATE SCHEMA sales; CREATE SCHEMA audit;
     CREATE TABLE sales.orders (id integer PRIMARY KEY); CREATE TABLE sales.customers (id integer PRIMARY KEY);
     CREATE TABLE audit.events (id integer PRIMARY KEY);`,
  );
  const later = shop.replace(/\/shop$/, '/later');
  real = await startRealDaemon({ token: 'pg-targets-token-0123456789' }, undefined, (document) => {
    document.integrationServices = [
      {
        urlMarker: 'database-integrator',
        connectors: [
          {
            connectorName: CONNECTOR,
            connectorProvider: 'postgres-database-monitor',
            endpointAddress: shop,
            refreshTimeInterval: 60,
            catalogTargets: [
              { catalogTargetName: 'sales', configurationProperties: { includeSchemaNames: ['sales'] } },
              { catalogTargetName: 'audit', configurationProperties: { includeSchemaNames: ['audit'] } },
              { catalogTargetName: 'later', endpointAddress: later },
            ],
          },
        ],
      },
    ];
  });
}, 120_000);

afterAll(async () => {
  await real?.stop();
  await server?.destroy();
});

const targets = () => new Map(real.daemon.catalogTargets(CONNECTOR).map((t) => [t.catalogTargetName, t]));

async function tables(): Promise<MetadataElement[]> {
  return real.daemon.findElements({ connectorName: CONNECTOR, startFrom: 0, pageSize: 1000 });
}

describe('catalog targets of the PostgreSQL database monitor', () => {
  it('each schema target catalogues its own tables; the target without its database fails alone', async () => {
    await until(
      'sales and audit refreshed, later failed',
      () => {
        const t = targets();
        return (
          (t.get('sales')?.lastSuccessfulRefreshTime !== undefined &&
            t.get('audit')?.lastSuccessfulRefreshTime !== undefined &&
            t.get('later')?.catalogTargetStatus === 'FAILED') ||
          undefined
        );
      },
      30_000,
    );
    const later = targets().get('later');
    expect(later?.errorSource).toBe('thirdParty');
    expect(later?.failingExceptionMessageId).toMatch(/\S+-\d{3}-\d{3}/);
    const elements = await tables();
    const tableNames = elements.filter((e) => e.typeName === 'DatabaseTable').map((e) => e.qualifiedName.split('::').slice(-2).join('.'));
    expect(tableNames.sort()).toEqual(['audit.events', 'sales.customers', 'sales.orders']);
    for (const element of elements) expect(element.connectorName).toBe(CONNECTOR);
    // Each target's elements are kept under a metadata source of its own below the connector's id.
    const sources = new Set(elements.filter((e) => e.typeName === 'DatabaseTable').map((e) => e.metadataSource));
    expect(sources.size).toBe(2);
  });

  it('a refresh of one schema target never archives the other schema’s tables', async () => {
    await sql(shop, 'CREATE TABLE sales.invoices (id integer PRIMARY KEY)');
    await real.daemon.refreshCatalogTarget(CONNECTOR, 'sales');
    await real.daemon.refreshCatalogTarget(CONNECTOR, 'audit');
    const live = (await tables())
      .filter((e) => e.typeName === 'DatabaseTable' && !e.archived)
      .map((e) => e.qualifiedName.split('::').pop());
    expect(live.sort()).toEqual(['customers', 'events', 'invoices', 'orders']);
    expect(targets().get('sales')?.lastRunCounts?.created).toBeGreaterThan(0);
    expect(targets().get('audit')?.lastRunCounts?.archived).toBe(0);
  });

  it('once its database exists, a retry of the failed target catalogues it and the connector is healthy again', async () => {
    const later = await server.createDatabase('later');
    await sql(later, 'CREATE TABLE public.queue (id integer PRIMARY KEY)');
    await real.daemon.retryCatalogTarget(CONNECTOR, 'later');
    expect(targets().get('later')?.catalogTargetStatus).toBe('WAITING');
    const report = real.daemon.status().integrationServiceSummaries[0]?.integrationConnectorReports[0];
    expect(report?.failingExceptionMessage).toBeUndefined();
    expect((await tables()).some((e) => e.qualifiedName.endsWith('::queue'))).toBe(true);
  });
});
