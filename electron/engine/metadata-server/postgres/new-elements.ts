// The elements of a metadata source that had none, written with COPY in its binary format: the server then stores
// them a page at a time (heap multi-insert) instead of row by row through INSERT ... SELECT FROM unnest, with less
// executor work and WAL per row. Each row is what an INSERT would write: a new time-ordered guid, and by the column
// defaults the transaction's time (now()) as create and update time, version 1 and archived false.
import { randomFillSync } from 'node:crypto';
import type pg from 'pg';
import { stampGuid } from '../guid.js';
import type { PreparedElement } from '../requests.js';
import { CopyFromStdin } from './copy.js';

export const COPY_NEW_ELEMENTS = `COPY metadata_elements (guid, metadata_source, qualified_name, type_name, properties,
  fingerprint) FROM STDIN (FORMAT binary)`;

/** The file header: signature, flags (no oids), no header extension. */
const FILE_HEADER = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');
const FILE_TRAILER = Buffer.from([0xff, 0xff]);
const FIELDS = 6;
const JSONB_VERSION = 1;
/** Per row, besides its strings: field count, guid, the five strings' lengths, jsonb version. */
const ROW_FIXED_BYTES = 2 + 20 + 5 * 4 + 1;

/** A batch of new elements in COPY's binary format, ready to send: encoded before its turn on the server comes. */
export function encodeNewElements(source: string, parts: Iterable<readonly PreparedElement[]>): Buffer[] {
  const sourceBytes = Buffer.from(source, 'utf8');
  const chunks: Buffer[] = [FILE_HEADER];
  for (const part of parts) chunks.push(encodeRows(part, sourceBytes, Date.now()));
  chunks.push(FILE_TRAILER);
  return chunks;
}

/** One encoded batch as one COPY on `client`, in the transaction the caller opened; resolves with the rows stored. */
export async function copyNewElements(client: pg.PoolClient, chunks: readonly Buffer[]): Promise<number> {
  const copy = client.query(new CopyFromStdin(COPY_NEW_ELEMENTS));
  await copy.started;
  for (const chunk of chunks) copy.write(chunk);
  return copy.end();
}

/** The rows of `elements` in COPY's binary tuple format, each with a new guid of time `guidTime`. */
export function encodeRows(elements: readonly PreparedElement[], source: Buffer, guidTime: number): Buffer {
  // A UTF-16 code unit takes at most 3 bytes in UTF-8: sized once by that bound, each string is written once.
  let bound = elements.length * (ROW_FIXED_BYTES + source.length);
  for (const e of elements) bound += 3 * (e.qualifiedName.length + e.typeName.length + e.properties.length + e.fingerprint.length);
  const buffer = Buffer.allocUnsafe(bound);
  const random = randomFillSync(Buffer.allocUnsafe(elements.length * 16));
  let at = 0;
  const text = (value: string, prefix: number): void => {
    const start = at + 4;
    let end = start;
    if (prefix !== 0) buffer[end++] = prefix;
    end += buffer.write(value, end);
    buffer.writeInt32BE(end - start, at);
    at = end;
  };
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i] as PreparedElement;
    buffer.writeInt16BE(FIELDS, at);
    buffer.writeInt32BE(16, at + 2);
    random.copy(buffer, at + 6, i * 16, i * 16 + 16);
    stampGuid(buffer, at + 6, guidTime);
    at += 22;
    buffer.writeInt32BE(source.length, at);
    source.copy(buffer, at + 4);
    at += 4 + source.length;
    text(e.qualifiedName, 0);
    text(e.typeName, 0);
    text(e.properties, JSONB_VERSION);
    text(e.fingerprint, 0);
  }
  return buffer.subarray(0, at);
}
