// Refusals of what Node's HTTP parser could not read (an oversized header, a timeout, malformed bytes): the same
// FFDC envelope as every other refusal, as a response object or, for a socket the parser has let go of, as raw text.
import { STATUS_CODES } from 'node:http';
import { envelopeFor, restError, type RestError } from './errors.js';
import { jsonHeaders } from './json-headers.js';

/** Node's HTTP parser refusals carry a fixed reason text (never request data or a stack). */
export type ClientError = Error & { code?: string; reason?: string };

/** The refusal for a request Node's HTTP parser could not read: it never reaches the request handler. */
export function clientErrorRefusal(error: ClientError): RestError {
  const detail = error.code === undefined ? 'the request is malformed' : error.reason ? `${error.code} (${error.reason})` : error.code;
  if (error.code === 'HPE_HEADER_OVERFLOW') return restError('headersTooLarge', [detail], { Connection: 'close' });
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return restError('requestTimeout', [detail], { Connection: 'close' });
  return restError('malformedRequest', [detail], { Connection: 'close' });
}

/** A whole HTTP response as text, for sockets the parser gave up on (there is no ServerResponse to write to). */
export function rawResponse(error: RestError, action: string): string {
  const text = JSON.stringify(envelopeFor(error, 'FFDCResponseBase', action));
  const headers = { ...jsonHeaders(Buffer.byteLength(text), undefined), ...error.headers, Connection: 'close' };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return `HTTP/1.1 ${error.httpCode} ${STATUS_CODES[error.httpCode] ?? ''}\r\n${head}\r\n${text}`;
}
