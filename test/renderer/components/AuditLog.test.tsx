// @vitest-environment happy-dom
// The live audit log: the records the daemon holds (fetched once connected), newest first, new ones streaming in,
// and the filters applied locally.
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../renderer/components/AuditLog.js';
import { auditRecord, report, view } from '../../support/console-fixtures.js';
import { FakeBackend } from '../support/fake-backend.js';
import { renderConsole, settled } from '../support/render.js';

const lake = view('lake', [report('LandingArea'), report('Warehouse')]);
const records = [
  auditRecord({ sequence: 1, severity: 'Startup', messageId: 'INTEGRATION-DAEMON-SERVICES-0001', messageText: 'The daemon is starting' }),
  auditRecord({
    sequence: 2,
    severity: 'Exception',
    connectorName: 'LandingArea',
    messageText: 'The directory /data/landing does not exist',
    userAction: 'Create the directory.',
  }),
  auditRecord({ sequence: 3, severity: 'Information', connectorName: 'Warehouse', messageId: 'OMIS-0003', messageText: 'Refreshed' }),
];

function withRecords(): FakeBackend {
  const backend = new FakeBackend([lake]);
  backend.audit = records;
  return backend;
}

function rows(): string[] {
  return screen.getAllByTestId('audit-row').map((r) => within(r).getAllByRole('cell')[2]!.textContent ?? '');
}

describe('AuditLog', () => {
  it('fetches the daemon’s records once connected and shows them newest first, with the fix for problems', async () => {
    const { backend } = renderConsole(<AuditLog daemonId="lake" />, { backend: withRecords() });
    await settled();
    expect(backend.callsOf('auditLog')).toEqual([['lake', { limit: 500 }]]);
    expect(rows()).toEqual(['OMIS-0003', 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001', 'INTEGRATION-DAEMON-SERVICES-0001']);
    expect(screen.getAllByTestId('audit-row')[1]!.textContent).toContain('What to do: Create the directory.');
    expect(screen.getByText('3 records')).toBeDefined();
  });

  it('asks nothing of a daemon it cannot reach', async () => {
    const { backend } = renderConsole(<AuditLog daemonId="lake" />, { views: [{ ...lake, connection: 'disconnected' }] });
    await settled();
    expect(backend.callsOf('auditLog')).toEqual([]);
    expect(screen.getByText('No audit record matches.')).toBeDefined();
  });

  it('filters by severity, connector and text, and shows streamed records that match', async () => {
    const { user, store } = renderConsole(<AuditLog daemonId="lake" />, { backend: withRecords() });
    await settled();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Severity' }), 'problems');
    expect(rows()).toEqual(['BASIC-FILES-INTEGRATION-CONNECTORS-404-001']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Severity' }), '');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Connector' }), 'Warehouse');
    expect(rows()).toEqual(['OMIS-0003']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Connector' }), '');
    await user.type(screen.getByRole('searchbox', { name: 'Text' }), 'starting');
    expect(rows()).toEqual(['INTEGRATION-DAEMON-SERVICES-0001']);
    await user.clear(screen.getByRole('searchbox', { name: 'Text' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Severity' }), 'problems');
    act(() =>
      store.getState().dispatch({
        type: 'console',
        now: Date.now(),
        event: {
          type: 'event',
          daemonId: 'lake',
          event: {
            type: 'audit',
            sequence: 4,
            serverTime: new Date().toISOString(),
            record: auditRecord({ sequence: 4, severity: 'Error', messageId: 'X-500-001' }),
          },
        },
      }),
    );
    expect(rows()).toEqual(['X-500-001', 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001']);
  });
});
