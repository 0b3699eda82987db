// The REST server's connection and event stream budget over real sockets, with small limits: event streams per
// token (429) and in total (503), connections per token (429, closing), a full server making room by closing the
// least recently used idle connection, and the raw 503 when every connection is busy.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { API_BASE } from '../../../shared/api/types.js';
import { holdGet } from '../../fuzz/raw-stream.js';
import { rawRequest } from '../../fuzz/raw-http.js';
import { OPERATOR_TOKEN, SERVER_NAME, startFixture, USER_ID, VIEWER_TOKEN, type Fixture } from './fixture.js';

const BASE = API_BASE(SERVER_NAME, USER_ID);
let f: Fixture | undefined;
const open = new Set<Socket>();

afterEach(async () => {
  for (const socket of open) socket.destroy();
  await f?.server.close();
  f = undefined;
});

function portOf(fixture: Fixture): number {
  return Number(new URL(fixture.server.url).port);
}

/** A connection busy with an authenticated request: its headers announce a body that never comes. */
async function busyRequest(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  open.add(socket);
  socket.on('error', () => undefined);
  socket.on('data', () => undefined);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  socket.write(
    `POST ${BASE}/integration-connectors/refresh HTTP/1.1\r\nHost: d\r\nAuthorization: Bearer ${OPERATOR_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
  );
  return socket;
}

/** A connection that sends half its headers and stops. */
async function halfHeaders(port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  open.add(socket);
  socket.on('error', () => undefined);
  socket.on('data', () => undefined);
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  await new Promise<void>((r) => socket.once('connect', () => r()));
  socket.write('GET /health HTTP/1.1\r\nHost: d\r\n');
  return { socket, closed };
}

const status = (port: number, token: string) =>
  rawRequest(port, {
    method: 'GET',
    target: `${BASE}/status`,
    headers: [
      ['Authorization', `Bearer ${token}`],
      ['Connection', 'close'],
    ],
  });

describe('event streams', () => {
  it('per token: 429 past the limit, with the token named; in total: 503', async () => {
    f = await startFixture({ limits: { maxConnections: 32, maxConnectionsPerToken: 8, maxEventStreams: 4, maxEventStreamsPerToken: 3 } });
    const port = portOf(f);
    for (let i = 0; i < 3; i++) expect((await holdGet(port, `${BASE}/events`, VIEWER_TOKEN, open)).status).toBe(200);
    const perToken = await holdGet(port, `${BASE}/events`, VIEWER_TOKEN, open);
    expect(perToken.status).toBe(429);
    expect(perToken.envelope?.exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-REST-429-002');
    expect(perToken.envelope?.exceptionErrorMessage).toContain('viewer token');
    expect((await holdGet(port, `${BASE}/events`, OPERATOR_TOKEN, open)).status).toBe(200);
    const total = await holdGet(port, `${BASE}/events`, OPERATOR_TOKEN, open);
    expect(total.status).toBe(503);
    expect(total.envelope?.exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-REST-503-002');
    // The health check and plain requests are not event streams.
    expect((await rawRequest(port, { method: 'GET', target: '/health', headers: [['Connection', 'close']] })).status).toBe(200);
    expect((await status(port, OPERATOR_TOKEN)).status).toBe(200);
  });
});

describe('connections', () => {
  it('a token holding its limit of busy connections is refused with 429 and the connection closed', async () => {
    f = await startFixture({ limits: { maxConnections: 32, maxConnectionsPerToken: 4, maxEventStreams: 4, maxEventStreamsPerToken: 2 } });
    const port = portOf(f);
    for (let i = 0; i < 4; i++) await busyRequest(port);
    await new Promise((r) => setTimeout(r, 200));
    const refused = await status(port, OPERATOR_TOKEN);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('connection')).toEqual(['close']);
    expect((JSON.parse(refused.body.toString()) as { exceptionErrorMessageId: string }).exceptionErrorMessageId).toBe(
      'INTEGRATION-DAEMON-REST-429-001',
    );
    // The other token has its own share.
    expect((await status(port, VIEWER_TOKEN)).status).toBe(200);
  });

  it('a full server closes the least recently used idle connection to take a new one', async () => {
    f = await startFixture({ limits: { maxConnections: 16, maxConnectionsPerToken: 6, maxEventStreams: 4, maxEventStreamsPerToken: 2 } });
    const port = portOf(f);
    const half = [];
    for (let i = 0; i < 16; i++) half.push(await halfHeaders(port));
    expect((await rawRequest(port, { method: 'GET', target: '/health', headers: [['Connection', 'close']] })).status).toBe(200);
    expect((await status(port, OPERATOR_TOKEN)).status).toBe(200);
    // The oldest half-sent request made room; the newer ones are still open.
    await half[0]?.closed;
    expect(half[15]?.socket.destroyed).toBe(false);
  });

  it('when every connection is busy a new one is answered 503 in the envelope and closed', async () => {
    // Limits no configuration document passes (validation keeps room), as an embedder could give them.
    f = await startFixture({ limits: { maxConnections: 4, maxConnectionsPerToken: 4, maxEventStreams: 2, maxEventStreamsPerToken: 2 } });
    const port = portOf(f);
    for (let i = 0; i < 4; i++) await busyRequest(port);
    await new Promise((r) => setTimeout(r, 200));
    const refused = await rawRequest(port, { method: 'GET', target: '/health', headers: [['Connection', 'close']] });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toEqual(['5']);
    expect((JSON.parse(refused.body.toString()) as { exceptionErrorMessageId: string }).exceptionErrorMessageId).toBe(
      'INTEGRATION-DAEMON-REST-503-001',
    );
  });
});
