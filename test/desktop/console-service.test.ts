// Main's console service with in-memory settings and keyring and a recording fetch (no daemon, no network): it
// holds the same daemon-input rules and the same action mapping as the browser backend.
import { describe, expect, it } from 'vitest';
import { ConsoleService } from '../../electron/desktop/console-service.js';
import { LOCAL_DAEMON_ID } from '../../shared/console-backend.js';
import { DaemonSupervisor, type ChildHandle } from '../../electron/desktop/supervisor.js';
import type { SecretStore } from '../../electron/desktop/secret-store.js';
import { DEFAULT_SETTINGS, type DesktopSettings, type SettingsStore } from '../../electron/desktop/settings.js';
import { TOKEN_IN_CLEAR_TEXT } from '../../shared/daemon-input.js';
import { ManualClock } from '../support/manual-clock.js';

function memorySettings(): SettingsStore {
  const values: DesktopSettings = structuredClone(DEFAULT_SETTINGS);
  return {
    path: '(memory)',
    get: (key) => structuredClone(values[key]),
    set: (key, value) => void (values[key] = structuredClone(value)),
  };
}

function memorySecrets(): SecretStore & { tokens: Map<string, string> } {
  const tokens = new Map<string, string>();
  return {
    tokens,
    unavailableReason: async () => undefined,
    setToken: async (id, token) => void tokens.set(id, token),
    getToken: async (id) => tokens.get(id),
    deleteToken: (id) => void tokens.delete(id),
  };
}

