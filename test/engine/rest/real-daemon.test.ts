// The REST server in front of the real Daemon (embedded SQLite, real directories, the built-in files connectors):
// the seed's field names and order, Egeria refusals from the engine, live events after a restart, config admin.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonEvent, FFDCErrorResponse, IntegrationDaemonStatusResponse } from '../../../shared/api/types.js';
import { DaemonClient } from '../../../shared/client/client.js';
import { DaemonClientError } from '../../../shared/client/errors.js';
import type { Daemon } from '../../../electron/engine/daemon.js';
import { REAL_SERVER_NAME, REAL_USER_ID, startRealDaemon, type RealDaemon } from '../../support/real-daemon.js';
import { seedExamples } from './seed.js';

const TOKEN = 'real-daemon-token-0123456789';
let real: RealDaemon;
let configPath: string;
let daemon: Daemon;
let client: DaemonClient;
let base: string;

beforeAll(async () => {
  real = await startRealDaemon({ token: TOKEN });
  ({ configPath, daemon, base } = real);
  client = new DaemonClient({ url: real.server.url, serverName: REAL_SERVER_NAME, userId: REAL_USER_ID, token: TOKEN });
}, 60_000);

afterAll(async () => {
  await real?.stop();
});

const auth = { Authorization: `Bearer ${TOKEN}` };

describe('REST over the real Daemon', () => {
  it('GET /status uses the seed’s field names in the seed’s order, with our fields after them', async () => {
    const seed = seedExamples().statusRunning as { integrationServiceSummaries: Record<string, unknown>[] };
    const seedSummaryKeys = Object.keys(seed.integrationServiceSummaries[0] as object);
    const seedReportKeys = Object.keys(
      (seed.integrationServiceSummaries[0] as { integrationConnectorReports: object[] }).integrationConnectorReports[0] as object,
    );

    const response = await fetch(`${base}/status`, { headers: auth });
    expect(response.status).toBe(200);
    const body = (await response.json()) as IntegrationDaemonStatusResponse & Record<string, unknown>;
    expect(Object.keys(body).slice(0, 3)).toEqual(['class', 'relatedHTTPCode', 'integrationServiceSummaries']);
    expect(body.class).toBe('IntegrationDaemonStatusResponse');
    const summary = body.integrationServiceSummaries[0] as unknown as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual(seedSummaryKeys);
    const seedFiles = seed.integrationServiceSummaries[0] as Record<string, unknown>;
    for (const key of [
      'integrationServiceId',
      'integrationServiceFullName',
      'integrationServiceURLMarker',
      'integrationServiceDescription',
    ]) {
      expect(summary[key], key).toEqual(seedFiles[key]);
    }
    await expect
      .poll(
        async () =>
          (await client.status()).integrationServiceSummaries[0]?.integrationConnectorReports.every((r) => r.lastRefreshTime !== undefined),
        { timeout: 10_000 },
      )
      .toBe(true);
    const reports = (((await (await fetch(`${base}/status`, { headers: auth })).json()) as IntegrationDaemonStatusResponse)
      .integrationServiceSummaries[0]?.integrationConnectorReports ?? []) as unknown as Record<string, unknown>[];
    for (const report of reports) {
      const keys = Object.keys(report);
      // Egeria's fields that are present come first and in the seed's order (failingExceptionMessage only on failure).
      const egeria = keys.filter((k) => seedReportKeys.includes(k) || k === 'failingExceptionMessage');
      expect(keys.slice(0, egeria.length)).toEqual(egeria);
      expect(egeria.slice(0, 5)).toEqual(seedReportKeys);
      expect(report.lastStatusChange).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
    }
    expect(reports.map((r) => r.connectorStatus)).toEqual(expect.arrayContaining(['WAITING']));
  });

  it('unknown marker and unknown connector come back as Egeria refusals with real status codes', async () => {
    const marker = await fetch(`${base}/integration-services/nope-integrator/refresh`, { method: 'POST', headers: auth });
    expect(marker.status).toBeGreaterThanOrEqual(400);
    const markerBody = (await marker.json()) as FFDCErrorResponse;
    expect(markerBody.relatedHTTPCode).toBe(marker.status);
    expect(markerBody.exceptionErrorMessageId).toMatch(/^INTEGRATION-DAEMON-SERVICES-400-0(10|30)$/);

    const error = await client.restartService('files-integrator', 'Ghost').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DaemonClientError);
    expect((error as DaemonClientError).messageId).toBe('INTEGRATION-DAEMON-SERVICES-400-031');
    expect((error as DaemonClientError).message).toContain('Integration connector named Ghost is not running in the integration service');
  });

  it('a restart shows up on the event stream with a new connector instance id', async () => {
    const before = (await client.status()).integrationServiceSummaries[0]?.integrationConnectorReports.find(
      (r) => r.connectorName === 'LandingAreaFilesMonitor',
    );
    const controller = new AbortController();
    const events: DaemonEvent[] = [];
    const streaming = client.subscribe((e) => events.push(e), controller.signal);
    await expect.poll(() => events.length).toBeGreaterThan(0);
    expect(events[0]?.type).toBe('hello');
    await client.restartConnectors('LandingAreaFilesMonitor');
    await expect
      .poll(() =>
        events.some(
          (e) =>
            e.type === 'connector-status' &&
            e.report.connectorName === 'LandingAreaFilesMonitor' &&
            e.report.connectorInstanceId !== before?.connectorInstanceId,
        ),
      )
      .toBe(true);
    expect(events.some((e) => e.type === 'audit')).toBe(true);
    const sequences = events.slice(1).map((e) => e.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    controller.abort();
    await streaming;
  });

  it('metadata elements from the real store, page size capped at maxPageSize', async () => {
    await expect
      .poll(async () => (await client.findElements({ typeName: 'DataFile' })).elements.map((e) => e.qualifiedName).join(), {
        timeout: 10_000,
      })
      .toContain('weekly.csv');
    const page = await client.findElements({ pageSize: 100_000 });
    expect(page.pageSize).toBe(daemon.maxPageSize);
  });

  it('configuration admin: a bad document is refused with its problems and nothing changes; a good one is written', async () => {
    const current = (await client.getConfiguration()) as Record<string, unknown>;
    const broken = {
      ...current,
      integrationServices: [{ urlMarker: 'files-integrator', connectors: [{ connectorName: 'X', connectorProvider: 'nope' }] }],
    };
    const error = (await client.replaceConfiguration(broken).catch((e: unknown) => e)) as DaemonClientError;
    expect(error).toBeInstanceOf(DaemonClientError);
    expect(error.httpStatus).toBe(400);
    expect(error.message).toContain('nope');
    expect(JSON.parse(readFileSync(configPath, 'utf8'))).toEqual(current);

    const next = { ...current, maxPageSize: 500 };
    await client.replaceConfiguration(next);
    expect(JSON.parse(readFileSync(configPath, 'utf8')).maxPageSize).toBe(500);
  });
});
