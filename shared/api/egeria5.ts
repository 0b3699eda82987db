// Wire types of Egeria 5's integration daemon API (odpi/egeria IntegrationDaemonResource and its beans): the
// `integrationDaemonStatus` wrapper, integration group summaries and the validate-connector answer. Our daemon
// answers them on the 5.x paths; the shared client reads them from any Egeria daemon.
import type { ConnectorStatistics, IntegrationServiceSummary } from './types.js';

/** Egeria's IntegrationGroupStatus. */
export const INTEGRATION_GROUP_STATUSES = ['ASSIGNED', 'CONFIGURING', 'RUNNING', 'FAILED', 'DISABLED'] as const;
export type IntegrationGroupStatus = (typeof INTEGRATION_GROUP_STATUSES)[number];

/** Egeria's connector statuses; our RETRYING is sent as INITIALIZE_FAILED in the 5.x shape (retried automatically). */
export type EgeriaConnectorStatus =
  'INITIALIZED' | 'WAITING' | 'REFRESHING' | 'RUNNING' | 'STOPPED' | 'INITIALIZE_FAILED' | 'CONFIG_FAILED' | 'SHUTDOWN' | 'FAILED';

/** Egeria 5's IntegrationConnectorReport, field for field. */
export interface Egeria5ConnectorReport {
  connectorId: string;
  connectorGUID?: string;
  connectorName: string;
  connectorInstanceId?: string;
  connectorStatus: EgeriaConnectorStatus;
  lastStatusChange?: string;
  lastRefreshTime?: string;
  minMinutesBetweenRefresh: number;
  failingExceptionMessage?: string;
  statistics?: ConnectorStatistics | Record<string, unknown>;
}

export interface IntegrationGroupSummary {
  integrationGroupName: string;
  integrationGroupGUID?: string;
  integrationGroupDescription?: string;
  integrationGroupStatus: IntegrationGroupStatus;
  integrationConnectorReports: Egeria5ConnectorReport[];
  /** Ours: the version of the definition the daemon runs (absent before it was first read). */
  integrationGroupVersion?: number;
  /** Ours: why the group is FAILED or ASSIGNED, in the operator's words with the fix. */
  integrationGroupProblem?: string;
  /** Ours: since when pickup waits for the metadata server (changes to the group are not seen meanwhile). */
  pickupPausedSince?: string;
}

export interface IntegrationDaemonStatus {
  integrationServiceSummaries: IntegrationServiceSummary[];
  integrationGroupSummaries: IntegrationGroupSummary[];
  integrationConnectorReports: Egeria5ConnectorReport[];
}

/** `GET integration-groups/summary`. */
export interface IntegrationGroupSummariesResponse {
  class: 'IntegrationGroupSummariesResponse';
  relatedHTTPCode: number;
  integrationGroupSummaries: IntegrationGroupSummary[];
}

/** `GET integration-groups/{group}/summary`. */
export interface IntegrationGroupSummaryResponse {
  class: 'IntegrationGroupSummaryResponse';
  relatedHTTPCode: number;
  integrationGroupSummary: IntegrationGroupSummary;
}

/** What validate-connector tells of a provider (Egeria's ConnectorReport with its ConnectorType). */
export interface ConnectorReport {
  connectorType: {
    class: 'ConnectorType';
    connectorProviderClassName: string;
    displayName: string;
    description: string;
    /** Our extensions: the built-in provider name and the integration services that run its kind. */
    providerName: string;
    supportedIntegrationServices: string[];
  };
  refreshTimeInterval: number;
  usesBlockingCalls: boolean;
}

/** `GET validate-connector/{providerClass}`. */
export interface ConnectorReportResponse {
  class: 'ConnectorReportResponse';
  relatedHTTPCode: number;
  connectorReport: ConnectorReport;
}
