// The workbench over REST in front of the real Daemon (embedded SQLite, real directories, the built-in connectors
// plus a test provider whose check hangs): providers, connection tests whole and streamed, bad input, adding,
// replacing and removing one connector, the catalogue's filters and counts, live element counts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorTestResponse, ConnectorTestStep, DaemonEvent, FFDCErrorResponse } from '../../../shared/api/types.js';
import { API_BASE } from '../../../shared/api/types.js';
import { DaemonClient } from '../../../shared/client/client.js';
import { eraOfStatus, testRemoteDaemon } from '../../../shared/client/remote-test.js';
import { builtInProviders } from '../../../electron/connectors/index.js';
import type { ConnectorProvider } from '../../../electron/connector-sdk/index.js';
import { demoConfig, loadConfigFile, writeConfigAtomically } from '../../../electron/engine/config/load.js';
import { Daemon } from '../../../electron/engine/daemon.js';
import { ProviderRegistry } from '../../../electron/engine/providers.js';
import { startRestServer, type RestServer } from '../../../electron/engine/rest/server.js';
import { until } from '../../support/until.js';

const TOKEN = 'workbench-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };

/** A provider whose second check never ends and ignores its signal: only the daemon's time limit stops it. */
const hangingProvider: ConnectorProvider = {
  providerName: 'hanging-test-monitor',
  aliases: [],
  connectorKind: 'files',
  description: 'A test provider whose second connection check hangs.',
  validate: () => [],
  create: () => {
    throw new Error('never started in these tests');
  },
  testChecks: [
    { name: 'answers at once', description: 'Passes.', run: async () => 'fine' },
    { name: 'hangs', description: 'Never finishes.', run: () => new Promise<string>(() => undefined) },
    { name: 'after the hang', description: 'Needs the hang.', run: async () => 'unreachable' },
  ],
};

let dir: string;
let configPath: string;
let daemon: Daemon;
let server: RestServer;
let base: string;
let client: DaemonClient;
let landing: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rest-workbench-'));
  const data = join(dir, 'data');
  landing = join(data, 'landing-area');
  mkdirSync(landing, { recursive: true });
  for (let i = 0; i < 5; i++) writeFileSync(join(landing, `file-${i}.csv`), 'a\n1\n');
  configPath = join(dir, 'integration-daemon.json');
  const document = demoConfig({ dataDirectory: data });
  document.auditLog = { destinations: [{ kind: 'memory', capacity: 1000 }] };
  await writeConfigAtomically(configPath, document);
  const providers = new ProviderRegistry([...builtInProviders, hangingProvider]);
  const loaded = await loadConfigFile(configPath, { providers });
  daemon = await Daemon.start({
    config: loaded.config,
    configPath,
    document: loaded.document,
    stateDir: join(dir, 'state'),
    providers,
    log: () => undefined,
  });
  server = await startRestServer({ daemon, port: 0, token: TOKEN, log: () => undefined });
  base = `${server.url}${API_BASE('exchangeDL01', 'exchangeDL01npa')}`;
  client = new DaemonClient({ url: server.url, serverName: 'exchangeDL01', userId: 'exchangeDL01npa', token: TOKEN });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await daemon?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', headers: { ...auth, ...headers }, body: JSON.stringify(body) });
}

describe('connector providers', () => {
  it('lists every provider with its endpoint, declared properties and test steps', async () => {
    const providers = await client.listProviders();
    const files = providers.find((p) => p.providerName === 'data-files-monitor');
    expect(files?.endpoint.kind).toBe('directory');
    expect(files?.urlMarkers).toEqual(['files-integrator']);
    expect(files?.configurationProperties.map((p) => p.name)).toEqual(['waitForDirectory', 'watchChanges', 'excludeNames']);
    expect(files?.testSteps.map((s) => s.name)).toEqual(['directory exists', 'is a directory', 'is readable', 'can be watched']);
    const postgres = providers.find((p) => p.providerName === 'postgres-database-monitor');
    expect(postgres?.testSteps.map((s) => s.name)).toEqual([
      'reach the server',
      'authenticate',
      'list databases',
      'list schemas',
      'list tables',
    ]);
    expect(providers.find((p) => p.providerName === 'sqlite-database-monitor')?.testSteps.map((s) => s.name)).toEqual([
      'the file opens',
      'its schema is readable',
    ]);
  });
});

