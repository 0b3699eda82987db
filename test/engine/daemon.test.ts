// The Daemon with real parts: a real SQLite state store and metadata server in a temp directory, real
// directories for the files monitor, and small scripted connectors written against the SDK.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DaemonRequestError } from '../../electron/engine/daemon-api.js';
import type { Daemon } from '../../electron/engine/daemon.js';
import { startRestServer } from '../../electron/engine/rest/server.js';
import { API_BASE, type DaemonEvent } from '../../shared/api/types.js';
import { type Harness, document, harness, report, waitFor } from './lifecycle/fixtures/daemon-harness.js';
import { callsOf, resetScript } from './lifecycle/fixtures/scripted-connector.js';

let h: Harness;
beforeEach(() => {
  resetScript();
  h = harness();
});
afterEach(async () => {
  await h.cleanup();
});

const files = (connectors: unknown[]) => ({ urlMarker: 'files-integrator', connectors });
const database = (connectors: unknown[]) => ({ urlMarker: 'database-integrator', connectors });
const scripted = (connectorName: string, configurationProperties: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  connectorName,
  connectorProvider: 'test-scripted-files',
  refreshTimeInterval: 10,
  configurationProperties,
  ...extra,
});

function runsOf(daemon: Daemon, connectorName: string) {
  return daemon.runs({ connectorName, limit: 100 });
}

function finishedRuns(daemon: Daemon, connectorName: string) {
  return runsOf(daemon, connectorName).filter((r) => r.state !== 'RUNNING');
}

