// The daemon's REST + SSE server on bare node:http. It only translates: HTTP → DaemonApi calls, and every
// refusal → Egeria's FFDC envelope with the real HTTP status. Nothing here can take the daemon down: a failing
// request answers 500 with an incident id and the full error goes to the log.
import { redactText } from '../../../shared/api/redact.js';
import { actAs, answerAs } from '../request-user.js';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
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
import { discardBody, mayHaveBody } from './body.js';
import { envelopeFor, fromDaemonRequestError, fromInvalidMetadataRequest, restError, RestError } from './errors.js';
import { closeAfterAnswer, ConnectionLimits, HTTP_TIMEOUTS, IDLE_SWEEPS, idleTimeoutMs } from './limits.js';
import type { Reply, RouteContext } from './routes.js';
import { requestTarget, TargetReadings, type TargetReading } from './request-target.js';
import { clientErrorRefusal, rawResponse, type ClientError } from './client-errors.js';
import { openEventStream } from './sse.js';
import { consoleCsp, CONSOLE_PREFIX, serveConsoleFile } from './static.js';
import { CORS_HEADERS, jsonHeaders, KeptAnswerHeaders } from './json-headers.js';
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

const WWW_AUTHENTICATE = 'Bearer realm="integration-daemon"';

/** Kept answers up to this size are joined into one buffer before they are written (see sendJsonChunks). */
const JOIN_BELOW_BYTES = 64 * 1024;
/** Distinct Authorization header values remembered as verified; real clients send one or two. */
const MAX_VERIFIED_HEADERS = 16;

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** What a request has become known as while it is read, for the refusal that may end it. */
interface Answering {
  request: IncomingMessage;
  response: ServerResponse;
  responseClass: string;
  action: string;
  /** Kept by every answer to this request once its token is known (refusals and event streams included). */
  role: Role | undefined;
  connection: Connection;
}

/**
 * What the server keeps of one connection between its requests. Keep-alive clients send the same target and
 * Authorization header over and over: compared with the connection's last ones, they are not hashed afresh per
 * request (a string fresh from the parser is hashed on every map lookup: 115 characters cost GET /status more than
 * its routing did).
 */
interface Connection {
  /** The request being answered, so a parse error on the connection can answer it properly. */
  answering: Answering | undefined;
  method: string | undefined;
  url: string | undefined;
  reading: TargetReading | undefined;
  /** Only a value that was verified: the role it was verified as. */
  authorization: string | undefined;
  role: Role | undefined;
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

  // Authorization header values already verified, with their role; only a token that matched is remembered.
  const verified = new Map<string, Role>();

  const readings = new TargetReadings();
  const keptAnswerHeaders = new KeptAnswerHeaders();

  function authenticate(request: IncomingMessage, path: string, connection: Connection): Role {
    const header = request.headers.authorization;
    if (header !== undefined && header === connection.authorization && connection.role !== undefined) return connection.role;
    const role = verify(header, path);
    connection.authorization = header;
    connection.role = role;
    return role;
  }

  function verify(header: string | undefined, path: string): Role {
    const known = header === undefined ? undefined : verified.get(header);
    if (known !== undefined) return known;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (header === undefined || match === null) throw restError('missingToken', [path], { 'WWW-Authenticate': WWW_AUTHENTICATE });
    const presented = digest(match[1] as string);
    // Hashing first gives equal lengths, so timingSafeEqual compares without leaking where tokens differ.
    const role: Role | undefined = timingSafeEqual(presented, operatorDigest)
      ? 'operator'
      : viewerDigest !== undefined && timingSafeEqual(presented, viewerDigest)
        ? 'viewer'
        : undefined;
    if (role === undefined) {
      throw restError('wrongToken', [path], { 'WWW-Authenticate': `${WWW_AUTHENTICATE}, error="invalid_token"` });
    }
    if (verified.size >= MAX_VERIFIED_HEADERS) verified.clear();
    verified.set(header, role);
    return role;
  }

  function sendJson(
    response: ServerResponse,
    status: number,
    body: unknown,
    role: Role | undefined,
    headers?: Record<string, string>,
  ): void {
    const text = JSON.stringify(body);
    const all = jsonHeaders(Buffer.byteLength(text), role);
    response.writeHead(status, headers === undefined ? all : Object.assign(all, headers));
    response.end(text);
  }

