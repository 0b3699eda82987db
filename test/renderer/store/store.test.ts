// The store's wiring to a backend, with an in-memory backend that emits what a daemon connection would.
import { describe, expect, it } from 'vitest';
import type { ConsoleBackend, ConsoleEvent } from '../../../shared/console-backend.js';
import { connectStore, createConsoleStore } from '../../../renderer/store/store.js';
import { report, status, view } from '../../support/console-fixtures.js';

class ScriptedBackend implements ConsoleBackend {
  listener: ((event: ConsoleEvent) => void) | null = null;
  async listDaemons() {
    return [view('local')];
  }
  subscribe(listener: (event: ConsoleEvent) => void) {
    this.listener = listener;
    return () => {
      this.listener = null;
    };
  }
  emit(event: ConsoleEvent) {
    this.listener?.(event);
  }
  addDaemon = async () => view('x').entry;
  updateDaemon = async () => view('x').entry;
  removeDaemon = async () => undefined;
  action = async () => undefined;
  auditLog = async () => [];
  runs = async () => [];
  objectRetries = async () => [];
  retryObjects = async () => undefined;
}

const nextTask = () => new Promise((r) => setTimeout(r, 0));

describe('store wiring', () => {
  it('applies the events of one task as one update', async () => {
    const store = createConsoleStore();
    const backend = new ScriptedBackend();
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
          integrationServiceURLMarker: 's',
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
    const backend = new ScriptedBackend();
    connectStore(store, backend);
    await nextTask();
    backend.emit({ type: 'daemon', view: view('added') });
    store.getState().dispatch({ type: 'select-daemon', daemonId: 'added' });
    expect(store.getState().model.selectedDaemonId).toBe('added');
  });
});