describe('Daemon start-up', () => {
  it("writes the seed's start-up records in order and runs every connector to WAITING, except the wrong kind", async () => {
    const daemon = await h.start(
      document(h.dir, [
        files([scripted('OakDeneLandingAreaFilesMonitor', { elements: 3 }), scripted('OldMarketLandingAreaFilesMonitor', { elements: 2 })]),
        database([scripted('OakDeneLandingAreaDatabaseMonitor')]),
      ]),
    );
    await waitFor(
      () =>
        finishedRuns(daemon, 'OakDeneLandingAreaFilesMonitor').length === 1 &&
        finishedRuns(daemon, 'OldMarketLandingAreaFilesMonitor').length === 1,
      () => JSON.stringify(daemon.status()),
    );
    const ids = daemon.auditLog({ limit: 1000 }).map((r) => r.messageId);
    expect(ids.slice(0, ids.indexOf('OMAG-ADMIN-0004') + 1)).toEqual([
      'OMRS-AUDIT-0064',
      'OMAG-ADMIN-0001',
      'OMAG-ADMIN-0100',
      'INTEGRATION-DAEMON-SERVICES-0001',
      'OMIS-FILES-INTEGRATOR-0001',
      'INTEGRATION-DAEMON-SERVICES-0008',
      'OMIS-FILES-INTEGRATOR-0002',
      'INTEGRATION-DAEMON-SERVICES-0008',
      'OMIS-FILES-INTEGRATOR-0002',
      'OMIS-DATABASE-INTEGRATOR-0001',
      'INTEGRATION-DAEMON-SERVICES-0008',
      'INTEGRATION-DAEMON-SERVICES-0031',
      'INTEGRATION-DAEMON-SERVICES-0040',
      'INTEGRATION-DAEMON-SERVICES-0041',
      'INTEGRATION-DAEMON-SERVICES-0041',
      'INTEGRATION-DAEMON-SERVICES-0013',
      'OMAG-ADMIN-0101',
      'OMAG-ADMIN-0004',
    ]);
    expect(h.lines).toContainEqual(
      expect.stringMatching(
        / exchangeDL01 Startup INTEGRATION-DAEMON-SERVICES-0008 A new integration connector named OakDeneLandingAreaFilesMonitor is initializing in integration service Files Integrator OMIS running in integration daemon exchangeDL01, permitted synchronization is: From Third Party$/,
      ),
    );
    expect(h.lines).toContainEqual(
      expect.stringMatching(
        / exchangeDL01 Startup OMAG-ADMIN-0004 The exchangeDL01 server has successfully completed start up\. {2}The following services are running: \[Open Metadata Repository Services \(OMRS\), Files Integrator OMIS, Database Integrator OMIS, Integration Daemon Services\]$/,
      ),
    );

    const status = daemon.status();
    expect(status.class).toBe('IntegrationDaemonStatusResponse');
    expect(status.relatedHTTPCode).toBe(200);
    expect(status.integrationServiceSummaries.map((s) => [s.integrationServiceId, s.integrationServiceURLMarker])).toEqual([
      [4005, 'files-integrator'],
      [4004, 'database-integrator'],
    ]);
    const oak = report(daemon, 'OakDeneLandingAreaFilesMonitor');
    expect(Object.keys(oak).slice(0, 5)).toEqual([
      'connectorName',
      'connectorStatus',
      'lastStatusChange',
      'lastRefreshTime',
      'minMinutesBetweenRefresh',
    ]);
    expect(oak).toMatchObject({ connectorStatus: 'WAITING', minMinutesBetweenRefresh: 10, statistics: { elementsCreated: 3 } });
    expect(oak.failingExceptionMessage).toBeUndefined();
    expect(Date.parse(oak.nextRefreshAt!) - Date.parse(oak.lastRefreshTime!)).toBe(10 * 60_000);

    const wrong = report(daemon, 'OakDeneLandingAreaDatabaseMonitor');
    expect(Object.keys(wrong).slice(0, 4)).toEqual(['connectorName', 'connectorStatus', 'lastStatusChange', 'minMinutesBetweenRefresh']);
    expect(Object.keys(wrong)[4]).toBe('failingExceptionMessage');
    expect(wrong).toMatchObject({
      connectorStatus: 'CONFIG_FAILED',
      failingExceptionMessage:
        'OMIS-DATABASE-INTEGRATOR-400-001 Integration connector OakDeneLandingAreaDatabaseMonitor is not of the correct type to run in the Database Integrator OMIS integration service.  It must inherit from org.odpi.openmetadata.integrationservices.database.connector.DatabaseIntegratorConnector',
      failingExceptionMessageId: 'OMIS-DATABASE-INTEGRATOR-400-001',
      errorSource: 'connector',
      errorCategory: 'configuration',
    });
    expect(wrong.userAction).toContain('files-integrator');
    expect(status.metadataServers).toEqual([expect.objectContaining({ metadataServerName: 'cocoMDS1', breakerState: 'CLOSED' })]);
    expect(Date.parse(status.serverTime!)).not.toBeNaN();
  });

  it('says so when it has no integration services, or a service has no connectors, and still serves requests', async () => {
    const empty = await h.start(document(h.dir, []));
    expect(empty.auditLog({ limit: 100 }).map((r) => r.messageText)).toContain(
      'Integration daemon exchangeDL01 is not configured with any integration services',
    );
    expect(empty.status().integrationServiceSummaries).toEqual([]);
    await empty.refreshAll();
    await empty.stop();
    const idle = await h.start(document(h.dir, [files([])]));
    expect(idle.auditLog({ limit: 100 }).find((r) => r.messageId === 'INTEGRATION-DAEMON-SERVICES-0007')).toMatchObject({
      severity: 'Error',
      messageText: 'The Files Integrator OMIS integration service is configured without any integration connectors',
    });
    expect(idle.status().integrationServiceSummaries).toEqual([
      expect.objectContaining({ integrationServiceURLMarker: 'files-integrator', integrationConnectorReports: [] }),
    ]);
  });

  it('starts with the metadata server down: connectors wait behind the breaker with OMAG-MULTI-TENANT-404-001', async () => {
    const daemon = await h.start(
      document(h.dir, [files([scripted('OakDeneLandingAreaFilesMonitor'), scripted('OldMarketLandingAreaFilesMonitor')])], {
        metadataServer: { name: 'cocoMDS1', kind: 'postgres', connectionString: 'postgresql://nobody@127.0.0.1:1/metadata' },
      }),
    );
    const expected = 'OMAG-MULTI-TENANT-404-001 The OMAG Server cocoMDS1 is not available to service a request from user exchangeDL01npa';
    for (const name of ['OakDeneLandingAreaFilesMonitor', 'OldMarketLandingAreaFilesMonitor']) {
      const r = report(daemon, name);
      expect(r).toMatchObject({
        connectorStatus: 'RETRYING',
        failingExceptionMessage: expected,
        failingExceptionMessageId: 'OMAG-MULTI-TENANT-404-001',
        errorSource: 'metadataServer',
        retry: { waitingFor: 'metadataServer', attempt: 0, retryLimit: null },
      });
      expect(Date.parse(r.retry!.nextRetryAt)).toBeGreaterThan(Date.now() - 1000);
    }
    const failures = daemon.auditLog({ limit: 1000 }).filter((r) => r.messageId === 'INTEGRATION-DAEMON-SERVICES-0031');
    expect(failures.map((r) => r.messageText)).toEqual([
      expect.stringMatching(
        /^The integration connector OakDeneLandingAreaFilesMonitor method initialize has returned with a \S+ exception containing message OMAG-MULTI-TENANT-404-001 /,
      ),
      expect.stringMatching(
        /^The integration connector OldMarketLandingAreaFilesMonitor method initialize has returned with a \S+ exception containing message OMAG-MULTI-TENANT-404-001 /,
      ),
    ]);
    expect(daemon.status().metadataServers?.[0]).toMatchObject({
      breakerState: expect.stringMatching(/OPEN|HALF_OPEN/),
      waitingConnectors: 2,
    });
    expect(callsOf('OakDeneLandingAreaFilesMonitor')).toEqual([]);
    // Retry now on a parked connector asks the breaker for a probe; the server is still down, so it keeps waiting.
    await daemon.retryNow('OakDeneLandingAreaFilesMonitor');
    expect(report(daemon, 'OakDeneLandingAreaFilesMonitor')).toMatchObject({
      connectorStatus: 'RETRYING',
      retry: { waitingFor: 'metadataServer' },
    });
    expect(daemon.auditLog({ connectorName: 'OakDeneLandingAreaFilesMonitor', limit: 100 }).map((r) => r.messageId)).toContain(
      'INTEGRATION-DAEMON-RECOVERY-0011',
    );
    await expect(daemon.findElements({ startFrom: 0, pageSize: 10 })).rejects.toMatchObject({
      messageId: 'OMAG-MULTI-TENANT-404-001',
      httpCode: 503,
    });
  });
});

