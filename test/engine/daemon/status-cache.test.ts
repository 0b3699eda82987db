// GET /status's kept answer: a connector's text is built again only when an event names it (or names no connector),
// or when its statistics moved; the answer always carries the current serverTime. Then, on a real daemon, the kept
// answer of each Egeria era compared, byte for byte, with the one built whole from status() after status changes,
// runs, catalog target changes, connectors added and removed and integration group changes, so it cannot go stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonEvent, IntegrationConnectorReport } from '../../../shared/api/types.js';
import { StatusCache, type StatusShape } from '../../../electron/engine/daemon/status-cache.js';
import { findService } from '../../../electron/engine/services.js';
import { isoTime } from '../../../electron/engine/lifecycle/time.js';
import type { Daemon } from '../../../electron/engine/daemon.js';
import { statusInShape } from '../../support/status-shapes.js';
import { startRealDaemon, type RealDaemon } from '../../support/real-daemon.js';
import { fakeConnector, type FakeConnector } from '../../support/status-cache-connectors.js';
import { until } from '../../support/until.js';

function setup() {
  const service = findService('files-integrator');
  if (service === undefined) throw new Error('files-integrator is not a service');
  const connectors = [fakeConnector('A'), fakeConnector('B')];
  const built: string[] = [];
  let sequence = 1;
  let now = Date.parse('2026-12-05T10:00:00.000Z');
  const cache = new StatusCache<FakeConnector>({
    serverName: 'daemon1',
    connectors: () => connectors,
    markers: () => ['files-integrator'],
    service: () => service,
    report: (c): IntegrationConnectorReport => {
      built.push(c.connectorName);
      return {
        connectorName: c.connectorName,
        connectorStatus: c.status,
        minMinutesBetweenRefresh: 10,
        connectorId: `id-${c.connectorName}`,
        pendingObjectRetries: 0,
        statistics: { ...c.statistics },
      };
    },
    metadataServers: () => [],
    openLineageStatistics: () => ({ eventsReceived: 0, eventsRefused: 0, eventsCatalogued: 0, eventsFailed: 0 }),
    integrationGroupSummaries: () => [],
    listsGroups: () => false,
    lastSequence: () => sequence,
    now: () => now,
  });
  const publish = (event: DaemonEvent): void => {
    sequence++;
    cache.published(event);
  };
  const statusOf = (name: string): DaemonEvent => ({
    type: 'connector-status',
    sequence,
    serverTime: '',
    urlMarker: 'files-integrator',
    report: { connectorName: name } as IntegrationConnectorReport,
  });
  const reports = (): IntegrationConnectorReport[] =>
    (
      JSON.parse(Buffer.concat(cache.json('users')).toString()) as {
        integrationServiceSummaries: { integrationConnectorReports: IntegrationConnectorReport[] }[];
      }
    ).integrationServiceSummaries[0]?.integrationConnectorReports ?? [];
  return { cache, connectors, built, publish, statusOf, reports, advance: (ms: number) => (now += ms) };
}

