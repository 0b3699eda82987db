// The configuration as the daemon runs from it (every default applied, every id generated), and the shape of a
// problem found in a document. Kept apart from the schema so the engine's parts can depend on what a configuration
// is without depending on how a document is checked.
import type { PermittedSynchronization } from '../../../shared/api/types.js';
import type { ConfigProblem as ConnectorConfigProblem } from '../../connector-sdk/index.js';
import type { AuditDestinationConfig } from '../audit/destinations.js';
import type { ProviderRegistry } from '../providers.js';
import type { ErrorHandlingEntry } from '../recovery/types.js';
import type { MetadataServerConfig } from '../metadata-server/types.js';
import type { CatalogTargetConfig } from './catalog-targets.js';
import type { RestLimits } from './rest-limits.js';

export interface ConnectorTimeouts {
  /** Milliseconds each lifecycle call may take before it is abandoned and its abort signal fires. */
  initialize: number;
  start: number;
  refresh: number;
  disconnect: number;
}

export interface ConnectorConfig {
  connectorName: string;
  /** As configured, or derived from serverName + urlMarker + connectorName (stable across restarts). */
  connectorId: string;
  connectorProvider: string;
  endpointAddress?: string;
  /** Minutes between refreshes; 0 = only at start and on request. Fractions allowed. */
  refreshTimeInterval: number;
  permittedSynchronization: PermittedSynchronization;
  configurationProperties: Record<string, unknown>;
  /** The places it works on, each with its own lifecycle; absent = its own endpoint is its one target. */
  catalogTargets?: CatalogTargetConfig[];
  /** Absent = the built-in defaults of the recovery engine. */
  errorHandling?: ErrorHandlingEntry[];
  /** The mass-archive fail-safe; absent = DEFAULT_ARCHIVE_FAIL_SAFE (50 %, at least 10 elements). 100 % turns it off. */
  archiveFailSafe?: ArchiveFailSafe;
  timeouts: ConnectorTimeouts;
}

export interface ArchiveFailSafe {
  /** A run that would archive more than this share (percent) of the connector's live elements archives nothing. */
  thresholdPercent: number;
  /** Runs archiving fewer elements than this are never held, so small folders are not. */
  minimumCount: number;
}

export interface IntegrationServiceConfig {
  urlMarker: string;
  defaultPermittedSynchronization: PermittedSynchronization;
  connectors: ConnectorConfig[];
}

export interface IntegrationGroupConfig {
  groupName: string;
}

export interface DaemonConfig {
  serverName: string;
  localServerUserId: string;
  maxPageSize: number;
  metadataServer: MetadataServerConfig;
  auditLog: { destinations: AuditDestinationConfig[] };
  integrationServices: IntegrationServiceConfig[];
  /** Integration groups whose connectors this daemon picks up from the metadata server (Egeria 5). */
  integrationGroups: IntegrationGroupConfig[];
  /** Connection and event stream limits of the REST server. */
  rest: RestLimits;
}

/** A problem in the document: where (JSON path), what is wrong, how to fix it, and its message id. */
export interface ConfigProblem extends ConnectorConfigProblem {
  messageId: string;
}

export type ValidationResult =
  { ok: true; config: DaemonConfig; warnings: ConfigProblem[] } | { ok: false; problems: ConfigProblem[]; warnings: ConfigProblem[] };

export interface ValidateOptions {
  providers: ProviderRegistry;
  /** Directory relative module paths of `connectorProvider` resolve against (the config file's directory). */
  baseDirectory?: string;
}
