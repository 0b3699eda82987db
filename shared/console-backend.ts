// The one surface the renderer uses to reach daemons. In Electron it is the preload's bridge object (main owns the
// connections and the tokens); in browser mode the renderer implements it itself over REST + SSE.
import type { AuditRecord, AuditSeverity, ConnectorRun, DaemonEvent, IntegrationDaemonStatusResponse, ObjectRetry } from './api/types.js';
import type { ActionKind, ActionScope } from './console-actions.js';
import type { Disposable } from './logic/disposable.js';
import type { DaemonEra } from './client/era.js';

/** The id of the local daemon: the one the desktop app runs, or the one that served the page in a browser. */
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
  /** Desktop only (absent in browser mode): connectors whose failures raise no notification. */
  mutedConnectors?(): Promise<ConnectorRef[]>;
  /** Desktop only: stop (or resume) notifications for one connector; the tray shows the same list. */
  muteConnector?(daemonId: string, connectorName: string, muted: boolean): Promise<void>;
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
