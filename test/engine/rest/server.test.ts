// The REST server over real HTTP on a loopback port: routes, Egeria envelopes, auth and roles, bodies.
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REGISTERED_SERVICES_PATH, ROLE_HEADER, type FFDCErrorResponse } from '../../../shared/api/types.js';
import { OPERATOR_TOKEN, SERVER_NAME, startFixture, USER_ID, VIEWER_TOKEN, type Fixture } from './fixture.js';
import { seedExamples } from './seed.js';

let f: Fixture;
beforeEach(async () => {
  f = await startFixture();
});
afterEach(async () => {
  await f.server.close();
});

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown; headers: Headers; text: string }> {
  const response = await fetch(`${f.base}${path}`, { ...init, headers: { ...f.auth, ...(init.headers as Record<string, string>) } });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers, text };
}

const post = (path: string, body?: unknown, raw?: string) =>
  call(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

function expectEnvelope(body: unknown, status: number, messageId: string): FFDCErrorResponse {
  const envelope = body as FFDCErrorResponse;
  expect(envelope.relatedHTTPCode).toBe(status);
  expect(envelope.exceptionErrorMessageId).toBe(messageId);
  expect(envelope.exceptionErrorMessage.startsWith(`${messageId} `)).toBe(true);
  expect(envelope.exceptionUserAction.length).toBeGreaterThan(10);
  expect(envelope.exceptionSystemAction.length).toBeGreaterThan(5);
  expect(typeof envelope.class).toBe('string');
  expect(typeof envelope.exceptionClassName).toBe('string');
  expect(JSON.stringify(envelope)).not.toMatch(/\n\s+at |\.ts:\d+/);
  return envelope;
}

describe('Egeria paths answer as the seed shows', () => {
  it('GET /status returns the daemon status byte for byte in the seed field order, Egeria 5’s wrapper after it', async () => {
    const seed = seedExamples().statusFailed;
    const { status, text, headers } = await call('/status');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
    const { integrationDaemonStatus, ...seedPart } = JSON.parse(text) as Record<string, unknown>;
    expect(seedPart).toEqual(seed);
    // The seed's bytes come first, unchanged: a seed-era client reads exactly what it read before.
    expect(text.startsWith(JSON.stringify(seed).slice(0, -1))).toBe(true);
    expect(integrationDaemonStatus).toMatchObject({ integrationGroupSummaries: [] });
  });

  it('registered integration services on the platform path and on the seed spelling', async () => {
    const seed = seedExamples().registeredServices;
    const platform = await fetch(`${f.server.url}${REGISTERED_SERVICES_PATH(USER_ID)}`, { headers: f.auth });
    expect(platform.status).toBe(200);
    expect(await platform.json()).toEqual(seed);
    const seedPath = `${f.server.url}/servers/${SERVER_NAME}/platform-services/users/${USER_ID}/server-platform/registered-services/integration-services`;
    const copied = await fetch(seedPath, { headers: f.auth });
    expect(await copied.json()).toEqual(seed);
  });

  it('refresh of all, of a service (both spellings) and of one connector by NameRequestBody or bare string', async () => {
    expect((await post('/refresh')).body).toEqual({ class: 'VoidResponse', relatedHTTPCode: 200 });
    expect((await post('/refresh', { class: 'NullRequestBody' })).status).toBe(200);
    expect((await post('/integration-service/files-integrator/refresh')).status).toBe(200);
    expect(
      (await post('/integration-services/files-integrator/refresh', { class: 'NameRequestBody', name: 'OakDeneLandingAreaFilesMonitor' }))
        .status,
    ).toBe(200);
    expect((await post('/integration-service/files-integrator/refresh', 'OldMarketLandingAreaFilesMonitor')).status).toBe(200);
    expect(f.daemon.calls.filter((c) => c.method !== 'status').map((c) => [c.method, ...c.args])).toEqual([
      ['refreshAll'],
      ['refreshAll'],
      ['refreshService', 'files-integrator', undefined],
      ['refreshService', 'files-integrator', 'OakDeneLandingAreaFilesMonitor'],
      ['refreshService', 'files-integrator', 'OldMarketLandingAreaFilesMonitor'],
    ]);
  });

  it('restart of a service by GET with a body (the seed) and by POST (Egeria server)', async () => {
    const viaGet = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const payload = JSON.stringify({ class: 'NameRequestBody', name: 'OakDeneLandingAreaFilesMonitor' });
      const req = httpRequest(`${f.base}/integration-service/files-integrator/restart`, {
        method: 'GET',
        headers: { ...f.auth, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end(payload);
    });
    expect(viaGet.status).toBe(200);
    expect((await post('/integration-services/database-integrator/restart')).status).toBe(200);
    expect(f.daemon.calls.filter((c) => c.method === 'restartService').map((c) => c.args)).toEqual([
      ['files-integrator', 'OakDeneLandingAreaFilesMonitor'],
      ['database-integrator', undefined],
    ]);
  });

  it('Egeria 4.x connector refresh and restart, by name or all', async () => {
    expect((await post('/integration-connectors/refresh')).status).toBe(200);
    expect(
      (await post('/integration-connectors/restart', { class: 'NameRequestBody', name: 'OakDeneLandingAreaDatabaseMonitor' })).status,
    ).toBe(200);
    expect(f.daemon.calls.map((c) => [c.method, ...c.args])).toEqual([
      ['refreshConnectors', undefined],
      ['restartConnectors', 'OakDeneLandingAreaDatabaseMonitor'],
    ]);
  });

  it('configuration properties: read, replace, merge; endpoint address', async () => {
    const name = 'OakDeneLandingAreaFilesMonitor';
    expect((await call(`/integration-connectors/${name}/configuration-properties`)).body).toEqual({
      class: 'PropertiesResponse',
      relatedHTTPCode: 200,
      properties: {},
    });
    await post('/integration-connectors/configuration-properties', {
      class: 'ConnectorConfigPropertiesRequestBody',
      connectorName: name,
      configurationProperties: { waitForDirectory: true },
    });
    await post('/integration-connectors/configuration-properties', {
      connectorName: name,
      mergeUpdate: true,
      configurationProperties: { toDoDirectory: 'x' },
    });
    expect(((await call(`/integration-connectors/${name}/configuration-properties`)).body as { properties: unknown }).properties).toEqual({
      waitForDirectory: true,
      toDoDirectory: 'x',
    });
    const address = await post(`/integration-connectors/${name}/endpoint-network-address`, {
      class: 'StringRequestBody',
      string: 'data/landing',
    });
    expect(address.status).toBe(200);
    expect(f.daemon.calls.at(-1)).toEqual({ method: 'updateEndpointAddress', args: [name, 'data/landing'] });
    const empty = await post(`/integration-connectors/${name}/endpoint-network-address`, { class: 'StringRequestBody', string: '' });
    expectEnvelope(empty.body, 400, 'INTEGRATION-DAEMON-REST-400-002');
  });

  it('percent-encoded connector names reach the daemon decoded', async () => {
    const response = await call(`/integration-connectors/${encodeURIComponent('Oak Dene/Files')}/configuration-properties`);
    expect(response.status).toBe(404);
    expect(f.daemon.calls.at(-1)).toEqual({ method: 'getConfigurationProperties', args: ['Oak Dene/Files'] });
  });

  it('a target asked again, or after more targets than the server keeps the reading of, reaches the daemon with its own names', async () => {
    const names = Array.from({ length: 70 }, (_, i) => `Connector${i}`);
    for (const name of [...names, 'Connector0', 'Connector69', 'Connector0']) {
      await call(`/integration-connectors/${name}/configuration-properties`);
      expect(f.daemon.calls.at(-1)).toEqual({ method: 'getConfigurationProperties', args: [name] });
    }
    // The same target under another method is read for that method.
    expect((await call('/refresh')).status).toBe(405);
    expect((await post('/refresh')).status).toBe(200);
    expect((await call('/refresh')).status).toBe(405);
  });
});

describe('errors are Egeria envelopes with the real HTTP status', () => {
  it('unknown server name → 404 OMAG-MULTI-TENANT-404-001 naming server and user', async () => {
    const response = await fetch(`${f.server.url}/servers/cocoMDS1/open-metadata/integration-daemon/users/garygeeke/status`, {
      headers: f.auth,
    });
    expect(response.status).toBe(404);
    const envelope = expectEnvelope(await response.json(), 404, 'OMAG-MULTI-TENANT-404-001');
    expect(envelope.exceptionErrorMessage).toBe(
      'OMAG-MULTI-TENANT-404-001 The OMAG Server cocoMDS1 is not available to service a request from user garygeeke',
    );
    expect(envelope.exceptionErrorMessageParameters).toEqual(['cocoMDS1', 'garygeeke']);
    expect(envelope.class).toBe('IntegrationDaemonStatusResponse');
    expect(envelope.actionDescription).toBe('getIntegrationDaemonStatus');
  });

  it('unknown service marker and unknown connector carry the daemon refusal', async () => {
    const marker = await post('/integration-services/nope-integrator/refresh');
    expect(marker.status).toBe(400);
    const e1 = expectEnvelope(marker.body, 400, 'INTEGRATION-DAEMON-SERVICES-400-010');
    expect(e1.class).toBe('VoidResponse');
    expect(e1.actionDescription).toBe('refreshService');
    const connector = await post('/integration-connectors/restart', { class: 'NameRequestBody', name: 'Ghost' });
    expect(connector.status).toBe(404);
    const e2 = expectEnvelope(connector.body, 404, 'INTEGRATION-DAEMON-SERVICES-400-031');
    expect(e2.exceptionErrorMessageParameters[0]).toBe('Ghost');
  });

  it('malformed JSON → 400, a wrongly typed body → 400 naming the field', async () => {
    const malformed = await post('/integration-connectors/refresh', undefined, '{"class":"NameRequestBody",');
    expect(malformed.status).toBe(400);
    expectEnvelope(malformed.body, 400, 'INTEGRATION-DAEMON-REST-400-001');
    const typed = await post('/integration-connectors/configuration-properties', { connectorName: 'X', mergeUpdate: 'yes' });
    expect(typed.status).toBe(400);
    expect(expectEnvelope(typed.body, 400, 'INTEGRATION-DAEMON-REST-400-002').exceptionErrorMessage).toContain('mergeUpdate');
    expect(f.daemon.calls).toEqual([]);
  });

  it('a body over 1 MiB → 413, declared or streamed, and the daemon is not called', async () => {
    const huge = Buffer.alloc(1024 * 1024 + 10, 0x20);
    const declared = await post('/integration-connectors/refresh', undefined, huge.toString());
    expect(declared.status).toBe(413);
    expectEnvelope(declared.body, 413, 'INTEGRATION-DAEMON-REST-413-001');

    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${f.base}/integration-connectors/refresh`, {
        method: 'POST',
        headers: { ...f.auth, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 2 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    });
    expect(streamed).toBe(413);
    expect(f.daemon.calls).toEqual([]);
  });

  it('wrong method → 405 with Allow; unknown path → 404', async () => {
    const wrong = await call('/status', { method: 'POST' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expectEnvelope(wrong.body, 405, 'INTEGRATION-DAEMON-REST-405-001');
    const unknown = await call('/integration-connectors/X/explode');
    expect(unknown.status).toBe(404);
    expectEnvelope(unknown.body, 404, 'INTEGRATION-DAEMON-REST-404-001');
    const outside = await fetch(`${f.server.url}/nothing/here`, { headers: f.auth });
    expect(outside.status).toBe(404);
  });

  it('an unexpected daemon failure → 500 with an incident id, logged, no stack in the answer', async () => {
    f.daemon.explodeOn = 'refreshAll';
    const failed = await post('/refresh');
    expect(failed.status).toBe(500);
    const envelope = expectEnvelope(failed.body, 500, 'INTEGRATION-DAEMON-REST-500-001');
    const incident = envelope.exceptionErrorMessageParameters[2] as string;
    expect(incident).toMatch(/^[0-9a-f-]{36}$/);
    expect(failed.text).not.toContain('connectorId');
    expect(f.logged.some((line) => line.includes(incident) && line.includes('TypeError'))).toBe(true);
    expect((await post('/refresh')).status).toBe(200);
  });

  it('bad query parameters → 400 naming the parameter', async () => {
    const severity = await call('/audit-log?severity=Loud');
    expect(severity.status).toBe(400);
    expect(expectEnvelope(severity.body, 400, 'INTEGRATION-DAEMON-REST-400-003').exceptionErrorMessageParameters).toEqual([
      'severity',
      'Loud',
      expect.stringContaining('Exception'),
    ]);
    expect((await call('/metadata-elements?pageSize=-1')).status).toBe(400);
    expect((await call('/audit-log?since=yesterday')).status).toBe(400);
    expect((await call('/runs?limit=1.5')).status).toBe(400);
  });

  it('odd request targets never crash the server: absolute form, doubled slashes', async () => {
    const { hostname, port } = new URL(f.server.url);
    const raw = (target: string) =>
      new Promise<number>((resolve, reject) => {
        const socket = connect(Number(port), hostname, () => {
          socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${OPERATOR_TOKEN}\r\nConnection: close\r\n\r\n`);
        });
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString()));
        socket.on('end', () => resolve(Number(data.split(' ')[1])));
        socket.on('error', reject);
      });
    expect(await raw(`http://elsewhere${new URL(f.base).pathname}/status`)).toBe(400);
    expect(await raw(`//servers/${SERVER_NAME}/open-metadata/integration-daemon/users/${USER_ID}//status`)).toBe(200);
    expect((await call('/status')).status).toBe(200);
    expect(f.logged).toEqual([]);
  });

  it('a badly encoded path → 400', async () => {
    const response = await fetch(`${f.base}/integration-connectors/%E0%A4%A/configuration-properties`, { headers: f.auth });
    expect(response.status).toBe(400);
    expectEnvelope(await response.json(), 400, 'INTEGRATION-DAEMON-REST-400-004');
  });
});

