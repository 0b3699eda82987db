// The one list of IPC channels between main and the console window. The preload, main's handlers and the
// argument schemas (./schemas.ts) are all keyed by these names, so a channel cannot exist on one side only.
// Kept free of zod so the sandboxed preload bundle stays small; main validates with ./schemas.ts.
import type {
  AuditRecord,
  AuditSeverity,
  ConnectorProviderDescription,
  ConnectorRun,
  ConnectorTestResponse,
  ConnectorTestStep,
  HeldArchive,
  ObjectRetry,
  StatusHistoryResponse,
} from '../api/types.js';
import type {
  CatalogTargetAction,
  ConnectorEntry,
  ConnectorRef,
  ConnectorSaveResult,
  ConsoleAction,
  ConsoleBackend,
  ConsoleEvent,
  DaemonEntry,
  DaemonInput,
  DaemonUpdate,
  DaemonView,
  MetadataElementsPage,
  MetadataElementsQuery,
  RemoteDaemonTest,
} from '../console-backend.js';

/** renderer → main, request/response (`ipcRenderer.invoke` / `ipcMain.handle`). Arguments are a tuple. */
export interface InvokeChannels {
  'daemons:list': { args: []; result: DaemonView[] };
  'daemons:add': { args: [input: DaemonInput]; result: DaemonEntry };
  'daemons:update': { args: [id: string, input: DaemonUpdate]; result: DaemonEntry };
  'daemons:remove': { args: [id: string]; result: void };
  'daemon:action': { args: [daemonId: string, action: ConsoleAction]; result: void };
  'daemon:audit-log': {
    args: [daemonId: string, query: { severity?: AuditSeverity[] | undefined; connectorName?: string | undefined; limit: number }];
    result: AuditRecord[];
  };
  'daemon:runs': { args: [daemonId: string, query: { connectorName?: string | undefined; limit: number }]; result: ConnectorRun[] };
  'daemon:object-retries': { args: [daemonId: string, connectorName?: string | undefined]; result: ObjectRetry[] };
  'daemon:retry-objects-now': { args: [daemonId: string, connectorName: string, objectKey?: string | undefined]; result: void };
  'daemon:providers': { args: [daemonId: string]; result: ConnectorProviderDescription[] };
  /** Steps arrive on `console:test-step` with the caller's testId while the call runs. */
  'daemon:test-connector': { args: [daemonId: string, connectorName: string, testId: string]; result: ConnectorTestResponse };
  'daemon:test-connector-entry': {
    args: [daemonId: string, urlMarker: string, connector: ConnectorEntry, testId: string];
    result: ConnectorTestResponse;
  };
  'daemon:add-connector': { args: [daemonId: string, urlMarker: string, connector: ConnectorEntry]; result: ConnectorSaveResult };
  'daemon:connector-entry': { args: [daemonId: string, connectorName: string]; result: ConnectorEntry };
  'daemon:update-connector': { args: [daemonId: string, connectorName: string, connector: ConnectorEntry]; result: ConnectorSaveResult };
  'daemon:remove-connector': { args: [daemonId: string, connectorName: string]; result: ConnectorSaveResult };
  'daemon:create-integration-group': {
    args: [daemonId: string, groupName: string, description?: string | undefined];
    result: ConnectorSaveResult;
  };
  'daemon:delete-integration-group': { args: [daemonId: string, groupName: string]; result: ConnectorSaveResult };
  'daemon:add-integration-group-connector': {
    args: [daemonId: string, groupName: string, connector: ConnectorEntry];
    result: ConnectorSaveResult;
  };
  'daemon:remove-integration-group-connector': {
    args: [daemonId: string, groupName: string, connectorName: string];
    result: ConnectorSaveResult;
  };
  'daemon:held-archives': { args: [daemonId: string]; result: HeldArchive[] };
  'daemon:approve-held-archive': {
    args: [daemonId: string, connectorName: string, catalogTargetName?: string | undefined];
    result: number;
  };
  'daemon:reject-held-archive': { args: [daemonId: string, connectorName: string, catalogTargetName?: string | undefined]; result: void };
  'daemon:catalog-target-action': {
    args: [daemonId: string, connectorName: string, catalogTargetName: string, action: CatalogTargetAction];
    result: void;
  };
  'daemon:status-history': { args: [daemonId: string, since?: string | undefined]; result: StatusHistoryResponse };
  'daemon:metadata-elements': { args: [daemonId: string, query: MetadataElementsQuery]; result: MetadataElementsPage };
  'daemons:test': { args: [input: DaemonInput]; result: RemoteDaemonTest };
  'notifications:muted': { args: []; result: ConnectorRef[] };
  'notifications:mute': { args: [daemonId: string, connectorName: string, muted: boolean]; result: void };
  /** The window has subscribed: main flushes the events it queued while the page was loading. */
  'console:ready': { args: []; result: void };
}
export type InvokeChannel = keyof InvokeChannels;

