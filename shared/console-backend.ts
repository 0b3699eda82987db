// The one surface the renderer uses to reach daemons. In Electron it is the preload's bridge object (main owns the
// connections and the tokens); in browser mode the renderer implements it itself over REST + SSE.
import type {
  ArchivedFilter,
  AuditRecord,
  ConfigurationProblem,
  AuditSeverity,
  ConnectorProviderDescription,
  ConnectorRun,
  ConnectorTestResponse,
  ConnectorTestStep,
  DaemonEvent,
  HeldArchive,
  IntegrationDaemonStatusResponse,
  MetadataElement,
  ObjectRetry,
  StatusHistoryResponse,
} from './api/types.js';
import type { ActionKind, ActionScope } from './console-actions.js';
import type { Disposable } from './logic/disposable.js';
import type { DaemonEra } from './client/era.js';

/** The id of the local daemon: the one the desktop app runs, or the one that served the page in a browser. */

/** What the console can ask of one catalog target. */
export type CatalogTargetAction = 'refresh' | 'retry';
export const LOCAL_DAEMON_ID = 'local';

export interface DaemonEntry {
  id: string;
  label: string;
  /** Platform root, e.g. http://127.0.0.1:9443 */
  url: string;
  serverName: string;
  userId: string;
  /** The daemon the desktop app runs itself. */
  local: boolean;
  /** Which generation of daemon it is, found out when it was added; absent = ours (every action). */
  era?: DaemonEra | undefined;
}

export type DaemonConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface DaemonView {
  entry: DaemonEntry;
  connection: DaemonConnectionState;
  /** ISO-8601 of the next reconnect attempt while disconnected. */
  nextReconnectAt?: string;
  lastError?: string;
  status?: IntegrationDaemonStatusResponse;
  /** serverTime − local time at the last message, to correct countdowns. */
  clockSkewMs: number;
  /** false when the daemon has no event stream (a real Egeria daemon) and is polled. */
  eventStream: boolean;
  /**
   * False when the daemon said this console's token is a viewer token: it may watch, not change. Absent until the
   * daemon has answered, and from daemons that do not say (Egeria): every action is offered then.
   */
  mayChange?: boolean;
}

export type ConsoleEvent =
  | { type: 'daemon'; view: DaemonView }
  | { type: 'daemon-removed'; daemonId: string }
  | { type: 'event'; daemonId: string; event: DaemonEvent }
  /** A notification was clicked: show this connector. */
  | { type: 'focus-connector'; daemonId: string; connectorName: string };

/** An operator's action on one daemon; shared/console-actions.ts says which are valid and what each calls. */
export interface ConsoleAction {
  kind: ActionKind;
  scope: ActionScope;
  urlMarker?: string | undefined;
  connectorName?: string | undefined;
}

export interface DaemonInput {
  label: string;
  url: string;
  serverName: string;
  userId: string;
  /** Write-only: never read back by the renderer. */
  token?: string | undefined;
}

/** A change to a saved daemon: only the fields given are changed. */
export type DaemonUpdate = { [K in keyof DaemonInput]?: DaemonInput[K] | undefined };

