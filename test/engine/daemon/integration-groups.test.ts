// Integration groups over REST on the real Daemon (embedded SQLite, the built-in files connectors): a group named
// in the configuration is created, changed and deleted over REST and picked up live, tagged in the status, with
// Egeria's group statuses; bad bodies and entries are refused in the envelope; viewers may only read.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationGroupSummariesResponse, IntegrationGroupSummaryResponse } from '../../../shared/api/egeria5.js';
import type { IntegrationGroupDefinitionResponse, IntegrationGroupDefinitionsResponse } from '../../../shared/api/integration-groups.js';
import type { FFDCErrorResponse, IntegrationDaemonStatusResponse } from '../../../shared/api/types.js';
import { startRealDaemon, type RealDaemon } from '../../support/real-daemon.js';

const TOKEN = 'groups-operator-token-0123456789';
const VIEWER = 'groups-viewer-token-0123456789';
let real: RealDaemon;
let projects: string;

async function call<T>(path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<{ status: number; json: T }> {
  const response = await fetch(`${real.base}${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${init.token ?? TOKEN}`, 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, json: (await response.json()) as T };
}

const status = async () => (await call<IntegrationDaemonStatusResponse>('/status')).json;
const reports = async () => (await status()).integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports);
const monitor = (name: string) => ({
  connectorName: name,
  connectorProvider: 'data-files-monitor',
  endpointAddress: projects,
  refreshTimeInterval: 10,
  configurationProperties: { watchChanges: false },
});

beforeAll(async () => {
  real = await startRealDaemon({ token: TOKEN, viewerToken: VIEWER }, undefined, (document) => {
    (document as Record<string, unknown>).integrationGroups = [{ groupName: 'projects' }];
  });
  projects = join(real.dir, 'data', 'projects');
  mkdirSync(projects, { recursive: true });
  writeFileSync(join(projects, 'plan.csv'), 'a\n1\n');
}, 60_000);

afterAll(async () => {
  await real?.stop();
});

