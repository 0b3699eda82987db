// A bounded history of what happened to the daemon's health: each connector status change and each metadata server
// outage (from when to when, how many connectors waited). Fed from the event bus, so it sees exactly what the
// console sees; kept in memory with the oldest entries dropped first, so a flapping connector cannot grow it.
import type { DaemonEvent, MetadataServerOutage, StatusChange, StatusHistoryResponse } from '../../shared/api/types.js';
import type { Disposable } from '../../shared/logic/disposable.js';
import type { EventBus } from './events.js';

export const MAX_STATUS_CHANGES = 2_000;
export const MAX_OUTAGES = 200;

export class StatusHistory {
  private readonly changes: StatusChange[] = [];
  private readonly outages: MetadataServerOutage[] = [];
  /** The last status seen per connector: a report whose status did not change is not a change. */
  private readonly lastStatus = new Map<string, string>();
  /** The outage still open per metadata server. */
  private readonly open = new Map<string, MetadataServerOutage>();
  private readonly subscription: Disposable;

  constructor(bus: EventBus) {
    this.subscription = bus.subscribe((event) => this.record(event), { maxQueued: 100_000 });
  }

  /** Changes at or after `since` and outages still open or ended at or after it (epoch ms; all when absent). */
  query(since: number | undefined): StatusHistoryResponse {
    const from = since ?? 0;
    return {
      class: 'StatusHistoryResponse',
      relatedHTTPCode: 200,
      since: new Date(from).toISOString(),
      changes: this.changes.filter((c) => Date.parse(c.at) >= from).map((c) => ({ ...c })),
      metadataServerOutages: this.outages.filter((o) => o.to === undefined || Date.parse(o.to) >= from).map((o) => ({ ...o })),
    };
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private record(event: DaemonEvent): void {
    if (event.type === 'connector-status') {
      const { report } = event;
      if (this.lastStatus.get(report.connectorName) === report.connectorStatus) return;
      this.lastStatus.set(report.connectorName, report.connectorStatus);
      push(
        this.changes,
        {
          connectorName: report.connectorName,
          urlMarker: event.urlMarker,
          connectorStatus: report.connectorStatus,
          at: report.lastStatusChange ?? event.serverTime,
          ...(report.errorSource ? { errorSource: report.errorSource } : {}),
          ...(report.failingExceptionMessageId ? { failingExceptionMessageId: report.failingExceptionMessageId } : {}),
        },
        MAX_STATUS_CHANGES,
      );
      return;
    }
    if (event.type !== 'metadata-server') return;
    const server = event.metadataServer;
    const current = this.open.get(server.metadataServerName);
    if (server.breakerState === 'CLOSED') {
      if (current) {
        current.to = server.since;
        this.open.delete(server.metadataServerName);
      }
      return;
    }
    if (current) {
      current.waitingConnectors = Math.max(current.waitingConnectors, server.waitingConnectors);
      return;
    }
    const outage: MetadataServerOutage = {
      metadataServerName: server.metadataServerName,
      from: server.unavailableSince ?? server.since,
      waitingConnectors: server.waitingConnectors,
    };
    this.open.set(server.metadataServerName, outage);
    push(this.outages, outage, MAX_OUTAGES);
  }
}

function push<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}
