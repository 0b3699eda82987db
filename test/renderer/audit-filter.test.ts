import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../shared/api/types.js';
import { filterAudit } from '../../renderer/logic/audit-filter.js';
import { fragmentWithoutCredentials, parseFragment } from '../../renderer/logic/token.js';

function rec(sequence: number, extra: Partial<AuditRecord>): AuditRecord {
  return {
    sequence,
    timeStamp: '2026-11-25T01:00:00Z',
    serverName: 's',
    severity: 'Information',
    messageId: 'M',
    messageText: '',
    messageParameters: [],
    ...extra,
  };
}

const records = [
  rec(1, { severity: 'Startup', messageId: 'INTEGRATION-DAEMON-SERVICES-0001', messageText: 'initializing' }),
  rec(2, {
    severity: 'Exception',
    messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001',
    messageText: 'directory /data/in is missing',
    connectorName: 'Files1',
  }),
  rec(3, {
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

describe('token fragment', () => {
  it('reads the token and the server identity from the fragment', () => {
    expect(parseFragment('#token=abc&serverName=exchangeDL01&userId=npa')).toEqual({
      token: 'abc',
      serverName: 'exchangeDL01',
      userId: 'npa',
    });
    expect(parseFragment('')).toEqual({});
  });

  it('removes only the credentials from the fragment', () => {
    expect(fragmentWithoutCredentials('#token=abc&view=audit')).toBe('#view=audit');
    expect(fragmentWithoutCredentials('#token=abc')).toBe('');
  });
});