describe('integration groups on a running daemon', () => {
  it('names an undefined group ASSIGNED, then runs the connectors of the group created over REST, tagged with it', async () => {
    await expect
      .poll(async () => (await status()).integrationGroupSummaries?.[0]?.integrationGroupStatus, { timeout: 10_000 })
      .toBe('ASSIGNED');
    const before = await reports();
    const configured = before.map((r) => [r.connectorName, r.connectorInstanceId]);

    const created = await call<IntegrationGroupDefinitionResponse>('/integration-groups', {
      method: 'POST',
      body: { groupName: 'projects', description: 'Project folders', connectors: [monitor('ProjectFilesMonitor')] },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    expect(created.json.integrationGroup).toMatchObject({ groupName: 'projects', version: 1, description: 'Project folders' });
    expect(created.json.integrationGroup.connectors).toEqual([monitor('ProjectFilesMonitor')]);

    // The daemon that made the change picks it up before answering.
    const grouped = (await reports()).find((r) => r.connectorName === 'ProjectFilesMonitor');
    expect(grouped?.integrationGroupName).toBe('projects');
    await expect
      .poll(async () => (await status()).integrationGroupSummaries?.[0], { timeout: 10_000 })
      .toMatchObject({ integrationGroupName: 'projects', integrationGroupStatus: 'RUNNING', integrationGroupVersion: 1 });
    // The connectors of the configuration document were not touched.
    const after = await reports();
    for (const [name, instance] of configured) expect(after.find((r) => r.connectorName === name)?.connectorInstanceId).toBe(instance);
    expect(after.filter((r) => r.integrationGroupName === undefined).map((r) => r.connectorName)).toEqual(
      before.map((r) => r.connectorName),
    );
  });

  it("leaves a group's connectors alone when the configuration document changes", async () => {
    const instance = (await reports()).find((r) => r.connectorName === 'ProjectFilesMonitor')?.connectorInstanceId;
    const document = real.daemon.getConfiguration() as { integrationServices: { connectors: { refreshTimeInterval: number }[] }[] };
    (document.integrationServices[0]?.connectors[0] as { refreshTimeInterval: number }).refreshTimeInterval = 20;
    await real.daemon.replaceConfiguration(document);
    const grouped = (await reports()).find((r) => r.connectorName === 'ProjectFilesMonitor');
    expect(grouped).toMatchObject({ integrationGroupName: 'projects', connectorInstanceId: instance });
    expect(grouped?.connectorStatus).not.toBe('SHUTDOWN');
  });

  it("answers Egeria 5's summaries under both bases and refresh-config; viewers may read but not change", async () => {
    const all = await call<IntegrationGroupSummariesResponse>('/integration-groups/summary');
    expect(all.json.integrationGroupSummaries.map((g) => g.integrationGroupName)).toEqual(['projects']);
    const tokenBase = real.base.replace(/\/users\/[^/]+$/, '');
    const one = await fetch(`${tokenBase}/integration-groups/projects/summary`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const summary = ((await one.json()) as IntegrationGroupSummaryResponse).integrationGroupSummary;
    expect(summary.integrationGroupGUID).toMatch(/^[0-9a-f-]{36}$/);
    expect(summary.integrationConnectorReports.map((r) => r.connectorName)).toEqual(['ProjectFilesMonitor']);
    expect((await call('/integration-groups/projects/refresh-config')).status).toBe(200);
    const wrapped = await fetch(`${tokenBase}/status`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const egeria = (await wrapped.json()) as {
      integrationDaemonStatus: { integrationGroupSummaries: { integrationGroupStatus: string }[] };
    };
    expect(egeria.integrationDaemonStatus.integrationGroupSummaries.map((g) => g.integrationGroupStatus)).toEqual(['RUNNING']);
    expect(egeria).not.toHaveProperty('integrationGroupSummaries');
    const viewerRefresh = await call<FFDCErrorResponse>('/integration-groups/projects/refresh-config', { token: VIEWER });
    expect(viewerRefresh.status).toBe(403);
    const viewerAdd = await call<FFDCErrorResponse>('/integration-groups/projects/connectors', {
      method: 'POST',
      token: VIEWER,
      body: monitor('X'),
    });
    expect(viewerAdd.status).toBe(403);
    expect(viewerAdd.json.exceptionErrorMessageId).toMatch(/^INTEGRATION-DAEMON-/);
    expect((await call<IntegrationGroupDefinitionsResponse>('/integration-groups', { token: VIEWER })).json.integrationGroups).toHaveLength(
      1,
    );
  });

  it('refuses bad bodies, bad entries, duplicates and unknown groups in the envelope with a message id', async () => {
    const cases: Array<[string, { method: string; body?: unknown }, number, RegExp]> = [
      ['/integration-groups', { method: 'POST', body: { groupName: 'has space' } }, 400, /INTEGRATION-DAEMON-REST-|groupName/],
      ['/integration-groups', { method: 'POST', body: { groupName: 'projects' } }, 409, /GROUPS-409-001/],
      ['/integration-groups', { method: 'POST', body: { groupName: 'g2', connectors: [{ connectorName: 'A' }] } }, 400, /GROUPS-400-001/],
      ['/integration-groups/projects/connectors', { method: 'POST', body: monitor('ProjectFilesMonitor') }, 400, /GROUPS-400-001/],
      ['/integration-groups/projects/connectors', { method: 'POST', body: [1] }, 400, /./],
      [
        '/integration-groups/projects/connectors',
        { method: 'POST', body: { ...monitor('Mod'), connectorProvider: './evil.mjs' } },
        400,
        /GROUPS-400-001/,
      ],
      ['/integration-groups/projects/connectors/Nobody', { method: 'DELETE' }, 404, /GROUPS-404-003/],
      ['/integration-groups/nothing', { method: 'GET' }, 404, /GROUPS-404-002/],
      ['/integration-groups/projects', { method: 'PUT', body: { connectors: [], version: 99 } }, 409, /GROUPS-409-002/],
    ];
    for (const [path, init, code, id] of cases) {
      const answer = await call<FFDCErrorResponse & { problems?: { path: string }[] }>(path, init);
      expect(answer.status, path).toBe(code);
      expect(answer.json.exceptionErrorMessageId, path).toMatch(/^[A-Z0-9-]+$/);
      expect(`${answer.json.exceptionErrorMessageId} ${answer.json.exceptionErrorMessage}`, path).toMatch(id);
    }
    const bad = await call<{ problems?: { path: string }[] }>('/integration-groups', {
      method: 'POST',
      body: { groupName: 'g3', connectors: [monitor('Fine'), { connectorName: 'A', connectorProvider: 'no-such-provider' }] },
    });
    expect(bad.json.problems?.map((p) => p.path)).toContain('connectors[1].connectorProvider');
    expect((await call<IntegrationGroupDefinitionsResponse>('/integration-groups')).json.integrationGroups.map((g) => g.groupName)).toEqual(
      ['projects'],
    );
  });

  it('adds and removes one connector live, restarts nothing for an unchanged entry, and stops everything when the group is deleted', async () => {
    const added = await call<IntegrationGroupDefinitionResponse>('/integration-groups/projects/connectors', {
      method: 'POST',
      body: monitor('SecondMonitor'),
    });
    expect(added.status).toBe(200);
    expect(added.json.integrationGroup.version).toBe(2);
    expect((await reports()).filter((r) => r.integrationGroupName === 'projects').map((r) => r.connectorName)).toEqual([
      'ProjectFilesMonitor',
      'SecondMonitor',
    ]);
    // Sent back as read, nothing changed, so nothing restarts.
    const read = await call<IntegrationGroupDefinitionResponse>('/integration-groups/projects');
    const instance = (await reports()).find((r) => r.connectorName === 'SecondMonitor')?.connectorInstanceId;
    const put = await call<IntegrationGroupDefinitionResponse>('/integration-groups/projects', {
      method: 'PUT',
      body: { description: 'Project folders', connectors: read.json.integrationGroup.connectors, version: 2 },
    });
    expect(put.json.integrationGroup.version).toBe(3);
    expect((await reports()).find((r) => r.connectorName === 'SecondMonitor')?.connectorInstanceId).toBe(instance);

    const removed = await call<IntegrationGroupDefinitionResponse>('/integration-groups/projects/connectors/SecondMonitor', {
      method: 'DELETE',
    });
    expect(removed.json.integrationGroup.connectors.map((c) => c.connectorName)).toEqual(['ProjectFilesMonitor']);
    expect((await reports()).map((r) => r.connectorName)).not.toContain('SecondMonitor');

    expect((await call('/integration-groups/projects', { method: 'DELETE' })).status).toBe(200);
    expect((await reports()).some((r) => r.integrationGroupName !== undefined)).toBe(false);
    expect((await status()).integrationGroupSummaries?.[0]).toMatchObject({
      integrationGroupStatus: 'ASSIGNED',
      integrationConnectorReports: [],
    });
    const audit = real.daemon.auditLog({ limit: 1000 }).map((r) => r.messageId);
    expect(audit).toEqual(
      expect.arrayContaining(['INTEGRATION-DAEMON-GROUPS-0001', 'INTEGRATION-DAEMON-GROUPS-0005', 'INTEGRATION-DAEMON-GROUPS-0006']),
    );
  });

  it('stops the connectors of a group the configuration no longer names', async () => {
    await real.daemon.integrationGroupAdmin.create('projects', { connectors: [monitor('Again')] });
    expect((await reports()).find((r) => r.connectorName === 'Again')?.integrationGroupName).toBe('projects');
    const document = real.daemon.getConfiguration() as Record<string, unknown>;
    delete document.integrationGroups;
    await real.daemon.replaceConfiguration(document);
    await expect.poll(async () => (await reports()).map((r) => r.connectorName), { timeout: 10_000 }).not.toContain('Again');
    expect((await status()).integrationGroupSummaries).toBeUndefined();
  });
});
