// The console model's state transitions: snapshots, events one by one and in batches, selection and focus.
import { describe, expect, it } from 'vitest';
import type { AuditRecord, ConnectorRun, DaemonEvent } from '../../../shared/api/types.js';
import { AUDIT_LIMIT, connectorKey, EMPTY_MODEL, type ConsoleModel } from '../../../renderer/store/model.js';
import { applyConsoleEvents, mergeAudit, mergeRuns, reduce, type ModelAction } from '../../../renderer/store/reducer.js';
import type { ConsoleEvent } from '../../../shared/console-backend.js';
import { auditRecord, report, status, view } from '../../support/console-fixtures.js';

const NOW = Date.parse('2026-11-25T01:00:00.000Z');

/** One of the local daemon's events as its connection delivers it, at `now`. */
function fromDaemon(event: DaemonEvent, now = NOW): ModelAction {
  return { type: 'console', now, event: { type: 'event', daemonId: 'local', event } };
}

function loaded(): ConsoleModel {
  return reduce(EMPTY_MODEL, {
    type: 'daemons-listed',
    now: NOW,
    views: [view('local', { 'files-integrator': [report('A'), report('B')], 'database-integrator': [report('C')] })],
  });
}

/** An information record (the reducer keeps every severity alike). */
function audit(sequence: number, timeStamp: string): AuditRecord {
  return auditRecord({ sequence, timeStamp, severity: 'Information', messageId: `M-${sequence}` });
}

function run(runId: string, startedAt: string, state: ConnectorRun['state'] = 'SUCCEEDED'): ConnectorRun {
  return {
    runId,
    connectorName: 'A',
    connectorId: 'id-A',
    connectorInstanceId: 'i',
    trigger: 'schedule',
    startedAt,
    state,
    counts: { discovered: 1, created: 1, updated: 0, unchanged: 0, archived: 0, failed: 0 },
  };
}

