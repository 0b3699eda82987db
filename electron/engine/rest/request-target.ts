// Where a REST request is aimed: its path and query, the path's decoded segments, and whether they fall under the
// daemon's base or the platform's registered-services path. Read for every request, so the plain targets every client
// sends are split by hand, anything a URL parser would rewrite goes through the URL parser, and each server keeps the
// readings of the few targets its clients ask for over and over (TargetReadings).
import { matchRoute, type MatchResult, type RouteContext } from './routes.js';

export interface RequestTarget {
  /** The path as requested (after the URL parser's rewriting, for targets that need it), for messages and matching. */
  path: string;
  /** The query without its `?`; empty when there is none. */
  query: string;
}

/**
 * Targets the URL parser leaves as they are: printable ASCII from the path and query character sets, no fragment,
 * no backslash, and (checked apart) no dot segment. Everything else is rewritten by the parser (`/a/../b` is `/b`,
 * `\` is `/`, `"` and non-ASCII are percent-encoded), so it takes the parser's road to keep its answers.
 */
const PLAIN_TARGET = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*(?:\?[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*)?$/;
const DOT_SEGMENT = /\/(?:\.|%2e)/i;

/** The request target's path and query, or undefined if it is not a path (origin form) the URL parser accepts. */
export function requestTarget(target: string | undefined): RequestTarget | undefined {
  if (target === undefined || !target.startsWith('/')) return undefined;
  if (PLAIN_TARGET.test(target)) {
    const mark = target.indexOf('?');
    const path = mark < 0 ? target : target.slice(0, mark);
    if (!DOT_SEGMENT.test(path)) return { path, query: mark < 0 ? '' : target.slice(mark + 1) };
  }
  try {
    // A leading `//` stays part of the path instead of becoming a host name.
    const url = new URL(`http://daemon.invalid${target}`);
    return { path: url.pathname, query: url.search.slice(1) };
  } catch {
    return undefined;
  }
}

/** Splits a path into decoded segments (empty ones dropped), or undefined if it is not correctly percent-encoded. */
export function decodeSegments(path: string): string[] | undefined {
  const parts = path.split('/');
  const segments: string[] = [];
  for (const part of parts) {
    if (part === '') continue;
    if (!part.includes('%')) {
      segments.push(part);
      continue;
    }
    try {
      segments.push(decodeURIComponent(part));
    } catch {
      return undefined;
    }
  }
  return segments;
}

export interface Target {
  kind: 'daemon' | 'platform';
  serverName?: string;
  /** Absent under Egeria's newest base, where the bearer token (or `?delegatingUserId=`) names the user. */
  userId?: string;
  base: RouteContext['base'];
  rest: string[];
}

/** The user of the platform's registered-services path from `from` on, or undefined if it is not that path. */
function platformUser(segments: readonly string[], from: number): string | undefined {
  return segments.length === from + 5 &&
    segments[from] === 'users' &&
    segments[from + 2] === 'server-platform' &&
    segments[from + 3] === 'registered-services' &&
    segments[from + 4] === 'integration-services'
    ? segments[from + 1]
    : undefined;
}

/**
 * Where a request is aimed: under the daemon base, or the platform's registered-services path (also in the
 * seed's spelling with a /servers/{serverName} prefix, because operators copy it from there).
 */
export function locate(segments: string[]): Target | undefined {
  const s0 = segments[0];
  const s1 = segments[1];
  if (s0 === 'servers' && s1 !== undefined && segments[2] === 'open-metadata' && segments[3] === 'integration-daemon') {
    const s5 = segments[5];
    if (segments[4] === 'users' && s5 !== undefined) {
      return { kind: 'daemon', serverName: s1, userId: s5, base: 'users', rest: segments.slice(6) };
    }
    return { kind: 'daemon', serverName: s1, base: 'token', rest: segments.slice(4) };
  }
  if (s0 === 'open-metadata' && s1 === 'platform-services') {
    const userId = platformUser(segments, 2);
    if (userId !== undefined) return { kind: 'platform', userId, base: 'users', rest: [] };
  }
  if (s0 === 'servers' && s1 !== undefined && segments[2] === 'platform-services') {
    const userId = platformUser(segments, 3);
    if (userId !== undefined) return { kind: 'platform', serverName: s1, userId, base: 'users', rest: [] };
  }
  return undefined;
}

/** A request target read as far as routing goes. Readings are kept and shared by requests, so none is changed. */
export interface TargetReading {
  target: RequestTarget | undefined;
  /** False when the path is not correctly percent-encoded. */
  encoded: boolean;
  located: Target | undefined;
  /** Under the daemon base only. */
  matched: MatchResult | undefined;
}

/** Distinct request targets whose reading is kept; real clients poll a handful. */
const MAX_KEPT_TARGETS = 64;
/** Longer targets are read afresh each time, so the kept readings stay small whatever clients send. */
const MAX_KEPT_TARGET_LENGTH = 1_024;

/** Reads a target: a pure function of the method and the target, so its answer can be kept for the next request. */
function readTarget(method: string, url: string | undefined): TargetReading {
  const target = requestTarget(url);
  const segments = target === undefined ? undefined : decodeSegments(target.path);
  const located = segments === undefined ? undefined : locate(segments);
  const matched = located?.kind === 'daemon' ? matchRoute(located.rest, method) : undefined;
  if (matched?.kind === 'match') Object.freeze(matched.match.params);
  return { target, encoded: segments !== undefined, located, matched };
}

/**
 * The readings of the targets a server was asked for. Clients ask for the same few over and over (the console polls
 * GET /status): splitting, decoding and matching a target afresh cost GET /status about 2 µs of the daemon's 40 µs
 * CPU per request.
 */
export class TargetReadings {
  /** Per method, then per target as the parser gave it: no key is joined (and hashed afresh) per request. */
  private readonly kept = new Map<string, Map<string, TargetReading>>();
  private size = 0;

  read(method: string, url: string | undefined): TargetReading {
    if (url === undefined || url.length > MAX_KEPT_TARGET_LENGTH) return readTarget(method, url);
    let ofMethod = this.kept.get(method);
    let reading = ofMethod?.get(url);
    if (reading === undefined) {
      reading = readTarget(method, url);
      if (this.size >= MAX_KEPT_TARGETS) {
        this.kept.clear();
        this.size = 0;
        ofMethod = undefined;
      }
      if (ofMethod === undefined) this.kept.set(method, (ofMethod = new Map<string, TargetReading>()));
      ofMethod.set(url, reading);
      this.size++;
    }
    return reading;
  }
}