describe('test connection', () => {
  it('tests a configured connector: every step passes on a real directory', async () => {
    const result = await client.testConnector('LandingAreaFilesMonitor');
    expect(result.passed).toBe(true);
    expect(result.steps.map((s) => s.status)).toEqual(['PASSED', 'PASSED', 'PASSED', 'PASSED']);
  });

  it('tests an unsaved entry: a missing directory fails the first step and skips the ones that need it', async () => {
    const seen: ConnectorTestStep[] = [];
    const result = await client.testConnectorEntry(
      'files-integrator',
      { connectorName: 'NewMonitor', connectorProvider: 'data-files-monitor', endpointAddress: join(dir, 'nowhere') },
      { onStep: (step) => seen.push(step) },
    );
    expect(result.passed).toBe(false);
    expect(result.steps.map((s) => s.status)).toEqual(['FAILED', 'SKIPPED', 'SKIPPED', 'SKIPPED']);
    expect(result.steps[0]?.messageId).toBe('BASIC-FILES-INTEGRATION-CONNECTORS-404-001');
    expect(result.steps[0]?.userAction).toContain('Create the directory');
    expect(result.steps[1]?.message).toContain('"directory exists" did not pass');
    expect(seen).toEqual(result.steps);
    expect(await client.status().then((s) => s.integrationServiceSummaries[0]?.integrationConnectorReports.length)).toBe(2);
  });

  it('streams NDJSON: one step per line, the response last', async () => {
    const response = await post(
      '/connector-test',
      {
        urlMarker: 'files-integrator',
        connector: { connectorName: 'Streamed', connectorProvider: 'data-files-monitor', endpointAddress: landing },
      },
      { Accept: 'application/x-ndjson' },
    );
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(5);
    expect(lines.slice(0, 4).map((l) => l.name)).toEqual(['directory exists', 'is a directory', 'is readable', 'can be watched']);
    expect((lines[4] as unknown as ConnectorTestResponse).class).toBe('ConnectorTestResponse');
  });

  it('ends a check that hangs at the time limit: FAILED with the timeout id, the rest SKIPPED', async () => {
    const response = await post('/connector-test?timeoutMs=500', {
      urlMarker: 'files-integrator',
      connector: { connectorName: 'Hangs', connectorProvider: 'hanging-test-monitor' },
    });
    const body = (await response.json()) as ConnectorTestResponse;
    expect(body.steps.map((s) => [s.name, s.status])).toEqual([
      ['answers at once', 'PASSED'],
      ['hangs', 'FAILED'],
      ['after the hang', 'SKIPPED'],
    ]);
    expect(body.steps[1]?.messageId).toBe('INTEGRATION-DAEMON-CONNECTOR-TEST-408-001');
  });

  it('refuses bad input with the error envelope: unknown provider, missing fields, unknown marker, unknown connector, bad timeout', async () => {
    const unknown = await post('/connector-test', {
      urlMarker: 'files-integrator',
      connector: { connectorName: 'X', connectorProvider: 'data-files-monitr', endpointAddress: landing },
    });
    expect(unknown.status).toBe(400);
    const unknownBody = (await unknown.json()) as FFDCErrorResponse;
    expect(unknownBody.problems?.[0]?.path).toBe('connectorProvider');
    expect(unknownBody.problems?.[0]?.message).toContain('did you mean "data-files-monitor"');

    const missing = (await (await post('/connector-test', { urlMarker: 'files-integrator', connector: {} })).json()) as FFDCErrorResponse;
    expect(missing.relatedHTTPCode).toBe(400);
    expect(missing.problems?.map((p) => p.path)).toEqual(expect.arrayContaining(['connectorName', 'connectorProvider']));

    const noMarker = await post('/connector-test', { connector: {} });
    expect(noMarker.status).toBe(400);
    expect(((await noMarker.json()) as FFDCErrorResponse).exceptionErrorMessage).toContain('urlMarker');

    const wrongMarker = await post('/connector-test', { urlMarker: 'files-integratr', connector: {} });
    expect(wrongMarker.status).toBe(404);

    const noConnector = await post('/integration-connectors/Nobody/test', {});
    expect(noConnector.status).toBe(400);
    expect(((await noConnector.json()) as FFDCErrorResponse).exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-SERVICES-400-031');

    const badTimeout = await post('/integration-connectors/LandingAreaFilesMonitor/test?timeoutMs=5', {});
    expect(badTimeout.status).toBe(400);
  });
});

describe('managing one connector', () => {
  it('refuses an entry with problems per field, unknown properties with a suggestion, and saves nothing', async () => {
    const before = readFileSync(configPath, 'utf8');
    const result = await post('/integration-services/files-integrator/integration-connectors', {
      connector: {
        connectorName: 'Typo',
        connectorProvider: 'data-files-monitor',
        endpointAddress: landing,
        configurationProperties: { waitForDirectry: true, watchChanges: 'yes' },
      },
    });
    expect(result.status).toBe(400);
    const body = (await result.json()) as FFDCErrorResponse;
    expect(body.exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-CONFIG-400-050');
    const byPath = new Map(body.problems?.map((p) => [p.path, p]));
    expect(byPath.get('configurationProperties.waitForDirectry')?.message).toContain('did you mean "waitForDirectory"');
    expect(byPath.get('configurationProperties.watchChanges')?.message).toContain('true or false');
    expect(readFileSync(configPath, 'utf8')).toBe(before);
  });

  it('adds a connector (saved to the file, started alone), replaces its entry, then removes it', async () => {
    const other = join(dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'x.csv'), 'a\n');
    const untouched = (await client.status()).integrationServiceSummaries[0]?.integrationConnectorReports[0]?.connectorInstanceId;
    await client.addConnector('files-integrator', {
      connectorName: 'OtherFiles',
      connectorProvider: 'data-files-monitor',
      endpointAddress: other,
    });
    expect(readFileSync(configPath, 'utf8')).toContain('OtherFiles');
    await until('OtherFiles catalogues its file', () => daemonReport('OtherFiles')?.elementCount === 1 || undefined, 20_000);
    // Its report says what it is and where it looks.
    expect(daemonReport('OtherFiles')).toMatchObject({ connectorProvider: 'data-files-monitor', endpointAddress: other });
    expect(daemonReport('LandingAreaFilesMonitor')?.connectorInstanceId).toBe(untouched);

    await client.updateConnector('OtherFiles', {
      connectorProvider: 'data-files-monitor',
      endpointAddress: other,
      configurationProperties: { excludeNames: ['*.csv'] },
    });
    expect(JSON.parse(readFileSync(configPath, 'utf8')).integrationServices[0].connectors[2].configurationProperties).toEqual({
      excludeNames: ['*.csv'],
    });
    await until('the excluded file is archived', () => daemonReport('OtherFiles')?.elementCount === 0 || undefined, 20_000);

    const events: DaemonEvent[] = [];
    const subscription = daemon.subscribe((event) => void events.push(event));
    const response = await fetch(`${base}/integration-connectors/OtherFiles`, { method: 'DELETE', headers: auth });
    expect(response.status).toBe(200);
    expect(daemonReport('OtherFiles')).toBeUndefined();
    expect(readFileSync(configPath, 'utf8')).not.toContain('OtherFiles');
    // Every console watching the daemon hears of the removal, after the connector's last status.
    await until('the removal is published', () => events.some((e) => e.type === 'connector-removed') || undefined, 5_000);
    subscription.dispose();
    const mine = events.filter((e) => 'connectorName' in e || ('report' in e && e.report.connectorName === 'OtherFiles'));
    const removal = mine.findIndex((e) => e.type === 'connector-removed');
    expect(mine[removal]).toMatchObject({ type: 'connector-removed', urlMarker: 'files-integrator', connectorName: 'OtherFiles' });
    expect(mine.slice(removal + 1)).toEqual([]);
    expect(events.filter((e) => e.type === 'connector-removed')).toHaveLength(1);
  });

  it('answers a connector entry with its secrets redacted, and a PUT of it back keeps the stored password', async () => {
    const endpointAddress = 'postgresql://reader:s3cret-pw@127.0.0.1:1/warehouse';
    await client.addConnector('database-integrator', {
      connectorName: 'WarehouseTables',
      connectorProvider: 'postgres-database-monitor',
      endpointAddress,
    });
    const read = await fetch(`${base}/integration-connectors/WarehouseTables/configuration`, { headers: auth });
    expect(read.status).toBe(200);
    const text = await read.text();
    expect(text).not.toContain('s3cret-pw');
    const entry = await client.connectorEntry('WarehouseTables');
    expect(entry).toMatchObject({
      connectorName: 'WarehouseTables',
      connectorProvider: 'postgres-database-monitor',
      endpointAddress: 'postgresql://reader:***@127.0.0.1:1/warehouse',
    });

    await client.updateConnector('WarehouseTables', { ...entry, configurationProperties: { includeSchemaNames: ['sales'] } });
    const saved = (
      JSON.parse(readFileSync(configPath, 'utf8')) as { integrationServices: { connectors: Record<string, unknown>[] }[] }
    ).integrationServices
      .flatMap((s) => s.connectors)
      .find((c) => c.connectorName === 'WarehouseTables');
    expect(saved).toMatchObject({ endpointAddress, configurationProperties: { includeSchemaNames: ['sales'] } });

    const unknown = await fetch(`${base}/integration-connectors/NoSuchConnector/configuration`, { headers: auth });
    // Egeria's answer for a connector it does not run: 400 with its message id, in this route's class.
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      class: 'ConnectorEntryResponse',
      exceptionErrorMessageId: 'INTEGRATION-DAEMON-SERVICES-400-031',
    });
    await client.removeConnector('WarehouseTables');
  });
});

