// Where audit records go: the console (Egeria's line format), a JSON-lines file with size-based rotation, and
// an in-memory ring that the REST API and the SSE stream read from.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { AuditRecord, AuditSeverity } from '../../../shared/api/types.js';
import type { AuditQuery } from '../daemon-api.js';

export interface AuditDestination {
  /** Shown in INTEGRATION-DAEMON-AUDIT-0001 when the destination fails, e.g. `jsonl /var/log/audit.jsonl`. */
  readonly name: string;
  /** Severities this destination stores; undefined or empty = all. */
  readonly severities?: ReadonlySet<AuditSeverity> | undefined;
  /** Synchronous so a record is stored before `log` returns; throwing marks the destination failing. */
  write(record: AuditRecord): void;
  close?(): void;
}

export function acceptsSeverity(destination: AuditDestination, severity: AuditSeverity): boolean {
  return destination.severities === undefined || destination.severities.size === 0 || destination.severities.has(severity);
}

function severitySet(severities: readonly AuditSeverity[] | undefined): ReadonlySet<AuditSeverity> | undefined {
  return severities === undefined || severities.length === 0 ? undefined : new Set(severities);
}

// ---------------------------------------------------------------------------------------------- console

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const zoneNames = new Map<string, string>();

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function offsetName(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  if (minutes === 0) return 'GMT';
  const sign = minutes > 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `GMT${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/**
 * Java's short zone name (`GMT`, `UTC`, `CET`, `EST`): en-US knows the American abbreviations, en-GB the
 * European ones; where neither has one Java prints `GMT+01:00`, and so do we.
 */
function zoneName(date: Date): string {
  // TZ=GMT and TZ=UTC are the same zone but Java (and Intl) name them differently, so TZ is part of the key;
  // the offset tells summer from winter time.
  const key = `${process.env.TZ ?? ''}|${date.getTimezoneOffset()}`;
  const cached = zoneNames.get(key);
  if (cached !== undefined) return cached;
  let name: string | undefined;
  for (const locale of ['en-US', 'en-GB']) {
    const part = new Intl.DateTimeFormat(locale, { timeZoneName: 'short' }).formatToParts(date).find((p) => p.type === 'timeZoneName');
    if (part && !/^(GMT|UTC)[+-]/.test(part.value)) {
      name = part.value;
      break;
    }
  }
  const result = name ?? offsetName(date);
  zoneNames.set(key, result);
  return result;
}

/** `Date.toString()` of Java, in the process time zone: `Tue Feb 02 20:57:50 GMT 2021`. */
export function javaDateString(date: Date): string {
  return `${DAYS[date.getDay()]} ${MONTHS[date.getMonth()]} ${pad2(date.getDate())} ${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())} ${zoneName(date)} ${date.getFullYear()}`;
}

/** Egeria's console line: `<date> <serverName> <severity> <messageId> <messageText>`. */
/**
 * Message texts carry outside data (file names, table names, third-party error messages). Line breaks in them would
 * forge further audit lines, control characters would drive the operator's terminal and bidirectional overrides would
 * make a name read as another, so all are shown escaped.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function consoleLine(record: AuditRecord): string {
  return `${javaDateString(new Date(record.timeStamp))} ${printable(record.serverName)} ${record.severity} ${printable(record.messageId)} ${printable(record.messageText)}`;
}

let stdoutError: Error | undefined;
let stdoutWatched = false;

/**
 * Standard output reports a closed pipe (EPIPE, the reader went away) as an 'error' event, which would end
 * the process if nobody listened. Listening turns it into a thrown error on the next write, so the audit log
 * marks the console failing and carries on with its other destinations.
 */
function writeStdout(line: string): void {
  if (!stdoutWatched) {
    stdoutWatched = true;
    process.stdout.on('error', (error: Error) => {
      stdoutError = error;
    });
  }
  if (stdoutError) throw stdoutError;
  process.stdout.write(line);
}

export class ConsoleDestination implements AuditDestination {
  readonly name = 'console';
  readonly severities: ReadonlySet<AuditSeverity> | undefined;
  private readonly out: (line: string) => void;

  constructor(options: { severities?: readonly AuditSeverity[] | undefined; write?: ((line: string) => void) | undefined } = {}) {
    this.severities = severitySet(options.severities);
    this.out = options.write ?? writeStdout;
  }

  write(record: AuditRecord): void {
    this.out(`${consoleLine(record)}\n`);
  }
}

// ---------------------------------------------------------------------------------------------- JSON lines

export interface JsonlFileOptions {
  /** The current file, e.g. `/var/lib/integration-daemon/audit.jsonl`; rotated files are `audit.1.jsonl`, … */
  path: string;
  /** Rotate before a record would take the current file past this size. */
  maxBytes: number;
  /** Rotated files kept beside the current one (`audit.1.jsonl` … `audit.<maxFiles>.jsonl`); 0 = none kept. */
  maxFiles: number;
  severities?: readonly AuditSeverity[] | undefined;
}

/** Path of the n-th rotated file: `audit.jsonl` → `audit.1.jsonl`; n = 0 is the current file. */
export function rotatedPath(path: string, n: number): string {
  if (n === 0) return path;
  const match = /^(.*?)(\.[^./\\]+)?$/.exec(path) as RegExpExecArray;
  return `${match[1]}.${n}${match[2] ?? ''}`;
}

export class JsonlFileDestination implements AuditDestination {
  readonly name: string;
  readonly severities: ReadonlySet<AuditSeverity> | undefined;
  readonly path: string;
  private readonly maxBytes: number;
  private readonly maxFiles: number;
  private fd: number | undefined;
  private size = 0;

  constructor(options: JsonlFileOptions) {
    if (!(options.maxBytes > 0))
      throw new RangeError(
        `INTEGRATION-DAEMON-AUDIT-0004 maxBytes of the audit file ${options.path} must be greater than 0, not ${options.maxBytes}.`,
      );
    if (!Number.isInteger(options.maxFiles) || options.maxFiles < 0)
      throw new RangeError(
        `INTEGRATION-DAEMON-AUDIT-0004 maxFiles of the audit file ${options.path} must be a whole number ≥ 0, not ${options.maxFiles}.`,
      );
    this.path = options.path;
    this.name = `jsonl ${options.path}`;
    this.maxBytes = options.maxBytes;
    this.maxFiles = options.maxFiles;
    this.severities = severitySet(options.severities);
  }

  write(record: AuditRecord): void {
    const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    this.ensureOpen();
    let rotationFailure: { error: unknown } | undefined;
    if (this.size > 0 && this.size + line.length > this.maxBytes) {
      try {
        this.rotate();
      } catch (error) {
        // The record is still written (to whichever file is open) before the failure is reported.
        rotationFailure = { error };
        this.ensureOpen();
      }
    }
    this.writeFully(line);
    if (rotationFailure) throw rotationFailure.error;
  }

  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private writeFully(buffer: Buffer): void {
    let offset = 0;
    while (offset < buffer.length) {
      const written = writeSync(this.fd as number, buffer, offset, buffer.length - offset);
      offset += written;
      this.size += written;
    }
  }

  private ensureOpen(): void {
    if (this.fd !== undefined) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const fd = openSync(this.path, 'a+');
    try {
      this.size = fstatSync(fd).size;
      // A daemon killed mid-write leaves half a line; start the next record on a line of its own.
      if (this.size > 0) {
        const last = Buffer.alloc(1);
        readSync(fd, last, 0, 1, this.size - 1);
        if (last[0] !== 0x0a) this.size += writeSync(fd, '\n');
      }
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.fd = fd;
  }

  private rotate(): void {
    this.close();
    if (this.maxFiles === 0) {
      rmSync(this.path, { force: true });
    } else {
      rmSync(rotatedPath(this.path, this.maxFiles), { force: true });
      for (let n = this.maxFiles - 1; n >= 0; n--) {
        const from = rotatedPath(this.path, n);
        if (existsSync(from)) renameSync(from, rotatedPath(this.path, n + 1));
      }
    }
    this.ensureOpen();
  }
}

// ---------------------------------------------------------------------------------------------- memory ring

export class MemoryRingDestination implements AuditDestination {
  readonly name = 'memory';
  readonly severities: ReadonlySet<AuditSeverity> | undefined;
  readonly capacity: number;
  private readonly records: Array<{ record: AuditRecord; time: number } | undefined>;
  private next = 0;
  private count = 0;

  constructor(options: { capacity: number; severities?: readonly AuditSeverity[] | undefined }) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1)
      throw new RangeError(
        `INTEGRATION-DAEMON-AUDIT-0004 The capacity of the in-memory audit log must be a whole number ≥ 1, not ${options.capacity}.`,
      );
    this.capacity = options.capacity;
    this.records = new Array<{ record: AuditRecord; time: number } | undefined>(options.capacity);
    this.severities = severitySet(options.severities);
  }

  get size(): number {
    return this.count;
  }

  write(record: AuditRecord): void {
    this.records[this.next] = { record, time: Date.parse(record.timeStamp) };
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** The newest `limit` records matching the query, oldest first (newest last). */
  query(query: AuditQuery): AuditRecord[] {
    const severities = query.severity && query.severity.length > 0 ? new Set(query.severity) : undefined;
    const limit = Math.max(0, Math.floor(query.limit));
    const found: AuditRecord[] = [];
    for (let i = 0; i < this.count && found.length < limit; i++) {
      const slot = this.records[(this.next - 1 - i + this.capacity) % this.capacity] as { record: AuditRecord; time: number };
      if (query.since !== undefined && slot.time < query.since) continue;
      if (severities && !severities.has(slot.record.severity)) continue;
      if (query.connectorName !== undefined && slot.record.connectorName !== query.connectorName) continue;
      found.push(slot.record);
    }
    return found.reverse();
  }
}

// ---------------------------------------------------------------------------------------------- from config

export type AuditDestinationConfig =
  | { kind: 'console'; severities?: AuditSeverity[] | undefined }
  | { kind: 'jsonl'; path: string; maxBytes: number; maxFiles: number; severities?: AuditSeverity[] | undefined }
  | { kind: 'memory'; capacity: number; severities?: AuditSeverity[] | undefined };

/** Builds the destinations of `auditLog.destinations`; relative file paths resolve against `baseDirectory`. */
export function createDestinations(
  configs: readonly AuditDestinationConfig[],
  options: { baseDirectory: string; consoleWrite?: (line: string) => void },
): AuditDestination[] {
  return configs.map((config) => {
    switch (config.kind) {
      case 'console':
        return new ConsoleDestination({ severities: config.severities, write: options.consoleWrite });
      case 'jsonl':
        return new JsonlFileDestination({
          path: isAbsolute(config.path) ? config.path : resolve(join(options.baseDirectory, config.path)),
          maxBytes: config.maxBytes,
          maxFiles: config.maxFiles,
          severities: config.severities,
        });
      case 'memory':
        return new MemoryRingDestination({ capacity: config.capacity, severities: config.severities });
    }
  });
}
