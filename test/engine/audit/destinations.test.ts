import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../shared/api/types.js';
import {
  ConsoleDestination,
  JsonlFileDestination,
  MemoryRingDestination,
  consoleLine,
  createDestinations,
  javaDateString,
  rotatedPath,
} from '../../../electron/engine/audit/destinations.js';
import { AuditLog } from '../../../electron/engine/audit/log.js';

function record(sequence: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    sequence,
    timeStamp: new Date(Date.UTC(2021, 1, 2, 20, 57, 50) + sequence).toISOString(),
    serverName: 'exchangeDL01',
    severity: 'Information',
    messageId: 'INTEGRATION-DAEMON-SERVICES-0042',
    messageText: `The integration daemon thread is refreshing integration connector c${sequence} in integration daemon exchangeDL01`,
    messageParameters: [`c${sequence}`, 'exchangeDL01'],
    ...overrides,
  };
}

const savedTz = process.env.TZ;
function withTz<T>(tz: string, fn: () => T): T {
  process.env.TZ = tz;
  try {
    return fn();
  } finally {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  }
}

describe('console destination', () => {
  const feb2 = new Date(Date.UTC(2021, 1, 2, 20, 57, 50));
  it('prints Java Date.toString in the process time zone', () => {
    expect(withTz('GMT', () => javaDateString(feb2))).toBe('Tue Feb 02 20:57:50 GMT 2021');
    expect(withTz('UTC', () => javaDateString(feb2))).toBe('Tue Feb 02 20:57:50 UTC 2021');
    expect(withTz('Europe/London', () => javaDateString(feb2))).toBe('Tue Feb 02 20:57:50 GMT 2021');
    expect(withTz('Europe/London', () => javaDateString(new Date(Date.UTC(2021, 6, 1, 8, 5, 9))))).toBe('Thu Jul 01 09:05:09 BST 2021');
    expect(withTz('Europe/Berlin', () => javaDateString(feb2))).toBe('Tue Feb 02 21:57:50 CET 2021');
    expect(withTz('America/New_York', () => javaDateString(feb2))).toBe('Tue Feb 02 15:57:50 EST 2021');
    expect(withTz('Asia/Kolkata', () => javaDateString(feb2))).toBe('Wed Feb 03 02:27:50 GMT+05:30 2021');
  });

  it("writes the seed's line format, one line per record", () => {
    const lines: string[] = [];
    const console = new ConsoleDestination({ write: (l) => lines.push(l) });
    withTz('GMT', () =>
      console.write(
        record(0, {
          severity: 'Startup',
          messageId: 'INTEGRATION-DAEMON-SERVICES-0001',
          messageText: 'The integration daemon services are initializing in server exchangeDL01',
        }),
      ),
    );
    expect(lines).toEqual([
      'Tue Feb 02 20:57:50 GMT 2021 exchangeDL01 Startup INTEGRATION-DAEMON-SERVICES-0001 The integration daemon services are initializing in server exchangeDL01\n',
    ]);
    expect(withTz('GMT', () => consoleLine(record(0)))).toMatch(
      /^Tue Feb 02 20:57:50 GMT 2021 exchangeDL01 Information INTEGRATION-DAEMON-SERVICES-0042 /,
    );
  });

  it('shows line breaks and control characters from outside data escaped, so a file name cannot forge a line or drive the terminal', () => {
    const forged = 'weekly.csv\nTue Feb 02 20:57:51 GMT 2021 exchangeDL01 Information FORGED-0001 all is well\r\u001b[2J\u009b31m\u2028';
    const line = withTz('GMT', () => consoleLine(record(0, { messageText: `The file ${forged} was catalogued` })));
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(line).toContain(
      'weekly.csv\\nTue Feb 02 20:57:51 GMT 2021 exchangeDL01 Information FORGED-0001 all is well\\r\\u001b[2J\\u009b31m\\u2028 was catalogued',
    );
    expect(withTz('GMT', () => consoleLine(record(0, { messageText: 'tab\tstays' })))).toContain('tab\tstays');
  });
});