describe('console reducer', () => {
  it('builds services and connectors from a snapshot and selects the first daemon', () => {
    const m = loaded();
    expect(m.order).toEqual(['local']);
    expect(m.selectedDaemonId).toBe('local');
    const d = m.daemons.local!;
    expect(d.hasSnapshot).toBe(true);
    expect(d.services.map((s) => [s.urlMarker, s.connectorKeys.length])).toEqual([
      ['files-integrator', 2],
      ['database-integrator', 1],
    ]);
  });

  it('patches exactly one connector on a status event and keeps every other object identical', () => {
    const before = loaded();
    const after = reduce(
      before,
      fromDaemon({
        type: 'connector-status',
        sequence: 5,
        serverTime: new Date(NOW).toISOString(),
        urlMarker: 'files-integrator',
        report: report('A', 'FAILED', { failingExceptionMessageId: 'X-404-001' }),
      }),
    );
    const a = connectorKey('files-integrator', 'A');
    const b = connectorKey('files-integrator', 'B');
    expect(after.daemons.local!.connectors[a]!.report.connectorStatus).toBe('FAILED');
    expect(after.daemons.local!.connectors[b]).toBe(before.daemons.local!.connectors[b]);
    expect(after.daemons.local!.services).toBe(before.daemons.local!.services);
    expect(after.announcement?.text).toContain('connector A FAILED (X-404-001)');
  });

  it('adds a connector it has not seen to its service', () => {
    const after = reduce(
      loaded(),
      fromDaemon({
        type: 'connector-status',
        sequence: 6,
        serverTime: new Date(NOW).toISOString(),
        urlMarker: 'catalog-integrator',
        report: report('D'),
      }),
    );
    const services = after.daemons.local!.services;
    expect(services.find((s) => s.urlMarker === 'catalog-integrator')?.connectorKeys).toEqual([connectorKey('catalog-integrator', 'D')]);
  });

  it('keeps unchanged connector objects when a new snapshot arrives (rows do not re-render)', () => {
    const before = loaded();
    const after = reduce(
      before,
      fromDaemon({
        type: 'hello',
        sequence: 1,
        serverTime: new Date(NOW).toISOString(),
        status: status({
          'files-integrator': [report('A'), report('B', 'RUNNING')],
          'database-integrator': [report('C')],
        }),
      }),
    );
    const k = (n: string) => connectorKey('files-integrator', n);
    expect(after.daemons.local!.connectors[k('A')]).toBe(before.daemons.local!.connectors[k('A')]);
    expect(after.daemons.local!.connectors[k('B')]).not.toBe(before.daemons.local!.connectors[k('B')]);
  });

  it('measures clock skew from serverTime', () => {
    const after = reduce(
      loaded(),
      fromDaemon({
        type: 'audit',
        sequence: 9,
        serverTime: new Date(NOW + 42_000).toISOString(),
        record: audit(9, '2026-11-25T01:00:42.000Z'),
      }),
    );
    expect(after.daemons.local!.clockSkewMs).toBe(42_000);
    const jitter = reduce(
      after,
      fromDaemon(
        {
          type: 'audit',
          sequence: 10,
          serverTime: new Date(NOW + 43_100).toISOString(),
          record: audit(10, '2026-11-25T01:00:43.000Z'),
        },
        NOW + 1_000,
      ),
    );
    expect(jitter.daemons.local!.clockSkewMs).toBe(42_000);
  });

  it('marks a daemon disconnected, announces it, and keeps its last snapshot', () => {
    const after = reduce(loaded(), {
      type: 'console',
      now: NOW,
      event: {
        type: 'daemon',
        view: view('local', undefined, {
          connection: 'disconnected',
          nextReconnectAt: '2026-11-25T01:00:05.000Z',
          lastError: 'fetch failed',
        }),
      },
    });
    const d = after.daemons.local!;
    expect(d.connection).toBe('disconnected');
    expect(d.nextReconnectAt).toBe('2026-11-25T01:00:05.000Z');
    expect(Object.keys(d.connectors)).toHaveLength(3);
    expect(after.announcement?.text).toBe('local: disconnected');
  });

  it("takes a view's status only as the first snapshot and ignores views that change nothing", () => {
    const before = loaded();
    const same = reduce(before, {
      type: 'console',
      now: NOW,
      event: { type: 'daemon', view: view('local', { other: [report('Z')] }, { clockSkewMs: 120 }) },
    });
    expect(same).toBe(before);
    const fresh = reduce(EMPTY_MODEL, { type: 'daemons-listed', now: NOW, views: [view('x', undefined, { connection: 'connecting' })] });
    expect(fresh.daemons.x!.hasSnapshot).toBe(false);
    const first = reduce(fresh, {
      type: 'console',
      now: NOW,
      event: { type: 'daemon', view: view('x', { s: [report('Y')] }) },
    });
    expect(first.daemons.x!.hasSnapshot).toBe(true);
    expect(Object.keys(first.daemons.x!.connectors)).toEqual(['s/Y']);
  });

  it('keeps whether the token may change the daemon: false only when the view says so, and follows a new view', () => {
    const viewer = reduce(EMPTY_MODEL, { type: 'daemons-listed', now: NOW, views: [view('local', [report('A')], { mayChange: false })] });
    expect(viewer.daemons.local?.mayChange).toBe(false);
    // A view that changes nothing else still carries the new role (the token was replaced by an operator's).
    const operator = reduce(viewer, {
      type: 'console',
      now: NOW,
      event: { type: 'daemon', view: view('local', [report('A')], { mayChange: true }) },
    });
    expect(operator.daemons.local?.mayChange).toBe(true);
    // A connection that has not been answered yet (or a daemon that does not say) leaves every action offered.
    expect(loaded().daemons.local?.mayChange).toBe(true);
  });

  it('removes a daemon and moves the selection', () => {
    let m = reduce(loaded(), { type: 'daemons-listed', now: NOW, views: [view('remote')] });
    m = reduce(m, { type: 'console', now: NOW, event: { type: 'daemon-removed', daemonId: 'local' } });
    expect(m.order).toEqual(['remote']);
    expect(m.selectedDaemonId).toBe('remote');
  });

  it('focuses a connector by name from a notification click', () => {
    const m = reduce(loaded(), { type: 'console', now: NOW, event: { type: 'focus-connector', daemonId: 'local', connectorName: 'C' } });
    expect(m.focus).toEqual({ daemonId: 'local', connectorKey: connectorKey('database-integrator', 'C') });
    expect(reduce(m, { type: 'console', now: NOW, event: { type: 'focus-connector', daemonId: 'local', connectorName: 'nope' } })).toBe(m);
  });

  it('ignores events for unknown daemons', () => {
    const m = loaded();
    expect(
      reduce(m, {
        type: 'console',
        now: NOW,
        event: { type: 'event', daemonId: 'ghost', event: { type: 'audit', sequence: 1, serverTime: 'x', record: audit(1, 'x') } },
      }),
    ).toBe(m);
  });
});

describe('applying a batch of events', () => {
  const at = (s: number) => new Date(NOW + s * 1000).toISOString();
  const statusEvent = (name: string, connectorStatus: 'FAILED' | 'RUNNING' | 'WAITING', sequence: number): ConsoleEvent => ({
    type: 'event',
    daemonId: 'local',
    event: {
      type: 'connector-status',
      sequence,
      serverTime: at(0),
      urlMarker: 'files-integrator',
      report: report(name, connectorStatus),
    },
  });
  const auditEvent = (sequence: number): ConsoleEvent => ({
    type: 'event',
    daemonId: 'local',
    event: { type: 'audit', sequence, serverTime: at(0), record: audit(sequence, at(sequence)) },
  });

  it('ends where one-by-one application ends, without touching the model it started from', () => {
    const start = loaded();
    const snapshot = JSON.stringify(start);
    const events = [
      statusEvent('A', 'FAILED', 1),
      auditEvent(2),
      statusEvent('B', 'RUNNING', 3),
      auditEvent(4),
      auditEvent(4),
      statusEvent('A', 'WAITING', 5),
      statusEvent('New', 'RUNNING', 6),
    ];
    const batched = applyConsoleEvents(start, events, NOW);
    const sequential = events.reduce((m, event) => reduce(m, { type: 'console', event, now: NOW }), start);
    expect(batched).toEqual(sequential);
    expect(JSON.stringify(start)).toBe(snapshot);
    expect(batched.daemons.local!.audit.map((r) => r.sequence)).toEqual([2, 4]);
    expect(batched.daemons.local!.connectors['files-integrator/New']).toBeDefined();
  });

  it('keeps the audit ring at its limit after a burst', () => {
    const events = Array.from({ length: AUDIT_LIMIT + 10 }, (_, i) => auditEvent(i + 1));
    const batched = applyConsoleEvents(loaded(), events, NOW);
    const audit = batched.daemons.local!.audit;
    expect(audit).toHaveLength(AUDIT_LIMIT);
    expect(audit[0]!.sequence).toBe(11);
  });
});

