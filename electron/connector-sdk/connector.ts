// The contract between the daemon and a connector: what a provider declares, the lifecycle a connector
// implements and the context through which it reaches the metadata server and its third-party technology.
// The daemon classifies errors by the client a call went through, which is why the context has two doors.
import type { ConfigurationPropertyDeclaration, EndpointDeclaration, PermittedSynchronization, RunCounts } from '../../shared/api/types.js';

/** The kind of connector an integration service accepts (files-integrator accepts 'files', …). */
export type ConnectorKind = 'files' | 'database' | 'catalog' | 'lineage' | 'organization' | 'security';

/** What the daemon hands a connector when it creates an instance. */
export interface ConnectorInstanceConfig {
  connectorName: string;
  connectorId: string;
  /** New for every (re)start. */
  connectorInstanceId: string;
  endpointAddress?: string | undefined;
  configurationProperties: Record<string, unknown>;
  permittedSynchronization: PermittedSynchronization;
  /** Directory the daemon resolves relative endpoint addresses against (the config file's directory). */
  baseDirectory: string;
}

export interface ConnectorProvider {
  /** Built-in name used in `connectorProvider`, e.g. `data-files-monitor`. */
  readonly providerName: string;
  /** Egeria provider class names accepted as aliases. */
  readonly aliases: readonly string[];
  readonly connectorKind: ConnectorKind;
  readonly description: string;
  /**
   * Validates `configurationProperties` and `endpointAddress`; returns problems as `{path, message, fix}` so the
   * config loader can list them with the rest. Empty array = valid.
   */
  validate(config: Pick<ConnectorInstanceConfig, 'endpointAddress' | 'configurationProperties'>): ConfigProblem[];
  create(config: ConnectorInstanceConfig): IntegrationConnector;
  /** What `endpointAddress` is; the console's form and the README are built from it. */
  readonly endpoint?: EndpointDeclaration | undefined;
  /**
   * Every property the connector reads from `configurationProperties`. When declared, the daemon refuses any other
   * (with a "did you mean") and checks each value's type, bounds and choices before `validate` runs.
   */
  readonly configurationProperties?: readonly ConfigurationPropertyDeclaration[] | undefined;
  /** The ordered checks of "test connection"; run without creating the connector. */
  readonly testChecks?: readonly ConnectorTestCheck[] | undefined;
}

/**
 * One check of a connection test (the directory exists; the server answers; …). `run` returns what it found, or
 * throws (a ConnectorError with a message id and the operator's fix where the failure is understood). A check runs
 * only when the checks it `needs` passed; without `needs` it needs every check before it.
 */
export interface ConnectorTestCheck {
  readonly name: string;
  readonly description: string;
  readonly needs?: readonly string[] | undefined;
  run(config: ConnectorInstanceConfig, signal: AbortSignal): Promise<string>;
}

export interface ConfigProblem {
  /** JSON path inside the connector entry, e.g. `configurationProperties.waitForDirectory`. */
  path: string;
  message: string;
  fix: string;
}

/**
 * Lifecycle: initialize → start → refresh (repeated) → disconnect. Every call runs under a timeout and gets an
 * AbortSignal that fires on timeout, restart or shutdown; a connector must stop work when it fires.
 * Anything thrown is classified by the daemon: errors from `context.metadataServer` are metadata-server errors,
 * errors from `context.thirdParty(...)` are third-party errors, everything else is the connector's own.
 */
export interface IntegrationConnector {
  initialize(context: ConnectorContext, signal: AbortSignal): Promise<void>;
  start(signal: AbortSignal): Promise<void>;
  /** A full reconciliation of the third-party technology with the metadata server. */
  refresh(signal: AbortSignal): Promise<void>;
  /** Re-process one object (reported earlier through `context.reportObjectFailure`) from its current state. */
  reprocessObject?(objectKey: string, signal: AbortSignal): Promise<void>;
  disconnect(): Promise<void>;
}

export interface ElementInput {
  typeName: string;
  /** Unique per metadata source (the connector). */
  qualifiedName: string;
  properties: Record<string, unknown>;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

export interface ElementSummary {
  qualifiedName: string;
  typeName: string;
  /** Stable hash of the properties, so reconciliation can skip unchanged elements without reading them. */
  fingerprint: string;
  archived: boolean;
}

/** A relationship between two elements of the same metadata source, named by their qualified names. */
export interface ElementRelationshipInput {
  typeName: string;
  end1QualifiedName: string;
  end2QualifiedName: string;
  properties?: Record<string, unknown>;
}

/** The connector's view of the metadata server, scoped to its own metadata source. */
export interface MetadataServerClient {
  upsertElements(elements: readonly ElementInput[]): Promise<UpsertOutcome[]>;
  archiveElements(qualifiedNames: readonly string[]): Promise<number>;
  listElements(filter?: { typeName?: string; qualifiedNamePrefix?: string; includeArchived?: boolean }): Promise<ElementSummary[]>;
  /** Present when the metadata server stores relationships; idempotent like `upsertElements`. */
  upsertRelationships?(relationships: readonly ElementRelationshipInput[]): Promise<UpsertOutcome[]>;
}

/** A message a connector writes to the daemon's audit log. */
export interface ConnectorAuditMessage {
  messageId: string;
  severity: 'Information' | 'Error' | 'Exception' | 'Activity' | 'Action';
  messageText: string;
  messageParameters?: string[];
  systemAction?: string;
  userAction?: string;
}

export interface ConnectorContext {
  readonly connectorName: string;
  readonly connectorId: string;
  readonly connectorInstanceId: string;
  readonly metadataServer: MetadataServerClient;
  /** Runs a call against the third-party technology; whatever it throws is classified as a third-party error. */
  thirdParty<T>(operation: () => Promise<T>): Promise<T>;
  /** Ask for a refresh soon (for example after a file-system change hint). Coalesced by the daemon. */
  requestRefresh(reason: string): void;
  /** One object failed; the refresh goes on. The daemon keeps an object retry for it (durable: it survives a restart). */
  reportObjectFailure(objectKey: string, error: unknown): void;
  /** One object succeeded (cancels any pending retry of it). */
  reportObjectSuccess(objectKey: string): void;
  /** Adds to the current run's counts (discovered, unchanged, …); created/updated/archived are counted by `metadataServer`. */
  count(counts: Partial<RunCounts>): void;
  audit(message: ConnectorAuditMessage): void;
}
