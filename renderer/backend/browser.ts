// ConsoleBackend for a plain browser tab: the console talks to each daemon itself over REST + SSE, through the
// same DaemonConnection the desktop main process uses. The daemon that served the page is the local one; remote
// daemons are kept in localStorage, tokens only in sessionStorage. In Electron the preload's bridge implements
// the same interface instead.
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
} from '../../shared/api/types.js';
import type { DaemonClient } from '../../shared/client/client.js';
import { DaemonConnection } from '../../shared/client/connection.js';
import { detectEra, type DaemonEra } from '../../shared/client/era.js';
import { testRemoteDaemon } from '../../shared/client/remote-test.js';
import { connectorSaveResult } from '../../shared/client/workbench.js';
import { performAction, viewerRefusal } from '../../shared/console-actions.js';
import {
  type CatalogTargetAction,
  ConsoleError,
  LOCAL_DAEMON_ID,
  type ConnectorEntry,
  type ConnectorSaveResult,
  type ConsoleAction,
  type ConsoleBackend,
  type ConsoleEvent,
  type DaemonEntry,
  type DaemonInput,
  type DaemonUpdate,
  type DaemonView,
  type MetadataElementsPage,
  type MetadataElementsQuery,
  type RemoteDaemonTest,
} from '../../shared/console-backend.js';
import { applyDaemonUpdate, daemonUpdateSchema, parseDaemonInput } from '../../shared/daemon-input.js';
import { Emitter, type Disposable, type Listener } from '../../shared/logic/disposable.js';
import { loadSavedDaemons, saveDaemons, tokenKey, type KeyValueStore, type SavedDaemon } from './saved-daemons.js';

export interface BrowserBackendOptions {
  /** The page's own daemon, or null when the page was not served by one. */
  local: { url: string; serverName: string; userId: string } | null;
  persistent: KeyValueStore;
  session: KeyValueStore;
  fetch?: typeof fetch;
}

export class BrowserBackend implements ConsoleBackend {
  private readonly connections = new Map<string, DaemonConnection>();
  private readonly events = new Emitter<ConsoleEvent>();
  private started = false;
  /** Problems found in the saved daemon list, for the page to show once. */
  readonly loadProblems: string[];

  constructor(private readonly options: BrowserBackendOptions) {
    if (options.local) {
      this.open({ id: LOCAL_DAEMON_ID, label: `${options.local.serverName} (this daemon)`, local: true, ...options.local });
    }
    const { daemons, problems } = loadSavedDaemons(options.persistent);
    this.loadProblems = problems;
    for (const saved of daemons) this.open({ ...saved, local: false });
  }

  async listDaemons(): Promise<DaemonView[]> {
    return this.listDaemonsSync();
  }

  listDaemonsSync(): DaemonView[] {
    return [...this.connections.values()].map((c) => c.view);
  }

  async addDaemon(input: DaemonInput): Promise<DaemonEntry> {
    const valid = parseDaemonInput(input);
    // Found out once, here, and saved with the daemon: the era decides the paths and the actions offered.
    const era = await this.findEra(valid);
    const entry: DaemonEntry = {
      id: newId(),
      label: valid.label,
      url: valid.url,
      serverName: valid.serverName,
      userId: valid.userId,
      local: false,
      ...(era !== undefined ? { era } : {}),
    };
    if (valid.token) this.options.session.setItem(tokenKey(entry.id), valid.token);
    this.persist([...this.saved(), toSaved(entry)]);
    const connection = this.open(entry);
    this.emit({ type: 'daemon', view: connection.view });
    if (this.started) connection.start();
    return entry;
  }

  async updateDaemon(id: string, input: DaemonUpdate): Promise<DaemonEntry> {
    const current = this.connections.get(id);
    if (!current) throw unknownDaemon(id);
    const old = current.view.entry;
    const { entry, token } = old.local ? pageDaemonUpdate(old, input) : remoteDaemonUpdate(old, input);
    if (token) this.options.session.setItem(tokenKey(id), token);
    current.stop();
    const fresh = this.open(entry);
    if (!entry.local) this.persist(this.saved());
    this.emit({ type: 'daemon', view: fresh.view });
    if (this.started) fresh.start();
    return entry;
  }

  async removeDaemon(id: string): Promise<void> {
    const connection = this.connections.get(id);
    if (!connection) throw unknownDaemon(id);
    if (connection.view.entry.local) {
      throw new ConsoleError(
        'INTEGRATION-CONSOLE-400-013',
        'The daemon that served this page cannot be removed from its own console.',
        'Remove it from the console of another daemon, or close this tab.',
      );
    }
    connection.stop();
    this.connections.delete(id);
    this.options.session.removeItem(tokenKey(id));
    this.persist(this.saved());
    this.emit({ type: 'daemon-removed', daemonId: id });
  }