function daemonReport(name: string) {
  return daemon
    .status()
    .integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports)
    .find((r) => r.connectorName === name);
}

describe('the catalogue', () => {
  it('filters by connector, archived and text, and counts; element counts follow live as connector-status events', async () => {
    await until('the landing area is catalogued', () => daemonReport('LandingAreaFilesMonitor')?.elementCount === 5 || undefined, 20_000);
    const events: DaemonEvent[] = [];
    const subscription = daemon.subscribe((event) => events.push(event));
    try {
      rmSync(join(landing, 'file-0.csv'));
      await client.refreshConnectors('LandingAreaFilesMonitor');
      await until(
        'a live count of 4',
        () =>
          events.some(
            (e) => e.type === 'connector-status' && e.report.connectorName === 'LandingAreaFilesMonitor' && e.report.elementCount === 4,
          ) || undefined,
        20_000,
      );
    } finally {
      subscription.dispose();
    }
    const live = await client.findElements({ connectorName: 'LandingAreaFilesMonitor', count: true, typeName: 'DataFile' });
    expect(live.totalCount).toBe(4);
    expect(live.elements.every((e) => e.connectorName === 'LandingAreaFilesMonitor')).toBe(true);
    const archived = await client.findElements({ connectorName: 'LandingAreaFilesMonitor', archived: 'only', count: true });
    expect(archived.elements.map((e) => e.qualifiedName)).toEqual([expect.stringContaining('file-0.csv')]);
    expect((await client.findElements({ connectorName: 'LandingAreaFilesMonitor', archived: 'include', count: true })).totalCount).toBe(5);
    expect((await client.findElements({ text: 'FILE-3', count: true })).totalCount).toBe(1);
    const bad = await fetch(`${base}/metadata-elements?archived=sometimes`, { headers: auth });
    expect(bad.status).toBe(400);
  });
});

