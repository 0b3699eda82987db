// Which PostgreSQL failures mean "the metadata server is not answering" (the breaker's business) rather than "this
// request is wrong": Node socket errors, SQLSTATEs of a server shutting down or full, and the texts pg reports
// without a code. Told apart by code, never by guessing from a request's own error message.
import { errorCode } from '../../../connector-sdk/index.js';
import { errorText } from '../../../../shared/api/error-text.js';

/** Node socket errors and PostgreSQL SQLSTATEs that mean the server is down, restarting or unreachable. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNABORTED',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, recovering)
  '53300', // too_many_connections
]);

/** pg reports these without a code. */
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /Client has encountered a connection error and is not queryable/i,
  /Cannot use a pool after calling end on the pool/i,
];

/** Failures of a connection that was already open: the pool hands out a fresh one, so one retry is worth it. */
const BROKEN_CONNECTION = /Connection terminated|not queryable|ECONNRESET|EPIPE|57P01|57P02/i;

export function isConnectionFailure(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  // Node reports a refused connection to a host with several addresses as an AggregateError.
  if (error instanceof AggregateError) return error.errors.some(isConnectionFailure);
  const message = error instanceof Error ? error.message : '';
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
}

export function isBrokenConnection(error: unknown): boolean {
  return BROKEN_CONNECTION.test(`${errorCode(error) ?? ''} ${failureText(error)}`);
}

/** The failure in one line, with its code in front when the message does not already show it. */
export function failureText(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error && error.message === '' ? String(error) : errorText(error);
  return code !== undefined && !message.includes(code) ? `${code} ${message}` : message;
}

/** A unique index refused a row (SQLSTATE unique_violation). */
export function isUniqueViolation(error: unknown): boolean {
  return errorCode(error) === '23505';
}
