// The audit-log view's local filter: severity, connector and free text together.
import { describe, expect, it } from 'vitest';
import { filterAudit } from '../../../renderer/logic/audit-filter.js';
import { auditRecord } from '../../support/console-fixtures.js';

const records = [
  auditRecord({
    sequence: 1,
    severity: 'Startup',
    messageId: 'INTEGRATION-DAEMON-SERVICES-0001',
    messageText: 'initializing',
  }),
  auditRecord({
    sequence: 2,
    severity: 'Exception',
    messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001',
    messageText: 'directory /data/in is missing',
    connectorName: 'Files1',
  }),
  auditRecord({
    sequence: 3,
    severity: 'Error',
    messageId: 'OMIS-X-500-001',
    messageText: 'boom',
    connectorName: 'Db1',
    userAction: 'Check the landing area',
  }),
];

describe('audit filter', () => {
  it('filters by severity, connector and free text together', () => {
    expect(filterAudit(records, { severities: ['Error', 'Exception'], connectorName: '', text: '' }).map((r) => r.sequence)).toEqual([
      2, 3,
    ]);
    expect(filterAudit(records, { severities: [], connectorName: 'Db1', text: '' }).map((r) => r.sequence)).toEqual([3]);
    expect(filterAudit(records, { severities: [], connectorName: '', text: '/DATA/IN' }).map((r) => r.sequence)).toEqual([2]);
    expect(filterAudit(records, { severities: [], connectorName: '', text: 'landing area' }).map((r) => r.sequence)).toEqual([3]);
    expect(filterAudit(records, { severities: ['Startup'], connectorName: 'Files1', text: '' })).toEqual([]);
  });
});
