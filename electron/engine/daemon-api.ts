// What the REST server (and tests) may ask of a running daemon. The engine's Daemon implements it; the REST
// layer only translates HTTP to these calls and errors to Egeria's envelope.
import type { CatalogTargetReport } from '../../shared/api/catalog-targets.js';
import type { StatusShape } from './daemon/status-cache.js';
import type {
  ArchivedFilter,
  ConnectorProviderDescription,
  ConnectorTestResponse,
  ConnectorTestStep,
  AuditRecord,
  AuditSeverity,
  ConnectorRun,
  DaemonEvent,
  HeldArchive,
  IntegrationDaemonStatusResponse,
  MetadataElement,
  ObjectRetry,
  RegisteredOMAGService,
  ConfigurationProblem,
  StatusHistoryResponse,
} from '../../shared/api/types.js';
import type { Disposable } from '../../shared/logic/disposable.js';
import type { ConnectorReport, IntegrationGroupSummary } from '../../shared/api/egeria5.js';
import type { IntegrationGroupDefinition } from '../../shared/api/integration-groups.js';
import type { IntegrationGroupContent } from './metadata-server/integration-groups.js';

export interface AuditQuery {
  severity?: AuditSeverity[] | undefined;
  connectorName?: string | undefined;
  /** ISO-8601 or epoch ms. */
  since?: number;
  limit: number;
}

/** The catalogue's filters (GET .../metadata-elements). */
export interface ElementsFilter {
  typeName?: string | undefined;
  qualifiedNamePrefix?: string | undefined;
  connectorName?: string | undefined;
  archived?: ArchivedFilter | undefined;
  text?: string | undefined;
}

/** How a connection test runs: its time limit, who hears each step, and the caller going away. */
export interface ConnectorTestRun {
  timeoutMs: number;
  onStep?: ((step: ConnectorTestStep) => void) | undefined;
  signal?: AbortSignal | undefined;
}

export interface DaemonApi {
  readonly serverName: string;
  status(): IntegrationDaemonStatusResponse;
  /**
   * status() as GET /status answers it in `shape` (under `/users/{u}` or without), as the chunks of its UTF-8 JSON,
   * kept up to date as things change rather than built for each request.
   */
  statusJson(shape: StatusShape): readonly Buffer[];
  /**
   * status()'s JSON text in pieces, each built when it is taken, for a snapshot written over many turns of the loop.
   * Which connectors and the serverTime are those of the call. A daemon without it is serialized from status().
   */
  statusPieces?(): Iterable<string>;
  registeredServices(): RegisteredOMAGService[];

  /** Refresh every connector (seed: POST /refresh). Resolves once refreshes have been started, not finished. */
  refreshAll(): Promise<void>;
  /** Refresh the connectors of one service, or one of them. Throws DaemonRequestError on unknown marker/name. */
  refreshService(urlMarker: string, connectorName?: string): Promise<void>;
  restartService(urlMarker: string, connectorName?: string): Promise<void>;
  /** Egeria 4.x /integration-connectors/refresh|restart: by connector name across the daemon, absent = all. */
  refreshConnectors(connectorName?: string): Promise<void>;
  restartConnectors(connectorName?: string): Promise<void>;
  /** Cancel a pending automatic retry and run it now. */
  retryNow(connectorName: string): Promise<void>;

  getConfigurationProperties(connectorName: string): Record<string, unknown>;
  updateConfigurationProperties(
    connectorName: string | undefined,
    properties: Record<string, unknown>,
    mergeUpdate: boolean,
  ): Promise<void>;
  updateEndpointAddress(connectorName: string, address: string): Promise<void>;

  auditLog(query: AuditQuery): AuditRecord[];
  runs(filter: { connectorName?: string | undefined; limit: number }): ConnectorRun[];
  findElements(query: ElementsFilter & { startFrom: number; pageSize: number }): Promise<MetadataElement[]>;
  countElements(filter: ElementsFilter): Promise<number>;
  objectRetries(connectorName?: string): ObjectRetry[];
  /** Retry given-up (or pending) objects now; absent objectKey = all of that connector's. */
  retryObjectsNow(connectorName: string, objectKey?: string): Promise<number>;

  /** A connector's catalog targets; refresh one now, or retry a failed one now, without restarting the connector. */
  catalogTargets(connectorName: string): CatalogTargetReport[];
  refreshCatalogTarget(connectorName: string, catalogTargetName: string): Promise<void>;
  retryCatalogTarget(connectorName: string, catalogTargetName: string): Promise<void>;