export interface ConsoleBackend {
  listDaemons(): Promise<DaemonView[]>;
  addDaemon(input: DaemonInput): Promise<DaemonEntry>;
  updateDaemon(id: string, input: DaemonUpdate): Promise<DaemonEntry>;
  removeDaemon(id: string): Promise<void>;
  /** Each event as it comes (listDaemons gives the views to start from); disposing the result stops them. */
  subscribe(listener: (event: ConsoleEvent) => void): Disposable;
  action(daemonId: string, action: ConsoleAction): Promise<void>;
  auditLog(
    daemonId: string,
    query: { severity?: AuditSeverity[] | undefined; connectorName?: string | undefined; limit: number },
  ): Promise<AuditRecord[]>;
  runs(daemonId: string, query: { connectorName?: string | undefined; limit: number }): Promise<ConnectorRun[]>;
  objectRetries(daemonId: string, connectorName?: string): Promise<ObjectRetry[]>;
  retryObjectsNow(daemonId: string, connectorName: string, objectKey?: string): Promise<void>;
  /** The providers the daemon offers, with their declared endpoint, configuration properties and test steps. */
  listProviders(daemonId: string): Promise<ConnectorProviderDescription[]>;
  /** Tests a configured connector step by step; `onStep` gets each step as it completes. */
  testConnector(daemonId: string, connectorName: string, onStep?: (step: ConnectorTestStep) => void): Promise<ConnectorTestResponse>;
  /** Tests a connector entry not saved yet, as it would be written under the integration service `urlMarker`. */
  testConnectorEntry(
    daemonId: string,
    urlMarker: string,
    connector: ConnectorEntry,
    onStep?: (step: ConnectorTestStep) => void,
  ): Promise<ConnectorTestResponse>;
  /**
   * Add, change and remove one connector. A refusal the operator can fix in the form resolves with its problems, one
   * per field (so they survive IPC); a daemon that cannot be reached rejects as every other call does.
   */
  addConnector(daemonId: string, urlMarker: string, connector: ConnectorEntry): Promise<ConnectorSaveResult>;
  /** A connector's entry as configured, secrets as `***` (saving it back keeps them): what the edit form opens with. */
  connectorEntry(daemonId: string, connectorName: string): Promise<ConnectorEntry>;
  updateConnector(daemonId: string, connectorName: string, connector: ConnectorEntry): Promise<ConnectorSaveResult>;
  removeConnector(daemonId: string, connectorName: string): Promise<ConnectorSaveResult>;
  /**
   * Integration groups, defined in the daemon's metadata server: create or delete a group, add or remove one of its
   * connectors. A refusal resolves with its problems as addConnector's does (a connector's paths keep the group's
   * `connectors[N].` prefix); a viewer's token is refused by the daemon (403), which rejects.
   */
  createIntegrationGroup(daemonId: string, groupName: string, description?: string): Promise<ConnectorSaveResult>;
  deleteIntegrationGroup(daemonId: string, groupName: string): Promise<ConnectorSaveResult>;
  addIntegrationGroupConnector(daemonId: string, groupName: string, connector: ConnectorEntry): Promise<ConnectorSaveResult>;
  removeIntegrationGroupConnector(daemonId: string, groupName: string, connectorName: string): Promise<ConnectorSaveResult>;
  /** Archives held by the mass-archive fail-safe, each waiting for an operator. */
  heldArchives(daemonId: string): Promise<HeldArchive[]>;
  /**
   * "Archive them": archives what the connector's run (with catalogTargetName, that catalog target's) held back;
   * resolves with how many were archived.
   */
  approveHeldArchive(daemonId: string, connectorName: string, catalogTargetName?: string): Promise<number>;
  /** "Keep them": drops the held archive (the connector's own, or its catalog target's), the elements stay. */
  rejectHeldArchive(daemonId: string, connectorName: string, catalogTargetName?: string): Promise<void>;
  /** "Resync" (refresh) or "Retry" one catalog target of a connector now, without restarting the connector. */
  catalogTargetAction(daemonId: string, connectorName: string, catalogTargetName: string, action: CatalogTargetAction): Promise<void>;
  /** Status changes and metadata server outages since `since` (ISO-8601), for the daemon's status timeline. */
  statusHistory(daemonId: string, since?: string): Promise<StatusHistoryResponse>;
  /** One page of the catalogue. */
  metadataElements(daemonId: string, query: MetadataElementsQuery): Promise<MetadataElementsPage>;
  /** Tests a daemon before it is added: reachable, token accepted, which era. Nothing is saved. */
  testRemoteDaemon(input: DaemonInput): Promise<RemoteDaemonTest>;
  /** Desktop only (absent in browser mode): connectors whose failures raise no notification. */
  mutedConnectors?(): Promise<ConnectorRef[]>;
  /** Desktop only: stop (or resume) notifications for one connector; the tray shows the same list. */
  muteConnector?(daemonId: string, connectorName: string, muted: boolean): Promise<void>;
}

/** A connector entry as written in the configuration document (connectorName, connectorProvider, endpointAddress, …). */
export type ConnectorEntry = Record<string, unknown>;

export type ConnectorSaveResult =
  { saved: true } | { saved: false; messageId: string; message: string; userAction: string; problems: ConfigurationProblem[] };

export interface MetadataElementsQuery {
  connectorName?: string | undefined;
  typeName?: string | undefined;
  qualifiedNamePrefix?: string | undefined;
  text?: string | undefined;
  /** Default exclude. */
  archived?: ArchivedFilter | undefined;
  startFrom: number;
  pageSize: number;
  /** Ask for totalCount. */
  count?: boolean | undefined;
}

export interface MetadataElementsPage {
  startFrom: number;
  pageSize: number;
  elements: MetadataElement[];
  /** Present when asked with count. */
  totalCount?: number | undefined;
}

/** Which kind of daemon answered: ours, Egeria 4.x/5.x (status wrapped in integrationDaemonStatus), Egeria 2.x/3.x. */
export type RemoteDaemonEra = 'integration-daemon' | 'egeria-4' | 'egeria-2';

export interface RemoteDaemonTest {
  reachable: boolean;
  /** Absent when the daemon could not be asked (unreachable, or no such server). */
  tokenAccepted?: boolean | undefined;
  era?: RemoteDaemonEra | undefined;
  /** What was found; on a failure it starts with the message id. */
  message: string;
  messageId?: string | undefined;
  userAction?: string | undefined;
}

/** One connector of one daemon: what the tray, the notification settings and the console's actions point at. */
export interface ConnectorRef {
  daemonId: string;
  connectorName: string;
  /** Its integration service, where known: an action through the service reaches only that service's connector. */
  urlMarker?: string | undefined;
}

/**
 * What a ConsoleBackend method rejects with when the request itself cannot be carried out: the message id, the
 * text (after the id, as in every message of ours) and the fix. Daemon refusals arrive as DaemonClientError.
 */
export class ConsoleError extends Error {
  constructor(
    readonly messageId: string,
    text: string,
    readonly userAction: string,
  ) {
    super(`${messageId} ${text}`);
    this.name = 'ConsoleError';
  }
}
