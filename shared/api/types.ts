// Wire types of the daemon's REST + SSE API. Shared by the engine (which produces them), the CLI, the
// Electron main process and the renderer (which consume them). Field names follow Egeria where Egeria has
// the concept (see test/fixtures/integration-daemon-troubleshooting.txt); our extensions sit beside them.

import type { CatalogTargetReport } from './catalog-targets.js';
import type { HeldArchive } from './held-archives.js';
import type { OpenLineageStatistics } from './openlineage.js';
import type { ConfigurationProblem } from './workbench.js';
import type { IntegrationGroupSummary } from './egeria5.js';

export const CONNECTOR_STATUSES = [
  'INITIALIZED',
  'WAITING',
  'REFRESHING',
  'RUNNING',
  'STOPPED',
  'INITIALIZE_FAILED',
  'CONFIG_FAILED',
  'SHUTDOWN',
  'FAILED',
  'RETRYING',
] as const;
export type ConnectorStatus = (typeof CONNECTOR_STATUSES)[number];

/** Which of the three error sources the seed names is at fault; decided by the client the failing call went through. */
export const ERROR_SOURCES = ['connector', 'thirdParty', 'metadataServer'] as const;
export type ErrorSource = (typeof ERROR_SOURCES)[number];

export const ERROR_CATEGORIES = ['network', 'timeout', 'security', 'configuration', 'notFound', 'conflict', 'generic'] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

/** How much a failure affects: one object (a file, a table), one refresh, or the whole connector. */
export const ERROR_SCOPES = ['object', 'refresh', 'connector'] as const;
export type ErrorScope = (typeof ERROR_SCOPES)[number];

export const PERMITTED_SYNCHRONIZATIONS = ['FROM_THIRD_PARTY', 'TO_THIRD_PARTY', 'BOTH_DIRECTIONS'] as const;
export type PermittedSynchronization = (typeof PERMITTED_SYNCHRONIZATIONS)[number];

/** Egeria's audit log severities (AuditLogRecordSeverityLevel), printed names. */
export const AUDIT_SEVERITIES = [
  'Unknown',
  'Information',
  'Event',
  'Decision',
  'Action',
  'Error',
  'Exception',
  'Security',
  'Startup',
  'Shutdown',
  'Asset',
  'Types',
  'Cohort',
  'Trace',
  'PerfMon',
  'Activity',
] as const;
export type AuditSeverity = (typeof AUDIT_SEVERITIES)[number];

/** An automatic restart that the daemon has scheduled for a connector (status RETRYING). */
export interface RetryInfo {
  /** 1-based number of the retry being waited for. */
  attempt: number;
  /** null = unlimited. */
  retryLimit: number | null;
  /** ISO-8601; absolute so clients count down locally. */
  nextRetryAt: string;
  /** Human reason, normally the failing message. */
  reason: string;
  /** Set while the connector is parked behind the metadata server's circuit breaker: no attempt is consumed. */
  waitingFor?: 'metadataServer' | undefined;
}

export interface ConnectorStatistics {
  elementsCreated: number;
  elementsUpdated: number;
  elementsArchived: number;
  errors: number;
}

/** One connector in `GET /status`. The first six fields are exactly Egeria's (seed order); the rest are ours. */
export interface IntegrationConnectorReport {
  connectorName: string;
  connectorStatus: ConnectorStatus;
  lastStatusChange?: string;
  lastRefreshTime?: string;
  minMinutesBetweenRefresh: number;
  failingExceptionMessage?: string;
  connectorId: string;
  connectorInstanceId?: string;
  failingExceptionMessageId?: string;
  errorSource?: ErrorSource;
  errorCategory?: ErrorCategory;
  userAction?: string;
  retry?: RetryInfo;
  nextRefreshAt?: string;
  lastSuccessfulRefreshTime?: string;
  pendingObjectRetries?: number;
  statistics?: ConnectorStatistics;
  /** Live (not archived) elements this connector has catalogued. */
  elementCount?: number | undefined;
  /** A run's archive held by the mass-archive fail-safe, waiting for an operator. */
  heldArchive?: { count: number; heldAt: string } | undefined;
  /** The provider that created it, as configured. */
  connectorProvider?: string | undefined;
  /** What it connects to, as configured, any password in it redacted. */
  endpointAddress?: string | undefined;
  /** The integration group the connector was picked up from; absent for a connector of the configuration document. */
  integrationGroupName?: string | undefined;
  /** The connector's catalog targets, when it is configured with some (shared/api/catalog-targets.ts). */
  catalogTargets?: CatalogTargetReport[] | undefined;
}

