// Hostile requests against the real daemon (embedded SQLite store, built-in files connectors) behind the real REST
// server: every answer must be a JSON FFDC envelope with a message id and a 4xx status (or a plain success when
// the generated request happens to be valid), with no stack trace, no file path and no token in it, and the
// daemon must still answer afterwards. FUZZ_SEED=<n> reproduces a failing run.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BASE } from '../../shared/api/types.js';
import { ROUTES } from '../../electron/engine/rest/routes.js';
import type { RestServer } from '../../electron/engine/rest/server.js';
import { REAL_SERVER_NAME as SERVER, REAL_USER_ID as USER, startRealDaemon, type RealDaemon } from '../support/real-daemon.js';
import { deepJsonText, fuzzSeed, malformedJsonBytes, nastyString, randomJson, seededRandom, type Random } from './generate.js';
import { jsonOf, rawRequest, type RawRequest, type RawResponse } from './raw-http.js';

const TOKEN = 'fuzz-operator-token-0123456789abcdef';
const VIEWER = 'fuzz-viewer-token-0123456789abcdef';
const BASE = API_BASE(SERVER, USER);
const SEED = fuzzSeed(20261125);
const CASES = 400;

let real: RealDaemon;
let server: RestServer;
let logged: string[];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fuzz-rest-'));
  const consoleDir = join(dir, 'console');
  mkdirSync(consoleDir);
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');
  // Outside the console directory: path traversal must never reach it.
  writeFileSync(join(dir, 'secret.txt'), 'SECRET-OUTSIDE-CONSOLE');
  real = await startRealDaemon({ token: TOKEN, viewerToken: VIEWER, consoleDir }, dir);
  ({ server, logged } = real);
}, 60_000);

afterAll(async () => {
  await real?.stop();
});

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'FOO', 'get', 'G\u00c9T'];

/** Percent-encodes like a careful client, or not at all, or wrongly. */
function segment(random: Random, text: string): string {
  switch (random.int(0, 3)) {
    case 0:
      return text;
    case 1:
      return random.pick(['%', '%zz', '%e0%80', '%c0%af', '%00', '%2e%2e', '%2f', '..', '.', '%ff']);
    default:
      try {
        return encodeURIComponent(text);
      } catch {
        // Lone surrogates cannot be encoded; send them raw instead.
        return text;
      }
  }
}

/** Every route pattern with its parameters filled, plus near misses and the platform and health paths. */
function randomPath(random: Random): string {
  const route = random.pick(ROUTES);
  const parts = route.pattern.split('/').map((part) => {
    if (part === ':marker') return random.chance(0.5) ? 'files-integrator' : segment(random, nastyString(random));
    if (part === ':name') return random.chance(0.5) ? 'LandingAreaFilesMonitor' : segment(random, nastyString(random));
    return random.pick(part.split('|'));
  });
  const variants = [
    () => `${BASE}/${parts.join('/')}`,
    () =>
      `/servers/${segment(random, nastyString(random))}/open-metadata/integration-daemon/users/${segment(random, nastyString(random))}/${parts.join('/')}`,
    () => `${BASE}/${parts.join('/')}/${segment(random, nastyString(random))}`,
    () => `${BASE}//${parts.join('//')}`,
    () => `${BASE}/${parts.join('/')}/../../../../../../etc/passwd`,
    () =>
      `/open-metadata/platform-services/users/${segment(random, nastyString(random))}/server-platform/registered-services/integration-services`,
    () => `/servers/${SERVER}/platform-services/users/${USER}/server-platform/registered-services/${segment(random, nastyString(random))}`,
    () => '/open-metadata/integration-daemon/health',
    () =>
      `/console/${random.pick(['..%2f..%2fsecret.txt', '../secret.txt', '%2e%2e/secret.txt', '....//secret.txt', '%00', 'index.html%00.js', '%', '..%5csecret.txt', 'a/../../secret.txt'])}`,
    () => random.pick(['*', 'http://evil.example/status', '', '/', '//', '/%', '/\u0000', '/servers', `${BASE}`, `${BASE}/`]),
  ];
  let path = random.pick(variants)();
  if (random.chance(0.3)) path += `?${randomQuery(random)}`;
  return path;
}

function randomQuery(random: Random): string {
  const names = [
    'limit',
    'since',
    'severity',
    'connector',
    'startFrom',
    'pageSize',
    'typeName',
    'qualifiedNamePrefix',
    nastyString(random),
  ];
  const values = [
    '-1',
    '0',
    '1e3',
    '1.5',
    'abc',
    '9'.repeat(400),
    '%zz',
    '%00',
    '',
    'Error,Nope',
    'exception',
    '2021-13-45T99:99:99Z',
    nastyString(random),
  ];
  const count = random.int(1, 4);
  return Array.from({ length: count }, () => `${segment(random, random.pick(names))}=${segment(random, random.pick(values))}`).join('&');
}

