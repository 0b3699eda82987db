// The headers of the REST server's JSON answers: the same names, values and order on every answer, and for the
// kept answers (GET /status) a ready list, since building them was a visible share of the cost of that answer.
import { ROLE_HEADER } from '../../../shared/api/types.js';
import type { RouteContext } from './routes.js';

type Role = RouteContext['role'];

export const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  // A console on another origin reads the role to know which actions to offer.
  'Access-Control-Expose-Headers': `WWW-Authenticate, ${ROLE_HEADER}`,
};

const JSON_TYPE = 'application/json; charset=utf-8';
const EXPOSE_HEADERS = CORS_HEADERS['Access-Control-Expose-Headers'] as string;

/** The headers of every JSON answer (written as one literal: it is built for every request). */
export function jsonHeaders(length: number, role: Role | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': EXPOSE_HEADERS,
    'Content-Type': JSON_TYPE,
    'Content-Length': String(length),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
  if (role !== undefined) headers[ROLE_HEADER] = role;
  return headers;
}

/**
 * The headers of a kept JSON answer (GET /status) as the flat list writeHead takes, the names and order of
 * jsonHeaders. One list per role is kept while the length stays (an answer changes length only when its content
 * does), so the answer asked most often neither builds an object of headers nor formats its length per request.
 */
export class KeptAnswerHeaders {
  private readonly byRole = new Map<Role, { length: number; headers: string[] }>();

  // writeHead only reads the list (its type asks for a mutable one).
  of(length: number, role: Role): string[] {
    const kept = this.byRole.get(role);
    if (kept !== undefined && kept.length === length) return kept.headers;
    const headers = Object.entries(jsonHeaders(length, role)).flat();
    this.byRole.set(role, { length, headers });
    return headers;
  }
}
