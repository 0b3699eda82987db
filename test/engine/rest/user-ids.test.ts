// The `{userId}` of the path is who the audit log says acted, and a daemon may restrict which user ids each token
// may act as: a real daemon behind a real REST server, its audit records read back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BASE, type FFDCErrorResponse } from '../../../shared/api/types.js';
import { REAL_SERVER_NAME, startRealDaemon, type RealDaemon } from '../../support/real-daemon.js';

const OPERATOR = 'user-ids-operator-token-0123456789';
const VIEWER = 'user-ids-viewer-token-0123456789';
const CONNECTOR = 'LandingAreaFilesMonitor';
let real: RealDaemon;

beforeAll(async () => {
  real = await startRealDaemon({
    token: OPERATOR,
    viewerToken: VIEWER,
    userIds: { operator: ['exchangeDL01npa', 'garygeeke'], viewer: ['peterprofile'] },
  });
}, 60_000);

afterAll(async () => {
  await real?.stop();
});

const base = (userId: string) => `${real.server.url}${API_BASE(REAL_SERVER_NAME, userId)}`;

function call(userId: string, token: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${base(userId)}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('the user id of the path', () => {
  it('is the user the audit log records for restarts, refreshes, retries and configuration changes', async () => {
    expect((await call('garygeeke', OPERATOR, '/integration-connectors/restart', { connectorName: CONNECTOR })).status).toBe(200);
    expect((await call('garygeeke', OPERATOR, '/integration-connectors/refresh', { connectorName: CONNECTOR })).status).toBe(200);
    expect(
      (
        await call('garygeeke', OPERATOR, '/integration-connectors/configuration-properties', {
          connectorName: CONNECTOR,
          configurationProperties: { waitForDirectory: true },
          mergeUpdate: true,
        })
      ).status,
    ).toBe(200);
    const records = real.daemon.auditLog({ limit: 10_000 });
    for (const id of ['INTEGRATION-DAEMON-SERVICES-0100', 'INTEGRATION-DAEMON-SERVICES-0101', 'INTEGRATION-DAEMON-SERVICES-0015']) {
      const record = records.filter((r) => r.messageId === id).at(-1);
      expect(record?.messageParameters[0], `${id}: ${record?.messageText}`).toBe('garygeeke');
      expect(record?.messageText).toContain('garygeeke');
    }
  });

  it('is refused with the 403 envelope when the token may not act as it', async () => {
    for (const [userId, token, role] of [
      ['mallory', OPERATOR, 'operator'],
      ['garygeeke', VIEWER, 'viewer'],
    ] as const) {
      const before = real.daemon.auditLog({ limit: 10_000 }).length;
      const response = await call(userId, token, '/integration-connectors/restart', { connectorName: CONNECTOR });
      const body = (await response.json()) as FFDCErrorResponse;
      expect(response.status).toBe(403);
      expect(body).toMatchObject({
        relatedHTTPCode: 403,
        exceptionErrorMessageId: 'INTEGRATION-DAEMON-REST-403-002',
        exceptionErrorMessage: `INTEGRATION-DAEMON-REST-403-002 The ${role} token may not act as user ${userId}`,
        exceptionClassName: 'org.odpi.openmetadata.frameworks.connectors.ffdc.UserNotAuthorizedException',
      });
      expect(body.exceptionUserAction).toMatch(/INTEGRATION_DAEMON_TOKEN_USER_IDS/);
      expect((await call(userId, token, '/status')).status).toBe(403);
      // Nothing was restarted on behalf of a user the token may not act as.
      expect(
        real.daemon
          .auditLog({ limit: 10_000 })
          .slice(before)
          .filter((r) => r.messageId === 'INTEGRATION-DAEMON-SERVICES-0100'),
      ).toEqual([]);
    }
    expect((await call('peterprofile', VIEWER, '/status')).status).toBe(200);
    expect(
      (
        await fetch(
          `${real.server.url}/open-metadata/platform-services/users/mallory/server-platform/registered-services/integration-services`,
          {
            headers: { Authorization: `Bearer ${OPERATOR}` },
          },
        )
      ).status,
    ).toBe(403);
  });
});
