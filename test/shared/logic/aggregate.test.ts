// Worst-state-wins aggregation, the one rule behind the tray icon and the console's sidebar.
import { describe, expect, it } from 'vitest';
import { aggregate, connectorLevel, daemonHealth, summaryText } from '../../../shared/logic/aggregate.js';
import { report, view } from '../../support/console-fixtures.js';

describe('aggregate', () => {
  it('maps connector statuses to health levels, tolerating unknown values', () => {
    expect(connectorLevel('FAILED')).toBe('failed');
    expect(connectorLevel('CONFIG_FAILED')).toBe('failed');
    expect(connectorLevel('INITIALIZE_FAILED')).toBe('failed');
    expect(connectorLevel('RETRYING')).toBe('retrying');
    expect(connectorLevel('RUNNING')).toBe('healthy');
    expect(connectorLevel('SOMETHING_NEW')).toBe('healthy');
  });

  it('takes the worst state per daemon and overall: failed > retrying > disconnected > healthy', () => {
    const a = view('a', [report('x', 'RUNNING'), report('y', 'RETRYING')]);
    const b = view('b', [report('z', 'WAITING')], { connection: 'disconnected' });
    const c = view('c', [report('w', 'FAILED'), report('v', 'STOPPED')]);
    expect(daemonHealth(a).level).toBe('retrying');
    expect(daemonHealth(b).level).toBe('disconnected');
    expect(aggregate([a, b]).level).toBe('retrying');
    expect(aggregate([b]).level).toBe('disconnected');
    const all = aggregate([a, b, c]);
    expect(all.level).toBe('failed');
    expect(all.counts).toEqual({ total: 5, healthy: 2, retrying: 1, failed: 1, stopped: 1, daemons: 3, daemonsDisconnected: 1 });
    expect(daemonHealth(c).failedConnectors.map((r) => r.report.connectorName)).toEqual(['w']);
  });

  it('keeps the last known failures of a disconnected daemon visible (failed beats disconnected)', () => {
    const lost = view('a', [report('x', 'FAILED')], { connection: 'disconnected' });
    expect(daemonHealth(lost).level).toBe('failed');
  });

  it('treats an open metadata-server breaker as retrying even before connectors report it', () => {
    const v = view('a', [report('x', 'RUNNING')]);
    v.status!.metadataServers = [
      { metadataServerName: 'cocoMDS1', breakerState: 'OPEN', since: '2026-01-01T00:00:00Z', waitingConnectors: 1 },
    ];
    expect(daemonHealth(v)).toMatchObject({ level: 'retrying', metadataServerDown: true });
  });

  it('is healthy with no daemons and says so', () => {
    expect(aggregate([]).level).toBe('healthy');
    expect(summaryText(aggregate([]))).toBe('No daemons configured');
  });

  it('summarises counts in one line', () => {
    const text = summaryText(
      aggregate([view('a', [report('x', 'FAILED'), report('y', 'RUNNING')]), view('b', [], { connection: 'disconnected' })]),
    );
    expect(text).toBe('1 failed, 1 healthy · 1 of 2 daemons disconnected');
  });
});