describe('tokens and roles', () => {
  it('health answers without a token', async () => {
    const response = await fetch(`${f.server.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'UP', serverName: SERVER_NAME });
  });

  it('no token or a wrong token → 401 with WWW-Authenticate, the daemon never called', async () => {
    const none = await fetch(`${f.base}/status`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="integration-daemon"');
    expectEnvelope(await none.json(), 401, 'INTEGRATION-DAEMON-REST-401-001');
    const wrong = await fetch(`${f.base}/status`, { headers: { Authorization: `Bearer ${OPERATOR_TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('invalid_token');
    expectEnvelope(await wrong.json(), 401, 'INTEGRATION-DAEMON-REST-401-002');
    const basic = await fetch(`${f.base}/status`, { headers: { Authorization: `Basic ${btoa('a:b')}` } });
    expect(basic.status).toBe(401);
    const unknownPath = await fetch(`${f.server.url}/secret/paths`);
    expect(unknownPath.status).toBe(401);
    expect(f.daemon.calls).toEqual([]);
  });

  it('on one keep-alive connection each request is judged by its own token and target', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const ask = (method: string, path: string, token: string | undefined) =>
      new Promise<{ status: number; role: string | undefined; reused: boolean }>((resolve, reject) => {
        const headers = token === undefined ? {} : { Authorization: `Bearer ${token}` };
        const req = httpRequest(`${f.base}${path}`, { agent, method, headers }, (res) => {
          res.resume();
          const role = res.headers[ROLE_HEADER.toLowerCase()];
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, role: typeof role === 'string' ? role : undefined, reused: req.reusedSocket }),
          );
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const answers = [
        await ask('GET', '/status', OPERATOR_TOKEN),
        await ask('GET', '/status', `${OPERATOR_TOKEN}x`),
        await ask('GET', '/status', undefined),
        await ask('GET', '/status', VIEWER_TOKEN),
        await ask('POST', '/integration-connectors/restart', VIEWER_TOKEN),
        await ask('GET', '/status', VIEWER_TOKEN),
        await ask('GET', '/no-such-path', OPERATOR_TOKEN),
        await ask('POST', '/integration-connectors/restart', OPERATOR_TOKEN),
        await ask('GET', '/status', OPERATOR_TOKEN),
      ];
      expect(answers.map((a) => [a.status, a.role])).toEqual([
        [200, 'operator'],
        [401, undefined],
        [401, undefined],
        [200, 'viewer'],
        [403, 'viewer'],
        [200, 'viewer'],
        [404, 'operator'],
        [200, 'operator'],
        [200, 'operator'],
      ]);
      expect(answers.slice(1).every((a) => a.reused)).toBe(true);
      expect(f.daemon.calls.map((c) => c.method)).toEqual(['status', 'status', 'status', 'restartConnectors', 'status']);
    } finally {
      agent.destroy();
    }
  });

  it('the viewer reads but cannot change anything (403)', async () => {
    const viewer = { Authorization: `Bearer ${VIEWER_TOKEN}` };
    expect((await fetch(`${f.base}/status`, { headers: viewer })).status).toBe(200);
    const refused = await fetch(`${f.base}/integration-connectors/restart`, { method: 'POST', headers: viewer });
    expect(refused.status).toBe(403);
    expectEnvelope(await refused.json(), 403, 'INTEGRATION-DAEMON-REST-403-001');
    const put = await fetch(`${f.base}/configuration`, { method: 'PUT', headers: viewer, body: '{}' });
    expect(put.status).toBe(403);
    // GET restart is still a change (the seed's spelling): refused too.
    const getRestart = await fetch(`${f.base}/integration-service/files-integrator/restart`, { headers: viewer });
    expect(getRestart.status).toBe(403);
    expect(f.daemon.calls.map((c) => c.method)).toEqual(['status']);
  });

  it('every authenticated answer names the token role (refusals and the event stream too); CORS exposes it', async () => {
    const viewer = { Authorization: `Bearer ${VIEWER_TOKEN}` };
    const asViewer = await fetch(`${f.base}/status`, { headers: viewer });
    expect(asViewer.headers.get(ROLE_HEADER)).toBe('viewer');
    expect(asViewer.headers.get('access-control-expose-headers')).toContain(ROLE_HEADER);
    const refused = await fetch(`${f.base}/integration-connectors/restart`, { method: 'POST', headers: viewer });
    expect(refused.status).toBe(403);
    expect(refused.headers.get(ROLE_HEADER)).toBe('viewer');
    const asOperator = await call('/status');
    expect(asOperator.headers.get(ROLE_HEADER)).toBe('operator');
    expect((await call('/no/such/path')).headers.get(ROLE_HEADER)).toBe('operator');
    const controller = new AbortController();
    const stream = await fetch(`${f.base}/events`, { headers: viewer, signal: controller.signal });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    expect(stream.headers.get(ROLE_HEADER)).toBe('viewer');
    controller.abort();
    // Without a token (or with a wrong one) no role is claimed.
    expect((await fetch(`${f.base}/status`)).headers.get(ROLE_HEADER)).toBeNull();
    expect(
      (await fetch(`${f.base}/status`, { headers: { Authorization: 'Bearer wrong-token-0123456789' } })).headers.get(ROLE_HEADER),
    ).toBeNull();
    expect((await fetch(`${f.server.url}/health`)).headers.get(ROLE_HEADER)).toBeNull();
  });

  it('CORS: preflight answered, every answer allows any origin', async () => {
    const preflight = await fetch(`${f.base}/integration-connectors/restart`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://elsewhere:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const denied = await fetch(`${f.base}/status`, { headers: { Origin: 'http://elsewhere:5173' } });
    expect(denied.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('our extensions', () => {
  it('audit log with severity, connector, since and limit filters', async () => {
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    f.daemon.audit.push(
      {
        sequence: 1,
        timeStamp: at(1),
        serverName: SERVER_NAME,
        severity: 'Startup',
        messageId: 'A-1',
        messageText: 'a',
        messageParameters: [],
      },
      {
        sequence: 2,
        timeStamp: at(2),
        serverName: SERVER_NAME,
        severity: 'Exception',
        messageId: 'A-2',
        messageText: 'b',
        messageParameters: [],
        connectorName: 'C1',
      },
      {
        sequence: 3,
        timeStamp: at(3),
        serverName: SERVER_NAME,
        severity: 'Error',
        messageId: 'A-3',
        messageText: 'c',
        messageParameters: [],
        connectorName: 'C2',
      },
    );
    const all = (await call('/audit-log')).body as { class: string; records: { sequence: number }[] };
    expect(all.class).toBe('AuditLogResponse');
    expect(all.records.map((r) => r.sequence)).toEqual([1, 2, 3]);
    const errors = (await call('/audit-log?severity=exception,Error&connector=C2')).body as { records: { sequence: number }[] };
    expect(errors.records.map((r) => r.sequence)).toEqual([3]);
    const since = (await call(`/audit-log?since=${encodeURIComponent(at(2))}&limit=1`)).body as { records: { sequence: number }[] };
    expect(since.records.map((r) => r.sequence)).toEqual([3]);
    expect(f.daemon.calls.at(-1)?.args[0]).toEqual({ since: Date.parse(at(2)), limit: 1 });
  });

  it('metadata elements page through, pageSize capped at maxPageSize', async () => {
    const first = (await call('/metadata-elements?pageSize=100')).body as { class: string; pageSize: number; elements: unknown[] };
    expect(first.class).toBe('MetadataElementsResponse');
    expect(first.pageSize).toBe(5);
    expect(first.elements).toHaveLength(5);
    const last = (await call('/metadata-elements?startFrom=10&pageSize=3')).body as { startFrom: number; elements: { guid: string }[] };
    expect(last.startFrom).toBe(10);
    expect(last.elements.map((e) => e.guid)).toEqual(['guid-10', 'guid-11']);
    const folders = (await call('/metadata-elements?typeName=DataFolder&qualifiedNamePrefix=file://landing/0')).body as {
      elements: { guid: string }[];
    };
    expect(folders.elements.map((e) => e.guid)).toEqual(['guid-1', 'guid-3', 'guid-5', 'guid-7', 'guid-9']);
  });

  it('runs, object retries, retry-now and object retry-now', async () => {
    expect(((await call('/runs?connector=C1&limit=5')).body as { class: string }).class).toBe('ConnectorRunsResponse');
    expect(f.daemon.calls.at(-1)).toEqual({ method: 'runs', args: [{ connectorName: 'C1', limit: 5 }] });
    expect(((await call('/object-retries?connector=C1')).body as { class: string }).class).toBe('ObjectRetriesResponse');
    expect((await post('/integration-connectors/OakDeneLandingAreaFilesMonitor/retry-now')).status).toBe(200);
    const count = await post('/integration-connectors/OakDeneLandingAreaFilesMonitor/object-retries/retry-now', { objectKey: 'a.csv' });
    expect(count.body).toEqual({ class: 'CountResponse', relatedHTTPCode: 200, count: 0 });
    expect(f.daemon.calls.at(-1)).toEqual({ method: 'retryObjectsNow', args: ['OakDeneLandingAreaFilesMonitor', 'a.csv'] });
    expect((await post('/integration-connectors/Ghost/retry-now')).status).toBe(404);
  });

  it('configuration admin: read, replace, refusal passed through', async () => {
    const before = (await call('/configuration')).body as { class: string; configuration: unknown };
    expect(before).toEqual({
      class: 'ConfigurationResponse',
      relatedHTTPCode: 200,
      configuration: { serverName: SERVER_NAME, integrationServices: [] },
    });
    const next = { serverName: SERVER_NAME, integrationServices: [], maxPageSize: 50 };
    const replaced = await call('/configuration', { method: 'PUT', body: JSON.stringify(next) });
    expect((replaced.body as { configuration: unknown }).configuration).toEqual(next);
    const refused = await call('/configuration', { method: 'PUT', body: JSON.stringify({ serverName: 'other' }) });
    expect(refused.status).toBe(400);
    expectEnvelope(refused.body, 400, 'INTEGRATION-DAEMON-CONFIG-400-001');
    const notObject = await call('/configuration', { method: 'PUT', body: '[1,2]' });
    expect(notObject.status).toBe(400);
  });
});