export interface IntegrationServiceSummary {
  integrationServiceId: number;
  integrationServiceFullName: string;
  integrationServiceURLMarker: string;
  integrationServiceDescription: string;
  integrationServiceWiki: string;
  integrationConnectorReports: IntegrationConnectorReport[];
}

/** `GET /status`. Egeria 2.x/3.x shape (the seed's) plus `serverTime` for clock-skew correction. */
export interface IntegrationDaemonStatusResponse {
  class: 'IntegrationDaemonStatusResponse';
  relatedHTTPCode: number;
  integrationServiceSummaries: IntegrationServiceSummary[];
  serverName?: string;
  serverTime?: string;
  metadataServers?: MetadataServerStatus[];
  /** OpenLineage events posted to this daemon since it started (our extension). */
  openLineageStatistics?: OpenLineageStatistics;
  /** The integration groups the daemon runs, in Egeria 5's shape (absent when it runs none). */
  integrationGroupSummaries?: IntegrationGroupSummary[];
}

/** The metadata server's circuit breaker: CLOSED (calls go through), OPEN (calls fail fast), HALF_OPEN (one probe). */
export const BREAKER_STATES = ['CLOSED', 'OPEN', 'HALF_OPEN'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

export interface MetadataServerStatus {
  metadataServerName: string;
  breakerState: BreakerState;
  /** When the server last went or came back; probes do not move it. */
  since: string;
  /** While the server is unavailable: when the outage began. */
  unavailableSince?: string;
  nextProbeAt?: string;
  waitingConnectors: number;
  lastErrorMessage?: string;
}

/** Egeria's FFDC error envelope; sent with the real HTTP status as well as in relatedHTTPCode. */
export interface FFDCErrorResponse {
  class: string;
  relatedHTTPCode: number;
  exceptionClassName: string;
  actionDescription: string;
  exceptionErrorMessage: string;
  exceptionErrorMessageId: string;
  exceptionErrorMessageParameters: string[];
  exceptionSystemAction: string;
  exceptionUserAction: string;
  exceptionProperties?: Record<string, string>;
  /** Problems with a configuration document or connector entry, one per field. */
  problems?: ConfigurationProblem[] | undefined;
}

export interface VoidResponse {
  class: 'VoidResponse';
  relatedHTTPCode: number;
}

export interface RegisteredOMAGService {
  serviceId: number;
  serviceName: string;
  serviceURLMarker: string;
  serviceDescription: string;
  serviceWiki: string;
}

export interface RegisteredOMAGServicesResponse {
  class: 'RegisteredOMAGServicesResponse';
  relatedHTTPCode: number;
  services: RegisteredOMAGService[];
}

export interface AuditRecord {
  /** Monotonic per daemon process; SSE event id. */
  sequence: number;
  /** ISO-8601. */
  timeStamp: string;
  serverName: string;
  severity: AuditSeverity;
  messageId: string;
  messageText: string;
  messageParameters: string[];
  systemAction?: string;
  userAction?: string;
  connectorName?: string;
  urlMarker?: string;
  exceptionClassName?: string;
  exceptionMessage?: string;
}

export interface AuditLogResponse {
  class: 'AuditLogResponse';
  relatedHTTPCode: number;
  records: AuditRecord[];
}

export type RunTrigger = 'start' | 'schedule' | 'request' | 'retry' | 'change';
export type RunState = 'RUNNING' | 'SUCCEEDED' | 'PARTIAL' | 'FAILED';

/** Counts of one refresh. Invariant checked by tests: discovered = created + updated + unchanged + failed. */
export interface RunCounts {
  discovered: number;
  created: number;
  updated: number;
  unchanged: number;
  archived: number;
  failed: number;
}

export interface ConnectorRun {
  runId: string;
  connectorName: string;
  connectorId: string;
  connectorInstanceId: string;
  trigger: RunTrigger;
  startedAt: string;
  finishedAt?: string | undefined;
  durationMs?: number | undefined;
  state: RunState;
  counts: RunCounts;
  failingExceptionMessageId?: string | undefined;
  failingExceptionMessage?: string | undefined;
}

export interface RunsResponse {
  class: 'ConnectorRunsResponse';
  relatedHTTPCode: number;
  runs: ConnectorRun[];
}

export interface MetadataElement {
  guid: string;
  typeName: string;
  qualifiedName: string;
  /** The connector (by connectorId) whose third-party technology the element came from. */
  metadataSource: string;
  properties: Record<string, unknown>;
  createTime: string;
  updateTime: string;
  archived: boolean;
  version: number;
  /** The connector whose metadata source this is, when it is configured on the answering daemon. */
  connectorName?: string | undefined;
}

export interface MetadataElementsResponse {
  class: 'MetadataElementsResponse';
  relatedHTTPCode: number;
  startFrom: number;
  pageSize: number;
  elements: MetadataElement[];
  /** All elements matching the filter, when asked with `count=true`. */
  totalCount?: number | undefined;
}

/** PENDING: the object is retried at nextRetryAt; GAVE_UP: the retry limit was reached (retry objects now still can). */
export const OBJECT_RETRY_STATES = ['PENDING', 'GAVE_UP'] as const;
export type ObjectRetryState = (typeof OBJECT_RETRY_STATES)[number];

export interface ObjectRetry {
  connectorName: string;
  connectorId: string;
  objectKey: string;
  state: ObjectRetryState;
  /** Number of the next attempt (1 = first retry). */
  attempt: number;
  retryLimit: number | null;
  nextRetryAt?: string;
  firstFailedAt: string;
  lastFailedAt: string;
  lastErrorMessageId: string;
  lastErrorMessage: string;
  errorSource: ErrorSource;
  errorCategory: ErrorCategory;
}

export interface ObjectRetriesResponse {
  class: 'ObjectRetriesResponse';
  relatedHTTPCode: number;
  objectRetries: ObjectRetry[];
}

/**
 * Events on `GET .../events` (text/event-stream). SSE `event:` is the `type`, `data:` the JSON, `id:` the sequence.
 * The first event on every connection is `hello` with a full snapshot, so a client never needs a second request.
 */
export type DaemonEvent =
  | { type: 'hello'; sequence: number; serverTime: string; status: IntegrationDaemonStatusResponse }
  | {
      type: 'connector-status';
      sequence: number;
      serverTime: string;
      urlMarker: string;
      report: IntegrationConnectorReport;
    }
  | { type: 'audit'; sequence: number; serverTime: string; record: AuditRecord }
  | { type: 'run'; sequence: number; serverTime: string; run: ConnectorRun }
  | { type: 'metadata-server'; sequence: number; serverTime: string; metadataServer: MetadataServerStatus }
  | { type: 'object-retry'; sequence: number; serverTime: string; objectRetry: ObjectRetry; removed?: boolean }
  | { type: 'held-archive'; sequence: number; serverTime: string; heldArchive: HeldArchive; removed?: boolean }
  /** A connector left the configuration (removed from the console, the CLI or a new document) and was stopped. */
  | { type: 'connector-removed'; sequence: number; serverTime: string; urlMarker: string; connectorName: string };

export type * from './workbench.js';
export type * from './held-archives.js';
export type * from './egeria5.js';
export type * from './openlineage.js';
export { ARCHIVED_FILTERS, CONFIGURATION_PROPERTY_TYPES } from './workbench.js';

export const API_BASE = (serverName: string, userId: string) =>
  `/servers/${encodeURIComponent(serverName)}/open-metadata/integration-daemon/users/${encodeURIComponent(userId)}`;
export const REGISTERED_SERVICES_PATH = (userId: string) =>
  `/open-metadata/platform-services/users/${encodeURIComponent(userId)}/server-platform/registered-services/integration-services`;
export const HEALTH_PATH = '/health';
/**
 * On every answer to an authenticated request: the role of the token presented, so a console can offer a viewer
 * only what it may do instead of buttons that end in a 403.
 */
export const ROLE_HEADER = 'X-Integration-Daemon-Role';
export const TOKEN_ROLES = ['operator', 'viewer'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

/** `GET .../integration-connectors/{name}/configuration-properties` (Egeria's PropertiesResponse). */
export interface PropertiesResponse {
  class: 'PropertiesResponse';
  relatedHTTPCode: number;
  properties: Record<string, unknown>;
}

/** `POST .../integration-connectors/{name}/object-retries/retry-now`: how many object retries were started. */
export interface CountResponse {
  class: 'CountResponse';
  relatedHTTPCode: number;
  count: number;
}

/** `GET|PUT .../configuration`: the daemon's configuration document as it is now in force. */
export interface ConfigurationResponse {
  class: 'ConfigurationResponse';
  relatedHTTPCode: number;
  configuration: unknown;
}

/** `GET /health`, answered without a token. */
export interface HealthResponse {
  status: 'UP';
  serverName: string;
}
