// A connector's status report (`integrationConnectorReports[]` of GET /status and every `connector-status` event)
// as a pure function of what its handler knows. Kept apart from the state machine so the report's rules (which
// fields show in which status, Egeria's field order) can be read and tested without running a connector.
import type {
  ConnectorStatistics,
  ConnectorStatus,
  ErrorCategory,
  ErrorSource,
  IntegrationConnectorReport,
} from '../../../shared/api/types.js';
import type { Egeria5ConnectorReport, EgeriaConnectorStatus } from '../../../shared/api/egeria5.js';
import { redactText, redactTexts } from '../../../shared/api/redact.js';
import { isoTime } from './time.js';

/** What the report shows about the last failure; also rebuilt from a persisted retry after a daemon restart. */
export interface FailureInfo {
  messageId: string;
  message: string;
  source: ErrorSource;
  category: ErrorCategory;
  userAction?: string;
}

/** A scheduled automatic restart (status RETRYING); `waitingFor` when it waits for the metadata server instead. */
export interface RetryState {
  attempt: number;
  retryLimit: number | null;
  /** Epoch ms. */
  nextRetryAt: number;
  reason: string;
  waitingFor?: 'metadataServer';
}

/** Everything a report is made of, times in epoch ms. */
export interface ConnectorSnapshot {
  connectorName: string;
  connectorId: string;
  connectorInstanceId: string | undefined;
  status: ConnectorStatus | undefined;
  lastStatusChange: number | undefined;
  lastRefreshTime: number | undefined;
  lastSuccessfulRefreshTime: number | undefined;
  refreshTimeInterval: number;
  failure: FailureInfo | undefined;
  retry: RetryState | undefined;
  nextRefreshAt: number | undefined;
  pendingObjectRetries: number;
  statistics: ConnectorStatistics;
}

/** Statuses that show why: a failure is reported only while the connector is in one of these. */
const FAILING_STATUSES: ReadonlySet<ConnectorStatus> = new Set(['FAILED', 'CONFIG_FAILED', 'INITIALIZE_FAILED', 'RETRYING']);

export function connectorReport(s: ConnectorSnapshot): IntegrationConnectorReport {
  // Redacted again here: a failure may come from a resolution or placement problem that was never classified.
  const failure = s.status !== undefined && FAILING_STATUSES.has(s.status) && s.failure ? redactTexts(s.failure) : undefined;
  const retry = s.status === 'RETRYING' && s.retry ? { ...s.retry, reason: redactText(s.retry.reason) } : undefined;
  const nextRefreshAt = s.status === 'WAITING' || s.status === 'REFRESHING' ? s.nextRefreshAt : undefined;
  // Field order matters to people comparing with Egeria: its six fields first, exactly as the seed prints them.
  return {
    connectorName: s.connectorName,
    connectorStatus: s.status ?? 'INITIALIZED',
    ...(s.lastStatusChange !== undefined ? { lastStatusChange: isoTime(s.lastStatusChange) } : {}),
    ...(s.lastRefreshTime !== undefined ? { lastRefreshTime: isoTime(s.lastRefreshTime) } : {}),
    minMinutesBetweenRefresh: s.refreshTimeInterval,
    ...(failure ? { failingExceptionMessage: failure.message } : {}),
    connectorId: s.connectorId,
    ...(s.connectorInstanceId !== undefined ? { connectorInstanceId: s.connectorInstanceId } : {}),
    ...(failure
      ? {
          failingExceptionMessageId: failure.messageId,
          errorSource: failure.source,
          errorCategory: failure.category,
          ...(failure.userAction ? { userAction: failure.userAction } : {}),
        }
      : {}),
    ...(retry
      ? {
          retry: {
            attempt: retry.attempt,
            retryLimit: retry.retryLimit,
            nextRetryAt: isoTime(retry.nextRetryAt),
            reason: retry.reason,
            ...(retry.waitingFor ? { waitingFor: retry.waitingFor } : {}),
          },
        }
      : {}),
    ...(nextRefreshAt !== undefined ? { nextRefreshAt: isoTime(nextRefreshAt) } : {}),
    ...(s.lastSuccessfulRefreshTime !== undefined ? { lastSuccessfulRefreshTime: isoTime(s.lastSuccessfulRefreshTime) } : {}),
    pendingObjectRetries: s.pendingObjectRetries,
    statistics: { ...s.statistics },
  };
}

/** Egeria 5 clients read the status into Egeria's enum: RETRYING is not in it, and is retried like INITIALIZE_FAILED. */
export function egeriaReport(report: IntegrationConnectorReport): Egeria5ConnectorReport {
  const status: EgeriaConnectorStatus = report.connectorStatus === 'RETRYING' ? 'INITIALIZE_FAILED' : report.connectorStatus;
  return {
    connectorId: report.connectorId,
    connectorName: report.connectorName,
    ...(report.connectorInstanceId !== undefined ? { connectorInstanceId: report.connectorInstanceId } : {}),
    connectorStatus: status,
    ...(report.lastStatusChange !== undefined ? { lastStatusChange: report.lastStatusChange } : {}),
    ...(report.lastRefreshTime !== undefined ? { lastRefreshTime: report.lastRefreshTime } : {}),
    minMinutesBetweenRefresh: report.minMinutesBetweenRefresh,
    ...(report.failingExceptionMessage !== undefined ? { failingExceptionMessage: report.failingExceptionMessage } : {}),
    ...(report.statistics !== undefined ? { statistics: report.statistics } : {}),
  };
}
