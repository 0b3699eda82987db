// The daemon's REST + SSE server on bare node:http. It only translates: HTTP → DaemonApi calls, and every
// refusal → Egeria's FFDC envelope with the real HTTP status. Nothing here can take the daemon down: a failing
// request answers 500 with an incident id and the full error goes to the log.
import { redactText } from '../../../shared/api/redact.js';
import { actAs } from '../request-user.js';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  HEALTH_PATH,
  ROLE_HEADER,
  type FFDCErrorResponse,
  type HealthResponse,
  type RegisteredOMAGServicesResponse,
} from '../../../shared/api/types.js';
import { Emitter } from '../../../shared/logic/disposable.js';
import { DaemonRequestError, type DaemonApi } from '../daemon-api.js';
import { InvalidMetadataRequestError } from '../metadata-server/types.js';
import { DEFAULT_REST_LIMITS, type RestLimits } from '../config/rest-limits.js';
import { discardBody } from './body.js';
import { envelopeFor, fromDaemonRequestError, fromInvalidMetadataRequest, restError, RestError } from './errors.js';
import { closeAfterAnswer, ConnectionLimits, HTTP_TIMEOUTS, idleTimeoutMs } from './limits.js';
import { matchRoute, type RouteContext } from './routes.js';
import { openEventStream } from './sse.js';
import { consoleCsp, CONSOLE_PREFIX, serveConsoleFile } from './static.js';
import { errorText } from '../../../shared/api/error-text.js';

export interface RestServerOptions {
  daemon: DaemonApi;
  /** Default 127.0.0.1: loopback only unless the operator asks otherwise. */
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Operator token: every operation. */
  token: string;
  /** Viewer token: reads only (GET); changes answer 403. */
  viewerToken?: string;
  /** The `{userId}`s each token may act as; a token without a list may act as any user. */
  userIds?: { operator?: readonly string[] | undefined; viewer?: readonly string[] | undefined };
  /** Built console to serve at /console/. */
  consoleDir?: string;
  /** Why there is no consoleDir (turned off, or not built), for the answer at /console/. */
  noConsoleReason?: string;
  /** SSE heartbeat interval; 15 s unless a test needs it shorter. */
  heartbeatMs?: number;
  /** Where unexpected errors are logged (with their incident id); stderr by default. */
  log?: (line: string) => void;
  /** Connection and event stream limits (the configuration's `rest` section); defaults for what is left out. */
  limits?: Partial<RestLimits>;
}

export interface RestServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

type Role = RouteContext['role'];