describe('a real SQLite file', () => {
  it('opens and reads its schema; a file that is not SQLite fails the first step', async () => {
    const file = join(dir, 'inventory.db');
    const db = new Database(file);
    db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)');
    db.close();
    const good = await client.testConnectorEntry('database-integrator', {
      connectorName: 'Inventory',
      connectorProvider: 'sqlite-database-monitor',
      endpointAddress: file,
    });
    expect(good.steps.map((s) => s.status)).toEqual(['PASSED', 'PASSED']);
    expect(good.steps[1]?.message).toContain('1 tables');
    writeFileSync(join(dir, 'not.db'), 'this is not a database, it is text long enough to have a header '.repeat(4));
    const bad = await client.testConnectorEntry('database-integrator', {
      connectorName: 'Broken',
      connectorProvider: 'sqlite-database-monitor',
      endpointAddress: join(dir, 'not.db'),
    });
    expect(bad.steps.map((s) => s.status)).toEqual(['FAILED', 'SKIPPED']);
  });
});

describe('testing a remote daemon before it is added', () => {
  it('says whether it is reachable, whether the token is accepted, and which kind of daemon answers', async () => {
    const target = { url: server.url, serverName: 'exchangeDL01', userId: 'exchangeDL01npa' };
    expect(await testRemoteDaemon({ ...target, token: TOKEN })).toMatchObject({
      reachable: true,
      tokenAccepted: true,
      era: 'integration-daemon',
    });
    const refused = await testRemoteDaemon({ ...target, token: 'not-the-token-0123456789' });
    expect(refused).toMatchObject({ reachable: true, tokenAccepted: false, messageId: 'INTEGRATION-DAEMON-REST-401-002' });
    const closed = await testRemoteDaemon({ ...target, url: 'http://127.0.0.1:9' });
    expect(closed.reachable).toBe(false);
    expect(closed.userAction).toBeTruthy();
  });

  it('tells an Egeria 4.x daemon by its wrapped status', () => {
    expect(eraOfStatus({ integrationDaemonStatus: { integrationConnectorReports: [] } }, false)).toBe('egeria-4');
    expect(eraOfStatus({ integrationServiceSummaries: [] }, false)).toBe('egeria-2');
    expect(eraOfStatus({ integrationServiceSummaries: [], metadataServers: [] }, false)).toBe('integration-daemon');
  });
});