export const INVOKE_CHANNELS = [
  'daemons:list',
  'daemons:add',
  'daemons:update',
  'daemons:remove',
  'daemon:action',
  'daemon:audit-log',
  'daemon:runs',
  'daemon:object-retries',
  'daemon:retry-objects-now',
  'daemon:providers',
  'daemon:test-connector',
  'daemon:test-connector-entry',
  'daemon:add-connector',
  'daemon:connector-entry',
  'daemon:update-connector',
  'daemon:remove-connector',
  'daemon:create-integration-group',
  'daemon:delete-integration-group',
  'daemon:add-integration-group-connector',
  'daemon:remove-integration-group-connector',
  'daemon:held-archives',
  'daemon:approve-held-archive',
  'daemon:reject-held-archive',
  'daemon:catalog-target-action',
  'daemon:status-history',
  'daemon:metadata-elements',
  'daemons:test',
  'notifications:muted',
  'notifications:mute',
  'console:ready',
] as const satisfies readonly InvokeChannel[];

/** main → renderer (`webContents.send` / `ipcRenderer.on`). */
export interface EventChannels {
  'console:event': ConsoleEvent;
  /** One step of a connection test the window started (its testId tells which). */
  'console:test-step': { testId: string; step: ConnectorTestStep };
}
export type EventChannel = keyof EventChannels;

/** Which channel serves each ConsoleBackend method (`subscribe` is the event channel plus `console:ready`). */
export const BACKEND_METHOD_CHANNELS = {
  listDaemons: 'daemons:list',
  addDaemon: 'daemons:add',
  updateDaemon: 'daemons:update',
  removeDaemon: 'daemons:remove',
  action: 'daemon:action',
  auditLog: 'daemon:audit-log',
  runs: 'daemon:runs',
  objectRetries: 'daemon:object-retries',
  retryObjectsNow: 'daemon:retry-objects-now',
  listProviders: 'daemon:providers',
  testConnector: 'daemon:test-connector',
  testConnectorEntry: 'daemon:test-connector-entry',
  addConnector: 'daemon:add-connector',
  connectorEntry: 'daemon:connector-entry',
  updateConnector: 'daemon:update-connector',
  removeConnector: 'daemon:remove-connector',
  createIntegrationGroup: 'daemon:create-integration-group',
  deleteIntegrationGroup: 'daemon:delete-integration-group',
  addIntegrationGroupConnector: 'daemon:add-integration-group-connector',
  removeIntegrationGroupConnector: 'daemon:remove-integration-group-connector',
  heldArchives: 'daemon:held-archives',
  approveHeldArchive: 'daemon:approve-held-archive',
  rejectHeldArchive: 'daemon:reject-held-archive',
  catalogTargetAction: 'daemon:catalog-target-action',
  statusHistory: 'daemon:status-history',
  metadataElements: 'daemon:metadata-elements',
  testRemoteDaemon: 'daemons:test',
  mutedConnectors: 'notifications:muted',
  muteConnector: 'notifications:mute',
} as const satisfies Record<Exclude<keyof ConsoleBackend, 'subscribe'>, InvokeChannel>;

/**
 * What crosses the wire for an invoke: Electron keeps only `message` of a thrown error, so main wraps results and
 * the preload rethrows with the message id and the fix intact.
 */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };
export interface IpcError {
  messageId: string;
  message: string;
  userAction: string;
}

/** The name of the single object the preload exposes on `window`. */
export const BRIDGE_NAME = 'integrationDaemon';
