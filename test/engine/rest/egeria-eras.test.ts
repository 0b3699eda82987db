// One client per Egeria era, each calling the paths and reading the shapes of its era, runs against our daemon and
// against a fixture server built from Egeria's documented JSON for that era: what works on the real Egeria works
// on ours, under `/users/{u}` and without it, with the same bearer-token rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_SERVER_NAME, REAL_USER_ID, type RealDaemon } from '../../support/real-daemon.js';
import { EGERIA_SERVER, EGERIA_USER, startEgeriaFixture, type EgeriaEra, type EgeriaFixture } from '../../support/egeria-fixtures.js';
import { until } from '../../support/until.js';
import { exampleEvents, LINEAGE_CONNECTOR, LINEAGE_TOKEN, startLineageDaemon } from '../lineage/lineage-daemon.js';

type Json = Record<string, unknown>;

interface Target {
  name: string;
  root: string;
  serverName: string;
  userId: string;
  token: string;
}

const EGERIA_STATUSES = [
  'INITIALIZED',
  'WAITING',
  'REFRESHING',
  'RUNNING',
  'STOPPED',
  'INITIALIZE_FAILED',
  'CONFIG_FAILED',
  'SHUTDOWN',
  'FAILED',
];

let ours: RealDaemon;
const fixtures = new Map<EgeriaEra, EgeriaFixture>();

beforeAll(async () => {
  ours = await startLineageDaemon();
  await until(
    'the lineage connector to wait for events',
    () =>
      ours.daemon
        .status()
        .integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports)
        .find((r) => r.connectorName === LINEAGE_CONNECTOR)?.connectorStatus === 'WAITING',
    30_000,
  );
  for (const era of ['egeria-seed', 'egeria-4', 'egeria-5', 'egeria-5-token'] as const) fixtures.set(era, await startEgeriaFixture(era));
}, 60_000);

afterAll(async () => {
  await ours?.stop();
  for (const fixture of fixtures.values()) await fixture.close();
});

function targets(era: EgeriaEra): Target[] {
  const fixture = fixtures.get(era) as EgeriaFixture;
  return [
    { name: 'our daemon', root: ours.server.url, serverName: REAL_SERVER_NAME, userId: REAL_USER_ID, token: LINEAGE_TOKEN },
    { name: `the ${era} fixture`, root: fixture.url, serverName: EGERIA_SERVER, userId: EGERIA_USER, token: 'any-egeria-jwt' },
  ];
}

const usersBase = (t: Target) => `${t.root}/servers/${t.serverName}/open-metadata/integration-daemon/users/${t.userId}`;
const tokenBase = (t: Target) => `${t.root}/servers/${t.serverName}/open-metadata/integration-daemon`;