function randomBody(random: Random): Buffer | undefined {
  switch (random.int(0, 9)) {
    case 0:
      return undefined;
    case 1:
    case 2:
      return malformedJsonBytes(random);
    case 3:
      return Buffer.from(JSON.stringify({ class: 'NameRequestBody', name: nastyString(random) }));
    case 4:
      return Buffer.from(
        JSON.stringify({
          class: 'ConnectorConfigPropertiesRequestBody',
          connectorName: random.pick([nastyString(random), 'LandingAreaFilesMonitor', 42, null, ['x']]),
          mergeUpdate: random.pick([true, false, 'yes', 1]),
          configurationProperties: randomJson(random),
        }),
      );
    case 5:
      return Buffer.from(deepJsonText(random.pick([1_000, 10_000, 100_000]), random.chance(0.5) ? 'object' : 'array'));
    case 6:
      return Buffer.from(
        JSON.stringify({ serverName: randomJson(random), integrationServices: randomJson(random), maxPageSize: randomJson(random) }),
      );
    case 7:
      return random.chance(0.1) ? Buffer.alloc(1024 * 1024 + 10, 0x20) : Buffer.from(JSON.stringify(nastyString(random)));
    default:
      return Buffer.from(JSON.stringify(randomJson(random)));
  }
}

function randomHeaders(random: Random, body: Buffer | undefined): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  if (!random.chance(0.05)) headers.push(['Host', '127.0.0.1']);
  // Half the requests carry the operator token so the hostile parts reach the routes behind authentication.
  const auth = random.chance(0.5)
    ? `Bearer ${TOKEN}`
    : random.pick<() => string | undefined>([
        () => `Bearer ${VIEWER}`,
        () => undefined,
        () => 'Bearer',
        () => 'Bearer ',
        () => `bearer ${TOKEN}x`,
        () => `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`,
        () => `Bearer ${TOKEN} ${TOKEN}`,
        () => `Bearer ${'A'.repeat(8_000)}`,
        () => `Bearer ${TOKEN.slice(0, -1)}`,
        () => `Bearer ${TOKEN}\u00e9`,
      ])();
  if (auth !== undefined) headers.push(['Authorization', auth]);
  if (random.chance(0.1)) headers.push(['Authorization', random.chance(0.5) ? `Bearer ${TOKEN}` : 'Bearer wrong']);
  if (body !== undefined || random.chance(0.1)) {
    headers.push([
      'Content-Type',
      random.pick([
        'application/json',
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
      ]),
    ]);
  }
  const length = body?.length ?? 0;
  // One framing or header anomaly in a few requests; the rest are well framed, so their content gets tested.
  const anomaly = random.chance(0.15) ? random.int(0, 9) : -1;
  if (anomaly === 0) headers.push(['Content-Length', String(length)], ['Content-Length', String(length + 1)]);
  else if (anomaly === 1) headers.push(['Content-Length', String(length)], ['Transfer-Encoding', 'chunked']);
  else if (anomaly === 2) headers.push(['Content-Length', random.pick(['-1', 'abc', '99999999999999999999'])]);
  else if (body !== undefined) headers.push(['Content-Length', String(length)]);
  if (anomaly === 3) headers.push(['X-Big', 'h'.repeat(20_000)]);
  if (anomaly === 4) headers.push(['Bad Header Name', 'x']);
  if (anomaly === 5) headers.push(['X-Ctl', random.pick(['a\u0001b', '\u0000'])]);
  if (anomaly === 6) headers.push(['Upgrade', 'websocket'], ['Connection', 'Upgrade']);
  if (anomaly === 7) headers.push(['Expect', '100-continue']);
  if (anomaly === 8) headers.push(['Origin', 'http://evil.example']);
  if (anomaly === 9) headers.push(['Transfer-Encoding', random.pick(['gzip', 'chunked, identity', 'x'])]);
  headers.push(['Connection', 'close']);
  return headers;
}

