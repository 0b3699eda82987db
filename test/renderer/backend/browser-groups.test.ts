// The browser backend's integration group calls over a real REST server: each reaches the daemon's group admin, a
// refused connector comes back with its problems for the form, and a viewer's change is refused before it is sent.
import { afterEach, describe, expect, it } from 'vitest';
import { BrowserBackend } from '../../../renderer/backend/browser.js';
import { LOCAL_DAEMON_ID } from '../../../shared/console-backend.js';
import { recordingAdmin } from '../../support/group-admin.js';
import { MemoryStore, tokenKey } from '../../../renderer/backend/saved-daemons.js';
import { OPERATOR_TOKEN, SERVER_NAME, startFixture, USER_ID, VIEWER_TOKEN, type Fixture } from '../../engine/rest/fixture.js';

const open: { fixture?: Fixture | undefined; backend?: BrowserBackend | undefined } = {};

afterEach(async () => {
  open.backend?.close();
  await open.fixture?.server.close();
  open.backend = undefined;
  open.fixture = undefined;
});

async function setUp(token: string) {
  const fixture = await startFixture();
  const calls: unknown[][] = [];
  Object.assign(fixture.daemon, { integrationGroupAdmin: recordingAdmin(calls) });
  const session = new MemoryStore();
  session.setItem(tokenKey(LOCAL_DAEMON_ID), token);
  const backend = new BrowserBackend({
    local: { url: fixture.server.url, serverName: SERVER_NAME, userId: USER_ID },
    session,
    persistent: new MemoryStore(),
  });
  open.fixture = fixture;
  open.backend = backend;
  return { backend, calls };
}

describe('browser backend: integration groups', () => {
  it("creates and deletes a group and adds and removes a connector through the daemon's REST calls", async () => {
    const { backend, calls } = await setUp(OPERATOR_TOKEN);
    const entry = { connectorName: 'Inbox', connectorProvider: 'data-files-monitor', endpointAddress: '/data/inbox' };
    expect(await backend.createIntegrationGroup(LOCAL_DAEMON_ID, 'landing', 'Partner drops')).toEqual({ saved: true });
    expect(await backend.addIntegrationGroupConnector(LOCAL_DAEMON_ID, 'landing', entry)).toEqual({ saved: true });
    expect(await backend.removeIntegrationGroupConnector(LOCAL_DAEMON_ID, 'landing', 'Inbox')).toEqual({ saved: true });
    expect(await backend.deleteIntegrationGroup(LOCAL_DAEMON_ID, 'landing')).toEqual({ saved: true });
    expect(calls).toEqual([
      ['create', 'landing', 'Partner drops'],
      ['addConnector', 'landing', entry],
      ['removeConnector', 'landing', 'Inbox'],
      ['delete', 'landing'],
    ]);
  });

  it('resolves a refused connector with its problems, for the form to place by field', async () => {
    const { backend } = await setUp(OPERATOR_TOKEN);
    const result = await backend.addIntegrationGroupConnector(LOCAL_DAEMON_ID, 'landing', { connectorName: 'Inbox' });
    expect(result).toMatchObject({
      saved: false,
      messageId: 'INTEGRATION-DAEMON-GROUPS-400-001',
      problems: [{ path: 'connectors[0].endpointAddress', message: 'is missing' }],
    });
  });

  it("takes the daemon's 403 for a viewer, then refuses the next changes before sending them; nothing reaches the group admin", async () => {
    const { backend, calls } = await setUp(VIEWER_TOKEN);
    // The first answer names the token a viewer's; from then on the console does not ask.
    await expect(backend.createIntegrationGroup(LOCAL_DAEMON_ID, 'landing')).rejects.toMatchObject({ httpStatus: 403 });
    const refused = { messageId: 'INTEGRATION-CONSOLE-403-001' };
    await expect(backend.deleteIntegrationGroup(LOCAL_DAEMON_ID, 'landing')).rejects.toMatchObject(refused);
    await expect(backend.addIntegrationGroupConnector(LOCAL_DAEMON_ID, 'landing', { connectorName: 'X' })).rejects.toMatchObject(refused);
    await expect(backend.removeIntegrationGroupConnector(LOCAL_DAEMON_ID, 'landing', 'X')).rejects.toMatchObject(refused);
    expect(calls).toEqual([]);
  });
});