describe('JSON-lines file destination', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-jsonl-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const fresh = () => {
    const d = join(dir, `case${n++}`);
    mkdirSync(d);
    return d;
  };

  function readAll(d: string): AuditRecord[] {
    const files = readdirSync(d)
      .filter((f) => f.endsWith('.jsonl'))
      .sort((a, b) => order(b) - order(a));
    return files.flatMap((f) =>
      readFileSync(join(d, f), 'utf8')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as AuditRecord),
    );
  }
  const order = (f: string) => (f === 'audit.jsonl' ? 0 : Number(/\.(\d+)\.jsonl$/.exec(f)?.[1]));

  it('names rotated files audit.1.jsonl, audit.2.jsonl, …', () => {
    expect(rotatedPath('/x/audit.jsonl', 0)).toBe('/x/audit.jsonl');
    expect(rotatedPath('/x/audit.jsonl', 3)).toBe('/x/audit.3.jsonl');
    expect(rotatedPath('/x/audit', 1)).toBe('/x/audit.1');
  });

  it('rotates by size, keeps maxFiles rotated files, and loses no record that fits in them', () => {
    const d = fresh();
    const path = join(d, 'audit.jsonl');
    const lineBytes = Buffer.byteLength(`${JSON.stringify(record(100))}\n`);
    const file = new JsonlFileDestination({ path, maxBytes: lineBytes * 10, maxFiles: 3 });
    for (let i = 100; i < 140; i++) file.write(record(i));
    file.close();
    expect(readdirSync(d).sort()).toEqual(['audit.1.jsonl', 'audit.2.jsonl', 'audit.3.jsonl', 'audit.jsonl']);
    for (const f of readdirSync(d)) expect(readFileSync(join(d, f)).length).toBeLessThanOrEqual(lineBytes * 10);
    // 4 files × 10 records = the newest 40 records, complete and in order.
    expect(readAll(d).map((r) => r.sequence)).toEqual(Array.from({ length: 40 }, (_, i) => 100 + i));
  });

  it('drops only the oldest file when it rotates past maxFiles', () => {
    const d = fresh();
    const path = join(d, 'audit.jsonl');
    const lineBytes = Buffer.byteLength(`${JSON.stringify(record(100))}\n`);
    const file = new JsonlFileDestination({ path, maxBytes: lineBytes * 5, maxFiles: 2 });
    for (let i = 100; i < 130; i++) file.write(record(i));
    file.close();
    expect(readAll(d).map((r) => r.sequence)).toEqual(Array.from({ length: 15 }, (_, i) => 115 + i));
  });

  it('keeps no rotated file with maxFiles 0, and writes a record bigger than maxBytes on its own', () => {
    const d = fresh();
    const path = join(d, 'audit.jsonl');
    const file = new JsonlFileDestination({ path, maxBytes: 1024, maxFiles: 0 });
    file.write(record(1));
    file.write(record(2, { messageText: 'x'.repeat(5000) }));
    file.write(record(3));
    file.close();
    expect(readdirSync(d)).toEqual(['audit.jsonl']);
    expect(readAll(d).map((r) => r.sequence)).toEqual([3]);
  });

  it('appends to an existing file across restarts and repairs a half-written last line', () => {
    const d = fresh();
    const path = join(d, 'audit.jsonl');
    writeFileSync(path, `${JSON.stringify(record(1))}\n{"sequence":2,"timeSt`);
    const file = new JsonlFileDestination({ path, maxBytes: 1_000_000, maxFiles: 1 });
    file.write(record(3));
    file.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(JSON.parse(lines[0]!).sequence).toBe(1);
    expect(lines[1]).toBe('{"sequence":2,"timeSt');
    expect(JSON.parse(lines[2]!).sequence).toBe(3);
  });

  it('creates the directory of the file', () => {
    const d = fresh();
    const file = new JsonlFileDestination({ path: join(d, 'nested', 'deeper', 'audit.jsonl'), maxBytes: 10_000, maxFiles: 1 });
    file.write(record(1));
    file.close();
    expect(readdirSync(join(d, 'nested', 'deeper'))).toEqual(['audit.jsonl']);
  });

  it('refuses nonsense limits with a message id', () => {
    expect(() => new JsonlFileDestination({ path: 'x', maxBytes: 0, maxFiles: 1 })).toThrow(/INTEGRATION-DAEMON-AUDIT-0004/);
    expect(() => new JsonlFileDestination({ path: 'x', maxBytes: 10, maxFiles: -1 })).toThrow(/INTEGRATION-DAEMON-AUDIT-0004/);
  });

  // Skipped only where the system has no /dev/full (it is Linux's device that refuses every write with ENOSPC).
  it.skipIf(!existsSync('/dev/full'))('fails only itself on a full disk (/dev/full); the ring keeps every record', () => {
    const file = new JsonlFileDestination({ path: '/dev/full', maxBytes: 100_000, maxFiles: 0 });
    const ring = new MemoryRingDestination({ capacity: 10 });
    const reported: string[] = [];
    const log = new AuditLog({
      serverName: 's',
      destinations: [file, ring],
      onDestinationError: (dest, e) => reported.push(`${dest.name}: ${(e as Error).message}`),
    });
    log.log('INTEGRATION-DAEMON-SERVICES-0042', ['c', 's']);
    log.log('INTEGRATION-DAEMON-SERVICES-0042', ['c', 's']);
    log.close();
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatch(/^jsonl \/dev\/full: ENOSPC/);
    expect(ring.query({ limit: 10 }).map((r) => r.messageId)).toEqual([
      'INTEGRATION-DAEMON-SERVICES-0042',
      'INTEGRATION-DAEMON-AUDIT-0001',
      'INTEGRATION-DAEMON-SERVICES-0042',
    ]);
  });

  it('resumes on its own once the file can be written again, and says how many records it missed', () => {
    const d = fresh();
    const path = join(d, 'audit.jsonl');
    mkdirSync(path); // a directory where the file should be: opening it fails, even for root
    const file = new JsonlFileDestination({ path, maxBytes: 100_000, maxFiles: 1 });
    const ring = new MemoryRingDestination({ capacity: 10 });
    const log = new AuditLog({ serverName: 's', destinations: [file, ring], onDestinationError: () => {} });
    log.log('INTEGRATION-DAEMON-SERVICES-0042', ['c', 's']);
    rmSync(path, { recursive: true });
    log.log('INTEGRATION-DAEMON-SERVICES-0043', ['c', 's', 5]);
    log.close();
    expect(readAll(d).map((r) => r.messageId)).toEqual(['INTEGRATION-DAEMON-SERVICES-0043', 'INTEGRATION-DAEMON-AUDIT-0002']);
    expect(ring.query({ limit: 1 })[0]!.messageText).toBe(
      `The audit log destination jsonl ${path} is storing records again; 2 record(s) were not stored in it`,
    );
  });

  it('still writes the record when a rotation fails, then reports the failure', () => {
    const d = fresh();
    const path = join(d, 'audit.jsonl');
    mkdirSync(join(d, 'audit.1.jsonl'));
    writeFileSync(join(d, 'audit.1.jsonl', 'blocker'), 'x'); // renaming a file over a non-empty directory fails
    const lineBytes = Buffer.byteLength(`${JSON.stringify(record(1))}\n`);
    const file = new JsonlFileDestination({ path, maxBytes: lineBytes + 10, maxFiles: 1 });
    file.write(record(1));
    expect(() => file.write(record(2))).toThrow();
    file.close();
    expect(
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as AuditRecord).sequence),
    ).toEqual([1, 2]);
  });
});

