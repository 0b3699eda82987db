import { describe, expect, it } from 'vitest';
import type { AuditRecord, DaemonEvent } from '../../../shared/api/types.js';
import { type AuditDestination, MemoryRingDestination } from '../../../electron/engine/audit/destinations.js';
import { AuditLog, MAX_AUDIT_TEXT } from '../../../electron/engine/audit/log.js';
import { EventBus } from '../../../electron/engine/events.js';
import { ConnectorError } from '../../../electron/connector-sdk/index.js';

class Collecting implements AuditDestination {
  readonly records: AuditRecord[] = [];
  constructor(
    readonly name = 'collect',
    readonly severities?: ReadonlySet<AuditRecord['severity']>,
  ) {}
  write(record: AuditRecord): void {
    this.records.push(record);
  }
}

/** A destination that fails while `broken` is set, like a full disk. */
class Flaky implements AuditDestination {
  readonly name = 'flaky';
  broken = false;
  readonly records: AuditRecord[] = [];
  write(record: AuditRecord): void {
    if (this.broken) throw new Error('ENOSPC: no space left on device');
    this.records.push(record);
  }
}

let clock = Date.UTC(2026, 0, 1);
const now = () => clock;

describe('AuditLog', () => {
  it('fills a record from the catalogue: sequence, time, server, severity, text, actions, context', () => {
    const ring = new MemoryRingDestination({ capacity: 10 });
    const log = new AuditLog({ serverName: 'exchangeDL01', destinations: [ring], now });
    const error = new ConnectorError({
      messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001',
      text: 'The directory named x does not exist',
      category: 'notFound',
      userAction: 'Create it',
    });
    const record = log.log('INTEGRATION-DAEMON-SERVICES-0031', ['Files1', 'refresh', 'ConnectorError', error.message], {
      connectorName: 'Files1',
      urlMarker: 'files-integrator',
      exception: error,
    });
    expect(record).toEqual({
      sequence: 1,
      timeStamp: '2026-01-01T00:00:00.000Z',
      serverName: 'exchangeDL01',
      severity: 'Exception',
      messageId: 'INTEGRATION-DAEMON-SERVICES-0031',
      messageText: `The integration connector Files1 method refresh has returned with a ConnectorError exception containing message ${error.message}`,
      messageParameters: ['Files1', 'refresh', 'ConnectorError', error.message],
      systemAction: expect.stringContaining('error handling'),
      userAction: expect.stringContaining('restart the connector'),
      connectorName: 'Files1',
      urlMarker: 'files-integrator',
      exceptionClassName: 'ConnectorError',
      exceptionMessage: error.message,
    });
    expect(log.log('INTEGRATION-DAEMON-SERVICES-0013', ['exchangeDL01']).sequence).toBe(2);
    expect(Object.keys(log.log('INTEGRATION-DAEMON-SERVICES-0013', ['x']))).not.toContain('connectorName');
  });

  it('renders absent parameters as null, as Egeria does', () => {
    const log = new AuditLog({ serverName: 's', destinations: [], now });
    const record = log.log('OMIS-FILES-INTEGRATOR-0002', ['c', 'id', 'tech', 'From Third Party', undefined]);
    expect(record.messageText.endsWith('service options of null')).toBe(true);
  });

  it("uses a classified error's exceptionClassName when given one", () => {
    const log = new AuditLog({ serverName: 's', destinations: [], now });
    const record = log.log('INTEGRATION-DAEMON-SERVICES-0031', ['a', 'b', 'c', 'd'], {
      exception: { exceptionClassName: 'org.odpi.openmetadata.frameworks.connectors.ffdc.InvalidParameterException', message: 'bad' },
    });
    expect(record.exceptionClassName).toBe('org.odpi.openmetadata.frameworks.connectors.ffdc.InvalidParameterException');
    expect(record.exceptionMessage).toBe('bad');
  });

  it('sends each record only to destinations that want its severity', () => {
    const errorsOnly = new Collecting('errors', new Set(['Error', 'Exception']));
    const all = new Collecting('all');
    const log = new AuditLog({ serverName: 's', destinations: [errorsOnly, all], now });
    log.log('INTEGRATION-DAEMON-SERVICES-0001', ['s']);
    log.log('INTEGRATION-DAEMON-RECOVERY-0003', ['c', 'retry limit reached', 'x']);
    expect(errorsOnly.records.map((r) => r.messageId)).toEqual(['INTEGRATION-DAEMON-RECOVERY-0003']);
    expect(all.records).toHaveLength(2);
  });

  it('publishes every record on the event bus', async () => {
    const bus = new EventBus();
    const events: DaemonEvent[] = [];
    bus.subscribe((e) => void events.push(e));
    const log = new AuditLog({ serverName: 's', destinations: [], bus, now });
    const record = log.log('INTEGRATION-DAEMON-SERVICES-0040', ['s']);
    await bus.idle();
    expect(events).toEqual([{ type: 'audit', sequence: 1, serverTime: record.timeStamp, record }]);
  });

  it('keeps writing to the other destinations when one throws, and says so once, and again on recovery', () => {
    const flaky = new Flaky();
    const ring = new MemoryRingDestination({ capacity: 100 });
    const reported: string[] = [];
    const log = new AuditLog({
      serverName: 's',
      destinations: [flaky, ring],
      now,
      onDestinationError: (d, e) => reported.push(`${d.name}: ${(e as Error).message}`),
    });
    log.log('INTEGRATION-DAEMON-SERVICES-0042', ['c', 's']);
    flaky.broken = true;
    for (let i = 0; i < 5; i++) log.log('INTEGRATION-DAEMON-SERVICES-0042', ['c', 's']);
    flaky.broken = false;
    log.log('INTEGRATION-DAEMON-SERVICES-0043', ['c', 's', 12]);

    expect(reported).toEqual(['flaky: ENOSPC: no space left on device']);
    const ids = ring.query({ limit: 100 }).map((r) => r.messageId);
    expect(ids).toEqual([
      'INTEGRATION-DAEMON-SERVICES-0042',
      'INTEGRATION-DAEMON-SERVICES-0042',
      'INTEGRATION-DAEMON-AUDIT-0001',
      'INTEGRATION-DAEMON-SERVICES-0042',
      'INTEGRATION-DAEMON-SERVICES-0042',
      'INTEGRATION-DAEMON-SERVICES-0042',
      'INTEGRATION-DAEMON-SERVICES-0042',
      'INTEGRATION-DAEMON-SERVICES-0043',
      'INTEGRATION-DAEMON-AUDIT-0002',
    ]);
    const failure = ring.query({ limit: 100, severity: ['Error'] })[0]!;
    expect(failure.messageText).toBe('The audit log destination flaky failed to store a record: ENOSPC: no space left on device');
    // The 0001 record itself could not reach the broken destination either: 6 records missed in all.
    expect(ring.query({ limit: 1 })[0]!.messageText).toBe(
      'The audit log destination flaky is storing records again; 6 record(s) were not stored in it',
    );
    expect(flaky.records.map((r) => r.messageId)).toEqual([
      'INTEGRATION-DAEMON-SERVICES-0042',
      'INTEGRATION-DAEMON-SERVICES-0043',
      'INTEGRATION-DAEMON-AUDIT-0002',
    ]);
  });

  it('does not recurse forever on a destination that fails every other write', () => {
    let n = 0;
    const alternating: AuditDestination = {
      name: 'alternating',
      write() {
        if (n++ % 2 === 0) throw new Error('flap');
      },
    };
    const ring = new MemoryRingDestination({ capacity: 1000 });
    const log = new AuditLog({ serverName: 's', destinations: [alternating, ring], now, onDestinationError: () => {} });
    for (let i = 0; i < 50; i++) log.log('INTEGRATION-DAEMON-SERVICES-0042', ['c', 's']);
    expect(ring.size).toBeLessThan(200);
    expect(
      ring.query({ limit: 1000, severity: ['Information'] }).filter((r) => r.messageId === 'INTEGRATION-DAEMON-SERVICES-0042'),
    ).toHaveLength(50);
  });

  it('records connector messages as written, and malformed ones as INTEGRATION-DAEMON-AUDIT-0005', () => {
    const ring = new MemoryRingDestination({ capacity: 10 });
    const log = new AuditLog({ serverName: 's', destinations: [ring], now });
    const ok = log.logConnectorMessage(
      'Files1',
      {
        messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-0001',
        severity: 'Information',
        messageText: 'catalogued 3 files',
        messageParameters: ['3'],
      },
      { urlMarker: 'files-integrator' },
    );
    expect(ok).toMatchObject({
      messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-0001',
      severity: 'Information',
      messageText: 'catalogued 3 files',
      messageParameters: ['3'],
      connectorName: 'Files1',
      urlMarker: 'files-integrator',
    });
    const bad = log.logConnectorMessage('Files1', { messageId: '', severity: 'Shouting', messageText: 'x' } as never);
    expect(bad.messageId).toBe('INTEGRATION-DAEMON-AUDIT-0005');
    expect(bad.severity).toBe('Error');
    expect(bad.connectorName).toBe('Files1');
    expect(bad.messageText).toContain('severity');
    expect(bad.messageText).toContain('"Shouting"');
  });

  it('caps huge texts so one connector cannot bloat every destination', () => {
    const log = new AuditLog({ serverName: 's', destinations: [], now });
    const huge = 'x'.repeat(MAX_AUDIT_TEXT + 10);
    const record = log.logConnectorMessage('c', { messageId: 'C-0001', severity: 'Error', messageText: huge, messageParameters: [huge] });
    expect(record.messageText).toBe(`${'x'.repeat(MAX_AUDIT_TEXT)}… (10 more characters not recorded)`);
    expect(record.messageParameters[0]).toBe(record.messageText);
    const withException = log.log('INTEGRATION-DAEMON-RECOVERY-0010', ['c', 'file', 'm'], { exception: new Error(huge) });
    expect(withException.exceptionMessage!.length).toBeLessThan(MAX_AUDIT_TEXT + 100);
  });

  it('answers queries from the ring, newest last', () => {
    const ring = new MemoryRingDestination({ capacity: 100 });
    const log = new AuditLog({ serverName: 's', destinations: [ring], now: () => clock });
    clock = 1000;
    log.log('INTEGRATION-DAEMON-SERVICES-0041', ['a', 's'], { connectorName: 'a' });
    clock = 2000;
    log.log('INTEGRATION-DAEMON-SERVICES-0031', ['b', 'refresh', 'E', 'm'], { connectorName: 'b' });
    clock = 3000;
    log.log('INTEGRATION-DAEMON-SERVICES-0042', ['a', 's'], { connectorName: 'a' });
    expect(log.query({ limit: 10, connectorName: 'a' }).map((r) => r.sequence)).toEqual([1, 3]);
    expect(log.query({ limit: 10, since: 2000 }).map((r) => r.sequence)).toEqual([2, 3]);
    expect(log.query({ limit: 10, severity: ['Exception'] }).map((r) => r.sequence)).toEqual([2]);
    expect(log.query({ limit: 2 }).map((r) => r.sequence)).toEqual([2, 3]);
    expect(new AuditLog({ serverName: 's', destinations: [], now }).query({ limit: 10 })).toEqual([]);
  });
});
