// The contract between the daemon and a connector: what a provider declares, the lifecycle a connector
// implements and the context through which it reaches the metadata server and its third-party technology.
// The daemon classifies errors by the client a call went through, which is why the context has two doors.
import type { PermittedSynchronization, RunCounts } from '../../shared/api/types.js';

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
  /**
   * During a refresh or change run the archive is applied when the run ends, once the mass-archive fail-safe has
   * seen all of it (a run archiving too large a share of the connector's elements is held for an operator); the
   * number returned is then how many were accepted. Outside a run it is how many were archived.
   */
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
  /**
   * Runs work caused by a change the connector noticed itself (a file system change hint) as a run with trigger
   * `change`: never beside a refresh or another change run, with its counts, object failures and archives recorded
   * like a refresh's. Resolves true once the run has ended, false when the connector is not ready for one (it is
   * starting or stopping; its next refresh catches the change). A throw ends the run FAILED and asks for a refresh.
   */
  changeRun(work: (signal: AbortSignal) => Promise<void>): Promise<boolean>;
  /** One object failed; the refresh goes on. The daemon keeps an object retry for it (durable: it survives a restart). */
  reportObjectFailure(objectKey: string, error: unknown): void;
  /** One object succeeded (cancels any pending retry of it). */
  reportObjectSuccess(objectKey: string): void;
  /** Adds to the current run's counts (discovered, unchanged, …); created/updated/archived are counted by `metadataServer`. */
  count(counts: Partial<RunCounts>): void;
  audit(message: ConnectorAuditMessage): void;
}