  subscribe(listener: Listener<ConsoleEvent>): Disposable {
    const subscription = this.events.event(listener);
    // The listener learns every daemon (with its last snapshot) before any of its events.
    for (const connection of this.connections.values()) listener({ type: 'daemon', view: connection.view });
    if (!this.started) {
      this.started = true;
      for (const connection of this.connections.values()) connection.start();
    }
    return subscription;
  }

  async action(daemonId: string, action: ConsoleAction): Promise<void> {
    const client = this.changer(daemonId, 'The action');
    const connection = this.connections.get(daemonId);
    if (!connection) throw unknownDaemon(daemonId);
    await performAction(client, action, connection.view.entry);
  }

  auditLog(daemonId: string, query: { severity?: AuditSeverity[]; connectorName?: string; limit: number }): Promise<AuditRecord[]> {
    return this.client(daemonId).auditLog(query);
  }

  runs(daemonId: string, query: { connectorName?: string; limit: number }): Promise<ConnectorRun[]> {
    return this.client(daemonId).runs(query);
  }

  objectRetries(daemonId: string, connectorName?: string): Promise<ObjectRetry[]> {
    return this.client(daemonId).objectRetries(connectorName);
  }

  async retryObjectsNow(daemonId: string, connectorName: string, objectKey?: string): Promise<void> {
    await this.changer(daemonId, 'Retry objects now').retryObjectsNow(connectorName, objectKey);
  }

  listProviders(daemonId: string): Promise<ConnectorProviderDescription[]> {
    return this.client(daemonId).listProviders();
  }

  async testConnector(daemonId: string, connectorName: string, onStep?: (step: ConnectorTestStep) => void): Promise<ConnectorTestResponse> {
    return this.changer(daemonId, 'The connection test').testConnector(connectorName, { onStep });
  }

  async testConnectorEntry(
    daemonId: string,
    urlMarker: string,
    connector: ConnectorEntry,
    onStep?: (step: ConnectorTestStep) => void,
  ): Promise<ConnectorTestResponse> {
    return this.changer(daemonId, 'The connection test').testConnectorEntry(urlMarker, connector, { onStep });
  }

  async addConnector(daemonId: string, urlMarker: string, connector: ConnectorEntry): Promise<ConnectorSaveResult> {
    const client = this.changer(daemonId, 'Adding the connector');
    return connectorSaveResult(() => client.addConnector(urlMarker, connector));
  }

  connectorEntry(daemonId: string, connectorName: string): Promise<ConnectorEntry> {
    return this.client(daemonId).connectorEntry(connectorName);
  }

  async updateConnector(daemonId: string, connectorName: string, connector: ConnectorEntry): Promise<ConnectorSaveResult> {
    const client = this.changer(daemonId, 'The change to the connector');
    return connectorSaveResult(() => client.updateConnector(connectorName, connector));
  }

  async removeConnector(daemonId: string, connectorName: string): Promise<ConnectorSaveResult> {
    const client = this.changer(daemonId, 'Removing the connector');
    return connectorSaveResult(() => client.removeConnector(connectorName));
  }

  async createIntegrationGroup(daemonId: string, groupName: string, description?: string): Promise<ConnectorSaveResult> {
    const client = this.changer(daemonId, 'Creating the integration group');
    return connectorSaveResult(async () => {
      await client.createIntegrationGroup(groupName, description);
    });
  }

  async deleteIntegrationGroup(daemonId: string, groupName: string): Promise<ConnectorSaveResult> {
    const client = this.changer(daemonId, 'Deleting the integration group');
    return connectorSaveResult(() => client.deleteIntegrationGroup(groupName));
  }

  async addIntegrationGroupConnector(daemonId: string, groupName: string, connector: ConnectorEntry): Promise<ConnectorSaveResult> {
    const client = this.changer(daemonId, 'Adding the connector to the group');
    return connectorSaveResult(async () => {
      await client.addIntegrationGroupConnector(groupName, connector);
    });
  }

  async removeIntegrationGroupConnector(daemonId: string, groupName: string, connectorName: string): Promise<ConnectorSaveResult> {
    const client = this.changer(daemonId, 'Removing the connector from its group');
    return connectorSaveResult(async () => {
      await client.removeIntegrationGroupConnector(groupName, connectorName);
    });
  }

  heldArchives(daemonId: string): Promise<HeldArchive[]> {
    return this.client(daemonId).heldArchives();
  }

  async approveHeldArchive(daemonId: string, connectorName: string, catalogTargetName?: string): Promise<number> {
    return this.changer(daemonId, 'Archive them').approveHeldArchive(connectorName, catalogTargetName);
  }

  async rejectHeldArchive(daemonId: string, connectorName: string, catalogTargetName?: string): Promise<void> {
    await this.changer(daemonId, 'Keep them').rejectHeldArchive(connectorName, catalogTargetName);
  }

