// The browser backend over a real REST + SSE server (the REST layer on an in-memory daemon), the way the page
// uses it: subscribe, receive the snapshot, act, and keep the remote daemon list.
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsoleEvent } from '../../../shared/console-backend.js';
import { BrowserBackend } from '../../../renderer/backend/browser.js';
import { ConsoleError } from '../../../shared/console-backend.js';
import { LOCAL_DAEMON_ID } from '../../../shared/console-backend.js';
import { DAEMONS_KEY, MemoryStore, tokenKey } from '../../../renderer/backend/saved-daemons.js';
import { until } from '../../support/until.js';
import { OPERATOR_TOKEN, SERVER_NAME, startFixture, USER_ID, VIEWER_TOKEN, type Fixture } from '../../engine/rest/fixture.js';

const open: { fixture?: Fixture | undefined; backend?: BrowserBackend | undefined } = {};

afterEach(async () => {
  open.backend?.close();
  await open.fixture?.server.close();
  open.backend = undefined;
  open.fixture = undefined;
});

async function setUp() {
  const fixture = await startFixture();
  const session = new MemoryStore();
  const persistent = new MemoryStore();
  session.setItem(tokenKey(LOCAL_DAEMON_ID), OPERATOR_TOKEN);
  const backend = new BrowserBackend({ local: { url: fixture.server.url, serverName: SERVER_NAME, userId: USER_ID }, session, persistent });
  open.fixture = fixture;
  open.backend = backend;
  const events: ConsoleEvent[] = [];
  backend.subscribe((e) => events.push(e));
  await until('the hello event', () => events.some((e) => e.type === 'event' && e.event.type === 'hello'), 5_000);
  return { fixture, backend, session, persistent, events };
}