/** Answers every call the way a daemon without an event stream answers an unknown path; records what was asked. */
function recordingFetch() {
  const requests: { method: string; url: string; body: unknown }[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    requests.push({ method: init?.method ?? 'GET', url, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
    if (init?.method === 'POST') return new Response(JSON.stringify({ class: 'VoidResponse', relatedHTTPCode: 200 }), { status: 200 });
    return new Response('{}', { status: 404 });
  };
  return { fetch, requests };
}

/** A local daemon process that exits with code 1 as soon as it starts; counts its starts. */
function crashingLocalDaemon(clock: ManualClock) {
  let starts = 0;
  const launcher = {
    launch(): ChildHandle {
      starts++;
      let exit: ((code: number | null, signal: string | null) => void) | undefined;
      queueMicrotask(() => exit?.(1, null));
      return { pid: undefined, onExit: (listener) => void (exit = listener), onStdout: () => {}, onStderr: () => {}, kill: () => {} };
    },
  };
  const supervisor = new DaemonSupervisor(launcher, { initialDelayMs: 60_000, jitter: 0 }, clock);
  const entry = { id: LOCAL_DAEMON_ID, label: 'This computer', url: 'http://127.0.0.1:9', serverName: 'local', userId: 'npa', local: true };
  return { local: { entry, token: 't', supervisor }, starts: () => starts };
}

function service(local?: ReturnType<typeof crashingLocalDaemon>['local']) {
  const settings = memorySettings();
  const secrets = memorySecrets();
  const { fetch, requests } = recordingFetch();
  const console = new ConsoleService({
    settings,
    secrets,
    connectionOptions: { fetch, clock: new ManualClock() },
    ...(local ? { local } : {}),
  });
  return { console, settings, secrets, requests };
}

const lake = { label: 'Lake', url: 'http://127.0.0.1:9', serverName: 'exchangeDL01', userId: 'npa' };

describe('console service', () => {
  it('refuses a remote daemon over plain http:// before keeping its token, like the browser backend', async () => {
    const { console, settings, secrets, requests } = service();
    await expect(console.addDaemon({ ...lake, url: 'http://lake.example.com:9443', token: 'secret' })).rejects.toMatchObject({
      messageId: 'INTEGRATION-CONSOLE-400-017',
      message: expect.stringContaining(TOKEN_IN_CLEAR_TEXT),
    });
    expect(settings.get('daemons')).toEqual([]);
    expect(secrets.tokens.size).toBe(0);
    expect(requests).toEqual([]);
  });

  it('checks an update as the whole entry, so a hand-edited http:// daemon gets no token', async () => {
    const { console, settings, secrets } = service();
    // The settings file accepts any http(s) URL (an old version, a hand edit); the fetch here is a recorder.
    settings.set('daemons', [{ id: 'd-old', label: 'Old', url: 'http://lake.example.com:9443', serverName: 's', userId: 'u' }]);
    await console.start();
    await expect(console.updateDaemon('d-old', { token: 'secret' })).rejects.toThrow(TOKEN_IN_CLEAR_TEXT);
    expect(secrets.tokens.size).toBe(0);
    const added = await console.addDaemon({ ...lake, token: 'secret' });
    await expect(console.updateDaemon(added.id, { url: 'http://10.0.0.5:9443' })).rejects.toMatchObject({
      messageId: 'INTEGRATION-CONSOLE-400-017',
    });
    expect(await console.updateDaemon(added.id, { label: 'Renamed' })).toMatchObject({ label: 'Renamed', url: 'http://127.0.0.1:9' });
    expect(secrets.tokens.get(added.id)).toBe('secret');
    await console.stop();
  });

  it('carries out actions with the shared mapping and refuses the same way', async () => {
    const { console, requests } = service();
    const { id } = await console.addDaemon(lake);
    await console.action(id, { kind: 'restart', scope: 'connector', urlMarker: 'files-integrator', connectorName: 'A' });
    await console.action(id, { kind: 'refresh', scope: 'daemon' });
    const posts = requests.filter((r) => r.method === 'POST').map((r) => [new URL(r.url).pathname.split('/users/npa')[1], r.body]);
    expect(posts).toEqual([
      ['/integration-services/files-integrator/restart', { class: 'NameRequestBody', name: 'A' }],
      ['/refresh', undefined],
    ]);
    await expect(console.action(id, { kind: 'retryNow', scope: 'daemon' })).rejects.toMatchObject({
      messageId: 'INTEGRATION-CONSOLE-400-015',
    });
    await console.stop();
  });

  it('with a viewer token: refuses every change before sending it (INTEGRATION-CONSOLE-403-001), reads on', async () => {
    const requests: string[] = [];
    // A daemon that names the token a viewer's on every answer.
    const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
      return new Response(JSON.stringify({ class: 'ConnectorRunsResponse', relatedHTTPCode: 200, runs: [] }), {
        status: 200,
        headers: { 'X-Integration-Daemon-Role': 'viewer' },
      });
    };
    const console = new ConsoleService({
      settings: memorySettings(),
      secrets: memorySecrets(),
      connectionOptions: { fetch, clock: new ManualClock() },
    });
    const { id } = await console.addDaemon(lake);
    expect(await console.runs(id, { limit: 5 })).toEqual([]);
    expect(console.client(id).mayChange).toBe(false);
    const before = requests.length;
    const refused = { messageId: 'INTEGRATION-CONSOLE-403-001', userAction: expect.stringContaining('operator token') };
    await expect(console.action(id, { kind: 'refresh', scope: 'daemon' })).rejects.toMatchObject(refused);
    await expect(console.retryObjectsNow(id, 'A')).rejects.toMatchObject(refused);
    await expect(console.testConnector(id, 'A')).rejects.toMatchObject(refused);
    await expect(console.addConnector(id, 'files-integrator', { connectorName: 'B' })).rejects.toMatchObject(refused);
    await expect(console.updateConnector(id, 'A', { connectorName: 'A' })).rejects.toMatchObject(refused);
    await expect(console.removeConnector(id, 'A')).rejects.toMatchObject(refused);
    await expect(console.approveHeldArchive(id, 'A')).rejects.toMatchObject(refused);
    await expect(console.rejectHeldArchive(id, 'A')).rejects.toMatchObject(refused);
    await expect(console.catalogTargetAction(id, 'A', 'landing', 'retry')).rejects.toMatchObject(refused);
    expect(requests.slice(before)).toEqual([]);
    await console.stop();
  });

  it('restarts the local daemon now (the tray\'s "Restart local daemon now"), and refuses when there is none', async () => {
    const clock = new ManualClock();
    const { local, starts } = crashingLocalDaemon(clock);
    const { console } = service(local);
    await console.start();
    await Promise.resolve();
    expect(local.supervisor.state.phase).toBe('waiting');
    expect(starts()).toBe(1);
    console.restartLocalDaemon();
    expect(starts()).toBe(2);
    await console.stop();

    const without = service().console;
    expect(() => without.restartLocalDaemon()).toThrow(expect.objectContaining({ messageId: 'INTEGRATION-DAEMON-DESKTOP-404-003' }));
  });
});
