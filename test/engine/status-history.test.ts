// The status history keeps changes (not repeated reports) and outages, drops the oldest beyond its bounds, and
// answers `since` with the changes after it and the outages not ended before it.
import { describe, expect, it } from 'vitest';
import type { IntegrationConnectorReport, MetadataServerStatus } from '../../shared/api/types.js';
import { EventBus } from '../../electron/engine/events.js';
import { MAX_OUTAGES, MAX_STATUS_CHANGES, StatusHistory } from '../../electron/engine/status-history.js';

const at = (s: number) => new Date(Date.UTC(2026, 11, 5, 8, 0, s)).toISOString();

function report(
  connectorName: string,
  connectorStatus: IntegrationConnectorReport['connectorStatus'],
  second: number,
): IntegrationConnectorReport {
  return {
    connectorName,
    connectorStatus,
    lastStatusChange: at(second),
    minMinutesBetweenRefresh: 10,
    connectorId: connectorName,
    pendingObjectRetries: 0,
    statistics: { elementsCreated: 0, elementsUpdated: 0, elementsArchived: 0, errors: 0 },
  };
}

function server(
  breakerState: MetadataServerStatus['breakerState'],
  second: number,
  waitingConnectors: number,
  from = second,
): MetadataServerStatus {
  return {
    metadataServerName: 'cocoMDS1',
    breakerState,
    since: at(second),
    ...(breakerState === 'CLOSED' ? {} : { unavailableSince: at(from) }),
    waitingConnectors,
  };
}

describe('StatusHistory', () => {
  it('records changes and outages, and answers since', async () => {
    const bus = new EventBus();
    const history = new StatusHistory(bus);
    const status = (r: IntegrationConnectorReport) =>
      bus.publish({ type: 'connector-status', serverTime: at(0), urlMarker: 'files-integrator', report: r });
    const breaker = (m: MetadataServerStatus) => bus.publish({ type: 'metadata-server', serverTime: at(0), metadataServer: m });
    status(report('A', 'WAITING', 1));
    status(report('A', 'WAITING', 2));
    breaker(server('OPEN', 3, 0));
    breaker(server('HALF_OPEN', 3, 2, 3));
    breaker(server('OPEN', 3, 3, 3));
    status({ ...report('A', 'RETRYING', 4), errorSource: 'metadataServer', failingExceptionMessageId: 'OMAG-MULTI-TENANT-404-001' });
    breaker(server('CLOSED', 9, 0));
    status(report('A', 'WAITING', 10));
    await bus.idle();
    const all = history.query(undefined);
    expect(all.changes.map((c) => [c.connectorStatus, c.at])).toEqual([
      ['WAITING', at(1)],
      ['RETRYING', at(4)],
      ['WAITING', at(10)],
    ]);
    expect(all.changes[1]).toMatchObject({
      errorSource: 'metadataServer',
      failingExceptionMessageId: 'OMAG-MULTI-TENANT-404-001',
      urlMarker: 'files-integrator',
    });
    expect(all.metadataServerOutages).toEqual([{ metadataServerName: 'cocoMDS1', from: at(3), to: at(9), waitingConnectors: 3 }]);
    const later = history.query(Date.parse(at(5)));
    expect(later.changes.map((c) => c.at)).toEqual([at(10)]);
    expect(later.metadataServerOutages).toHaveLength(1);
    expect(history.query(Date.parse(at(11))).metadataServerOutages).toEqual([]);
    history.dispose();
  });

  it('keeps at most its bounds, dropping the oldest', async () => {
    const bus = new EventBus();
    const history = new StatusHistory(bus);
    for (let i = 0; i < MAX_STATUS_CHANGES + 10; i++) {
      bus.publish({
        type: 'connector-status',
        serverTime: at(0),
        urlMarker: 'files-integrator',
        report: report('A', i % 2 ? 'RETRYING' : 'WAITING', 0),
      });
    }
    for (let i = 0; i < MAX_OUTAGES + 5; i++) {
      bus.publish({ type: 'metadata-server', serverTime: at(0), metadataServer: server('OPEN', 1, 1) });
      bus.publish({ type: 'metadata-server', serverTime: at(0), metadataServer: server('CLOSED', 2, 0) });
    }
    await bus.idle();
    const all = history.query(undefined);
    expect(all.changes).toHaveLength(MAX_STATUS_CHANGES);
    expect(all.metadataServerOutages).toHaveLength(MAX_OUTAGES);
    history.dispose();
  });
});