function randomRequest(random: Random): RawRequest {
  const body = randomBody(random);
  if (random.chance(0.5)) {
    // Aimed: the operator token, a real route and one of its methods, so the hostile parameters, query and body
    // reach the route's own validation and the daemon behind it.
    const route = random.pick(ROUTES);
    const parts = route.pattern.split('/').map((part) => {
      if (part === ':marker') return random.chance(0.3) ? 'files-integrator' : segment(random, nastyString(random));
      if (part === ':name') return random.chance(0.3) ? 'LandingAreaFilesMonitor' : segment(random, nastyString(random));
      return random.pick(part.split('|'));
    });
    const query = random.chance(0.5) ? `?${randomQuery(random)}` : '';
    const headers: Array<[string, string]> = [
      ['Host', '127.0.0.1'],
      ['Authorization', `Bearer ${TOKEN}`],
      ['Content-Type', 'application/json'],
    ];
    if (body !== undefined) headers.push(['Content-Length', String(body.length)]);
    headers.push(['Connection', 'close']);
    const request: RawRequest = { method: random.pick(route.methods), target: `${BASE}/${parts.join('/')}${query}`, headers };
    if (body !== undefined) request.body = body;
    return request;
  }
  // Mostly the methods the routes take, so most requests get past the HTTP parser to the routes themselves.
  const method = random.chance(0.7) ? random.pick(['GET', 'POST', 'PUT']) : random.pick(METHODS);
  const request: RawRequest = { method, target: randomPath(random), headers: randomHeaders(random, body) };
  if (body !== undefined) request.body = body;
  return request;
}

const STACK_PATTERNS = [
  /\n\s+at /,
  /\bat [\w.<>]+ \(/,
  /node:internal/,
  /node_modules/,
  /\/work\//,
  /[\w-]+\.(ts|js|mjs):\d+/,
  /file:\/\//,
];

function describeCase(index: number, request: RawRequest, response?: RawResponse): string {
  const body = request.body === undefined ? '' : ` body[${request.body.length}]=${JSON.stringify(request.body.toString('utf8', 0, 120))}`;
  const answer = response === undefined ? '' : `\n→ ${response.raw.slice(0, 600)}`;
  return `seed ${SEED} case ${index}: ${request.method} ${JSON.stringify(request.target.slice(0, 200))} headers=${JSON.stringify(request.headers.map(([n, v]) => [n, v.slice(0, 60)]))}${body}${answer}`;
}

/** The product bar for one answer; returns what is wrong, or undefined. */
function problemWith(request: RawRequest, response: RawResponse): string | undefined {
  const text = response.body.toString('utf8');
  if (text.includes(TOKEN) || text.includes(VIEWER)) return 'the answer contains a token';
  if (text.includes('SECRET-OUTSIDE-CONSOLE')) return 'path traversal read a file outside the console directory';
  for (const pattern of STACK_PATTERNS)
    if (pattern.test(text)) return `the answer looks like it holds a stack trace or file path (${pattern})`;
  if (response.status >= 500) return `status ${response.status}`;
  const type = response.headers.get('content-type')?.[0] ?? '';
  if (type.startsWith('text/event-stream')) return undefined;
  // Console assets are served as files; only their refusals are checked (above) for leaks and status.
  if (/^\/console(\/|$)/.test(request.target) && (response.status < 400 || type.startsWith('text/plain'))) return undefined;
  if (response.status === 204 || response.status === 101 || request.method === 'HEAD') return undefined;
  if (!type.startsWith('application/json')) return `content type ${JSON.stringify(type)} instead of JSON`;
  let body: unknown;
  try {
    body = jsonOf(response);
  } catch {
    return 'the body is not JSON';
  }
  if (typeof body !== 'object' || body === null) return 'the body is not a JSON object';
  const envelope = body as Record<string, unknown>;
  if (response.status < 400) {
    return envelope.relatedHTTPCode === 200 && typeof envelope.class === 'string'
      ? undefined
      : 'a success without class and relatedHTTPCode 200';
  }
  if (typeof envelope.exceptionErrorMessageId !== 'string' || !/^[A-Z][A-Z0-9-]*-\d{3}-\d{3}$/.test(envelope.exceptionErrorMessageId)) {
    return 'no exceptionErrorMessageId';
  }
  if (envelope.relatedHTTPCode !== response.status) return `relatedHTTPCode ${String(envelope.relatedHTTPCode)} differs from the status`;
  if (typeof envelope.exceptionUserAction !== 'string' || envelope.exceptionUserAction === '') return 'no exceptionUserAction (the fix)';
  return undefined;
}

async function expectStillAnswering(): Promise<void> {
  const response = await fetch(`${server.url}${BASE}/status`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  expect(((await response.json()) as { class: string }).class).toBe('IntegrationDaemonStatusResponse');
}

describe(`hostile REST requests against the real daemon (seed ${SEED})`, () => {
  it(`${CASES} generated requests: FFDC envelopes with message ids, no 5xx, no stack, no token`, async () => {
    const random = seededRandom(SEED);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let index = 0; index < CASES; index++) {
      const request = randomRequest(random);
      let response: RawResponse;
      try {
        response = await rawRequest(server.port, request);
      } catch (error) {
        failures.push(`${describeCase(index, request)}\n→ ${(error as Error).message}`);
        continue;
      }
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const problem = problemWith(request, response);
      if (problem !== undefined) failures.push(`${problem}: ${describeCase(index, request, response)}`);
    }
    expect(failures.slice(0, 5), `${failures.length} of ${CASES} answers break the bar`).toEqual([]);
    // The generator must reach both sides: refusals and requests that were valid enough to be carried out.
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    expect(logged.filter((line) => line.includes(TOKEN) || line.includes(VIEWER))).toEqual([]);
    // An incident is an unexpected failure inside the daemon, even when the client got a tidy envelope.
    expect(logged.filter((line) => line.includes('incident'))).toEqual([]);
    await expectStillAnswering();
  }, 240_000);

  it('a request cut off part-way through its body or headers leaves the daemon answering', async () => {
    const { connect } = await import('node:net');
    for (const partial of [
      `POST ${BASE}/refresh HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 100\r\n\r\n{"name":`,
      `GET ${BASE}/status HTTP/1.1\r\nHost: x\r\nAuthor`,
      `PUT ${BASE}/configuration HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nTransfer-Encoding: chunked\r\n\r\nff\r\n{"serverName"`,
    ]) {
      await new Promise<void>((resolve) => {
        const socket = connect(server.port, '127.0.0.1', () => {
          socket.write(partial);
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 50);
        });
        socket.on('error', () => undefined);
      });
    }
    await expectStillAnswering();
  });
});