  /**
   * Archives held by the mass-archive fail-safe; approve archives one connector's (returns how many), reject keeps
   * them. `userId` is who decided, as the audit record names them (the REST path's {userId}); without it the
   * daemon's own localServerUserId. With catalogTargetName: that catalog target's held archive, else the connector's own.
   */
  heldArchives(): HeldArchive[];
  approveHeldArchive(connectorName: string, userId?: string, catalogTargetName?: string): Promise<number>;
  rejectHeldArchive(connectorName: string, userId?: string, catalogTargetName?: string): Promise<void>;

  /** Configuration document admin (validated, written atomically, restarts only the connectors it touches). */
  getConfiguration(): unknown;
  replaceConfiguration(document: unknown): Promise<void>;

  /** The workbench: what each provider declares, connection tests, and managing one connector at a time. */
  listProviders(): ConnectorProviderDescription[];
  testConnector(connectorName: string, run: ConnectorTestRun): Promise<ConnectorTestResponse>;
  testConnectorEntry(urlMarker: string, entry: Record<string, unknown>, run: ConnectorTestRun): Promise<ConnectorTestResponse>;
  addConnector(urlMarker: string, entry: Record<string, unknown>): Promise<void>;
  /** A connector's entry in the configuration document, unredacted (the REST layer redacts it). */
  connectorEntry(connectorName: string): Record<string, unknown>;
  updateConnector(connectorName: string, entry: Record<string, unknown>): Promise<void>;
  removeConnector(connectorName: string): Promise<void>;
  /** Egeria 5 validate-connector: what a registered provider (by name or Egeria class name) is; refuses others. */
  validateConnector(providerClassName: string): ConnectorReport;
  /**
   * An OpenLineage run event as posted (text); catalogued by the lineage connectors, or refused and counted.
   * Undefined: the REST layer refused a body it could not read (too large, cut short); it is only counted.
   */
  publishOpenLineageEvent(body: string | undefined): Promise<void>;
  /** Integration groups this daemon runs (Egeria 5); a daemon without groups leaves these out. */
  integrationGroups?(): IntegrationGroupSummary[];
  /** Reload one group's definition now; refuses a group the daemon does not run. */
  refreshIntegrationGroupConfig?(groupName: string): Promise<void>;
  /** Integration group definitions in the metadata server (our extension); a daemon without them leaves it out. */
  readonly integrationGroupAdmin?: IntegrationGroupAdmin;
  /** Status changes and metadata server outages at or after `since` (epoch ms), oldest first; bounded. */
  statusHistory(since?: number): StatusHistoryResponse;

  /** Live events; disposing the result unsubscribes. */
  subscribe(listener: (event: DaemonEvent) => void): Disposable;
  maxPageSize: number;
}

/**
 * Reading and changing integration group definitions: connector entries are checked like configured ones, and a
 * daemon that runs the group picks a change up before answering.
 */
export interface IntegrationGroupAdmin {
  list(): Promise<IntegrationGroupDefinition[]>;
  get(groupName: string): Promise<IntegrationGroupDefinition>;
  create(groupName: string, content: IntegrationGroupContent): Promise<IntegrationGroupDefinition>;
  /** `expectedVersion` (when given) must be the group's current version. */
  update(groupName: string, content: IntegrationGroupContent, expectedVersion?: number): Promise<IntegrationGroupDefinition>;
  delete(groupName: string): Promise<void>;
  addConnector(groupName: string, entry: Record<string, unknown>): Promise<IntegrationGroupDefinition>;
  removeConnector(groupName: string, connectorName: string): Promise<IntegrationGroupDefinition>;
}

/** A request the daemon refuses; the REST layer renders it as Egeria's FFDC envelope. */
export class DaemonRequestError extends Error {
  /** A refused configuration document or connector entry: each problem with its JSON path, for forms to place. */
  problems: ConfigurationProblem[] | undefined;

  constructor(
    readonly httpCode: number,
    readonly messageId: string,
    text: string,
    readonly parameters: string[],
    readonly systemAction: string,
    readonly userAction: string,
    readonly exceptionClassName = httpCode === 404 || httpCode === 400
      ? 'org.odpi.openmetadata.frameworks.connectors.ffdc.InvalidParameterException'
      : 'org.odpi.openmetadata.frameworks.connectors.ffdc.PropertyServerException',
  ) {
    super(`${messageId} ${text}`);
    this.name = 'DaemonRequestError';
  }
}
