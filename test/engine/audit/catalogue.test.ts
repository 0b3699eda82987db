import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_SEVERITIES } from '../../../shared/api/types.js';
import {
  AUDIT_MESSAGES,
  permittedSynchronizationWords,
  findAuditMessage,
  serviceMessageId,
} from '../../../electron/engine/audit/catalogue.js';
import { ConsoleDestination } from '../../../electron/engine/audit/destinations.js';
import { AuditLog } from '../../../electron/engine/audit/log.js';
import { fillTemplate } from '../../../electron/engine/messages.js';
import { findService, wrongKindMessage } from '../../../electron/engine/services.js';

const seed = readFileSync(new URL('../../fixtures/integration-daemon-troubleshooting.txt', import.meta.url), 'utf8');
const seedLines = seed.split('\n').filter((l) => l.startsWith('Tue Feb 02 20:57:50 GMT 2021 exchangeDL01 '));

let savedTz: string | undefined;
beforeAll(() => {
  savedTz = process.env.TZ;
  process.env.TZ = 'GMT';
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe('audit message catalogue', () => {
  it("has unique ids in Egeria's formats, valid severities and complete texts", () => {
    const ids = AUDIT_MESSAGES.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of AUDIT_MESSAGES) {
      expect(m.messageId).toMatch(/^[A-Z]+(-[A-Z]+)*-\d{4}$/);
      expect(AUDIT_SEVERITIES).toContain(m.severity);
      expect(m.template.length).toBeGreaterThan(10);
      expect(m.systemAction.length).toBeGreaterThan(10);
      expect(m.userAction.length).toBeGreaterThan(10);
    }
  });

  it('covers the messages the lifecycle and recovery engine need', () => {
    for (const id of [
      'OMAG-ADMIN-0001',
      'OMAG-ADMIN-0004',
      'OMAG-ADMIN-0005',
      'OMAG-ADMIN-0006',
      'INTEGRATION-DAEMON-SERVICES-0001',
      'INTEGRATION-DAEMON-SERVICES-0008',
      'INTEGRATION-DAEMON-SERVICES-0013',
      'INTEGRATION-DAEMON-SERVICES-0022',
      'INTEGRATION-DAEMON-SERVICES-0031',
      'INTEGRATION-DAEMON-SERVICES-0040',
      'INTEGRATION-DAEMON-SERVICES-0041',
      'INTEGRATION-DAEMON-SERVICES-0042',
      'INTEGRATION-DAEMON-SERVICES-0043',
      'INTEGRATION-DAEMON-SERVICES-0100',
      // RECOVERY-0005 (one record per probe) is gone: an outage is told by 0004 and 0006 alone.
      ...[1, 2, 3, 4, 6, 7, 8, 9].map((n) => `INTEGRATION-DAEMON-RECOVERY-000${n}`),
      'OMIS-FILES-INTEGRATOR-0001',
      'OMIS-DATABASE-INTEGRATOR-0001',
      'OMIS-SECURITY-INTEGRATOR-0002',
    ]) {
      expect(findAuditMessage(id), id).toBeDefined();
    }
  });

  it('marks failures Exception or Error so the console notifies on them', () => {
    const severity = (id: string) => findAuditMessage(id)!.severity;
    expect(severity('INTEGRATION-DAEMON-SERVICES-0031')).toBe('Exception');
    expect(severity('INTEGRATION-DAEMON-SERVICES-0102')).toBe('Exception');
    expect(severity('INTEGRATION-DAEMON-RECOVERY-0003')).toBe('Error');
    expect(severity('INTEGRATION-DAEMON-RECOVERY-0004')).toBe('Error');
    expect(severity('INTEGRATION-DAEMON-RECOVERY-0008')).toBe('Error');
    expect(severity('INTEGRATION-DAEMON-RECOVERY-0010')).toBe('Exception');
    expect(severity('INTEGRATION-DAEMON-RECOVERY-0001')).toBe('Information');
    expect(severity('INTEGRATION-DAEMON-RECOVERY-0006')).toBe('Information');
  });

  it('formats templates like Java MessageFormat, leaving a missing parameter visible', () => {
    expect(fillTemplate('a {0} b {1} c {0}', ['x', 'y'])).toBe('a x b y c x');
    expect(fillTemplate('a {0} b {1}', ['x'])).toBe('a x b {1}');
  });

  it('refuses a message component that is not an integration service', () => {
    expect(serviceMessageId('OMIS-FILES-INTEGRATOR', 'creatingContext')).toBe('OMIS-FILES-INTEGRATOR-0002');
    expect(() => serviceMessageId('OMIS-NOPE', 'initializing')).toThrow(/INTEGRATION-DAEMON-AUDIT-0003/);
  });

  it("reproduces the seed's start-up trace line for line (every line whose message the daemon writes)", () => {
    const lines: string[] = [];
    const log = new AuditLog({
      serverName: 'exchangeDL01',
      destinations: [new ConsoleDestination({ write: (l) => lines.push(l.replace(/\n$/, '')) })],
      now: () => Date.UTC(2021, 1, 2, 20, 57, 50, 647),
    });
    const fromThirdParty = permittedSynchronizationWords('FROM_THIRD_PARTY');
    const files = findService('files-integrator')!;
    const database = findService('database-integrator')!;
    const invalidParameter = 'org.odpi.openmetadata.frameworks.connectors.ffdc.InvalidParameterException';
    const notAvailable =
      'OMAG-MULTI-TENANT-404-001 The OMAG Server cocoMDS1 is not available to service a request from user exchangeDL01npa';
    const connectors = [
      ['OakDeneLandingAreaFilesMonitor', '41244d6b-2054-49a5-bd24-328a82dc8552', 'HospitalLandingArea'],
      ['OldMarketLandingAreaFilesMonitor', '723f449e-4229-4197-ba84-500bc467d39a', 'HospitalLandingArea'],
      ['DropFootClinicalTrialResultsFilesMonitor', '57192bbd-6221-4770-8833-7da48e295be3', 'DropFootClinicalTrialResults'],
    ] as const;

    log.log('OMRS-AUDIT-0064', ['Integration Daemon', 'exchangeDL01']);
    log.log('OMAG-ADMIN-0001', ['exchangeDL01', 100]);
    log.log('OMAG-ADMIN-0100', ['Integration Daemon', 'exchangeDL01']);
    log.log('INTEGRATION-DAEMON-SERVICES-0001', ['exchangeDL01']);
    log.log(serviceMessageId(files.messageComponent, 'initializing'), ['cocoMDS1', 'https://localhost:9444']);
    for (const [name, id, technology] of connectors) {
      log.log('INTEGRATION-DAEMON-SERVICES-0008', [name, files.integrationServiceFullName, 'exchangeDL01', fromThirdParty]);
      log.log(serviceMessageId(files.messageComponent, 'creatingContext'), [name, id, technology, fromThirdParty, null]);
      log.log('INTEGRATION-DAEMON-SERVICES-0031', [name, 'initialize', invalidParameter, notAvailable]);
    }
    log.log(serviceMessageId(database.messageComponent, 'initializing'), ['cocoMDS1', 'https://localhost:9444']);
    log.log('INTEGRATION-DAEMON-SERVICES-0008', [
      'OakDeneLandingAreaDatabaseMonitor',
      database.integrationServiceFullName,
      'exchangeDL01',
      fromThirdParty,
    ]);
    log.log('INTEGRATION-DAEMON-SERVICES-0031', [
      'OakDeneLandingAreaDatabaseMonitor',
      'initialize',
      invalidParameter,
      wrongKindMessage(database, 'OakDeneLandingAreaDatabaseMonitor').message,
    ]);
    log.log('INTEGRATION-DAEMON-SERVICES-0040', ['exchangeDL01']);
    for (const name of [...connectors.map((c) => c[0]), 'OakDeneLandingAreaDatabaseMonitor'])
      log.log('INTEGRATION-DAEMON-SERVICES-0041', [name, 'exchangeDL01']);
    log.log('INTEGRATION-DAEMON-SERVICES-0013', ['exchangeDL01']);
    log.log('OMAG-ADMIN-0101', ['Integration Daemon', 'exchangeDL01']);
    log.log('OMAG-ADMIN-0004', [
      'exchangeDL01',
      '[Open Metadata Repository Services (OMRS), Files Integrator OMIS, Database Integrator OMIS, Integration Daemon Services]',
    ]);

    const ours = new Set(AUDIT_MESSAGES.map((m) => m.messageId));
    const expected = seedLines.filter((l) => ours.has(l.split(' ')[8]!));
    expect(expected.length).toBe(lines.length);
    expect(lines).toEqual(expected);
  });
});