  async catalogTargetAction(
    daemonId: string,
    connectorName: string,
    catalogTargetName: string,
    action: CatalogTargetAction,
  ): Promise<void> {
    await this.changer(daemonId, 'Resync or retry of a catalog target').catalogTargetAction(connectorName, catalogTargetName, action);
  }

  statusHistory(daemonId: string, since?: string): Promise<StatusHistoryResponse> {
    return this.client(daemonId).statusHistory(since);
  }

  metadataElements(daemonId: string, query: MetadataElementsQuery): Promise<MetadataElementsPage> {
    return this.client(daemonId).findElements(query);
  }

  async testRemoteDaemon(input: DaemonInput): Promise<RemoteDaemonTest> {
    const valid = parseDaemonInput(input);
    return testRemoteDaemon({
      url: valid.url,
      serverName: valid.serverName,
      userId: valid.userId,
      ...(valid.token ? { token: valid.token } : {}),
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
  }

  /** Which era a daemon being added is; undefined when it cannot be told now (it is then treated as ours). */
  private async findEra(input: {
    url: string;
    serverName: string;
    userId: string;
    token?: string | undefined;
  }): Promise<DaemonEra | undefined> {
    try {
      return await detectEra({
        url: input.url,
        serverName: input.serverName,
        userId: input.userId,
        ...(input.token ? { token: input.token } : {}),
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      });
    } catch {
      return undefined;
    }
  }

  /** Stops every connection (page unload, tests). */
  close(): void {
    for (const connection of this.connections.values()) connection.stop();
    this.events.dispose();
  }

  private client(daemonId: string): DaemonClient {
    const connection = this.connections.get(daemonId);
    if (!connection) throw unknownDaemon(daemonId);
    return connection.client;
  }

  /** The client for a changing call, refused before anything is sent when the daemon named the token a viewer's. */
  private changer(daemonId: string, what: string): DaemonClient {
    const client = this.client(daemonId);
    if (!client.mayChange) throw viewerRefusal(what);
    return client;
  }

  /** Creates (or replaces) the connection of one daemon; it starts when the console subscribes. */
  private open(entry: DaemonEntry): DaemonConnection {
    const token = this.options.session.getItem(tokenKey(entry.id)) ?? undefined;
    const connection = new DaemonConnection({
      entry,
      ...(token ? { token } : {}),
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
    connection.onEvent((event) => {
      // A replaced connection may still finish a request; only the current one speaks.
      if (this.connections.get(entry.id) === connection) this.emit(event);
    });
    this.connections.set(entry.id, connection);
    return connection;
  }

  private emit(event: ConsoleEvent): void {
    this.events.fire(event);
  }

  private saved(): SavedDaemon[] {
    return [...this.connections.values()].filter((c) => !c.view.entry.local).map((c) => toSaved(c.view.entry));
  }

  private persist(daemons: SavedDaemon[]): void {
    saveDaemons(this.options.persistent, daemons);
  }
}

interface CheckedUpdate {
  entry: DaemonEntry;
  token: string | undefined;
}

/** The page's own daemon changes only its token; it is reached the way the page itself came, whatever its address. */
function pageDaemonUpdate(entry: DaemonEntry, input: DaemonUpdate): CheckedUpdate {
  const { token, ...fields } = input;
  if (Object.values(fields).some((v) => v !== undefined)) {
    throw new ConsoleError(
      'INTEGRATION-CONSOLE-400-012',
      'The daemon that served this page can only change its token.',
      'Open the console from another daemon to change its address.',
    );
  }
  const checked = daemonUpdateSchema().safeParse({ token });
  if (!checked.success) {
    throw new ConsoleError(
      'INTEGRATION-CONSOLE-400-017',
      'The daemon token is not valid: it must be 1 to 4096 characters.',
      'Paste the bearer token exactly as the daemon printed it.',
    );
  }
  return { entry, token: checked.data.token };
}

/** A remote daemon: the entry the update makes is checked whole, under the same rules as the desktop's. */
function remoteDaemonUpdate(entry: DaemonEntry, input: DaemonUpdate): CheckedUpdate {
  const { token, ...fields } = applyDaemonUpdate(entry, input);
  return { entry: { ...entry, ...fields }, token };
}

function toSaved(entry: DaemonEntry): SavedDaemon {
  const saved = { id: entry.id, label: entry.label, url: entry.url, serverName: entry.serverName, userId: entry.userId };
  return entry.era === undefined ? saved : { ...saved, era: entry.era };
}

function unknownDaemon(id: string): ConsoleError {
  return new ConsoleError('INTEGRATION-CONSOLE-404-001', `No daemon with id ${id} is configured in this console.`, 'Reload the page.');
}

function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `d-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
