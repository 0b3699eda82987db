// Small builders for renderer unit tests: a realistic Egeria-shaped status with our extensions.
import type { IntegrationConnectorReport, IntegrationDaemonStatusResponse } from '../../shared/api/types.js';
import type { DaemonView } from '../../shared/console-backend.js';

export function report(name: string, extra: Partial<IntegrationConnectorReport> = {}): IntegrationConnectorReport {
  return {
    connectorName: name,
    connectorStatus: 'WAITING',
    minMinutesBetweenRefresh: 60,
    connectorId: `id-${name}`,
    lastStatusChange: '2026-11-25T01:00:00.000Z',
    ...extra,
  };
}

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

export function view(id: string, extra: Partial<DaemonView> = {}): DaemonView {
  return {
    entry: { id, label: `daemon ${id}`, url: 'http://127.0.0.1:9443', serverName: 'exchangeDL01', userId: 'npa', local: id === 'local' },
    connection: 'connected',
    clockSkewMs: 0,
    eventStream: true,
    ...extra,
  };
}
