// The seed's troubleshooting story (test/fixtures/integration-daemon-troubleshooting.txt), replayed against the
// real daemon process and a real PostgreSQL metadata server: down at start, then up, then the directories made.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres.js';
import { eventually, startDaemonProcess, type DaemonProcess } from '../support/daemon-process.js';

const FILES_PROVIDER = 'org.odpi.openmetadata.adapters.connectors.integration.basicfiles.DataFilesMonitorIntegrationProvider';
const FOLDER_PROVIDER = 'org.odpi.openmetadata.adapters.connectors.integration.basicfiles.DataFolderMonitorIntegrationProvider';
const OAK_DENE = 'data/landing-area/hospitals/oak-dene/clinical-trials/drop-foot';
const OLD_MARKET = 'data/landing-area/hospitals/old-market/clinical-trials/drop-foot';
const WEEKLY = 'data/data-lake/research/clinical-trials/drop-foot/weekly-measurements';
const FILES_MONITORS = ['OakDeneLandingAreaFilesMonitor', 'OldMarketLandingAreaFilesMonitor', 'DropFootClinicalTrialResultsFilesMonitor'];
const METADATA_SERVER_DOWN =
  'OMAG-MULTI-TENANT-404-001 The OMAG Server cocoMDS1 is not available to service a request from user exchangeDL01npa';
const WRONG_KIND =
  'OMIS-DATABASE-INTEGRATOR-400-001 Integration connector OakDeneLandingAreaDatabaseMonitor is not of the correct type to run in the Database Integrator OMIS integration service.  It must inherit from org.odpi.openmetadata.integrationservices.database.connector.DatabaseIntegratorConnector';

interface Report {
  connectorName: string;
  connectorStatus: string;
  failingExceptionMessage?: string;
  errorSource?: string;
  [key: string]: unknown;
}

let pg: PgServer;
let dir: string;
let daemon: DaemonProcess;

async function reports(): Promise<Map<string, Report>> {
  const { status, json } = await daemon.api('/status');
  expect(status).toBe(200);
  const all = new Map<string, Report>();
  for (const service of json.integrationServiceSummaries) for (const r of service.integrationConnectorReports) all.set(r.connectorName, r);
  return all;
}

async function until(what: string, predicate: (all: Map<string, Report>) => boolean, timeoutMs = 20_000): Promise<Map<string, Report>> {
  return eventually(
    async () => {
      const all = await reports();
      return predicate(all) ? all : undefined;
    },
    timeoutMs,
    what,
  );
}

beforeAll(async () => {
  pg = await startPostgres();
  await pg.stop();
  dir = mkdtempSync(join(tmpdir(), 'seed-story-'));
  daemon = await startDaemonProcess({
    dir,
    config: {
      serverName: 'exchangeDL01',
      localServerUserId: 'exchangeDL01npa',
      maxPageSize: 100,
      metadataServer: { name: 'cocoMDS1', kind: 'postgres', connectionString: pg.connectionString },
      auditLog: { destinations: [{ kind: 'console' }, { kind: 'memory', capacity: 5000 }] },
      integrationServices: [
        {
          urlMarker: 'files-integrator',
          defaultPermittedSynchronization: 'FROM_THIRD_PARTY',
          connectors: [
            {
              connectorName: 'OakDeneLandingAreaFilesMonitor',
              connectorProvider: FILES_PROVIDER,
              endpointAddress: OAK_DENE,
              refreshTimeInterval: 10,
            },
            {
              connectorName: 'OldMarketLandingAreaFilesMonitor',
              connectorProvider: FILES_PROVIDER,
              endpointAddress: OLD_MARKET,
              refreshTimeInterval: 10,
            },
            {
              connectorName: 'DropFootClinicalTrialResultsFilesMonitor',
              connectorProvider: FOLDER_PROVIDER,
              endpointAddress: WEEKLY,
              refreshTimeInterval: 10,
            },
          ],
        },
        {
          urlMarker: 'database-integrator',
          defaultPermittedSynchronization: 'FROM_THIRD_PARTY',
          connectors: [
            {
              connectorName: 'OakDeneLandingAreaDatabaseMonitor',
              connectorProvider: FILES_PROVIDER,
              endpointAddress: OAK_DENE,
              refreshTimeInterval: 10,
            },
          ],
        },
      ],
    },
  });
}, 120_000);