const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  // A console on another origin reads the role to know which actions to offer.
  'Access-Control-Expose-Headers': `WWW-Authenticate, ${ROLE_HEADER}`,
};
const WWW_AUTHENTICATE = 'Bearer realm="integration-daemon"';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Splits a path into decoded segments, or undefined if it is not correctly percent-encoded. */
function decodeSegments(pathname: string): string[] | undefined {
  try {
    return pathname
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

/** The request target as a URL; a leading `//` stays part of the path instead of becoming a host name. */
function requestUrl(target: string | undefined): URL | undefined {
  if (target === undefined || !target.startsWith('/')) return undefined;
  try {
    return new URL(`http://daemon.invalid${target}`);
  } catch {
    return undefined;
  }
}

interface Target {
  kind: 'daemon' | 'platform';
  serverName?: string;
  /** Absent under Egeria's newest base, where the bearer token (or `?delegatingUserId=`) names the user. */
  userId?: string;
  base: RouteContext['base'];
  rest: string[];
}

/**
 * Where a request is aimed: under the daemon base, or the platform's registered-services path (also in the
 * seed's spelling with a /servers/{serverName} prefix, because operators copy it from there).
 */
function locate(segments: string[]): Target | undefined {
  const [s0, s1, s2, s3, s4, s5, ...rest] = segments;
  if (s0 === 'servers' && s1 !== undefined && s2 === 'open-metadata' && s3 === 'integration-daemon') {
    if (s4 === 'users' && s5 !== undefined) return { kind: 'daemon', serverName: s1, userId: s5, base: 'users', rest };
    return { kind: 'daemon', serverName: s1, base: 'token', rest: segments.slice(4) };
  }
  const platform = (parts: string[]): string | undefined =>
    parts.length === 5 &&
    parts[0] === 'users' &&
    parts[2] === 'server-platform' &&
    parts[3] === 'registered-services' &&
    parts[4] === 'integration-services'
      ? parts[1]
      : undefined;
  if (s0 === 'open-metadata' && s1 === 'platform-services') {
    const userId = platform(segments.slice(2));
    if (userId !== undefined) return { kind: 'platform', userId, base: 'users', rest: [] };
  }
  if (s0 === 'servers' && s1 !== undefined && s2 === 'platform-services') {
    const userId = platform(segments.slice(3));
    if (userId !== undefined) return { kind: 'platform', serverName: s1, userId, base: 'users', rest: [] };
  }
  return undefined;
}

/** Node's HTTP parser refusals carry a fixed reason text (never request data or a stack). */
type ClientError = Error & { code?: string; reason?: string };

/** The refusal for a request Node's HTTP parser could not read: it never reaches the request handler. */
function clientErrorRefusal(error: ClientError): RestError {
  const detail = error.code === undefined ? 'the request is malformed' : error.reason ? `${error.code} (${error.reason})` : error.code;
  if (error.code === 'HPE_HEADER_OVERFLOW') return restError('headersTooLarge', [detail], { Connection: 'close' });
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return restError('requestTimeout', [detail], { Connection: 'close' });
  return restError('malformedRequest', [detail], { Connection: 'close' });
}

/** A whole HTTP response as text, for sockets the parser gave up on (there is no ServerResponse to write to). */
function rawResponse(error: RestError, action: string): string {
  const text = JSON.stringify(envelopeFor(error, 'FFDCResponseBase', action));
  const headers: Record<string, string> = {
    ...CORS_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...error.headers,
    Connection: 'close',
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return `HTTP/1.1 ${error.httpCode} ${STATUS_CODES[error.httpCode] ?? ''}\r\n${head}\r\n${text}`;
}

export async function startRestServer(options: RestServerOptions): Promise<RestServer> {
  const { daemon } = options;
  const host = options.host ?? '127.0.0.1';
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  // Incident lines quote unexpected errors, which may quote a connection string: redacted like everything else.
  const write = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log = (line: string) => write(redactText(line));
  const operatorDigest = digest(options.token);
  const viewerDigest = options.viewerToken !== undefined ? digest(options.viewerToken) : undefined;
  const csp = consoleCsp();
  const limits = new ConnectionLimits({ ...DEFAULT_REST_LIMITS, ...options.limits });
  if (options.token.length < 16) throw new Error('INTEGRATION-DAEMON-REST-500-002 The operator token must have at least 16 characters');

  let lastSequence = 0;
  const trackSequence = daemon.subscribe((event) => {
    lastSequence = Math.max(lastSequence, event.sequence);
  });
  // Server shutdown ends every open event stream; a stream that closes on its own stops listening.
  const shuttingDown = new Emitter<void>();

  function authenticate(request: IncomingMessage, path: string): Role {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) throw restError('missingToken', [path], { 'WWW-Authenticate': WWW_AUTHENTICATE });
    const presented = digest(match[1] as string);
    // Hashing first gives equal lengths, so timingSafeEqual compares without leaking where tokens differ.
    if (timingSafeEqual(presented, operatorDigest)) return 'operator';
    if (viewerDigest !== undefined && timingSafeEqual(presented, viewerDigest)) return 'viewer';
    throw restError('wrongToken', [path], { 'WWW-Authenticate': `${WWW_AUTHENTICATE}, error="invalid_token"` });
  }

  function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    sendJsonText(response, status, JSON.stringify(body), headers);
  }

  function sendJsonText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
    response.writeHead(status, {
      ...CORS_HEADERS,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    });
    response.end(text);
  }

  /** A body kept serialized: its bytes go out as they are, never joined or encoded again for this request. */
  function sendJsonChunks(response: ServerResponse, chunks: readonly Buffer[]): void {
    let length = 0;
    for (const chunk of chunks) length += chunk.length;
    response.writeHead(200, {
      ...CORS_HEADERS,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(length),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    response.cork();
    for (const chunk of chunks) response.write(chunk);
    response.end();
    response.uncork();
  }

  /** NDJSON: headers with the first line, then one line per value, the result last. */
  async function sendLines(
    response: ServerResponse,
    produce: (write: (value: unknown) => void, signal: AbortSignal) => Promise<unknown>,
  ): Promise<void> {
    const gone = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) gone.abort();
    });
    const write = (value: unknown): void => {
      if (!response.headersSent) {
        response.writeHead(200, {
          ...CORS_HEADERS,
          'Content-Type': 'application/x-ndjson; charset=utf-8',
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
        });
      }
      if (!response.destroyed) response.write(`${JSON.stringify(value)}\n`);
    };
    const result = await produce(write, gone.signal);
    write(result);
    response.end();
  }

  function sendError(request: IncomingMessage, response: ServerResponse, error: RestError, responseClass: string, action: string): void {
    const body: FFDCErrorResponse = envelopeFor(error, responseClass, action);
    sendJson(response, error.httpCode, body, error.headers);
    // A refusal that ends the connection (413, 429): the client may still be sending, so it must still get the answer.
    if (error.headers.Connection === 'close') closeAfterAnswer(request.socket);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const url = requestUrl(request.url);
    const path = url?.pathname ?? request.url ?? '';
    let responseClass = 'FFDCResponseBase';
    let action = `${method} ${path}`;
    try {
      if (url === undefined) throw restError('invalidPath', [path]);
      if (method === 'OPTIONS') {
        await discardBody(request);
        response.writeHead(204, {
          ...CORS_HEADERS,
          'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
          'Access-Control-Allow-Headers': 'Authorization, Content-Type, Last-Event-ID',
          // Chrome's Private Network Access: a console page from another origin may call a loopback daemon.
          'Access-Control-Allow-Private-Network': 'true',
          'Access-Control-Max-Age': '600',
        });
        response.end();
        return;
      }
      if (path === HEALTH_PATH) {
        if (method !== 'GET' && method !== 'HEAD') throw restError('wrongMethod', [path, method, 'GET'], { Allow: 'GET' });
        await discardBody(request);
        const body: HealthResponse = { status: 'UP', serverName: daemon.serverName };
        sendJson(response, 200, body);
        return;
      }
      if (path === '/console' || path.startsWith(CONSOLE_PREFIX)) {
        await discardBody(request);
        // Without a console the pages are missing, not forbidden: say why instead of asking for a token.
        if (options.consoleDir === undefined)
          throw restError('consoleNotServed', [options.noConsoleReason ?? 'no console directory was given']);
        await serveConsoleFile(request, response, options.consoleDir, path, csp);
        return;
      }

      const role = authenticate(request, path);
      // Kept by every answer to this request (refusals and event streams included): writeHead merges it in.
      response.setHeader(ROLE_HEADER, role);
      limits.claim(request.socket, role);
      const segments = decodeSegments(path);
      if (segments === undefined) throw restError('invalidPath', [path]);
      const target = locate(segments);
      if (target === undefined) throw restError('unknownPath', [path]);
      const matched = target.kind === 'daemon' ? matchRoute(target.rest, method) : undefined;
      if (target.kind === 'platform') {
        responseClass = 'RegisteredOMAGServicesResponse';
        action = 'getRegisteredIntegrationServices';
      } else if (matched?.kind === 'match') {
        responseClass = matched.match.route.responseClass;
        action = matched.match.route.action;
      }
      // Without /users/{userId} in the path (Egeria 5's newest base) the caller names the user, or the token does.
      const userId = target.userId ?? url.searchParams.get('delegatingUserId') ?? role;
      if (target.serverName !== undefined && target.serverName !== daemon.serverName) {
        throw restError('unknownServer', [target.serverName, userId]);
      }
      const mayActAs = options.userIds?.[role];
      if (mayActAs !== undefined && !mayActAs.includes(userId)) throw restError('userIdForbidden', [role, userId]);

      if (target.kind === 'platform') {
        if (method !== 'GET') throw restError('wrongMethod', [path, method, 'GET'], { Allow: 'GET' });
        await discardBody(request);
        const body: RegisteredOMAGServicesResponse = {
          class: 'RegisteredOMAGServicesResponse',
          relatedHTTPCode: 200,
          services: daemon.registeredServices(),
        };
        sendJson(response, 200, body);
        return;
      }

      if (matched === undefined || matched.kind === 'none') throw restError('unknownPath', [path]);
      if (matched.kind === 'wrongMethod') {
        const allowed = matched.allowed.join(', ');
        throw restError('wrongMethod', [path, method, allowed], { Allow: allowed });
      }
      const { route, params } = matched.match;
      if (role === 'viewer' && (method !== 'GET' || route.getChanges)) throw restError('viewerForbidden', [method, path]);

      const context: RouteContext = { daemon, params, query: url.searchParams, path, request, role, base: target.base, userId };
      // What the operation writes to the audit log names the user of the path.
      const reply = await actAs(userId, () => route.handle(context));
      if ('eventStream' in reply) {
        limits.openStream(request.socket, role);
        const stream = openEventStream(response, { daemon, heartbeatMs, lastSequence: () => lastSequence, headers: CORS_HEADERS });
        const onShutdown = shuttingDown.event(() => stream.dispose());
        response.on('close', () => onShutdown.dispose());
        return;
      }
      await discardBody(request);
      if ('lines' in reply) {
        await sendLines(response, reply.lines);
        return;
      }
      if ('json' in reply) sendJsonChunks(response, reply.json);
      else sendJson(response, 200, reply.body);
    } catch (error) {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (!(error instanceof RestError && error.headers.Connection === 'close')) await discardBody(request);
      if (error instanceof RestError) {
        sendError(request, response, error, responseClass, action);
      } else if (error instanceof DaemonRequestError) {
        sendError(request, response, fromDaemonRequestError(error), responseClass, action);
      } else if (error instanceof InvalidMetadataRequestError) {
        sendError(request, response, fromInvalidMetadataRequest(error), responseClass, action);
      } else {
        const incident = randomUUID();
        log(
          `INTEGRATION-DAEMON-REST-500-001 incident ${incident}: ${method} ${path} failed: ${(error instanceof Error ? error.stack : undefined) ?? errorText(error)}`,
        );
        sendError(request, response, restError('unexpected', [daemon.serverName, action, incident]), responseClass, action);
      }
    }
  }

  /** Answers on a socket the HTTP layer has let go of, then closes it even if the client never does. */
  function refuseOnSocket(socket: Duplex, refusal: RestError, action: string): void {
    socket.on('error', () => socket.destroy());
    socket.end(rawResponse(refusal, action), () => socket.destroy());
  }

  // The request each connection is being answered, so a parse error on that connection can answer it properly.
  const inFlight = new WeakMap<Duplex, { request: IncomingMessage; response: ServerResponse }>();

  // The API does not use Host, and Node's own refusal of a request without one is a bare 400 without the envelope.
  const server = createServer({ requireHostHeader: false, ...HTTP_TIMEOUTS }, (request, response) => {
    // A connection refused for lack of room is closing; a request that slipped in on it gets no answer.
    if (!limits.holds(request.socket)) return;
    limits.touch(request.socket);
    inFlight.set(request.socket, { request, response });
    response.on('close', () => {
      limits.release(request.socket);
      if (inFlight.get(request.socket)?.response === response) inFlight.delete(request.socket);
    });
    handle(request, response).catch((error: unknown) => {
      log(`INTEGRATION-DAEMON-REST-500-001 response failed: ${errorText(error)}`);
      response.destroy();
    });
  });
  // Without these, Node answers unreadable requests with a bare 400 (or drops CONNECT): give them the envelope.
  server.on('clientError', (error: ClientError, socket: Duplex) => {
    const current = inFlight.get(socket);
    if (error.code === 'ECONNRESET' || !socket.writable || current?.response.headersSent === true) {
      socket.destroy();
      return;
    }
    const refusal = clientErrorRefusal(error);
    if (current !== undefined) {
      sendError(current.request, current.response, refusal, 'FFDCResponseBase', 'readRequest');
      return;
    }
    refuseOnSocket(socket, refusal, 'readRequest');
  });
  server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    refuseOnSocket(
      socket,
      restError('wrongMethod', [request.url ?? '', 'CONNECT', 'GET, POST, PUT'], { Allow: 'GET, POST, PUT' }),
      'CONNECT',
    );
  });
  // Every connection, so shutdown can end the ones the HTTP layer no longer tracks (CONNECT, unreadable requests).
  const sockets = new Set<Duplex>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (!limits.admit(socket)) {
      refuseOnSocket(socket, restError('connectionLimit', [String(limits.maxConnections)], { 'Retry-After': '5' }), 'connect');
    }
  });
  server.keepAliveTimeout = HTTP_TIMEOUTS.keepAliveTimeout;
  // The idle guard: a connection on which nothing moves (a client that stopped reading an answer or an event
  // stream) is closed; one waiting for the daemon to answer its request is left alone.
  server.setTimeout(idleTimeoutMs(heartbeatMs), (socket: Socket) => {
    if (!limits.busyWithRequest(socket)) socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        trackSequence.dispose();
        shuttingDown.fire();
        shuttingDown.dispose();
        server.close(() => resolve());
        server.closeIdleConnections();
        // Event streams and half-read bodies must not hold shutdown hostage.
        setTimeout(() => {
          server.closeAllConnections();
          for (const socket of sockets) socket.destroy();
        }, 1_000).unref();
      });
      return closing;
    },
  };
}
