// Main's console service changes integration groups over a real REST server, as the browser backend does: each
// call reaches the daemon's group admin, a refused connector resolves with its problems, and a viewer's token is
// refused by the daemon.
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleService } from '../../electron/desktop/console-service.js';
import { DEFAULT_SETTINGS, type DesktopSettings, type SettingsStore } from '../../electron/desktop/settings.js';
import type { SecretStore } from '../../electron/desktop/secret-store.js';
import { OPERATOR_TOKEN, SERVER_NAME, startFixture, USER_ID, VIEWER_TOKEN, type Fixture } from '../engine/rest/fixture.js';
import { recordingAdmin } from '../support/group-admin.js';
import { ManualClock } from '../support/manual-clock.js';

const open: { fixture?: Fixture | undefined; console?: ConsoleService | undefined } = {};

afterEach(async () => {
  await open.console?.stop();
  await open.fixture?.server.close();
  open.console = undefined;
  open.fixture = undefined;
});

function memorySettings(): SettingsStore {
  const values: DesktopSettings = structuredClone(DEFAULT_SETTINGS);
  return {
    path: '(memory)',
    get: (key) => structuredClone(values[key]),
    set: (key, value) => void (values[key] = structuredClone(value)),
  };
}

function memorySecrets(): SecretStore {
  const tokens = new Map<string, string>();
  return {
    unavailableReason: async () => undefined,
    setToken: async (id, token) => void tokens.set(id, token),
    getToken: async (id) => tokens.get(id),
    deleteToken: (id) => void tokens.delete(id),
  };
}

async function setUp(token: string) {
  const fixture = await startFixture();
  const calls: unknown[][] = [];
  Object.assign(fixture.daemon, { integrationGroupAdmin: recordingAdmin(calls) });
  const console = new ConsoleService({
    settings: memorySettings(),
    secrets: memorySecrets(),
    connectionOptions: { clock: new ManualClock() },
  });
  open.fixture = fixture;
  open.console = console;
  const { id } = await console.addDaemon({ label: 'Lake', url: fixture.server.url, serverName: SERVER_NAME, userId: USER_ID, token });
  return { console, calls, id };
}

describe('console service: integration groups', () => {
  it('creates and deletes a group and adds and removes a connector, and returns a refused connector’s problems', async () => {
    const { console, calls, id } = await setUp(OPERATOR_TOKEN);
    const entry = { connectorName: 'Inbox', connectorProvider: 'data-files-monitor', endpointAddress: '/data/inbox' };
    expect(await console.createIntegrationGroup(id, 'landing', 'Partner drops')).toEqual({ saved: true });
    expect(await console.addIntegrationGroupConnector(id, 'landing', entry)).toEqual({ saved: true });
    expect(await console.addIntegrationGroupConnector(id, 'landing', { connectorName: 'Bad' })).toMatchObject({
      saved: false,
      problems: [{ path: 'connectors[0].endpointAddress' }],
    });
    expect(await console.removeIntegrationGroupConnector(id, 'landing', 'Inbox')).toEqual({ saved: true });
    expect(await console.deleteIntegrationGroup(id, 'landing')).toEqual({ saved: true });
    expect(calls.map((c) => c[0])).toEqual(['create', 'addConnector', 'addConnector', 'removeConnector', 'delete']);
  });

  it("rejects a viewer's change with the daemon's 403", async () => {
    const { console, calls, id } = await setUp(VIEWER_TOKEN);
    await expect(console.addIntegrationGroupConnector(id, 'landing', { connectorName: 'X' })).rejects.toMatchObject({ httpStatus: 403 });
    expect(calls).toEqual([]);
  });
});
