// The store's wiring to a backend, with an in-memory backend that emits what a daemon connection would.
import { describe, expect, it } from 'vitest';
import { connectStore, createConsoleStore, retryNow, runAction } from '../../../renderer/store/store.js';
import { ConsoleError } from '../../../shared/console-backend.js';
import { report, status, view } from '../../support/console-fixtures.js';
import { FakeBackend } from '../support/fake-backend.js';

const nextTask = () => new Promise((r) => setTimeout(r, 0));

describe('store wiring', () => {
  it('applies the events of one task as one update', async () => {
    const store = createConsoleStore();
    const backend = new FakeBackend([view('local')]);
    connectStore(store, backend);
    await nextTask();
    let updates = 0;
    store.subscribe(() => updates++);
    const serverTime = new Date().toISOString();
    backend.emit({
      type: 'event',
      daemonId: 'local',
      event: { type: 'hello', sequence: 1, serverTime, status: status({ s: [report('A'), report('B')] }) },
    });
    for (let i = 0; i < 50; i++) {
      backend.emit({
        type: 'event',
        daemonId: 'local',
        event: {
          type: 'connector-status',
          sequence: 2 + i,
          serverTime,
          urlMarker: 's',
          report: report(i % 2 ? 'A' : 'B', i === 49 ? 'FAILED' : 'RUNNING'),
        },
      });
    }
    expect(updates).toBe(0);
    await nextTask();
    expect(updates).toBe(1);
    expect(store.getState().model.daemons.local!.connectors['s/A']!.report.connectorStatus).toBe('FAILED');
  });

  it('lets an operator action see the events that arrived before it', async () => {
    const store = createConsoleStore();
    const backend = new FakeBackend([view('local')]);
    connectStore(store, backend);
    await nextTask();
    backend.emit({ type: 'daemon', view: view('added') });
    store.getState().dispatch({ type: 'select-daemon', daemonId: 'added' });
    expect(store.getState().model.selectedDaemonId).toBe('added');
  });

  it('disconnects when the subscription is disposed: later events no longer reach the model', async () => {
    const store = createConsoleStore();
    const backend = new FakeBackend([view('local')]);
    const connection = connectStore(store, backend);
    await nextTask();
    expect(backend.subscribers).toBe(1);
    connection.dispose();
    expect(backend.subscribers).toBe(0);
    backend.emit({ type: 'daemon', view: view('late') });
    await nextTask();
    expect(store.getState().model.order).toEqual(['local']);
  });

  it('reports an action’s outcome in the notices, with the fix a refusal carries', async () => {
    const store = createConsoleStore();
    const backend = new FakeBackend([view('local')]);
    expect(await runAction(store, backend, 'local', { kind: 'refresh', scope: 'daemon' }, 'Refresh all')).toBe(true);
    backend.failNext.set('action', new ConsoleError('INTEGRATION-CONSOLE-404-001', 'No daemon with id local.', 'Reload the page.'));
    expect(await runAction(store, backend, 'local', { kind: 'restart', scope: 'daemon' }, 'Restart all')).toBe(false);
    expect(store.getState().notices.map((n) => [n.kind, n.text])).toEqual([
      ['info', 'Refresh all: requested'],
      ['error', 'Restart all failed: INTEGRATION-CONSOLE-404-001 No daemon with id local.\nReload the page.'],
    ]);
  });

  it('fans "retry now" out to each retrying connector, through its service, and counts the refusals', async () => {
    const store = createConsoleStore();
    const backend = new FakeBackend([view('local')]);
    const connectors = [
      { daemonId: 'local', connectorName: 'A', urlMarker: 'files-integrator' },
      { daemonId: 'local', connectorName: 'B', urlMarker: 'files-integrator' },
    ];
    await retryNow(store, backend, connectors, 'Retry now in Files');
    expect(backend.callsOf('action')).toEqual([
      ['local', { kind: 'retryNow', scope: 'connector', connectorName: 'A', urlMarker: 'files-integrator' }],
      ['local', { kind: 'retryNow', scope: 'connector', connectorName: 'B', urlMarker: 'files-integrator' }],
    ]);
    backend.failNext.set('action', new Error('X-409-001 not retrying'));
    await retryNow(store, backend, connectors, 'Retry now in Files');
    expect(store.getState().notices.map((n) => n.text)).toEqual([
      'Retry now in Files: 2 connectors retrying now',
      'Retry now in Files: 1 of 2 failed: X-409-001 not retrying',
    ]);
  });

  it('reports what an action came to once the connector settles, in place of "requested"', async () => {
    const store = createConsoleStore();
    const backend = new FakeBackend([view('local', [report('A', 'FAILED')])]);
    connectStore(store, backend);
    await nextTask();
    const done = runAction(store, backend, 'local', { kind: 'restart', scope: 'connector', connectorName: 'A' }, 'Restart A');
    await nextTask();
    expect(store.getState().notices.map((n) => n.text)).toEqual(['Restart A: requested']);
    const serverTime = new Date().toISOString();
    const event = (connectorStatus: 'REFRESHING' | 'RUNNING') => ({
      type: 'event' as const,
      daemonId: 'local',
      event: {
        type: 'connector-status' as const,
        sequence: 1,
        serverTime,
        urlMarker: 'files-integrator',
        report: report('A', connectorStatus, { lastStatusChange: new Date().toISOString() }),
      },
    });
    backend.emit(event('REFRESHING'));
    await nextTask();
    expect(store.getState().notices.map((n) => n.text)).toEqual(['Restart A: requested']);
    backend.emit(event('RUNNING'));
    await done;
    expect(store.getState().notices.map((n) => [n.kind, n.text])).toEqual([['info', 'Restart A: done, now RUNNING']]);
  });

  it('says when no connector reported back within the wait', async () => {
    const store = createConsoleStore();
    const backend = new FakeBackend([view('local', [report('A', 'RUNNING'), report('B', 'RUNNING')])]);
    connectStore(store, backend);
    await nextTask();
    await runAction(store, backend, 'local', { kind: 'refresh', scope: 'daemon' }, 'Refresh all', 10);
    expect(store.getState().notices.map((n) => n.text)).toEqual(['Refresh all: requested; no connector has reported back yet']);
  });
});