describe('the hostile requests that once broke the bar, pinned', () => {
  const operator: Array<[string, string]> = [
    ['Host', 'x'],
    ['Authorization', `Bearer ${TOKEN}`],
    ['Connection', 'close'],
  ];
  const envelopeOf = (response: RawResponse) =>
    jsonOf(response) as { exceptionErrorMessageId: string; relatedHTTPCode: number; exceptionUserAction: string };

  it('a request the HTTP parser cannot read gets the envelope, not a bare 400', async () => {
    for (const [method, target, status, id] of [
      ['G\u00c9T', `${BASE}/status`, 400, 'INTEGRATION-DAEMON-REST-400-005'],
      ['GET', `${BASE}/sta tus`, 400, 'INTEGRATION-DAEMON-REST-400-005'],
    ] as const) {
      const response = await rawRequest(server.port, { method, target, headers: operator });
      expect(response.status).toBe(status);
      expect(envelopeOf(response).exceptionErrorMessageId).toBe(id);
    }
    const tooBig = await rawRequest(server.port, {
      method: 'GET',
      target: `${BASE}/status`,
      headers: [...operator, ['X-Big', 'h'.repeat(20_000)]],
    });
    expect(tooBig.status).toBe(431);
    expect(envelopeOf(tooBig).exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-REST-431-001');
  });

  it('CONNECT and a request without Host are answered with envelopes and the connection is closed', async () => {
    const connectAnswer = await rawRequest(server.port, {
      method: 'CONNECT',
      target: 'evil.example:443',
      headers: [['Host', 'evil.example:443']],
    });
    expect(connectAnswer.status).toBe(405);
    expect(envelopeOf(connectAnswer).exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-REST-405-001');
    const noHost = await rawRequest(server.port, { method: 'GET', target: `${BASE}/status`, headers: [['Connection', 'close']] });
    expect(noHost.status).toBe(401);
    expect(envelopeOf(noHost).exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-REST-401-001');
  });

  it('a configuration nested 100,000 levels deep is refused with 400 instead of overflowing the stack', async () => {
    const body = Buffer.from(deepJsonText(100_000, 'object'));
    const response = await rawRequest(server.port, {
      method: 'PUT',
      target: `${BASE}/configuration`,
      headers: [...operator, ['Content-Type', 'application/json'], ['Content-Length', String(body.length)]],
      body,
    });
    expect(response.status).toBe(400);
    expect(envelopeOf(response).exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-REST-400-002');
    expect(response.body.toString()).toContain('nested more than 64 levels');
  });

  it('a NUL in a metadata filter is the metadata server refusing the query (400 with its message id), not an incident', async () => {
    const response = await rawRequest(server.port, {
      method: 'GET',
      target: `${BASE}/metadata-elements?qualifiedNamePrefix=%00`,
      headers: operator,
    });
    expect(response.status).toBe(400);
    expect(envelopeOf(response).exceptionErrorMessageId).toMatch(/^INTEGRATION-DAEMON-METADATA-SERVER-400-\d{3}$/);
    expect(envelopeOf(response).exceptionUserAction).not.toBe('');
  });

  it('a large body on a GET is read and dropped, so the whole answer arrives before the connection closes', async () => {
    const body = Buffer.alloc(400_000, 0x20);
    const response = await rawRequest(server.port, {
      method: 'GET',
      target: `${BASE}/audit-log?limit=1000`,
      headers: [...operator, ['Content-Length', String(body.length)]],
      body,
    });
    expect(response.status).toBe(200);
    expect((jsonOf(response) as { class: string }).class).toBe('AuditLogResponse');
  });
});
