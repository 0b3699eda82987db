// What the REST server (and tests) may ask of a running daemon. The engine's Daemon implements it; the REST
// layer only translates HTTP to these calls and errors to Egeria's envelope.
import type {
  AuditRecord,
  AuditSeverity,
  ConnectorRun,
  DaemonEvent,
  HeldArchive,
  IntegrationDaemonStatusResponse,
  MetadataElement,
  ObjectRetry,
  RegisteredOMAGService,
} from '../../shared/api/types.js';
import type { Disposable } from '../../shared/logic/disposable.js';

export interface AuditQuery {
  severity?: AuditSeverity[] | undefined;
  connectorName?: string | undefined;
  /** ISO-8601 or epoch ms. */
  since?: number;
  limit: number;
}

export interface DaemonApi {
  readonly serverName: string;
  status(): IntegrationDaemonStatusResponse;
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
  findElements(query: { typeName?: string; qualifiedNamePrefix?: string; startFrom: number; pageSize: number }): Promise<MetadataElement[]>;
  objectRetries(connectorName?: string): ObjectRetry[];
  /** Retry given-up (or pending) objects now; absent objectKey = all of that connector's. */
  retryObjectsNow(connectorName: string, objectKey?: string): Promise<number>;

  /**
   * Archives held by the mass-archive fail-safe; approve archives one connector's (returns how many), reject keeps
   * them. `userId` is who decided, as the audit record names them (the REST path's {userId}); without it the
   * daemon's own localServerUserId.
   */
  heldArchives(): HeldArchive[];
  approveHeldArchive(connectorName: string, userId?: string): Promise<number>;
  rejectHeldArchive(connectorName: string, userId?: string): Promise<void>;

  /** Configuration document admin (validated, written atomically, restarts only the connectors it touches). */
  getConfiguration(): unknown;
  replaceConfiguration(document: unknown): Promise<void>;

  /** Live events; disposing the result unsubscribes. */
  subscribe(listener: (event: DaemonEvent) => void): Disposable;
  maxPageSize: number;
}

/** A request the daemon refuses; the REST layer renders it as Egeria's FFDC envelope. */
export class DaemonRequestError extends Error {
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
