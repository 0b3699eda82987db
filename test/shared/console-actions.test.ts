// The one module of console actions: which actions are valid and which daemon call each becomes, for the browser
// backend, the desktop's console service and the IPC argument check alike.
import { describe, expect, it } from 'vitest';
import {
  ACTION_KINDS,
  ACTION_SCOPES,
  actionProblem,
  connectorAction,
  performAction,
  type ActionClient,
} from '../../shared/console-actions.js';
import { ConsoleError, type ConsoleAction } from '../../shared/console-backend.js';

function recorder() {
  const calls: unknown[][] = [];
  const record =
    (method: string) =>
    async (...args: unknown[]) => {
      calls.push([method, ...args]);
    };
  const client: ActionClient = {
    restartService: record('restartService'),
    refreshService: record('refreshService'),
    restartConnectors: record('restartConnectors'),
    refreshConnectors: record('refreshConnectors'),
    refreshAll: record('refreshAll'),
    retryNow: record('retryNow'),
  };
  return { client, calls };
}

async function callFor(action: ConsoleAction): Promise<unknown[]> {
  const { client, calls } = recorder();
  await performAction(client, action);
  expect(calls).toHaveLength(1);
  return calls[0]!;
}

describe('console actions', () => {
  it('sends a connector action through its service when the service is known, else daemon-wide', async () => {
    const m = 'files-integrator';
    expect(await callFor({ kind: 'restart', scope: 'connector', urlMarker: m, connectorName: 'A' })).toEqual(['restartService', m, 'A']);
    expect(await callFor({ kind: 'refresh', scope: 'connector', urlMarker: m, connectorName: 'A' })).toEqual(['refreshService', m, 'A']);
    expect(await callFor({ kind: 'restart', scope: 'connector', connectorName: 'A' })).toEqual(['restartConnectors', 'A']);
    expect(await callFor({ kind: 'refresh', scope: 'connector', connectorName: 'A' })).toEqual(['refreshConnectors', 'A']);
    expect(await callFor({ kind: 'retryNow', scope: 'connector', urlMarker: m, connectorName: 'A' })).toEqual(['retryNow', 'A']);
  });

  it('acts on every connector of a service or of the daemon', async () => {
    expect(await callFor({ kind: 'restart', scope: 'service', urlMarker: 'm' })).toEqual(['restartService', 'm']);
    expect(await callFor({ kind: 'refresh', scope: 'service', urlMarker: 'm', connectorName: 'ignored' })).toEqual(['refreshService', 'm']);
    expect(await callFor({ kind: 'restart', scope: 'daemon' })).toEqual(['restartConnectors']);
    expect(await callFor({ kind: 'refresh', scope: 'daemon' })).toEqual(['refreshAll']);
  });

  it('refuses what cannot be carried out, with the message id and the fix, and calls nothing', async () => {
    const cases: [ConsoleAction, string][] = [
      [{ kind: 'restart', scope: 'connector' }, 'INTEGRATION-CONSOLE-400-014'],
      [{ kind: 'retryNow', scope: 'daemon' }, 'INTEGRATION-CONSOLE-400-015'],
      [{ kind: 'retryNow', scope: 'service', urlMarker: 'm' }, 'INTEGRATION-CONSOLE-400-015'],
      [{ kind: 'refresh', scope: 'service' }, 'INTEGRATION-CONSOLE-400-016'],
    ];
    for (const [action, messageId] of cases) {
      const { client, calls } = recorder();
      const refused = await performAction(client, action).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused, JSON.stringify(action)).toBeInstanceOf(ConsoleError);
      expect(refused).toMatchObject({ messageId, userAction: expect.any(String) });
      expect((refused as Error).message.startsWith(`${messageId} `)).toBe(true);
      expect(calls).toEqual([]);
      expect(actionProblem(action)?.messageId).toBe(messageId);
    }
  });

  it('accepts every kind on a named connector, and restart and refresh on every scope', () => {
    for (const kind of ACTION_KINDS) expect(actionProblem({ kind, scope: 'connector', connectorName: 'A' })).toBeUndefined();
    for (const scope of ACTION_SCOPES) {
      for (const kind of ['restart', 'refresh'] as const)
        expect(actionProblem({ kind, scope, urlMarker: 'm', connectorName: 'A' })).toBeUndefined();
    }
  });

  it('builds the action on one connector from a ConnectorRef', () => {
    expect(connectorAction('restart', { daemonId: 'd', connectorName: 'A', urlMarker: 'm' })).toEqual({
      kind: 'restart',
      scope: 'connector',
      connectorName: 'A',
      urlMarker: 'm',
    });
    expect(connectorAction('retryNow', { daemonId: 'd', connectorName: 'A' })).toEqual({
      kind: 'retryNow',
      scope: 'connector',
      connectorName: 'A',
    });
  });
});