describe('browser backend', () => {
  it('announces the local daemon first, then its snapshot, and reports it connected', async () => {
    const { events, backend } = await setUp();
    expect(events[0]).toMatchObject({ type: 'daemon', view: { entry: { id: LOCAL_DAEMON_ID, local: true }, connection: 'connecting' } });
    const [view] = await backend.listDaemons();
    expect(view?.connection).toBe('connected');
    expect(view?.status?.integrationServiceSummaries.length).toBeGreaterThan(0);
  });

  it('maps console actions onto the daemon API', async () => {
    const { fixture, backend } = await setUp();
    const summary = fixture.daemon.status().integrationServiceSummaries[0]!;
    const marker = summary.integrationServiceURLMarker;
    const name = summary.integrationConnectorReports[0]!.connectorName;
    await backend.action(LOCAL_DAEMON_ID, { kind: 'restart', scope: 'connector', urlMarker: marker, connectorName: name });
    await backend.action(LOCAL_DAEMON_ID, { kind: 'refresh', scope: 'service', urlMarker: marker });
    await backend.action(LOCAL_DAEMON_ID, { kind: 'refresh', scope: 'daemon' });
    await backend.action(LOCAL_DAEMON_ID, { kind: 'restart', scope: 'daemon' });
    const calls = fixture.daemon.calls.map((c) => [c.method, ...c.args]);
    expect(calls).toEqual(
      expect.arrayContaining([
        ['restartService', marker, name],
        ['refreshService', marker, undefined],
        ['refreshAll'],
        ['restartConnectors', undefined],
      ]),
    );
    await expect(backend.action(LOCAL_DAEMON_ID, { kind: 'retryNow', scope: 'daemon' })).rejects.toThrow(/INTEGRATION-CONSOLE-400-015/);
    await expect(backend.action('nope', { kind: 'refresh', scope: 'daemon' })).rejects.toThrow(/INTEGRATION-CONSOLE-404-001/);
  });

  it('with a viewer token: says so in the view, refuses every change before sending it, and still reads', async () => {
    const fixture = await startFixture();
    open.fixture = fixture;
    const session = new MemoryStore();
    session.setItem(tokenKey(LOCAL_DAEMON_ID), VIEWER_TOKEN);
    const sent: string[] = [];
    const recording: typeof fetch = (input, init) => {
      sent.push(`${init?.method ?? 'GET'} ${String(input)}`);
      return globalThis.fetch(input, init);
    };
    const backend = new BrowserBackend({
      local: { url: fixture.server.url, serverName: SERVER_NAME, userId: USER_ID },
      session,
      persistent: new MemoryStore(),
      fetch: recording,
    });
    open.backend = backend;
    backend.subscribe(() => {});
    await until('connected', () => backend.listDaemonsSync()[0]?.connection === 'connected', 5_000);
    expect(backend.listDaemonsSync()[0]?.mayChange).toBe(false);
    const before = sent.length;
    const refusals = [
      backend.action(LOCAL_DAEMON_ID, { kind: 'refresh', scope: 'daemon' }),
      backend.retryObjectsNow(LOCAL_DAEMON_ID, 'Landing'),
      backend.testConnector(LOCAL_DAEMON_ID, 'Landing'),
      backend.addConnector(LOCAL_DAEMON_ID, 'files-integrator', { connectorName: 'X' }),
      backend.updateConnector(LOCAL_DAEMON_ID, 'Landing', { connectorName: 'Landing' }),
      backend.removeConnector(LOCAL_DAEMON_ID, 'Landing'),
      backend.approveHeldArchive(LOCAL_DAEMON_ID, 'Landing'),
      backend.rejectHeldArchive(LOCAL_DAEMON_ID, 'Landing'),
      backend.catalogTargetAction(LOCAL_DAEMON_ID, 'Landing', 'landing', 'refresh'),
    ];
    for (const refusal of refusals) {
      const error = await refusal.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConsoleError);
      expect((error as ConsoleError).messageId).toBe('INTEGRATION-CONSOLE-403-001');
      expect((error as ConsoleError).userAction).toContain('operator token');
    }
    expect(sent.slice(before)).toEqual([]);
    expect(fixture.daemon.calls.filter((c) => c.method !== 'status')).toEqual([]);
    // Reading is what a viewer is for.
    expect(Array.isArray(await backend.runs(LOCAL_DAEMON_ID, { limit: 5 }))).toBe(true);
  });

  it('keeps remote daemons in persistent storage and their tokens only in the session', async () => {
    const { backend, session, persistent, fixture } = await setUp();
    const entry = await backend.addDaemon({
      label: 'Again',
      url: fixture.server.url,
      serverName: SERVER_NAME,
      userId: USER_ID,
      token: OPERATOR_TOKEN,
    });
    // Its era is found out once, when it is added, and saved with it.
    expect(JSON.parse(persistent.getItem(DAEMONS_KEY) ?? '[]')).toEqual([
      { id: entry.id, label: 'Again', url: fixture.server.url, serverName: SERVER_NAME, userId: USER_ID, era: 'integration-daemon' },
    ]);
    expect(persistent.getItem(DAEMONS_KEY)).not.toContain(OPERATOR_TOKEN);
    expect(session.getItem(tokenKey(entry.id))).toBe(OPERATOR_TOKEN);
    await until(
      'the added daemon to connect',
      () => backend.listDaemonsSync().find((v) => v.entry.id === entry.id)?.connection === 'connected',
      5_000,
    );

    await backend.updateDaemon(entry.id, { label: 'Renamed' });
    expect(JSON.parse(persistent.getItem(DAEMONS_KEY) ?? '[]')[0].label).toBe('Renamed');

    await expect(backend.removeDaemon(LOCAL_DAEMON_ID)).rejects.toThrow(/INTEGRATION-CONSOLE-400-013/);
    await expect(backend.updateDaemon(LOCAL_DAEMON_ID, { url: 'http://elsewhere:1' })).rejects.toThrow(/INTEGRATION-CONSOLE-400-012/);
    await expect(backend.addDaemon({ label: 'x', url: 'http://h:1/path', serverName: 's', userId: 'u' })).rejects.toThrow(
      /INTEGRATION-CONSOLE-400-017/,
    );

    await backend.removeDaemon(entry.id);
    expect(JSON.parse(persistent.getItem(DAEMONS_KEY) ?? '[]')).toEqual([]);
    expect(session.getItem(tokenKey(entry.id))).toBeNull();
  });

  it('keeps a saved daemon’s era across a reload without asking the daemon again, and acts the way that era offers', async () => {
    const fixture = await startFixture();
    open.fixture = fixture;
    const persistent = new MemoryStore();
    const session = new MemoryStore();
    const saved = {
      id: 'd-egeria',
      label: 'Old Egeria',
      url: fixture.server.url,
      serverName: SERVER_NAME,
      userId: USER_ID,
      era: 'egeria-4',
    };
    persistent.setItem(DAEMONS_KEY, JSON.stringify([saved]));
    session.setItem(tokenKey('d-egeria'), OPERATOR_TOKEN);
    const asked: string[] = [];
    const fetchSpy: typeof fetch = (input, init) => {
      asked.push(String(input));
      return globalThis.fetch(input, init);
    };
    const backend = new BrowserBackend({ local: null, session, persistent, fetch: fetchSpy });
    open.backend = backend;
    backend.subscribe(() => undefined);
    // The answering daemon is one of ours, so a probe would have called it that: the saved era stands.
    expect(backend.listDaemonsSync()[0]?.entry.era).toBe('egeria-4');
    await until('the daemon is polled', () => asked.length > 0, 5_000);
    expect(asked.some((url) => url.endsWith('/health'))).toBe(false);
    // Egeria 4.x has no retry now: refused by the console in its own words, nothing sent.
    const before = asked.length;
    await expect(
      backend.action('d-egeria', { kind: 'retryNow', scope: 'connector', connectorName: 'X', urlMarker: 'files-integrator' }),
    ).rejects.toThrow(/Egeria 4/);
    expect(asked.slice(before).some((url) => url.includes('retry-now'))).toBe(false);
    await backend.updateDaemon('d-egeria', { label: 'Renamed' });
    expect(JSON.parse(persistent.getItem(DAEMONS_KEY) ?? '[]')).toEqual([{ ...saved, label: 'Renamed' }]);
  });

  it('follows the desktop’s transport rule: a token goes over plain http:// only to this machine', async () => {
    const { backend, persistent } = await setUp();
    const remote = { label: 'Lake', url: 'http://lake.example.com:9443', serverName: SERVER_NAME, userId: USER_ID, token: OPERATOR_TOKEN };
    const refused = await backend.addDaemon(remote).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(refused?.message).toMatch(
      /^INTEGRATION-CONSOLE-400-017 The daemon url is not valid: must use https:\/\/ for a daemon on another machine/,
    );
    expect(persistent.getItem(DAEMONS_KEY)).toBeNull();
    // A daemon saved before the rule (or by hand) with a remote http:// URL cannot be given a token either.
    persistent.setItem(
      DAEMONS_KEY,
      JSON.stringify([{ id: 'd-old', label: 'Old', url: 'http://lake.example.com:9443', serverName: 's', userId: 'u' }]),
    );
    const reloaded = new BrowserBackend({ local: null, session: new MemoryStore(), persistent });
    await expect(reloaded.updateDaemon('d-old', { token: OPERATOR_TOKEN })).rejects.toThrow(/must use https:\/\//);
    reloaded.close();
    // The page's own daemon is reached the way the page came, whatever its address: its token can always change.
    await expect(backend.updateDaemon(LOCAL_DAEMON_ID, { token: OPERATOR_TOKEN })).resolves.toMatchObject({ id: LOCAL_DAEMON_ID });
  });

  it('reports a daemon with a wrong token as disconnected with the reason and the next attempt', async () => {
    const fixture = await startFixture();
    open.fixture = fixture;
    const session = new MemoryStore();
    session.setItem(tokenKey(LOCAL_DAEMON_ID), 'wrong-token-0123456789');
    const backend = new BrowserBackend({
      local: { url: fixture.server.url, serverName: SERVER_NAME, userId: USER_ID },
      session,
      persistent: new MemoryStore(),
    });
    open.backend = backend;
    backend.subscribe(() => undefined);
    await until('the daemon to be disconnected', () => backend.listDaemonsSync()[0]?.connection === 'disconnected', 5_000);
    const view = backend.listDaemonsSync()[0]!;
    expect(view.lastError).toMatch(/401|token/i);
    expect(Date.parse(view.nextReconnectAt ?? '')).toBeGreaterThan(Date.now() - 1000);
  });
});
