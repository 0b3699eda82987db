// The elements of a metadata source that had none, written with COPY in its binary format: the server then stores
// them a page at a time (heap multi-insert) instead of row by row through INSERT ... SELECT FROM unnest, with less
// executor work and WAL per row. Each row is what INSERT_NEW_ELEMENTS would write: a new time-ordered guid, the
// transaction's time (now()) as create and update time, version 1 and archived false by the column defaults.
import { randomFillSync } from 'node:crypto';
import type pg from 'pg';
import { stampGuid } from '../guid.js';
import type { PreparedElement } from '../requests.js';
import { CopyFromStdin } from './copy.js';

export const COPY_NEW_ELEMENTS = `COPY metadata_elements (guid, metadata_source, qualified_name, type_name, properties,
  fingerprint, create_time, update_time) FROM STDIN (FORMAT binary)`;

/** now() in PostgreSQL's binary timestamptz form: microseconds since 2000-01-01 00:00 UTC (exact: extract is numeric). */
const TRANSACTION_TIME = `SELECT ((extract(epoch FROM now()) * 1000000)::int8 - 946684800000000)::text AS micros`;

/** The file header: signature, flags (no oids), no header extension. */
const FILE_HEADER = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');
const FILE_TRAILER = Buffer.from([0xff, 0xff]);
const FIELDS = 8;
const JSONB_VERSION = 1;
/** Per row, besides its strings: field count, guid, the four strings' lengths, jsonb version, two timestamps. */
const ROW_FIXED_BYTES = 2 + 20 + 4 * 4 + 1 + 2 * 12;

/**
 * One batch of new elements as one COPY on `client`, in the transaction the caller opened. `parts` yields the batch a
 * part at a time; each is sent before the next is asked for, so the server stores one while the next is prepared.
 * A failure to prepare a part abandons the COPY (the transaction then fails) and is rethrown.
 */
export async function copyNewElements(client: pg.PoolClient, source: string, parts: Iterable<readonly PreparedElement[]>): Promise<number> {
  const micros = (await client.query<{ micros: string }>(TRANSACTION_TIME)).rows[0]?.micros;
  if (micros === undefined) throw new Error('PostgreSQL did not say the time of the transaction.');
  const now = Buffer.allocUnsafe(8);
  now.writeBigInt64BE(BigInt(micros));
  const sourceBytes = Buffer.from(source, 'utf8');
  const copy = client.query(new CopyFromStdin(COPY_NEW_ELEMENTS));
  await copy.started;
  copy.write(FILE_HEADER);
  try {
    for (const part of parts) {
      copy.write(encodeRows(part, sourceBytes, now, Date.now()));
      if (copy.failed) break;
    }
  } catch (error) {
    await copy.abandon('the batch could not be prepared');
    throw error;
  }
  copy.write(FILE_TRAILER);
  return copy.end();
}

/** The rows of `elements` in COPY's binary tuple format, each with a new guid of time `guidTime`. */
export function encodeRows(elements: readonly PreparedElement[], source: Buffer, now: Buffer, guidTime: number): Buffer {
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
  const timestamp = (): void => {
    buffer.writeInt32BE(8, at);
    now.copy(buffer, at + 4);
    at += 12;
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
    timestamp();
    timestamp();
  }
  return buffer.subarray(0, at);
}