afterAll(async () => {
  await daemon?.stop();
  await pg?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the seed story against the real daemon', () => {
  it('with the metadata server down at start, the files monitors say so and the mistyped database monitor reports the wrong kind', async () => {
    const all = await until('files monitors to report the metadata server', (m) =>
      FILES_MONITORS.every((n) => m.get(n)?.failingExceptionMessage === METADATA_SERVER_DOWN),
    );
    for (const name of FILES_MONITORS) {
      const r = all.get(name)!;
      expect(r.errorSource).toBe('metadataServer');
      // Ours heals itself: waiting behind the metadata server's breaker rather than Egeria's sticky FAILED.
      expect(r.connectorStatus).toBe('RETRYING');
    }
    const db = all.get('OakDeneLandingAreaDatabaseMonitor')!;
    expect(db.connectorStatus).toBe('CONFIG_FAILED');
    expect(db.failingExceptionMessage).toBe(WRONG_KIND);
    expect(db.errorSource).toBe('connector');
  });

  it('answers GET /status in the seed JSON shape, field by field', async () => {
    const { json } = await daemon.api('/status');
    expect(json.class).toBe('IntegrationDaemonStatusResponse');
    expect(json.relatedHTTPCode).toBe(200);
    const [files, database] = json.integrationServiceSummaries;
    expect(Object.keys(files).slice(0, 6)).toEqual([
      'integrationServiceId',
      'integrationServiceFullName',
      'integrationServiceURLMarker',
      'integrationServiceDescription',
      'integrationServiceWiki',
      'integrationConnectorReports',
    ]);
    expect(files).toMatchObject({
      integrationServiceId: 4005,
      integrationServiceFullName: 'Files Integrator OMIS',
      integrationServiceURLMarker: 'files-integrator',
      integrationServiceDescription: 'Extract metadata about files stored in a file system or file manager.',
    });
    expect(database).toMatchObject({
      integrationServiceId: 4004,
      integrationServiceFullName: 'Database Integrator OMIS',
      integrationServiceURLMarker: 'database-integrator',
      integrationServiceDescription: 'Extract metadata such as schema, tables and columns from database managers.',
    });
    const report = files.integrationConnectorReports[0];
    const seedFields = [
      'connectorName',
      'connectorStatus',
      'lastStatusChange',
      'lastRefreshTime',
      'minMinutesBetweenRefresh',
      'failingExceptionMessage',
    ];
    const present = seedFields.filter((k) => k in report);
    // The seed's fields come first and in the seed's order; our extensions follow them.
    expect(Object.keys(report).slice(0, present.length)).toEqual(present);
    expect(present).toEqual(
      expect.arrayContaining([
        'connectorName',
        'connectorStatus',
        'lastStatusChange',
        'minMinutesBetweenRefresh',
        'failingExceptionMessage',
      ]),
    );
    expect(report.minMinutesBetweenRefresh).toBe(10);
    expect(report.lastStatusChange).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
  });

  it('once PostgreSQL is up, restarting files-integrator moves the files monitors to the missing-directory error from the connector itself', async () => {
    await pg.start();
    const restart = await daemon.api('/integration-service/files-integrator/restart');
    expect(restart.status).toBe(200);
    expect(restart.json).toMatchObject({ class: 'VoidResponse', relatedHTTPCode: 200 });
    const all = await until('the missing-directory errors', (m) =>
      FILES_MONITORS.every((n) => m.get(n)?.failingExceptionMessage?.startsWith('BASIC-FILES-INTEGRATION-CONNECTORS-404-001') === true),
    );
    for (const [name, address] of [
      ['OakDeneLandingAreaFilesMonitor', OAK_DENE],
      ['OldMarketLandingAreaFilesMonitor', OLD_MARKET],
      ['DropFootClinicalTrialResultsFilesMonitor', WEEKLY],
    ] as const) {
      const r = all.get(name)!;
      expect(r.failingExceptionMessage).toContain(address);
      expect(r.errorSource).toBe('thirdParty');
    }
    expect(all.get('OakDeneLandingAreaDatabaseMonitor')!.failingExceptionMessage).toBe(WRONG_KIND);
  });

  it('once the directories exist and the connectors are restarted, they run and catalogue the files; a new file appears within two seconds', async () => {
    for (const d of [OAK_DENE, OLD_MARKET, WEEKLY]) mkdirSync(join(dir, d), { recursive: true });
    writeFileSync(join(dir, OAK_DENE, 'week1.csv'), 'patient,measurement\n1,12\n');
    writeFileSync(join(dir, OLD_MARKET, 'week1.csv'), 'patient,measurement\n2,14\n');
    writeFileSync(join(dir, WEEKLY, 'summary.csv'), 'week,count\n1,2\n');
    const restart = await daemon.api('/integration-service/files-integrator/restart', { method: 'POST' });
    expect(restart.status).toBe(200);
    const all = await until('the files monitors to run', (m) =>
      FILES_MONITORS.every((n) => ['WAITING', 'REFRESHING', 'RUNNING'].includes(m.get(n)!.connectorStatus)),
    );
    for (const name of FILES_MONITORS) expect(all.get(name)!.failingExceptionMessage).toBeUndefined();
    expect(all.get('OakDeneLandingAreaDatabaseMonitor')!.connectorStatus).toBe('CONFIG_FAILED');

    const dataFiles = async () =>
      (await daemon.api('/metadata-elements?typeName=DataFile&pageSize=100')).json.elements as Array<{
        qualifiedName: string;
        properties: Record<string, unknown>;
      }>;
    await eventually(async () => ((await dataFiles()).length === 2 ? true : undefined), 10_000, 'two DataFile elements');

    const added = join(dir, OAK_DENE, 'week2.csv');
    const t0 = Date.now();
    writeFileSync(added, 'patient,measurement\n1,13\n');
    await eventually(
      async () => ((await dataFiles()).some((e) => e.properties.path === added || e.qualifiedName.endsWith(added)) ? true : undefined),
      2_000,
      'the new file in the element query',
    );
    const latencyMs = Date.now() - t0;
    console.log(`seed story: a new file appeared in the element query after ${latencyMs} ms`);
    expect(latencyMs).toBeLessThan(2_000);
  });
});
