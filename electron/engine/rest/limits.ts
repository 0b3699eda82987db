// The REST server's budget of connections and event streams, in total and per token (see config/rest-limits.ts).
// A full server makes room by closing the least recently used idle connection (an idle keep-alive connection, a
// request still sending its headers, a request without a token) rather than refusing the newcomer, so a flood of
// half-open or anonymous connections cannot lock anyone out; only connections busy with an authenticated request
// or an event stream are never taken, and each token may hold at most a bounded share of those. Both tokens at
// their limit leave connections over (validated), which is what keeps GET /health answerable.
import type { Socket } from 'node:net';
import type { RestLimits } from '../config/rest-limits.js';
import { restError } from './errors.js';
import type { RouteContext } from './routes.js';

type Role = RouteContext['role'];

interface Held {
  /** The token of the connection's latest authenticated request; undefined until one arrives. */
  role: Role | undefined;
  /** An authenticated request is being answered on it. */
  busy: boolean;
  stream: boolean;
  /** Bytes read and written (handed to the system) when last swept. */
  moved: number;
  /** Sweeps in a row that found nothing moved. */
  stillSweeps: number;
  /** When a request last arrived on it (or it was admitted), in requests served: least recently used is lowest. */
  lastUsed: number;
}

const RETRY_AFTER_SECONDS = '5';

/**
 * Node's HTTP timeouts: a request must bring its headers within 8 s and its body within 30 s, checked every
 * second, so a connection that sends nothing or half a request is closed (408) within 10 s.
 */
export const HTTP_TIMEOUTS = Object.freeze({
  headersTimeout: 8_000,
  requestTimeout: 30_000,
  connectionsCheckingInterval: 1_000,
  keepAliveTimeout: 5_000,
});

/** How long nothing may move on a connection: well past an event stream's heartbeat, which a reading client drains. */
export function idleTimeoutMs(heartbeatMs: number): number {
  return Math.max(60_000, 4 * heartbeatMs);
}

/** The idle guard sweeps this many times per idle timeout: a stalled connection is closed within 1.25 of it. */
export const IDLE_SWEEPS = 4;

/** How long a refused client still sending its body is given to read the answer before its connection is closed. */
const LINGER_MS = 2_000;

/**
 * After a refusal that closes the connection (413, 429) the client may still be sending: closing at once would
 * reset the connection and the client would lose the answer. Node closes the connection once the answer is out;
 * for this one, only its sending side is closed, what still arrives is read and dropped, and the connection is
 * closed when the client closes its side or after LINGER_MS.
 */
export function closeAfterAnswer(socket: Socket): void {
  socket.destroySoon = () => {
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.end();
  };
}

export class ConnectionLimits {
  private readonly held = new Map<Socket, Held>();
  /**
   * Counts arrivals, to order connections by last use. A number per request rather than moving the connection to
   * the end of the map: a delete and set per request (and the map's rehashing) cost GET /status more than the
   * scan for the least recently used connection, which only a full server or token makes.
   */
  private uses = 0;

  constructor(private readonly limits: RestLimits) {}

  /** A new connection: true once it holds a place (made by closing the least recently used idle one if need be). */
  admit(socket: Socket): boolean {
    if (this.held.size >= this.limits.maxConnections && !this.closeIdle(() => true)) return false;
    this.held.set(socket, { role: undefined, busy: false, stream: false, moved: 0, stillSweeps: 0, lastUsed: ++this.uses });
    socket.once('close', () => this.held.delete(socket));
    return true;
  }

  get maxConnections(): number {
    return this.limits.maxConnections;
  }

  /** Whether the connection was admitted (and is still open); requests on a refused one are not answered. */
  holds(socket: Socket): boolean {
    return this.held.has(socket);
  }

  /** A request arrived: its connection becomes the most recently used. */
  touch(socket: Socket): void {
    const held = this.held.get(socket);
    if (held !== undefined) held.lastUsed = ++this.uses;
  }

  /**
   * The request on `socket` authenticated as `role`: the connection now counts against that token and is busy
   * until `release`. Throws the 429 refusal when the token holds its limit and none of its connections is idle.
   */
  claim(socket: Socket, role: Role): void {
    const held = this.held.get(socket);
    if (held === undefined) return;
    if (held.role !== role) {
      const limit = this.limits.maxConnectionsPerToken;
      if (this.count((h) => h.role === role) >= limit && !this.closeIdle((h) => h.role === role)) {
        throw restError('tokenConnectionLimit', [role, String(limit)], { 'Retry-After': RETRY_AFTER_SECONDS, Connection: 'close' });
      }
      held.role = role;
    }
    held.busy = true;
  }

  /** The answer (or the event stream) is over: its connection may be closed again when room is needed. */
  release(socket: Socket): void {
    const held = this.held.get(socket);
    if (held === undefined) return;
    held.busy = false;
    held.stream = false;
  }

  /** An event stream is about to open on a claimed connection; throws 429 (this token) or 503 (all) at the limit. */
  openStream(socket: Socket, role: Role): void {
    const perToken = this.limits.maxEventStreamsPerToken;
    if (this.count((h) => h.stream && h.role === role) >= perToken) {
      throw restError('tokenStreamLimit', [role, String(perToken)], { 'Retry-After': RETRY_AFTER_SECONDS });
    }
    if (this.count((h) => h.stream) >= this.limits.maxEventStreams) {
      throw restError('streamLimit', [String(this.limits.maxEventStreams)], { 'Retry-After': RETRY_AFTER_SECONDS });
    }
    const held = this.held.get(socket);
    if (held !== undefined) held.stream = true;
  }

  /**
   * The idle guard, one sweep: closes each connection on which nothing has moved for `sweeps` sweeps in a row (a
   * client that stopped reading an answer or an event stream), except one waiting for the daemon to answer its
   * request. Bytes still queued for the client are not movement: a stalled event stream keeps queueing heartbeats.
   * Swept rather than a timeout per connection: Node re-arms a socket's timeout on every request and every write,
   * which cost GET /status about 5% of its throughput against a bare server.
   */
  closeStalled(sweeps: number): void {
    for (const [socket, held] of this.held) {
      const moved = socket.bytesRead + socket.bytesWritten - socket.writableLength;
      if (moved !== held.moved || (held.busy && !held.stream)) {
        held.moved = moved;
        held.stillSweeps = 0;
      } else if (++held.stillSweeps >= sweeps) {
        this.held.delete(socket);
        socket.destroy();
      }
    }
  }

  private count(matches: (held: Held) => boolean): number {
    let n = 0;
    for (const held of this.held.values()) if (matches(held)) n++;
    return n;
  }

  /** Closes the least recently used connection that is not busy and matches; false when there is none. */
  private closeIdle(matches: (held: Held) => boolean): boolean {
    let oldest: [Socket, Held] | undefined;
    for (const entry of this.held) {
      const held = entry[1];
      if (held.busy || held.stream || !matches(held)) continue;
      if (oldest === undefined || held.lastUsed < oldest[1].lastUsed) oldest = entry;
    }
    if (oldest === undefined) return false;
    this.held.delete(oldest[0]);
    oldest[0].destroy();
    return true;
  }
}
