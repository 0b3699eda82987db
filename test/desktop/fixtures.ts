// Builders for DaemonViews and audit records in the shapes the daemon sends, for the pure-logic tests.
import type { AuditRecord, ConnectorStatus, IntegrationConnectorReport } from '../../shared/api/types.js';
import type { DaemonView } from '../../shared/console-backend.js';

export function report(connectorName: string, connectorStatus: ConnectorStatus, extra: Partial<IntegrationConnectorReport> = {}): IntegrationConnectorReport {
  return { connectorName, connectorStatus, minMinutesBetweenRefresh: 0, connectorId: `id-${connectorName}`, ...extra };
}

export function view(
  id: string,
  reports: IntegrationConnectorReport[],
  extra: Partial<Omit<DaemonView, 'entry'>> & { local?: boolean; label?: string } = {},
): DaemonView {
  const { local = false, label = id, ...rest } = extra;
  return {
    entry: { id, label, url: 'http://127.0.0.1:1', serverName: 'integration-daemon', userId: 'garygeeke', local },
    connection: 'connected',
    clockSkewMs: 0,
    eventStream: true,
    status: {
      class: 'IntegrationDaemonStatusResponse',
      relatedHTTPCode: 200,
      integrationServiceSummaries: [
        {
          integrationServiceId: 4005,
          integrationServiceFullName: 'Files Integrator OMIS',
          integrationServiceURLMarker: 'files-integrator',
          integrationServiceDescription: 'Extract metadata about files stored in a file system or file manager.',
          integrationServiceWiki: 'https://egeria-project.org/services/omis/files-integrator/overview/',
          integrationConnectorReports: reports,
        },
      ],
    },
    ...rest,
  };
}

let sequence = 0;
export function auditRecord(extra: Partial<AuditRecord> = {}): AuditRecord {
  sequence++;
  return {
    sequence,
    timeStamp: new Date(0).toISOString(),
    serverName: 'integration-daemon',
    severity: 'Exception',
    messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001',
    messageText: 'The directory /data/landing does not exist',
    messageParameters: [],
    ...extra,
  };
}
