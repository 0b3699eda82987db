// DaemonConnection: live view from a real server, losing it (disconnected + countdown, never healthy), finding it
// again on the same port, backoff growth with an injected clock, polling an Egeria-style daemon, dead streams.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { IntegrationDaemonStatusResponse } from '../../../shared/api/types.js';
import type { ConsoleEvent, DaemonEntry, DaemonView } from '../../../shared/console-backend.js';
import { DaemonConnection } from '../../../shared/client/connection.js';
import { systemClock, type Clock } from '../../../shared/logic/clock.js';
import { ManualClock } from '../../support/manual-clock.js';
import { startRestServer } from '../../../electron/engine/rest/server.js';
import { OPERATOR_TOKEN, SERVER_NAME, startFixture, USER_ID, VIEWER_TOKEN, type Fixture } from '../../engine/rest/fixture.js';
import { seedExamples } from '../../engine/rest/seed.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function entry(url: string, serverName = SERVER_NAME): DaemonEntry {
  return { id: 'd1', label: 'Local', url, serverName, userId: USER_ID, local: true };
}

function collect(): { events: ConsoleEvent[]; views: () => DaemonView[] } {
  const events: ConsoleEvent[] = [];
  return { events, views: () => events.flatMap((e) => (e.type === 'daemon' ? [e.view] : [])) };
}

function connectTo(f: Fixture, extra: Partial<ConstructorParameters<typeof DaemonConnection>[0]> = {}) {
  const seen = collect();
  const connection = new DaemonConnection({
    entry: entry(f.server.url),
    token: OPERATOR_TOKEN,
    reconnect: { initialMs: 1_000, multiplier: 2, maxMs: 4_000, jitter: 0 },
    ...extra,
  });
  connection.onEvent((e) => seen.events.push(e));
  cleanups.push(() => connection.stop());
  connection.start();
  return { connection, ...seen };
}