describe('Daemon failure handling', () => {
  it('puts a connector that throws in initialize, start or refresh into RETRYING, and logs a disconnect failure, while others run', async () => {
    const daemon = await h.start(
      document(h.dir, [
        files([
          scripted('Healthy', { elements: 1 }),
          scripted('ThrowsInInitialize', { failIn: 'initialize' }),
          scripted('ThrowsInStart', { failIn: 'start', failVia: 'thirdParty' }),
          scripted('ThrowsInRefresh', { failIn: 'refresh' }),
          scripted('ThrowsInDisconnect', { failIn: 'disconnect' }),
        ]),
      ]),
    );
    await waitFor(
      () => report(daemon, 'ThrowsInRefresh').connectorStatus === 'RETRYING' && finishedRuns(daemon, 'Healthy').length === 1,
      () => JSON.stringify(daemon.status()),
    );
    expect(report(daemon, 'Healthy').connectorStatus).toBe('WAITING');
    expect(report(daemon, 'ThrowsInDisconnect').connectorStatus).toBe('WAITING');
    for (const [name, method, source] of [
      ['ThrowsInInitialize', 'initialize', 'connector'],
      ['ThrowsInStart', 'start', 'thirdParty'],
      ['ThrowsInRefresh', 'refresh', 'connector'],
    ] as const) {
      const r = report(daemon, name);
      expect(r, name).toMatchObject({ connectorStatus: 'RETRYING', errorSource: source, retry: { attempt: 1 } });
      expect(r.failingExceptionMessage, name).toMatch(/^[A-Z-]+-\d{3}-\d{3} /);
      expect(r.userAction, name).toBeTruthy();
      expect(Date.parse(r.retry!.nextRetryAt) - Date.now(), name).toBeGreaterThan(5_000);
      const audit = daemon.auditLog({ connectorName: name, limit: 100 }).find((a) => a.messageId === 'INTEGRATION-DAEMON-SERVICES-0031');
      expect(audit?.messageText, name).toContain(`The integration connector ${name} method ${method} has returned with a`);
      expect(
        daemon.auditLog({ connectorName: name, limit: 100 }).map((a) => a.messageId),
        name,
      ).toContain('INTEGRATION-DAEMON-RECOVERY-0001');
    }
    expect(finishedRuns(daemon, 'ThrowsInRefresh')).toEqual([
      expect.objectContaining({ state: 'FAILED', trigger: 'start', failingExceptionMessageId: expect.any(String) }),
    ]);

    await daemon.stop();
    const shutdown = daemon.auditLog({ connectorName: 'ThrowsInDisconnect', limit: 100 }).map((r) => r.messageId);
    expect(shutdown).toEqual(
      expect.arrayContaining(['INTEGRATION-DAEMON-SERVICES-0022', 'INTEGRATION-DAEMON-SERVICES-0023', 'INTEGRATION-DAEMON-SERVICES-0024']),
    );
    expect(report(daemon, 'Healthy').connectorStatus).toBe('SHUTDOWN');
    expect(daemon.auditLog({ limit: 10_000 }).at(-1)?.messageId).toBe('INTEGRATION-DAEMON-SERVICES-0026');
  });

  it("a provider module that no longer loads makes its connector CONFIG_FAILED, with the provider's message id", async () => {
    const broken = join(h.dir, 'broken-provider.mjs');
    writeFileSync(broken, "throw new Error('broken on purpose');\n");
    const daemon = await h.start(document(h.dir, [files([{ connectorName: 'Broken', connectorProvider: broken }, scripted('Fine')])]));
    expect(report(daemon, 'Broken')).toMatchObject({
      connectorStatus: 'CONFIG_FAILED',
      errorSource: 'connector',
      errorCategory: 'configuration',
      failingExceptionMessage: expect.stringContaining('broken on purpose'),
      failingExceptionMessageId: expect.stringMatching(/^INTEGRATION-DAEMON-PROVIDERS-/),
    });
    expect(report(daemon, 'Broken').retry).toBeUndefined();
    expect(daemon.auditLog({ connectorName: 'Broken', limit: 100 }).map((r) => r.messageId)).toContain('INTEGRATION-DAEMON-SERVICES-0037');
    await waitFor(
      () => report(daemon, 'Fine').lastSuccessfulRefreshTime !== undefined,
      () => JSON.stringify(report(daemon, 'Fine')),
    );
  });

  it('abandons a hung refresh after its timeout while other connectors keep their schedule and the REST API answers', async () => {
    const daemon = await h.start(
      document(h.dir, [
        files([
          scripted('Hangs', { hangIn: 'refresh', ignoreAbort: true }, { timeouts: { refresh: 3_000 } }),
          scripted('Ticker', { elements: 1 }, { refreshTimeInterval: 0.002 }),
          scripted('HangsOnDisconnect', { hangIn: 'disconnect' }, { timeouts: { disconnect: 300 } }),
        ]),
      ]),
    );
    const rest = await startRestServer({ daemon, port: 0, token: 'operator-token-for-tests' });
    try {
      const started = Date.now();
      await waitFor(
        () => report(daemon, 'Hangs').connectorStatus === 'REFRESHING',
        () => JSON.stringify(report(daemon, 'Hangs')),
      );
      // While the refresh hangs, the REST API answers and the other connector refreshes every 120 ms.
      const response = await fetch(`${rest.url}${API_BASE('exchangeDL01', 'garygeeke')}/status`, {
        headers: { authorization: 'Bearer operator-token-for-tests' },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        integrationServiceSummaries: { integrationConnectorReports: { connectorName: string; connectorStatus: string }[] }[];
      };
      expect(
        body.integrationServiceSummaries[0]!.integrationConnectorReports.find((r) => r.connectorName === 'Hangs')?.connectorStatus,
      ).toBe('REFRESHING');
      await waitFor(
        () => finishedRuns(daemon, 'Ticker').length >= 4,
        () => `${finishedRuns(daemon, 'Ticker').length} ticker runs`,
      );
      expect(report(daemon, 'Hangs').connectorStatus).toBe('REFRESHING');
      expect(Date.now() - started).toBeLessThan(3_000);
      await waitFor(
        () => report(daemon, 'Hangs').connectorStatus === 'RETRYING',
        () => JSON.stringify(report(daemon, 'Hangs')),
      );
      expect(report(daemon, 'Hangs')).toMatchObject({ errorCategory: 'timeout', errorSource: 'connector' });
      const ids = daemon.auditLog({ connectorName: 'Hangs', limit: 100 }).map((r) => r.messageId);
      expect(ids).toContain('INTEGRATION-DAEMON-SERVICES-0102');
      expect(finishedRuns(daemon, 'Hangs')[0]).toMatchObject({ state: 'FAILED', failingExceptionMessage: expect.stringContaining('3000') });
    } finally {
      await rest.close();
    }
    // A disconnect that never returns holds shutdown only for its timeout.
    const stopping = Date.now();
    await daemon.stop();
    expect(Date.now() - stopping).toBeLessThan(3_000);
    expect(daemon.auditLog({ connectorName: 'HangsOnDisconnect', limit: 100 }).map((r) => r.messageId)).toContain(
      'INTEGRATION-DAEMON-SERVICES-0023',
    );
  });

  it('a connector that floods object failures and audit messages does not starve another one', async () => {
    const daemon = await h.start(
      document(h.dir, [
        files([
          scripted('Flood', { objectFailures: 1_000, auditMessages: 5_000 }, { refreshTimeInterval: 0 }),
          scripted('Ticker', { elements: 1 }, { refreshTimeInterval: 0.002 }),
        ]),
      ]),
    );
    await waitFor(
      () => finishedRuns(daemon, 'Flood').length === 1,
      () => JSON.stringify(report(daemon, 'Flood')),
      30_000,
    );
    const flood = finishedRuns(daemon, 'Flood')[0]!;
    expect(flood).toMatchObject({ state: 'PARTIAL', counts: { discovered: 1_000, failed: 1_000 } });
    // The flood may be over quickly (its object retries are written as one batch); the ticker's gaps around it
    // still show whether it was held up.
    await waitFor(
      () => finishedRuns(daemon, 'Ticker').length >= 3,
      () => `${finishedRuns(daemon, 'Ticker').length} ticker runs`,
    );
    const ticks = finishedRuns(daemon, 'Ticker')
      .map((r) => Date.parse(r.startedAt))
      .sort((a, b) => a - b);
    const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
    expect(gaps.length).toBeGreaterThan(0);
    // The ticker refreshes every 120 ms; the flood may delay it a little but never by seconds.
    expect(Math.max(...gaps)).toBeLessThan(3_000);
    const floodRecords = daemon.auditLog({ connectorName: 'Flood', limit: 100_000 });
    expect(floodRecords.length).toBeLessThan(1_000);
    expect(floodRecords.map((r) => r.messageId)).toContain('INTEGRATION-DAEMON-SERVICES-0106');
    expect(daemon.objectRetries('Flood')).toHaveLength(1_000);
    expect(report(daemon, 'Flood').pendingObjectRetries).toBe(1_000);
    expect(report(daemon, 'Ticker').connectorStatus).toMatch(/WAITING|REFRESHING/);
  });
});

describe('Daemon operator requests', () => {
  it('restart gives a new connectorInstanceId and refreshes; a refresh asked for during a refresh is queued once', async () => {
    const daemon = await h.start(document(h.dir, [files([scripted('Slow', { elements: 1, refreshMs: 300 }), scripted('Other')])]));
    await waitFor(
      () => finishedRuns(daemon, 'Slow').length === 1,
      () => JSON.stringify(report(daemon, 'Slow')),
    );
    const before = report(daemon, 'Slow').connectorInstanceId;
    const other = report(daemon, 'Other').connectorInstanceId;
    await daemon.restartConnectors('Slow');
    const after = report(daemon, 'Slow').connectorInstanceId;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(report(daemon, 'Other').connectorInstanceId).toBe(other);
    expect(daemon.auditLog({ connectorName: 'Slow', limit: 100 }).map((r) => r.messageId)).toContain('INTEGRATION-DAEMON-SERVICES-0100');
    await waitFor(
      () => finishedRuns(daemon, 'Slow').length === 2,
      () => JSON.stringify(runsOf(daemon, 'Slow')),
    );
    expect(finishedRuns(daemon, 'Slow')[0]).toMatchObject({ trigger: 'request', connectorInstanceId: after, state: 'SUCCEEDED' });

    await daemon.refreshService('files-integrator', 'Slow');
    await daemon.refreshConnectors('Slow');
    await daemon.refreshConnectors('Slow');
    await daemon.refreshAll();
    await waitFor(
      () => finishedRuns(daemon, 'Slow').length === 4 && report(daemon, 'Slow').connectorStatus === 'WAITING',
      () => JSON.stringify(runsOf(daemon, 'Slow')),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(finishedRuns(daemon, 'Slow')).toHaveLength(4);
    const refreshes = callsOf('Slow', 'refresh');
    for (let i = 1; i < refreshes.length; i++) expect(refreshes[i]!.at - refreshes[i - 1]!.at).toBeGreaterThanOrEqual(290);
  });

  it('publishes every status change and run on the event stream', async () => {
    const daemon = await h.start(document(h.dir, [files([scripted('Watched', { elements: 2 })])]));
    await waitFor(
      () => finishedRuns(daemon, 'Watched').length === 1,
      () => JSON.stringify(report(daemon, 'Watched')),
    );
    const events: DaemonEvent[] = [];
    const subscription = daemon.subscribe((event) => void events.push(event));
    await daemon.restartService('files-integrator', 'Watched');
    await waitFor(
      () => events.some((e) => e.type === 'run' && e.run.state === 'SUCCEEDED'),
      () => JSON.stringify(events),
    );
    subscription.dispose();
    const instance = report(daemon, 'Watched').connectorInstanceId;
    const statuses = events.flatMap((e) =>
      e.type === 'connector-status' ? [[e.report.connectorStatus, e.report.connectorInstanceId, e.urlMarker]] : [],
    );
    expect(statuses).toEqual([
      ['INITIALIZED', instance, 'files-integrator'],
      ['WAITING', instance, 'files-integrator'],
      ['REFRESHING', instance, 'files-integrator'],
      ['WAITING', instance, 'files-integrator'],
    ]);
    const runs = events.flatMap((e) => (e.type === 'run' ? [[e.run.state, e.run.trigger, e.run.counts.created]] : []));
    expect(runs).toEqual([
      ['RUNNING', 'request', 0],
      ['SUCCEEDED', 'request', 0],
    ]);
    const sequences = events.map((e) => e.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(events.every((e) => !Number.isNaN(Date.parse(e.serverTime)))).toBe(true);
  });

  it('clears the configuration properties of every connector when asked to with no connector name', async () => {
    const daemon = await h.start(document(h.dir, [files([scripted('One', { elements: 1 }), scripted('Two', { elements: 1 })])]));
    // Two changes at once both take effect.
    await Promise.all([
      daemon.updateConfigurationProperties('One', { a: 1 }, true),
      daemon.updateConfigurationProperties('One', { b: 2 }, true),
    ]);
    expect(daemon.getConfigurationProperties('One')).toEqual({ elements: 1, a: 1, b: 2 });
    await daemon.updateConfigurationProperties(undefined, {}, false);
    expect(daemon.getConfigurationProperties('One')).toEqual({});
    expect(daemon.getConfigurationProperties('Two')).toEqual({});
    expect(
      daemon
        .auditLog({ limit: 1000 })
        .filter((r) => r.messageId === 'INTEGRATION-DAEMON-SERVICES-0016')
        .map((r) => r.connectorName),
    ).toEqual(['One', 'Two']);
  });

  it("refuses unknown services and connectors with Egeria's message ids", async () => {
    const daemon = await h.start(document(h.dir, [files([scripted('Only')])]));
    const unknownService = await daemon.refreshService('lineage-integrator').catch((e: unknown) => e);
    expect(unknownService).toBeInstanceOf(DaemonRequestError);
    expect(unknownService).toMatchObject({
      httpCode: 400,
      messageId: 'INTEGRATION-DAEMON-SERVICES-400-030',
      message:
        'INTEGRATION-DAEMON-SERVICES-400-030 Integration service with URL marker lineage-integrator is not registered in the integration daemon exchangeDL01',
    });
    await expect(daemon.restartService('files-integrator', 'Nope')).rejects.toMatchObject({
      messageId: 'INTEGRATION-DAEMON-SERVICES-400-031',
      message:
        'INTEGRATION-DAEMON-SERVICES-400-031 Integration connector named Nope is not running in the integration service Files Integrator OMIS in integration daemon exchangeDL01',
      parameters: ['Nope', 'Files Integrator OMIS', 'exchangeDL01'],
    });
    await expect(daemon.refreshConnectors('Nope')).rejects.toMatchObject({ messageId: 'INTEGRATION-DAEMON-SERVICES-400-031' });
    expect(() => daemon.getConfigurationProperties('Nope')).toThrow(DaemonRequestError);
    await expect(daemon.retryNow('Only')).rejects.toMatchObject({ httpCode: 409 });
    expect(daemon.registeredServices().map((s) => s.serviceURLMarker)).toEqual([
      'files-integrator',
      'security-integrator',
      'database-integrator',
      'lineage-integrator',
      'catalog-integrator',
      'organization-integrator',
    ]);
  });
});

describe('Daemon configuration changes', () => {
  it('writes changes atomically and restarts only the connectors they touch; CONFIG_FAILED clears on a change', async () => {
    const configPath = join(h.dir, 'daemon.json');
    const doc = document(h.dir, [
      files([scripted('Alpha', { elements: 1 }), scripted('Beta', { elements: 1 })]),
      database([scripted('Misplaced')]),
    ]);
    writeFileSync(configPath, JSON.stringify(doc));
    const daemon = await h.start(doc, { configPath });
    await waitFor(
      () => finishedRuns(daemon, 'Alpha').length === 1 && finishedRuns(daemon, 'Beta').length === 1,
      () => JSON.stringify(daemon.status()),
    );
    expect(report(daemon, 'Misplaced').connectorStatus).toBe('CONFIG_FAILED');
    const alpha = report(daemon, 'Alpha').connectorInstanceId;
    const beta = report(daemon, 'Beta').connectorInstanceId;

    await daemon.updateConfigurationProperties('Alpha', { elements: 4 }, true);
    expect(daemon.getConfigurationProperties('Alpha')).toEqual({ elements: 4 });
    expect(report(daemon, 'Alpha').connectorInstanceId).not.toBe(alpha);
    expect(report(daemon, 'Beta').connectorInstanceId).toBe(beta);
    const written = JSON.parse(readFileSync(configPath, 'utf8')) as {
      integrationServices: { connectors: { connectorName: string; configurationProperties: unknown }[] }[];
    };
    expect(written.integrationServices[0]!.connectors[0]).toMatchObject({
      connectorName: 'Alpha',
      configurationProperties: { elements: 4 },
    });
    expect(daemon.auditLog({ connectorName: 'Alpha', limit: 100 }).map((r) => r.messageText)).toContain(
      'User exchangeDL01npa has updated the following configuration properties for the integration connector Alpha in integration daemon exchangeDL01: elements',
    );
    await waitFor(
      () => report(daemon, 'Alpha').statistics?.elementsCreated === 4,
      () => JSON.stringify(report(daemon, 'Alpha')),
    );

    // Move the misplaced connector to the service of its kind: its CONFIG_FAILED clears by itself.
    const moved = structuredClone(daemon.getConfiguration()) as typeof written;
    const misplaced = moved.integrationServices[1]!.connectors.pop()!;
    moved.integrationServices[0]!.connectors.push(misplaced);
    moved.integrationServices.pop();
    await daemon.replaceConfiguration(moved);
    await waitFor(
      () => report(daemon, 'Misplaced').connectorStatus === 'WAITING',
      () => JSON.stringify(report(daemon, 'Misplaced')),
    );
    expect(report(daemon, 'Beta').connectorInstanceId).toBe(beta);
    expect(daemon.status().integrationServiceSummaries.map((s) => s.integrationServiceURLMarker)).toEqual(['files-integrator']);
    expect(daemon.auditLog({ limit: 1000 }).map((r) => r.messageText)).toContain(
      'User exchangeDL01npa has replaced the configuration document of integration daemon exchangeDL01; connectors restarted: none; started: Misplaced; stopped: Misplaced',
    );

    await daemon.updateEndpointAddress('Beta', '/nowhere/at/all');
    expect(report(daemon, 'Beta').connectorInstanceId).not.toBe(beta);

    const bad = structuredClone(moved) as Record<string, unknown>;
    (bad.integrationServices as { connectors: Record<string, unknown>[] }[])[0]!.connectors[0]!.refreshTimeInterval = -1;
    await expect(daemon.replaceConfiguration(bad)).rejects.toMatchObject({
      httpCode: 400,
      message: expect.stringContaining('refreshTimeInterval'),
    });
    expect(JSON.parse(readFileSync(configPath, 'utf8'))).toEqual(daemon.getConfiguration());
    await expect(daemon.replaceConfiguration({ ...moved, serverName: 'other' })).rejects.toMatchObject({
      messageId: 'INTEGRATION-DAEMON-SERVICES-400-101',
    });
  });
});

describe('Configuration admin refuses what the operator token must not do', () => {
  it('adds no connector module over the API (the module is never imported), reads no deep document, runs no malformed query', async () => {
    const daemon = await h.start(document(h.dir, [files([scripted('Alpha')])]));
    const marker = join(h.dir, 'module-was-imported');
    const module = join(h.dir, 'planted-provider.mjs');
    writeFileSync(
      module,
      `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'yes'); export const provider = {};\n`,
    );
    const planted = structuredClone(daemon.getConfiguration()) as { integrationServices: { connectors: Record<string, unknown>[] }[] };
    planted.integrationServices[0]!.connectors.push({ connectorName: 'Planted', connectorProvider: module });
    await expect(daemon.replaceConfiguration(planted)).rejects.toMatchObject({
      httpCode: 403,
      messageId: 'INTEGRATION-DAEMON-SERVICES-403-102',
    });
    expect(existsSync(marker)).toBe(false);
    expect(daemon.status().integrationServiceSummaries[0]!.integrationConnectorReports.map((r) => r.connectorName)).toEqual(['Alpha']);

    const deep = JSON.parse(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`) as unknown;
    await expect(daemon.replaceConfiguration(deep)).rejects.toMatchObject({
      httpCode: 400,
      messageId: 'INTEGRATION-DAEMON-CONFIG-400-000',
    });

    const query = daemon.findElements({ qualifiedNamePrefix: 'a\u0000b', startFrom: 0, pageSize: 10 });
    await expect(query).rejects.toBeInstanceOf(DaemonRequestError);
    await expect(query).rejects.toMatchObject({
      httpCode: 400,
      messageId: expect.stringMatching(/^INTEGRATION-DAEMON-METADATA-SERVER-400-/),
    });
  });
});

describe('Runs of the data files monitor', () => {
  it('counts discovered = created + updated + unchanged + failed, archived from archive calls', async () => {
    const landing = join(h.dir, 'landing');
    mkdirSync(landing);
    for (let i = 0; i < 5; i++) writeFileSync(join(landing, `file-${i}.csv`), `a,b\n${i},${i}\n`);
    const daemon = await h.start(
      document(h.dir, [
        files([{ connectorName: 'Landing', connectorProvider: 'data-files-monitor', endpointAddress: landing, refreshTimeInterval: 0 }]),
      ]),
    );
    await waitFor(
      () => finishedRuns(daemon, 'Landing').length === 1,
      () => JSON.stringify(report(daemon, 'Landing')),
    );
    writeFileSync(join(landing, 'file-new.csv'), 'x\n');
    writeFileSync(join(landing, 'file-0.csv'), 'changed,content,longer\n');
    const removed = join(landing, 'file-4.csv');
    await import('node:fs/promises').then((fs) => fs.rm(removed));
    expect(existsSync(removed)).toBe(false);
    await waitFor(
      () => report(daemon, 'Landing').connectorStatus === 'WAITING',
      () => JSON.stringify(report(daemon, 'Landing')),
    );
    await daemon.refreshConnectors('Landing');
    await waitFor(
      () => finishedRuns(daemon, 'Landing').some((r) => r.trigger === 'request' && r.state !== 'RUNNING'),
      () => JSON.stringify(runsOf(daemon, 'Landing')),
    );
    const runs = finishedRuns(daemon, 'Landing');
    const first = runs.find((r) => r.trigger === 'start')!;
    expect(first.counts).toMatchObject({ discovered: 5, created: 5, updated: 0, unchanged: 0, failed: 0 });
    const requested = runs.find((r) => r.trigger === 'request')!;
    for (const run of runs) {
      const c = run.counts;
      expect(c.discovered, JSON.stringify(run)).toBe(c.created + c.updated + c.unchanged + c.failed);
    }
    const total = runs.reduce((sum, r) => sum + r.counts.archived, 0);
    expect(total).toBe(1);
    expect(requested.state).toBe('SUCCEEDED');
    const elements = await daemon.findElements({ typeName: 'DataFile', startFrom: 0, pageSize: 100 });
    expect(elements.map((e) => e.properties.name).sort()).toEqual(['file-0.csv', 'file-1.csv', 'file-2.csv', 'file-3.csv', 'file-new.csv']);
  });
});