async function call(t: Target, url: string, method = 'GET', body?: unknown): Promise<{ status: number; json: Json }> {
  const response = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${t.token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return { status: response.status, json: (await response.json()) as Json };
}

const reportsOf = (summaries: Json[]) => summaries.flatMap((s) => s.integrationConnectorReports as Json[]);

describe.each(['egeria-seed', 'egeria-4'] as const)('a %s client (per-service restart, the seed shape)', (era) => {
  it.each([0, 1])('works against target %i', async (index) => {
    const t = targets(era)[index] as Target;
    const status = await call(t, `${usersBase(t)}/status`);
    expect(status.status, t.name).toBe(200);
    expect(status.json.class).toBe('IntegrationDaemonStatusResponse');
    const summaries = status.json.integrationServiceSummaries as Json[];
    const first = summaries.find((s) => (s.integrationConnectorReports as Json[]).length > 0) as Json;
    const report = (first.integrationConnectorReports as Json[])[0] as Json;
    expect(typeof report.connectorName).toBe('string');
    expect(typeof report.connectorStatus).toBe('string');
    if (era === 'egeria-4') expect(reportsOf(summaries).every((r) => typeof r.connectorId === 'string')).toBe(true);
    const marker = first.integrationServiceURLMarker as string;
    const restart = await call(t, `${usersBase(t)}/integration-services/${marker}/restart`, 'POST', {
      class: 'NameRequestBody',
      name: report.connectorName,
    });
    expect(restart, t.name).toMatchObject({ status: 200, json: { class: 'VoidResponse', relatedHTTPCode: 200 } });
    const refresh = await call(t, `${usersBase(t)}/integration-service/${marker}/refresh`, 'POST');
    expect(refresh.status).toBe(200);
    expect((await call(t, `${usersBase(t)}/refresh`, 'POST')).status).toBe(200);
    const unknown = await call(t, `${usersBase(t)}/integration-services/${marker}/restart`, 'POST', {
      class: 'NameRequestBody',
      name: 'NoSuchConnector',
    });
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect(unknown.json.exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-SERVICES-400-031');
  });
});

/** Egeria 5's client: the status wrapper, restart and refresh by name, groups, connection, lineage. */
async function egeria5Client(t: Target, base: string, lineagePath: string): Promise<void> {
  const status = await call(t, `${base}/status`);
  expect(status.status, t.name).toBe(200);
  const wrapper = status.json.integrationDaemonStatus as Json;
  expect(Array.isArray(wrapper.integrationGroupSummaries)).toBe(true);
  const reports = wrapper.integrationConnectorReports as Json[];
  expect(reports.length).toBeGreaterThan(0);
  for (const report of reports) {
    expect(EGERIA_STATUSES, `${t.name}: ${String(report.connectorName)}`).toContain(report.connectorStatus);
    expect(typeof report.connectorId).toBe('string');
    expect(typeof report.minMinutesBetweenRefresh).toBe('number');
  }
  const name = (reports.find((r) => r.connectorStatus !== 'FAILED') ?? reports[0])?.connectorName as string;
  expect(await call(t, `${base}/integration-connectors/restart`, 'POST', { class: 'NameRequestBody', name })).toMatchObject({
    status: 200,
    json: { class: 'VoidResponse' },
  });
  expect((await call(t, `${base}/integration-connectors/refresh`, 'POST')).status).toBe(200);
  const groups = await call(t, `${base}/integration-groups/summary`);
  expect(groups).toMatchObject({ status: 200, json: { class: 'IntegrationGroupSummariesResponse' } });
  expect(Array.isArray(groups.json.integrationGroupSummaries)).toBe(true);
  const noGroup = await call(t, `${base}/integration-groups/NoSuchGroup/summary`);
  expect(noGroup.status).toBe(404);
  expect(noGroup.json).toMatchObject({ relatedHTTPCode: 404 });
  expect(typeof noGroup.json.exceptionErrorMessageId).toBe('string');
  expect((await call(t, `${base}/integration-groups/NoSuchGroup/refresh-config`)).status).toBe(404);
  const [event] = exampleEvents('valid');
  expect((await call(t, `${base}/${lineagePath}`, 'POST', event?.text)).json).toMatchObject({
    class: 'VoidResponse',
    relatedHTTPCode: 200,
  });
}

describe('an Egeria 5.x client under /users/{u}', () => {
  it.each([0, 1])('works against target %i', async (index) => {
    const t = targets('egeria-5')[index] as Target;
    await egeria5Client(t, usersBase(t), 'api/v1/lineage');
  });
});

describe('an Egeria 5.x client without /users/ (pyegeria’s current calls)', () => {
  it.each([0, 1])('works against target %i', async (index) => {
    const t = targets('egeria-5-token')[index] as Target;
    await egeria5Client(t, tokenBase(t), 'publish-open-lineage-event');
    const className = 'org.odpi.openmetadata.adapters.connectors.integration.basicfiles.DataFilesMonitorIntegrationProvider';
    const validated = await call(t, `${tokenBase(t)}/validate-connector/${className}`);
    expect(validated).toMatchObject({ status: 200, json: { class: 'ConnectorReportResponse' } });
    expect(((validated.json.connectorReport as Json).connectorType as Json).connectorProviderClassName).toBe(className);
    const anonymous = await fetch(`${tokenBase(t)}/status`);
    expect(anonymous.status, `${t.name} refuses a request without a bearer token`).toBe(401);
  });
});

describe('our daemon, Egeria 5 paths', () => {
  it('updates a connector’s connection from a Connection bean', async () => {
    const t = targets('egeria-5')[0] as Target;
    const answer = await call(t, `${usersBase(t)}/integration-connectors/${LINEAGE_CONNECTOR}/connection`, 'POST', {
      class: 'Connection',
      configurationProperties: {},
    });
    expect(answer).toMatchObject({ status: 200, json: { class: 'VoidResponse' } });
    const empty = await call(t, `${usersBase(t)}/integration-connectors/${LINEAGE_CONNECTOR}/connection`, 'POST', { class: 'Connection' });
    expect(empty.status).toBe(400);
    expect(empty.json.exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-REST-400-002');
  });

  it('refuses an unknown provider and a module path on validate-connector, and the viewer role is as on every route', async () => {
    const t = targets('egeria-5-token')[0] as Target;
    const unknown = await call(t, `${tokenBase(t)}/validate-connector/com.example.NoSuchProvider`);
    expect(unknown.status).toBe(400);
    expect(unknown.json.exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-SERVICES-400-041');
    const path = await call(t, `${tokenBase(t)}/validate-connector/${encodeURIComponent('./evil.mjs')}`);
    expect(path.status).toBe(400);
    const wrongServer = await call(t, `${t.root}/servers/cocoMDS1/open-metadata/integration-daemon/status?delegatingUserId=erinoverview`);
    expect(wrongServer.status).toBe(404);
    expect(wrongServer.json.exceptionErrorMessage).toContain('from user erinoverview');
  });
});
