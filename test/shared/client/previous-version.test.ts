// An upgraded console reading a daemon of the previous version: its camelCase states and its
// integrationServiceURLMarker on events and audit records arrive under today's names.
import { describe, expect, it } from 'vitest';
import { normalizeStatus } from '../../../shared/client/normalize.js';
import { currentAuditRecord, currentEvent, currentObjectRetry } from '../../../shared/client/previous-version.js';

describe('a daemon of the previous version', () => {
  it("reads its breaker states in the status answer and today's unchanged", () => {
    const status = (breakerState: string) =>
      normalizeStatus({
        integrationServiceSummaries: [],
        metadataServers: [{ metadataServerName: 'cocoMDS1', breakerState, since: 'x', waitingConnectors: 0 }],
      }).metadataServers?.[0]?.breakerState;
    expect(['closed', 'open', 'halfOpen', 'CLOSED', 'OPEN', 'HALF_OPEN'].map(status)).toEqual([
      'CLOSED',
      'OPEN',
      'HALF_OPEN',
      'CLOSED',
      'OPEN',
      'HALF_OPEN',
    ]);
    expect(() => status('ajar')).toThrow(/breakerState/);
  });

  it('reads its events, audit records and object retries under our names', () => {
    const report = { connectorName: 'A', connectorStatus: 'RUNNING', connectorId: 'a', minMinutesBetweenRefresh: 0 };
    expect(
      currentEvent({ type: 'connector-status', sequence: 1, serverTime: 't', integrationServiceURLMarker: 'files-integrator', report }),
    ).toEqual({ type: 'connector-status', sequence: 1, serverTime: 't', urlMarker: 'files-integrator', report });
    expect(currentAuditRecord({ sequence: 1, messageId: 'X-0001', integrationServiceURLMarker: 'files-integrator' })).toEqual({
      sequence: 1,
      messageId: 'X-0001',
      urlMarker: 'files-integrator',
    });
    const audit = currentEvent({ type: 'audit', sequence: 2, serverTime: 't', record: { integrationServiceURLMarker: 'm' } });
    expect(audit.type === 'audit' && audit.record.urlMarker).toBe('m');
    const server = currentEvent({
      type: 'metadata-server',
      sequence: 3,
      serverTime: 't',
      metadataServer: { metadataServerName: 'cocoMDS1', breakerState: 'halfOpen' },
    });
    expect(server.type === 'metadata-server' && server.metadataServer.breakerState).toBe('HALF_OPEN');
    const retry = currentEvent({ type: 'object-retry', sequence: 4, serverTime: 't', objectRetry: { objectKey: 'k', state: 'gaveUp' } });
    expect(retry.type === 'object-retry' && retry.objectRetry.state).toBe('GAVE_UP');
    expect(currentObjectRetry({ objectKey: 'k', state: 'pending' }).state).toBe('PENDING');
    // What is already current passes unchanged.
    const today = { type: 'connector-status', sequence: 5, serverTime: 't', urlMarker: 'm', report };
    expect(currentEvent(today)).toBe(today);
    expect(currentObjectRetry({ objectKey: 'k', state: 'GAVE_UP' }).state).toBe('GAVE_UP');
  });
});