describe('merging audit records and runs', () => {
  it('dedupes audit records by sequence and time and keeps them in order', () => {
    const a = [audit(1, '2026-11-25T01:00:01Z'), audit(2, '2026-11-25T01:00:02Z')];
    const merged = mergeAudit(a, [audit(2, '2026-11-25T01:00:02Z'), audit(3, '2026-11-25T01:00:03Z')]);
    expect(merged.map((r) => r.sequence)).toEqual([1, 2, 3]);
    expect(mergeAudit(merged, [audit(3, '2026-11-25T01:00:03Z')])).toBe(merged);
    const older = mergeAudit(merged, [audit(0, '2026-11-25T00:59:00Z')]);
    expect(older.map((r) => r.sequence)).toEqual([0, 1, 2, 3]);
  });

  it('keeps records with a reused sequence after a daemon restart', () => {
    const merged = mergeAudit([audit(1, '2026-11-25T01:00:01Z')], [audit(1, '2026-11-25T02:00:01Z')]);
    expect(merged).toHaveLength(2);
  });

  it('upserts runs by id, newest first', () => {
    const runs = mergeRuns(
      [run('r1', '2026-11-25T01:00:00Z', 'RUNNING')],
      [run('r2', '2026-11-25T01:05:00Z'), run('r1', '2026-11-25T01:00:00Z', 'FAILED')],
    );
    expect(runs.map((r) => [r.runId, r.state])).toEqual([
      ['r2', 'SUCCEEDED'],
      ['r1', 'FAILED'],
    ]);
  });

  it('drops a connector the operator removed, and its focus, and switches views and opens the catalogue at a connector', () => {
    let m = reduce(loaded(), { type: 'focus-connector', daemonId: 'local', connectorKey: connectorKey('files-integrator', 'A') });
    m = reduce(m, { type: 'connector-removed', daemonId: 'local', connectorName: 'A' });
    expect(Object.keys(m.daemons.local!.connectors)).toEqual(['files-integrator/B', 'database-integrator/C']);
    expect(m.daemons.local!.services[0]!.connectorKeys).toEqual(['files-integrator/B']);
    expect(m.focus).toBeNull();
    expect(reduce(m, { type: 'connector-removed', daemonId: 'local', connectorName: 'A' })).toBe(m);
    // Its shutdown, arriving by the event stream after the removal's answer, does not bring it back.
    const late = reduce(
      m,
      fromDaemon({
        type: 'connector-status',
        sequence: 9,
        serverTime: new Date(NOW).toISOString(),
        urlMarker: 'files-integrator',
        report: report('A', 'SHUTDOWN'),
      }),
    );
    expect(Object.keys(late.daemons.local!.connectors)).toEqual(['files-integrator/B', 'database-integrator/C']);
    m = reduce(m, { type: 'show-catalogue', daemonId: 'local', connectorName: 'B' });
    expect([m.view, m.catalogueOf]).toEqual(['catalogue', { connectorName: 'B', seq: 1 }]);
    expect(reduce(m, { type: 'show-view', view: 'audit' }).view).toBe('audit');
  });

  it('drops a connector another console removed when the daemon says so, from the service it left only', () => {
    let m = reduce(loaded(), { type: 'focus-connector', daemonId: 'local', connectorKey: connectorKey('files-integrator', 'A') });
    const removed = (urlMarker: string, connectorName: string) =>
      fromDaemon({ type: 'connector-removed', sequence: 10, serverTime: new Date(NOW).toISOString(), urlMarker, connectorName });
    // Named in another service (it moved there): this one keeps its row.
    expect(Object.keys(reduce(m, removed('database-integrator', 'A')).daemons.local!.connectors)).toContain('files-integrator/A');
    m = reduce(m, removed('files-integrator', 'A'));
    expect(Object.keys(m.daemons.local!.connectors)).toEqual(['files-integrator/B', 'database-integrator/C']);
    expect(m.daemons.local!.services[0]!.connectorKeys).toEqual(['files-integrator/B']);
    expect(m.focus).toBeNull();
    // The same event twice (a reconnect replays nothing, but be safe): nothing more goes.
    expect(Object.keys(reduce(m, removed('files-integrator', 'A')).daemons.local!.connectors)).toHaveLength(2);
  });
});
