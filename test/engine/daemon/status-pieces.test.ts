// The event stream's hello built from GET /status's kept texts: status()'s text exactly, in pieces built as they are
// taken, each connector's report from its kept text while nothing touched it and built afresh (not kept) when
// something did; then, on a real daemon with an integration group, the pieces and the hello read over REST compared
// with status() byte for byte.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonEvent, IntegrationConnectorReport } from '../../../shared/api/types.js';
import { StatusCache } from '../../../electron/engine/daemon/status-cache.js';
import { findService } from '../../../electron/engine/services.js';
import { startRealDaemon, type RealDaemon } from '../../support/real-daemon.js';
import { fakeConnector, type FakeConnector } from '../../support/status-cache-connectors.js';

function setup() {
  const files = findService('files-integrator');
  const lineage = findService('lineage-integrator');
  if (files === undefined || lineage === undefined) throw new Error('a service is missing');
  const connectors = [fakeConnector('A'), fakeConnector('L', 'lineage-integrator'), fakeConnector('B')];
  const built: string[] = [];
  let sequence = 1;
  const report = (c: FakeConnector): IntegrationConnectorReport => ({
    connectorName: c.connectorName,
    connectorStatus: c.status,
    minMinutesBetweenRefresh: 10,
    connectorId: `id-${c.connectorName}`,
    statistics: { ...c.statistics },
  });
  const cache = new StatusCache<FakeConnector>({
    serverName: 'daemon1',
    connectors: () => connectors,
    markers: () => ['files-integrator', 'lineage-integrator'],
    service: (marker) => (marker === 'files-integrator' ? files : lineage),
    report: (c) => {
      built.push(c.connectorName);
      return report(c);
    },
    metadataServers: () => [],
    openLineageStatistics: () => ({ eventsReceived: 0, eventsRefused: 0, eventsCatalogued: 0, eventsFailed: 0 }),
    integrationGroupSummaries: () => [],
    listsGroups: () => true,
    lastSequence: () => sequence,
    now: () => Date.parse('2026-12-05T10:00:00.000Z'),
  });
  const publish = (event: DaemonEvent): void => {
    sequence++;
    cache.published(event);
  };
  return { cache, connectors, built, publish, report };
}

/** GET /status under `/users/{u}` is status() plus Egeria 5's wrapper: without it, the text status() has. */
function usersWithoutWrapper(cache: StatusCache<FakeConnector>): string {
  const users = JSON.parse(Buffer.concat(cache.json('users')).toString()) as Record<string, unknown>;
  delete users.integrationDaemonStatus;
  return JSON.stringify(users);
}

describe('StatusCache.statusPieces', () => {
  it('is the text of status(), service by service, from the kept reports while nothing touched them', () => {
    const s = setup();
    const whole = usersWithoutWrapper(s.cache);
    expect(s.built).toEqual(['A', 'L', 'B']);
    const pieces = [...s.cache.statusPieces()];
    expect(pieces.join('')).toBe(whole);
    expect(pieces.length).toBeGreaterThan(3);
    expect(s.built).toEqual(['A', 'L', 'B']);
  });

  it('builds afresh, without keeping it, the report of a connector an event touched, and all after an event naming none', () => {
    const s = setup();
    usersWithoutWrapper(s.cache);
    s.connectors[2]!.status = 'REFRESHING';
    s.publish({ type: 'connector-status', sequence: 2, serverTime: '', urlMarker: 'files-integrator', report: s.report(s.connectors[2]!) });
    const text = [...s.cache.statusPieces()].join('');
    expect(s.built).toEqual(['A', 'L', 'B', 'B']);
    expect(text).toBe(usersWithoutWrapper(s.cache));
    expect(text).toContain('"connectorName":"B","connectorStatus":"REFRESHING"');
    s.built.length = 0;
    s.publish({ type: 'metadata-server', sequence: 3, serverTime: '', metadataServer: {} as never });
    [...s.cache.statusPieces()].join('');
    // Service by service, as status() lists them.
    expect(s.built).toEqual(['A', 'B', 'L']);
  });

  it('takes which connectors at the call and each report when its piece is taken', () => {
    const s = setup();
    usersWithoutWrapper(s.cache);
    const pieces = s.cache.statusPieces()[Symbol.iterator]();
    s.connectors.push({ ...s.connectors[0]!, connectorName: 'C' });
    s.connectors[0]!.status = 'REFRESHING';
    s.publish({ type: 'connector-status', sequence: 2, serverTime: '', urlMarker: 'files-integrator', report: s.report(s.connectors[0]!) });
    const text = [...{ [Symbol.iterator]: () => pieces }].join('');
    expect(text).not.toContain('"C"');
    expect(text).toContain('"connectorName":"A","connectorStatus":"REFRESHING"');
  });
});

const TOKEN = 'status-pieces-token-0123456789abcdef';
let real: RealDaemon;

beforeAll(async () => {
  real = await startRealDaemon({ token: TOKEN }, undefined, (document) => {
    (document as Record<string, unknown>).integrationGroups = [{ groupName: 'projects' }];
  });
}, 60_000);

afterAll(async () => {
  await real?.stop();
});

const SERVER_TIME = /"serverTime":"[^"]*"/g;
const STATISTICS = /"statistics":\{[^}]*\}/g;
const comparable = (text: string): string => text.replace(SERVER_TIME, '').replace(STATISTICS, '');

describe('the hello of a real daemon', () => {
  it('carries the text of status(), directly and over the event stream', async () => {
    expect(comparable([...real.daemon.statusPieces()].join(''))).toBe(comparable(JSON.stringify(real.daemon.status())));
    const controller = new AbortController();
    const response = await fetch(`${real.base}/events`, { headers: { Authorization: `Bearer ${TOKEN}` }, signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    controller.abort();
    const data = /^data: (.*)$/m.exec(text.slice(0, text.indexOf('\n\n')))?.[1] ?? '';
    const hello = JSON.parse(data) as { type: string; status: unknown };
    expect(hello.type).toBe('hello');
    expect(comparable(JSON.stringify(hello.status))).toBe(comparable(JSON.stringify(real.daemon.status())));
    expect(comparable(data)).toBe(comparable(JSON.stringify(hello)));
  });
});
