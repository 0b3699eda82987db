// Builders for what the console, the tray and the notifications are fed: connector reports, daemon statuses in
// the Egeria shape with our extensions, DaemonViews and audit records. One copy for the renderer, desktop and
// shared-logic tests, so a change to a wire shape is made here once.
import type { AuditRecord, ConnectorStatus, IntegrationConnectorReport, IntegrationDaemonStatusResponse } from '../../shared/api/types.js';
import type { DaemonView } from '../../shared/console-backend.js';

/** One connector's report; `WAITING` between refreshes unless told otherwise. */
export function report(
  connectorName: string,
  connectorStatus: ConnectorStatus = 'WAITING',
  extra: Partial<IntegrationConnectorReport> = {},
): IntegrationConnectorReport {
  return { connectorName, connectorStatus, minMinutesBetweenRefresh: 0, connectorId: `id-${connectorName}`, ...extra };
}

/** A daemon status with one integration service per key (its URL marker), in the order given. */
export function status(services: Record<string, IntegrationConnectorReport[]>): IntegrationDaemonStatusResponse {
  return {
    class: 'IntegrationDaemonStatusResponse',
    relatedHTTPCode: 200,
    serverName: 'exchangeDL01',
    integrationServiceSummaries: Object.entries(services).map(([marker, reports], i) => ({
      integrationServiceId: 4000 + i,
      integrationServiceFullName: `${marker} OMIS`,
      integrationServiceURLMarker: marker,
      integrationServiceDescription: '',
      integrationServiceWiki: '',
      integrationConnectorReports: reports,
    })),
  };
}

export interface ViewOptions extends Partial<Omit<DaemonView, 'entry'>> {
  /** The daemon the desktop app runs itself; by default the one whose id is `local`. */
  local?: boolean;
  /** By default the id. */
  label?: string;
}

/**
 * A connected daemon as a connection reports it. `services` are its connectors: a list puts them all in
 * files-integrator, a record names the services; without them the daemon has sent no status yet.
 */
export function view(
  id: string,
  services?: IntegrationConnectorReport[] | Record<string, IntegrationConnectorReport[]>,
  options: ViewOptions = {},
): DaemonView {
  const { local = id === 'local', label = id, ...rest } = options;
  const result: DaemonView = {
    entry: { id, label, url: 'http://127.0.0.1:9443', serverName: 'exchangeDL01', userId: 'garygeeke', local },
    connection: 'connected',
    clockSkewMs: 0,
    eventStream: true,
    ...(services === undefined ? {} : { status: status(Array.isArray(services) ? { 'files-integrator': services } : services) }),
    ...rest,
  };
  return result;
}

let sequence = 0;
/** An audit record; an Exception from the files connectors unless told otherwise, numbered in creation order. */
export function auditRecord(extra: Partial<AuditRecord> = {}): AuditRecord {
  sequence++;
  return {
    sequence,
    timeStamp: new Date(0).toISOString(),
    serverName: 'exchangeDL01',
    severity: 'Exception',
    messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001',
    messageText: 'The directory /data/landing does not exist',
    messageParameters: [],
    ...extra,
  };
}
