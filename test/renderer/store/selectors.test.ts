// Views derived from the console model: daemon summaries, the worst state, list rows and connector names.
import { describe, expect, it } from 'vitest';
import { EMPTY_MODEL } from '../../../renderer/store/model.js';
import { reduce } from '../../../renderer/store/reducer.js';
import { changeUnavailable, connectorNames, consoleHealth, listRows, summarizeDaemon } from '../../../renderer/store/selectors.js';
import { VIEWER_SENTENCE } from '../../../shared/console-actions.js';
import { report, view } from '../../support/console-fixtures.js';

const NOW = Date.parse('2026-11-25T01:00:00.000Z');

const model = reduce(EMPTY_MODEL, {
  type: 'daemons-listed',
  now: NOW,
  views: [
    view('local', {
      'files-integrator': [
        report('Files1', 'FAILED', { failingExceptionMessageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001' }),
        report('Files2'),
      ],
      'database-integrator': [report('Db1', 'RETRYING')],
      'lineage-integrator': [],
    }),
    view('remote', [report('R1')], { connection: 'disconnected' }),
  ],
});

describe('selectors', () => {
  it('summarizes a daemon by its worst connector', () => {
    expect(summarizeDaemon(model.daemons.local!)).toEqual({
      health: 'failed',
      counts: { failed: 1, retrying: 1, healthy: 1, stopped: 0, total: 3 },
      metadataServerDown: false,
    });
    expect(summarizeDaemon(model.daemons.remote!).health).toBe('disconnected');
    expect(consoleHealth(model)).toBe('failed');
  });

  it('never calls a daemon healthy before its first snapshot or while unreachable', () => {
    const fresh = reduce(EMPTY_MODEL, { type: 'daemons-listed', now: NOW, views: [view('x', undefined, { connection: 'connecting' })] });
    expect(summarizeDaemon(fresh.daemons.x!).health).toBe('disconnected');
  });

  it('reuses a summary until the connectors, services, metadata servers or connection change', () => {
    const d = model.daemons.local!;
    expect(summarizeDaemon({ ...d, clockSkewMs: 99 })).toBe(summarizeDaemon(d));
    expect(summarizeDaemon({ ...d, connection: 'disconnected' })).not.toBe(summarizeDaemon(d));
    const parked = summarizeDaemon({
      ...d,
      metadataServers: [{ metadataServerName: 'm', breakerState: 'OPEN', since: 'x', waitingConnectors: 3 }],
    });
    expect(parked.metadataServerDown).toBe(true);
  });

  it('lays out a header per service and an empty row for a service without connectors', () => {
    const rows = listRows(model.daemons.local!.services, null, new Set(), { attentionOnly: false, text: '' });
    expect(rows.map((r) => r.kind)).toEqual(['service', 'connector', 'connector', 'service', 'connector', 'service', 'empty']);
  });

  it('filters to connectors needing attention and hides services left empty', () => {
    const rows = listRows(model.daemons.local!.services, model.daemons.local!.connectors, new Set(), { attentionOnly: true, text: '' });
    expect(rows.filter((r) => r.kind === 'connector').map((r) => (r.kind === 'connector' ? r.connectorKey : ''))).toEqual([
      'files-integrator/Files1',
      'database-integrator/Db1',
    ]);
    expect(rows.some((r) => r.kind === 'empty')).toBe(false);
  });

  it('finds connectors by message id text and grows expanded rows', () => {
    const rows = listRows(model.daemons.local!.services, model.daemons.local!.connectors, new Set(['files-integrator/Files1']), {
      attentionOnly: false,
      text: '404-001',
    });
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ kind: 'connector', expanded: true, height: 176 });
  });

  it('lists connector names for the audit filter', () => {
    expect(connectorNames(model.daemons.local!.services)).toEqual(['Db1', 'Files1', 'Files2']);
  });
});

describe('changeUnavailable', () => {
  it('gives the viewer sentence only for a daemon whose token is a viewer token', () => {
    expect(changeUnavailable({ mayChange: false })).toBe(VIEWER_SENTENCE);
    expect(changeUnavailable({ mayChange: true })).toBeNull();
    expect(changeUnavailable(undefined)).toBeNull();
  });
});