  /**
   * A body kept serialized, never encoded again. A large one goes out as its kept pieces in one writev, never
   * copied; a small one is joined first, since each piece of a writev costs more than copying a few kilobytes.
   */
  function sendJsonChunks(response: ServerResponse, chunks: readonly Buffer[], role: Role): void {
    let length = 0;
    for (const chunk of chunks) length += chunk.length;
    response.writeHead(200, keptAnswerHeaders.of(length, role));
    if (length <= JOIN_BELOW_BYTES) {
      response.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length));
      return;
    }
    response.cork();
    for (const chunk of chunks) response.write(chunk);
    response.end();
    response.uncork();
  }

  /** NDJSON: headers with the first line, then one line per value, the result last. */
  async function sendLines(
    response: ServerResponse,
    role: Role,
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
          [ROLE_HEADER]: role,
        });
      }
      if (!response.destroyed) response.write(`${JSON.stringify(value)}\n`);
    };
    const result = await produce(write, gone.signal);
    write(result);
    response.end();
  }

  function sendError(answering: Answering, error: RestError): void {
    const body: FFDCErrorResponse = envelopeFor(error, answering.responseClass, answering.action);
    sendJson(answering.response, error.httpCode, body, answering.role, error.headers);
    // A refusal that ends the connection (413, 429): the client may still be sending, so it must still get the answer.
    if (error.headers.Connection === 'close') closeAfterAnswer(answering.request.socket);
  }

  /** `then` once the body the request may still be sending is read and dropped; in this turn when it has none. */
  function afterBody(request: IncomingMessage, then: () => void | Promise<void>): Promise<void> | undefined {
    if (!mayHaveBody(request)) {
      const pending = then();
      return pending instanceof Promise ? pending : undefined;
    }
    return discardBody(request).then(then);
  }

  /** Answers a request; a promise only when something is still to wait for (reading a body, an operation). */
  function handle(answering: Answering): Promise<void> | undefined {
    try {
      return route(answering)?.catch((error: unknown) => fail(answering, error));
    } catch (error) {
      return fail(answering, error);
    }
  }

  function route(answering: Answering): Promise<void> | undefined {
    const { request, response, connection } = answering;
    const method = request.method ?? 'GET';
    const url = request.url;
    let read = connection.reading;
    if (read === undefined || url !== connection.url || method !== connection.method) {
      read = readings.read(method, url);
      connection.method = method;
      connection.url = url;
      connection.reading = read;
    }
    const target = read.target;
    const path = target?.path ?? request.url ?? '';
    answering.action = `${method} ${path}`;
    if (target === undefined) throw restError('invalidPath', [path]);
    if (method === 'OPTIONS') {
      return afterBody(request, () => {
        response.writeHead(204, {
          ...CORS_HEADERS,
          'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
          'Access-Control-Allow-Headers': 'Authorization, Content-Type, Last-Event-ID',
          // Chrome's Private Network Access: a console page from another origin may call a loopback daemon.
          'Access-Control-Allow-Private-Network': 'true',
          'Access-Control-Max-Age': '600',
        });
        response.end();
      });
    }
    if (path === HEALTH_PATH) {
      if (method !== 'GET' && method !== 'HEAD') throw restError('wrongMethod', [path, method, 'GET'], { Allow: 'GET' });
      const body: HealthResponse = { status: 'UP', serverName: daemon.serverName };
      return afterBody(request, () => sendJson(response, 200, body, undefined));
    }
    if (path === '/console' || path.startsWith(CONSOLE_PREFIX)) {
      return afterBody(request, () => {
        // Without a console the pages are missing, not forbidden: say why instead of asking for a token.
        if (options.consoleDir === undefined)
          throw restError('consoleNotServed', [options.noConsoleReason ?? 'no console directory was given']);
        return serveConsoleFile(request, response, options.consoleDir, path, csp).then(() => undefined);
      });
    }

    const role = authenticate(request, path, connection);
    answering.role = role;
    limits.claim(request.socket, role);
    if (!read.encoded) throw restError('invalidPath', [path]);
    const located = read.located;
    if (located === undefined) throw restError('unknownPath', [path]);
    const matched = read.matched;
    if (located.kind === 'platform') {
      answering.responseClass = 'RegisteredOMAGServicesResponse';
      answering.action = 'getRegisteredIntegrationServices';
    } else if (matched?.kind === 'match') {
      answering.responseClass = matched.match.route.responseClass;
      answering.action = matched.match.route.action;
    }
    const query = new URLSearchParams(target.query);
    // Without /users/{userId} in the path (Egeria 5's newest base) the caller names the user, or the token does.
    const userId = located.userId ?? query.get('delegatingUserId') ?? role;
    if (located.serverName !== undefined && located.serverName !== daemon.serverName) {
      throw restError('unknownServer', [located.serverName, userId]);
    }
    const mayActAs = options.userIds?.[role];
    if (mayActAs !== undefined && !mayActAs.includes(userId)) throw restError('userIdForbidden', [role, userId]);

    if (located.kind === 'platform') {
      if (method !== 'GET') throw restError('wrongMethod', [path, method, 'GET'], { Allow: 'GET' });
      const body: RegisteredOMAGServicesResponse = {
        class: 'RegisteredOMAGServicesResponse',
        relatedHTTPCode: 200,
        services: daemon.registeredServices(),
      };
      return afterBody(request, () => sendJson(response, 200, body, role));
    }

    if (matched === undefined || matched.kind === 'none') throw restError('unknownPath', [path]);
    if (matched.kind === 'wrongMethod') {
      const allowed = matched.allowed.join(', ');
      throw restError('wrongMethod', [path, method, allowed], { Allow: allowed });
    }
    const { route, params } = matched.match;
    if (role === 'viewer' && (method !== 'GET' || route.getChanges)) throw restError('viewerForbidden', [method, path]);

    const context: RouteContext = { daemon, params, query, path, request, role, base: located.base, userId };
    // What the operation writes to the audit log names the user of the path.
    if (route.answer !== undefined)
      return reply(
        answering,
        role,
        answerAs(userId, () => route.answer(context)),
      );
    return actAs(userId, () => route.handle(context)).then((answer) => reply(answering, role, answer));
  }

  function reply(answering: Answering, role: Role, answer: Reply): Promise<void> | undefined {
    const { request, response } = answering;
    if ('eventStream' in answer) {
      limits.openStream(request.socket, role);
      const stream = openEventStream(response, {
        daemon,
        heartbeatMs,
        lastSequence: () => lastSequence,
        headers: { ...CORS_HEADERS, [ROLE_HEADER]: role },
      });
      const onShutdown = shuttingDown.event(() => stream.dispose());
      response.on('close', () => onShutdown.dispose());
      return undefined;
    }
    if (mayHaveBody(request)) return discardBody(request).then(() => send(response, role, answer));
    return send(response, role, answer);
  }

  function send(response: ServerResponse, role: Role, answer: Exclude<Reply, { eventStream: true }>): Promise<void> | undefined {
    if ('lines' in answer) return sendLines(response, role, answer.lines);
    if ('json' in answer) sendJsonChunks(response, answer.json, role);
    else sendJson(response, 200, answer.body, role);
    return undefined;
  }

  async function fail(answering: Answering, error: unknown): Promise<void> {
    const { request, response } = answering;
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (!(error instanceof RestError && error.headers.Connection === 'close')) await discardBody(request);
    if (error instanceof RestError) {
      sendError(answering, error);
    } else if (error instanceof DaemonRequestError) {
      sendError(answering, fromDaemonRequestError(error));
    } else if (error instanceof InvalidMetadataRequestError) {
      sendError(answering, fromInvalidMetadataRequest(error));
    } else {
      const incident = randomUUID();
      const described = `${request.method ?? 'GET'} ${requestTarget(request.url)?.path ?? request.url ?? ''}`;
      log(
        `INTEGRATION-DAEMON-REST-500-001 incident ${incident}: ${described} failed: ${(error instanceof Error ? error.stack : undefined) ?? errorText(error)}`,
      );
      sendError(answering, restError('unexpected', [daemon.serverName, answering.action, incident]));
    }
  }

  /** Answers on a socket the HTTP layer has let go of, then closes it even if the client never does. */
  function refuseOnSocket(socket: Duplex, refusal: RestError, action: string): void {
    socket.on('error', () => socket.destroy());
    socket.end(rawResponse(refusal, action), () => socket.destroy());
  }

  // Kept from a connection's first request until the connection is gone.
  const connections = new WeakMap<Duplex, Connection>();

  /** A response is over (sent or cut off); one listener for all of them rather than a closure per request. */
  function answered(this: ServerResponse): void {
    const socket = this.req.socket;
    limits.release(socket);
    const connection = connections.get(socket);
    if (connection?.answering?.response === this) connection.answering = undefined;
  }

  // The API does not use Host, and Node's own refusal of a request without one is a bare 400 without the envelope.
  const server = createServer({ requireHostHeader: false, ...HTTP_TIMEOUTS }, (request, response) => {
    const socket = request.socket;
    // A connection refused for lack of room is closing; a request that slipped in on it gets no answer.
    if (!limits.holds(socket)) return;
    limits.touch(socket);
    let connection = connections.get(socket);
    if (connection === undefined) {
      connection = {
        answering: undefined,
        method: undefined,
        url: undefined,
        reading: undefined,
        authorization: undefined,
        role: undefined,
      };
      connections.set(socket, connection);
    }
    const answering: Answering = { request, response, responseClass: 'FFDCResponseBase', action: '', role: undefined, connection };
    connection.answering = answering;
    response.on('close', answered);
    handle(answering)?.catch((error: unknown) => {
      log(`INTEGRATION-DAEMON-REST-500-001 response failed: ${errorText(error)}`);
      response.destroy();
    });
  });
  // Without these, Node answers unreadable requests with a bare 400 (or drops CONNECT): give them the envelope.
  server.on('clientError', (error: ClientError, socket: Duplex) => {
    const current = connections.get(socket)?.answering;
    if (error.code === 'ECONNRESET' || !socket.writable || current?.response.headersSent === true) {
      socket.destroy();
      return;
    }
    const refusal = clientErrorRefusal(error);
    if (current !== undefined) {
      sendError({ ...current, responseClass: 'FFDCResponseBase', action: 'readRequest' }, refusal);
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
  const idleSweep = setInterval(() => limits.closeStalled(IDLE_SWEEPS), idleTimeoutMs(heartbeatMs) / IDLE_SWEEPS);
  idleSweep.unref();

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
        clearInterval(idleSweep);
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