describe('StatusCache', () => {
  it('answers from the kept text while nothing is published, with the current serverTime each time', () => {
    const s = setup();
    const first = JSON.parse(Buffer.concat(s.cache.json('token')).toString()) as { serverTime: string };
    s.advance(250);
    const second = JSON.parse(Buffer.concat(s.cache.json('token')).toString()) as { serverTime: string };
    expect(s.built).toEqual(['A', 'B']);
    expect(first.serverTime).toBe('2026-12-05T10:00:00.000+00:00');
    expect(second.serverTime).toBe('2026-12-05T10:00:00.250+00:00');
  });

  it('writes serverTime as isoTime does across milliseconds, seconds, days and the epoch, in both shapes', () => {
    const s = setup();
    const serverTime = (shape: StatusShape): string =>
      (JSON.parse(Buffer.concat(s.cache.json(shape)).toString()) as { serverTime: string }).serverTime;
    let now = Date.parse('2026-12-05T10:00:00.000Z');
    const moveTo = (at: number): void => {
      s.advance(at - now);
      now = at;
    };
    moveTo(Date.parse('2026-12-05T23:59:58.990Z'));
    for (const step of [0, 1, 9, 1, 89, 1, 899, 1, 1, 1000, 10, 7]) {
      moveTo(now + step);
      expect(serverTime('token')).toBe(isoTime(now));
      expect(serverTime('users')).toBe(isoTime(now));
    }
    expect(serverTime('token')).toBe('2026-12-06T00:00:01.009+00:00');
    for (const at of [0, -1, -1001, 999.6]) {
      moveTo(at);
      expect(serverTime('token')).toBe(isoTime(at));
    }
  });

  it('builds again only the connector an event names, and every one after an event naming none', () => {
    const s = setup();
    s.reports();
    s.connectors[1]!.status = 'REFRESHING';
    s.publish(s.statusOf('B'));
    expect(s.reports().map((r) => r.connectorStatus)).toEqual(['WAITING', 'REFRESHING']);
    expect(s.built).toEqual(['A', 'B', 'B']);
    s.publish({ type: 'metadata-server', sequence: 0, serverTime: '', metadataServer: {} as never });
    s.reports();
    expect(s.built).toEqual(['A', 'B', 'B', 'A', 'B']);
  });

  it('shows statistics that moved without an event within a second, building only that connector', () => {
    const s = setup();
    s.reports();
    s.connectors[0]!.statistics.elementsCreated = 5;
    s.advance(999);
    expect(s.reports()[0]?.statistics?.elementsCreated).toBe(0);
    s.advance(1);
    expect(s.reports()[0]?.statistics?.elementsCreated).toBe(5);
    expect(s.built).toEqual(['A', 'B', 'A']);
  });

  it('drops a connector that is gone and builds one that replaced it under the same name', () => {
    const s = setup();
    s.reports();
    const replaced = { ...s.connectors[0]!, status: 'REFRESHING' as const };
    s.connectors.splice(0, 2, replaced);
    s.advance(1_000);
    expect(s.reports().map((r) => [r.connectorName, r.connectorStatus])).toEqual([['A', 'REFRESHING']]);
  });
});

const TOKEN = 'status-cache-token-0123456789abcdef';
let real: RealDaemon;
let landing: string;

beforeAll(async () => {
  real = await startRealDaemon({ token: TOKEN }, undefined, (document) => {
    (document as Record<string, unknown>).integrationGroups = [{ groupName: 'projects' }];
  });
  landing = join(real.dir, 'data', 'landing-area');
}, 60_000);

afterAll(async () => {
  await real?.stop();
});

const SERVER_TIME = /"serverTime":"[^"]*"/g;

/** The kept answer and the one built whole, in one shape, with the serverTime (read at different moments) left out. */
function both(daemon: Daemon, shape: StatusShape): { kept: string; whole: string } {
  const kept = Buffer.concat(daemon.statusJson(shape)).toString().replace(SERVER_TIME, '"serverTime":""');
  const whole = JSON.stringify(statusInShape(shape, daemon.status(), daemon.integrationGroups())).replace(SERVER_TIME, '"serverTime":""');
  return { kept, whole };
}

/** Statistics move between events and may be a second old: compared once the daemon has been quiet that long. */
async function expectSame(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1_100));
  for (const shape of ['users', 'token'] as const) {
    const { kept, whole } = both(real.daemon, shape);
    expect(kept).toBe(whole);
  }
}

const STATISTICS = /"statistics":\{[^}]*\}/g;

/** While things happen: the same apart from the statistics, on every read. */
function sameButStatistics(): boolean {
  for (const shape of ['users', 'token'] as const) {
    const { kept, whole } = both(real.daemon, shape);
    expect(kept.replace(STATISTICS, '')).toBe(whole.replace(STATISTICS, ''));
  }
  return true;
}

const reportOf = (name: string): IntegrationConnectorReport | undefined =>
  real.daemon
    .status()
    .integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports)
    .find((r) => r.connectorName === name);

