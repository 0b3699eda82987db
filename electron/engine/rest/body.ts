// Reading and validating request bodies, once, at the edge. Egeria clients send several spellings of the same
// request (a NameRequestBody, a bare JSON string, nothing at all), so each schema accepts all of them.
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { restError } from './errors.js';
import { errorText } from '../../../shared/api/error-text.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the whole body, refusing (413) as soon as it passes `limit` bytes; never buffers more than that. */
export function readBody(request: IncomingMessage, path: string, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(restError('bodyTooLarge', [path, String(limit)], { Connection: 'close' }));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        refused = true;
        request.off('data', onData);
        // The rest is read and dropped while the refusal goes out: a paused request stops the socket, and the
        // client, blocked sending, would never read the answer.
        request.resume();
        chunks.length = 0;
        reject(restError('bodyTooLarge', [path, String(limit)], { Connection: 'close' }));
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks, size));
    });
    // A client that goes away (or breaks the framing) mid-body is a refused request, not a daemon failure.
    const aborted = (): void => {
      if (!refused) reject(restError('requestAborted', [path]));
    };
    request.on('error', aborted);
    request.on('close', aborted);
  });
}

/** Deeper than any real request body; validators and the configuration writer recurse, so deeper is refused here. */
export const MAX_BODY_DEPTH = 64;

/** Nesting depth of a parsed JSON value, counted without recursion (the value may be nested 100,000 deep). */
function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** Empty (or whitespace-only) body → undefined; otherwise parsed JSON or a 400 naming the parse error. */
export function parseJsonBody(raw: Buffer, path: string): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw restError('malformedJson', [path, errorText(error)]);
  }
  if (nestingDepth(value, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) {
    throw restError('invalidBody', [path, `(body): it is nested more than ${MAX_BODY_DEPTH} levels deep`]);
  }
  return value;
}

/**
 * Whether a body may still arrive: a request framed without Content-Length or Transfer-Encoding has none, even
 * before the parser has marked it complete.
 */
export function mayHaveBody(request: IncomingMessage): boolean {
  if (request.complete || request.readableEnded || request.destroyed) return false;
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) !== 0);
}

/**
 * Reads and drops what is left of a body the route did not need (up to the body limit), so closing the
 * connection after the answer does not reset it while the client is still sending and lose the answer.
 */
export function discardBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<void> {
  if (!mayHaveBody(request)) return Promise.resolve();
  return new Promise((resolve) => {
    let size = 0;
    const done = (): void => {
      request.off('data', onData);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) done();
    };
    request.on('data', onData);
    request.once('end', done);
    request.once('close', done);
    request.once('error', done);
    request.resume();
  });
}

export function validateBody<T>(schema: z.ZodType<T>, value: unknown, path: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(body)'}: ${issue.message}`)
    .join('; ');
  throw restError('invalidBody', [path, issues]);
}

const className = z.string().optional();

/** Optional connector name: a NameRequestBody, a bare JSON string, null, or no body at all. */
export const connectorNameBody = z
  .union([z.undefined(), z.null(), z.string(), z.looseObject({ class: className, name: z.string().nullish() })])
  .transform((body): string | undefined => {
    if (body === undefined || body === null) return undefined;
    const name = typeof body === 'string' ? body : body.name;
    return name === null || name === undefined || name.trim() === '' ? undefined : name;
  });

export const connectorConfigPropertiesBody = z.looseObject({
  class: className,
  connectorName: z.string().min(1).nullish(),
  mergeUpdate: z.boolean().optional(),
  configurationProperties: z.record(z.string(), z.unknown()).nullish(),
});

/** StringRequestBody `{"class":"StringRequestBody","string":"…"}` or a bare JSON string. */
export const stringBody = z
  .union([
    z.string().min(1, 'the address must not be empty'),
    z.looseObject({ class: className, string: z.string().min(1, 'the address must not be empty') }),
  ])
  .transform((body) => (typeof body === 'string' ? body : body.string));

export const objectKeyBody = z
  .union([z.undefined(), z.null(), z.looseObject({ objectKey: z.string().min(1).nullish() })])
  .transform((body) => body?.objectKey ?? undefined);

export const configurationBody = z.record(z.string(), z.unknown(), {
  error: 'the configuration document must be a JSON object',
});