describe('DaemonConnection with a real daemon server', () => {
  it('connects, keeps the view current from events and measures clock skew', async () => {
    const f = await startFixture();
    cleanups.push(() => f.server.close());
    const aheadMs = 90_000;
    const clock: Clock = { now: () => Date.now() - aheadMs, setTimeout: (cb, ms) => systemClock.setTimeout(cb, ms) };
    const { connection, events } = connectTo(f, { clock });
    expect(connection.view.connection).toBe('connecting');
    await expect.poll(() => connection.view.connection).toBe('connected');
    expect(connection.view.eventStream).toBe(true);
    expect(connection.view.clockSkewMs).toBeGreaterThan(aheadMs - 2_000);
    expect(connection.view.clockSkewMs).toBeLessThan(aheadMs + 2_000);
    expect(events.some((e) => e.type === 'event' && e.event.type === 'hello')).toBe(true);

    const report = {
      connectorName: 'OakDeneLandingAreaFilesMonitor',
      connectorStatus: 'RUNNING' as const,
      minMinutesBetweenRefresh: 10,
      connectorId: 'c-1',
    };
    f.daemon.emit({ type: 'connector-status', urlMarker: 'files-integrator', report });
    await expect
      .poll(() => connection.view.status?.integrationServiceSummaries[0]?.integrationConnectorReports[0]?.connectorStatus)
      .toBe('RUNNING');
    // Other connectors keep their FAILED report from the snapshot.
    expect(connection.view.status?.integrationServiceSummaries[0]?.integrationConnectorReports[1]?.connectorStatus).toBe('FAILED');
    const viewsBefore = events.filter((e) => e.type === 'daemon').length;
    f.daemon.emit({
      type: 'audit',
      record: {
        sequence: 3,
        timeStamp: 't',
        serverName: SERVER_NAME,
        severity: 'Information',
        messageId: 'M',
        messageText: 'm',
        messageParameters: [],
      },
    });
    await expect.poll(() => events.some((e) => e.type === 'event' && e.event.type === 'audit')).toBe(true);
    // An audit record changes no status and the skew hardly moves: no new view.
    expect(events.filter((e) => e.type === 'daemon').length).toBe(viewsBefore);
    f.daemon.emit({
      type: 'metadata-server',
      metadataServer: { metadataServerName: 'cocoMDS1', breakerState: 'OPEN', since: 'x', waitingConnectors: 3 },
    });
    await expect.poll(() => connection.view.status?.metadataServers?.[0]?.breakerState).toBe('OPEN');
    // A removed connector leaves the view (the tray and the daemon's counts follow it).
    const names = () => connection.view.status?.integrationServiceSummaries[0]?.integrationConnectorReports.map((r) => r.connectorName);
    expect(names()).toContain('OakDeneLandingAreaFilesMonitor');
    f.daemon.emit({ type: 'connector-removed', urlMarker: 'files-integrator', connectorName: 'OakDeneLandingAreaFilesMonitor' });
    await expect.poll(names).not.toContain('OakDeneLandingAreaFilesMonitor');
  });

  it('says in its view whether the token may change the daemon, as the daemon named the token', async () => {
    const f = await startFixture();
    cleanups.push(() => f.server.close());
    const viewer = connectTo(f, { token: VIEWER_TOKEN });
    expect(viewer.connection.view.mayChange).toBeUndefined();
    await expect.poll(() => viewer.connection.view.connection).toBe('connected');
    expect(viewer.connection.view.mayChange).toBe(false);
    const operator = connectTo(f);
    await expect.poll(() => operator.connection.view.connection).toBe('connected');
    expect(operator.connection.view.mayChange).toBe(true);
  });

  it('shows disconnected with a countdown while the daemon is down, and reconnects when it is back on its port', async () => {
    const f = await startFixture();
    const { connection, views } = connectTo(f);
    await expect.poll(() => connection.view.connection).toBe('connected');

    await f.server.close();
    await expect.poll(() => connection.view.connection).toBe('disconnected');
    const down = connection.view;
    expect(down.lastError).toBeDefined();
    const wait = Date.parse(down.nextReconnectAt as string) - Date.now();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1_000);
    // A failed reconnect backs off further and stays disconnected throughout, never connected in between.
    await expect
      .poll(() => views().filter((v) => v.connection === 'disconnected' && v.nextReconnectAt).length, { timeout: 5_000 })
      .toBeGreaterThanOrEqual(2);
    const countdowns = views()
      .filter((v) => v.nextReconnectAt !== undefined)
      .map((v) => v.nextReconnectAt as string);
    const afterDown = views().slice(views().indexOf(down));
    expect(afterDown.every((v) => v.connection === 'disconnected')).toBe(true);
    expect(new Set(countdowns).size).toBeGreaterThanOrEqual(2);

    const again = await startRestServer({ daemon: f.daemon, port: f.server.port, token: OPERATOR_TOKEN });
    cleanups.push(() => again.close());
    await expect.poll(() => connection.view.connection, { timeout: 8_000 }).toBe('connected');
    expect(connection.view.nextReconnectAt).toBeUndefined();
    expect(connection.view.lastError).toBeUndefined();
  });

  it('treats a stream that goes quiet (no heartbeat) as lost', async () => {
    const f = await startFixture({ heartbeatMs: 60_000 });
    cleanups.push(() => f.server.close());
    const { connection } = connectTo(f, { stallTimeoutMs: 300 });
    await expect.poll(() => connection.view.connection).toBe('connected');
    await expect.poll(() => connection.view.connection, { timeout: 2_000 }).toBe('disconnected');
    expect(connection.view.lastError).toContain('INTEGRATION-DAEMON-CLIENT-504-002');
  });

  it('stop() ends everything: no further views, stream closed on the server', async () => {
    const f = await startFixture();
    cleanups.push(() => f.server.close());
    const { connection, events } = connectTo(f);
    await expect.poll(() => connection.view.connection).toBe('connected');
    connection.stop();
    const count = events.length;
    await expect.poll(() => f.daemon.listenerCount()).toBe(1);
    f.daemon.emit({
      type: 'audit',
      record: {
        sequence: 1,
        timeStamp: 't',
        serverName: SERVER_NAME,
        severity: 'Error',
        messageId: 'M',
        messageText: 'm',
        messageParameters: [],
      },
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(events.length).toBe(count);
  });
});

describe('DaemonConnection with an Egeria daemon (no event stream)', () => {
  it('falls back to polling /status, passes changes on as connector-status events', async () => {
    const seed = seedExamples();
    let status: unknown = {
      class: 'IntegrationDaemonStatusResponse',
      relatedHTTPCode: 200,
      integrationDaemonStatus: { integrationServiceSummaries: seed.statusFailed.integrationServiceSummaries },
    };
    let statusCalls = 0;
    const egeria = createServer((req, res) => {
      if (req.url?.endsWith('/status')) {
        statusCalls++;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(status));
        return;
      }
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"status":404,"error":"Not Found"}');
    });
    await new Promise<void>((resolve) => egeria.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((r) => egeria.close(r)));
    const url = `http://127.0.0.1:${(egeria.address() as AddressInfo).port}`;
    const seen = collect();
    const connection = new DaemonConnection({ entry: entry(url, 'exchangeDL01'), pollIntervalMs: 50 });
    connection.onEvent((e) => seen.events.push(e));
    cleanups.push(() => connection.stop());
    connection.start();

    await expect.poll(() => connection.view.connection).toBe('connected');
    expect(connection.view.eventStream).toBe(false);
    expect(connection.view.status?.integrationServiceSummaries).toHaveLength(2);

    status = seed.statusRunning;
    await expect
      .poll(() => connection.view.status?.integrationServiceSummaries[0]?.integrationConnectorReports[0]?.connectorStatus)
      .toBe('RUNNING');
    const changes = seen.events.flatMap((e) => (e.type === 'event' && e.event.type === 'connector-status' ? [e.event] : []));
    expect(changes.map((c) => [c.urlMarker, c.report.connectorName, c.report.connectorStatus, c.sequence])).toEqual([
      ['files-integrator', 'OakDeneLandingAreaFilesMonitor', 'RUNNING', 0],
      ['files-integrator', 'OldMarketLandingAreaFilesMonitor', 'RUNNING', 0],
      ['files-integrator', 'DropFootClinicalTrialResultsFilesMonitor', 'RUNNING', 0],
      // The database connector's report changed too (lastRefreshTime).
      ['database-integrator', 'OakDeneLandingAreaDatabaseMonitor', 'FAILED', 0],
    ]);
    const before = statusCalls;
    await expect.poll(() => statusCalls).toBeGreaterThan(before + 2);

    // A connector gone from the next snapshot is passed on as removed.
    const running = seed.statusRunning as unknown as IntegrationDaemonStatusResponse;
    const [first, ...others] = running.integrationServiceSummaries;
    status = {
      ...running,
      integrationServiceSummaries: [
        { ...first, integrationConnectorReports: first?.integrationConnectorReports.slice(1) ?? [] },
        ...others,
      ],
    };
    await expect
      .poll(() => seen.events.flatMap((e) => (e.type === 'event' && e.event.type === 'connector-removed' ? [e.event] : [])))
      .toEqual([expect.objectContaining({ urlMarker: 'files-integrator', connectorName: 'OakDeneLandingAreaFilesMonitor', sequence: 0 })]);
  });
});

