// Reading and validating request bodies, once, at the edge. Egeria clients send several spellings of the same
// request (a NameRequestBody, a bare JSON string, nothing at all), so each schema accepts all of them.
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { restError } from './errors.js';

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
        request.pause();
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
    request.on('error', (error) => {
      if (!refused) reject(error);
    });
  });
}

/** Empty (or whitespace-only) body → undefined; otherwise parsed JSON or a 400 naming the parse error. */
export function parseJsonBody(raw: Buffer, path: string): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw restError('malformedJson', [path, error instanceof Error ? error.message : String(error)]);
  }
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
  .union([
    z.undefined(),
    z.null(),
    z.string(),
    z.looseObject({ class: className, name: z.string().nullish() }),
  ])
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
  .union([z.string().min(1, 'the address must not be empty'), z.looseObject({ class: className, string: z.string().min(1, 'the address must not be empty') })])
  .transform((body) => (typeof body === 'string' ? body : body.string));

export const objectKeyBody = z
  .union([z.undefined(), z.null(), z.looseObject({ objectKey: z.string().min(1).nullish() })])
  .transform((body) => body?.objectKey ?? undefined);

export const configurationBody = z.record(z.string(), z.unknown(), {
  error: 'the configuration document must be a JSON object',
});
