// The console's state: a replica of every daemon's status, built from a snapshot and patched by events.
import type { AuditRecord, ConnectorRun, IntegrationConnectorReport, MetadataServerStatus, ObjectRetry } from '../../shared/api/types.js';
import type { DaemonConnectionState, DaemonEntry } from '../../shared/console-backend.js';
import type { IntegrationGroupSummary } from '../../shared/api/egeria5.js';

export interface ServiceModel {
  urlMarker: string;
  serviceId: number;
  fullName: string;
  description: string;
  wiki: string;
  connectorKeys: string[];
}

/** One connector; a status event replaces the whole object so only that connector's row re-renders. */
export interface ConnectorEntry {
  key: string;
  urlMarker: string;
  report: IntegrationConnectorReport;
}

export interface DaemonModel {
  entry: DaemonEntry;
  connection: DaemonConnectionState;
  nextReconnectAt?: string;
  lastError?: string;
  clockSkewMs: number;
  eventStream: boolean;
  /** False when the daemon named this console's token a viewer's: every changing action is disabled, with why. */
  mayChange: boolean;
  /** False until the first snapshot: the console must not claim anything about connectors it has not seen. */
  hasSnapshot: boolean;
  services: ServiceModel[];
  connectors: Record<string, ConnectorEntry>;
  metadataServers: MetadataServerStatus[];
  /** The integration groups the daemon runs, as its last snapshot told (their connectors carry the group's name). */
  groups: IntegrationGroupSummary[];
  /** Oldest first, at most AUDIT_LIMIT. */
  audit: AuditRecord[];
  /** By connector name, newest first, at most RUNS_LIMIT each. */
  runs: Record<string, ConnectorRun[]>;
  /** By connector name. */
  objectRetries: Record<string, ObjectRetry[]>;
}

export interface Announcement {
  id: number;
  text: string;
}

export const VIEWS = ['connectors', 'catalogue', 'audit'] as const;
export type ViewName = (typeof VIEWS)[number];

export interface ConsoleModel {
  daemons: Record<string, DaemonModel>;
  order: string[];
  selectedDaemonId: string | null;
  /** The selected daemon's view (tab). */
  view: ViewName;
  /** The connector the catalogue opens at (a connector's details link to its elements); `seq` tells each request apart. */
  catalogueOf: { connectorName: string; seq: number } | null;
  focus: { daemonId: string; connectorKey: string } | null;
  /** Read out by the status-change live region. */
  announcement: Announcement | null;
}

export const AUDIT_LIMIT = 2000;
export const RUNS_LIMIT = 50;

export const EMPTY_MODEL: ConsoleModel = {
  daemons: {},
  order: [],
  selectedDaemonId: null,
  view: 'connectors',
  catalogueOf: null,
  focus: null,
  announcement: null,
};

export function connectorKey(urlMarker: string, connectorName: string): string {
  return `${urlMarker}/${connectorName}`;
}