describe('memory ring destination', () => {
  it('keeps the newest `capacity` records after wrapping around', () => {
    const ring = new MemoryRingDestination({ capacity: 5 });
    for (let i = 1; i <= 12; i++) ring.write(record(i));
    expect(ring.size).toBe(5);
    expect(ring.query({ limit: 100 }).map((r) => r.sequence)).toEqual([8, 9, 10, 11, 12]);
    expect(ring.query({ limit: 2 }).map((r) => r.sequence)).toEqual([11, 12]);
    expect(ring.query({ limit: 0 })).toEqual([]);
  });

  it('filters by severity list, connector and time together', () => {
    const ring = new MemoryRingDestination({ capacity: 100 });
    ring.write(record(1, { severity: 'Error', connectorName: 'a' }));
    ring.write(record(2, { severity: 'Exception', connectorName: 'b' }));
    ring.write(record(3, { severity: 'Information', connectorName: 'a' }));
    ring.write(record(4, { severity: 'Exception', connectorName: 'a' }));
    const since = Date.parse(record(2).timeStamp);
    expect(ring.query({ limit: 10, severity: ['Error', 'Exception'], connectorName: 'a' }).map((r) => r.sequence)).toEqual([1, 4]);
    expect(ring.query({ limit: 10, severity: [], since }).map((r) => r.sequence)).toEqual([2, 3, 4]);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new MemoryRingDestination({ capacity: 0 })).toThrow(/INTEGRATION-DAEMON-AUDIT-0004/);
  });
});

describe('createDestinations', () => {
  it('builds the configured destinations and resolves relative file paths against the base directory', () => {
    const written: string[] = [];
    const destinations = createDestinations(
      [
        { kind: 'console', severities: ['Error'] },
        { kind: 'jsonl', path: 'logs/audit.jsonl', maxBytes: 4096, maxFiles: 2 },
        { kind: 'memory', capacity: 7 },
      ],
      { baseDirectory: '/var/lib/daemon', consoleWrite: (l) => written.push(l) },
    );
    expect(destinations.map((d) => d.name)).toEqual(['console', 'jsonl /var/lib/daemon/logs/audit.jsonl', 'memory']);
    expect([...(destinations[0]!.severities ?? [])]).toEqual(['Error']);
    expect((destinations[2] as MemoryRingDestination).capacity).toBe(7);
  });
});