async function settle(name: string, probe: (r: IntegrationConnectorReport) => boolean): Promise<void> {
  await until(`${name} to settle`, () => sameButStatistics() && reportOf(name) !== undefined && probe(reportOf(name)!), 20_000);
}

describe('the kept GET /status of a real daemon', () => {
  it('is the answer built whole after every kind of change, in both shapes', async () => {
    await settle('LandingAreaFilesMonitor', (r) => r.connectorStatus === 'WAITING');
    await expectSame();

    writeFileSync(join(landing, 'more.csv'), 'x\n1\n');
    await real.daemon.refreshAll();
    await settle('LandingAreaFilesMonitor', (r) => r.connectorStatus === 'WAITING' && (r.elementCount ?? 0) > 1);
    await expectSame();

    const targets = join(real.dir, 'data', 'targets');
    await real.daemon.addConnector('files-integrator', {
      connectorName: 'TargetsMonitor',
      connectorProvider: 'data-files-monitor',
      refreshTimeInterval: 60,
      catalogTargets: [
        { catalogTargetName: 'present', endpointAddress: landing },
        { catalogTargetName: 'missing', endpointAddress: join(targets, 'missing') },
      ],
    });
    await settle(
      'TargetsMonitor',
      (r) => r.catalogTargets?.find((t) => t.catalogTargetName === 'missing')?.catalogTargetStatus === 'FAILED',
    );
    await expectSame();

    mkdirSync(join(targets, 'missing'), { recursive: true });
    writeFileSync(join(targets, 'missing', 'found.csv'), 'y\n2\n');
    await real.daemon.retryCatalogTarget('TargetsMonitor', 'missing');
    await settle('TargetsMonitor', (r) => r.catalogTargets?.every((t) => t.catalogTargetStatus !== 'FAILED') === true);
    await expectSame();

    await real.daemon.addConnector('files-integrator', {
      connectorName: 'NowhereMonitor',
      connectorProvider: 'data-files-monitor',
      endpointAddress: join(real.dir, 'nowhere'),
      refreshTimeInterval: 60,
    });
    await settle('NowhereMonitor', (r) => r.failingExceptionMessage !== undefined);
    await expectSame();

    await real.daemon.restartConnectors('LandingAreaFolderMonitor');
    await settle('LandingAreaFolderMonitor', (r) => r.connectorStatus === 'WAITING');
    await real.daemon.removeConnector('NowhereMonitor');
    await until('NowhereMonitor to go', () => sameButStatistics() && reportOf('NowhereMonitor') === undefined);
    await expectSame();

    const monitor = {
      connectorName: 'ProjectMonitor',
      connectorProvider: 'data-files-monitor',
      endpointAddress: landing,
      refreshTimeInterval: 10,
    };
    await real.daemon.integrationGroupAdmin.create('projects', { connectors: [monitor] });
    await settle('ProjectMonitor', (r) => r.integrationGroupName === 'projects' && r.connectorStatus === 'WAITING');
    await expectSame();
    await real.daemon.integrationGroupAdmin.addConnector('projects', { ...monitor, connectorName: 'SecondProjectMonitor' });
    await settle('SecondProjectMonitor', (r) => r.connectorStatus === 'WAITING');
    await expectSame();
    await real.daemon.integrationGroupAdmin.delete('projects');
    await until('the group to go', () => sameButStatistics() && reportOf('ProjectMonitor') === undefined);
    await expectSame();
  }, 60_000);

  it('answers both shapes over REST as kept', async () => {
    for (const [path, shape] of [
      [real.base, 'users'],
      [real.base.replace(/\/users\/[^/]+$/, ''), 'token'],
    ] as const) {
      const response = await fetch(`${path}/status`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      const text = (await response.text()).replace(SERVER_TIME, '');
      expect(text).toBe(both(real.daemon, shape).whole.replace(SERVER_TIME, ''));
    }
  });
});
