// Builders for DaemonViews and audit records in the shapes the daemon sends, for the pure-logic tests; and the
// polling wait the wiring tests share.
import type { AuditRecord, ConnectorStatus, IntegrationConnectorReport } from '../../shared/api/types.js';
import type { DaemonView } from '../../shared/console-backend.js';

export function report(
  connectorName: string,
  connectorStatus: ConnectorStatus,
  extra: Partial<IntegrationConnectorReport> = {},
): IntegrationConnectorReport {
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

/** Polls a synchronous probe every 10 ms until it gives a value; on timeout the error carries `context()` (a log tail). */
export async function until<T>(
  what: string,
  probe: () => T | undefined | false,
  timeoutMs = 15_000,
  context: () => string = () => '',
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - start > timeoutMs) {
      const tail = context();
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${tail ? `; log:\n${tail}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