describe('DaemonConnection backoff (injected clock)', () => {
  it('grows the wait exponentially, caps it, applies jitter, and resets after success', async () => {
    const clock = new ManualClock();
    let up = false;
    const fetchStub: typeof fetch = async (input) => {
      if (!up) throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
      const url = String(input);
      if (url.endsWith('/events')) return new Response('{}', { status: 404, headers: { 'Content-Type': 'application/json' } });
      const status: IntegrationDaemonStatusResponse = {
        class: 'IntegrationDaemonStatusResponse',
        relatedHTTPCode: 200,
        integrationServiceSummaries: [],
      };
      return new Response(JSON.stringify(status), { status: 200, headers: { 'Content-Type': 'application/json' } });
    };
    const seen = collect();
    const connection = new DaemonConnection({
      entry: entry('http://daemon.test:9443'),
      fetch: fetchStub,
      clock,
      random: () => 1 - Number.EPSILON,
      reconnect: { initialMs: 1_000, multiplier: 2, maxMs: 8_000, jitter: 0.25 },
    });
    connection.onEvent((e) => seen.events.push(e));
    connection.start();
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      await expect.poll(() => connection.view.connection).toBe('disconnected');
      waits.push(Date.parse(connection.view.nextReconnectAt as string) - clock.now());
      expect(connection.view.lastError).toContain('ECONNREFUSED');
      await clock.fireNext();
    }
    // random → 1: the upper end of ±25 % jitter, capped at maxMs.
    expect(waits).toEqual([1_250, 2_500, 5_000, 8_000, 8_000, 8_000]);
    up = true;
    await clock.fireNext();
    await expect.poll(() => connection.view.connection).toBe('connected');
    up = false;
    // The poll timer fires, the poll fails: the first wait again.
    await clock.fireNext();
    await expect.poll(() => connection.view.connection).toBe('disconnected');
    expect(Date.parse(connection.view.nextReconnectAt as string) - clock.now()).toBe(1_250);
    connection.stop();
    expect(clock.pending()).toEqual([]);
  });
});
