// Main's side of the console: owns one DaemonConnection per daemon (the local one and every remote one), their
// tokens, and the local daemon's supervisor. The window reaches it through IPC (ipc-server.ts); the tray and the
// notifications read its views and events. The renderer gets DaemonViews and events, never a token.
import { randomUUID } from 'node:crypto';
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
import { DaemonConnection, type DaemonConnectionOptions } from '../../shared/client/connection.js';
import type { DaemonClient } from '../../shared/client/client.js';
import { testRemoteDaemon } from '../../shared/client/remote-test.js';
import { connectorSaveResult } from '../../shared/client/workbench.js';
import { performAction, viewerRefusal } from '../../shared/console-actions.js';
import { detectEra, supports, unsupported, type DaemonAction, type DaemonEra } from '../../shared/client/era.js';
import type {
  CatalogTargetAction,
  ConnectorEntry,
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
} from '../../shared/console-backend.js';
import { applyDaemonUpdate, parseDaemonInput } from '../../shared/daemon-input.js';
import type { Disposable, Listener } from '../../shared/logic/disposable.js';
import { Emitter } from '../../shared/logic/disposable.js';
import { DesktopError } from './errors.js';
import type { SecretStore } from './secret-store.js';
import type { SettingsStore, StoredDaemon } from './settings.js';
import { describeCrash, type DaemonSupervisor, type SupervisorState } from './supervisor.js';

/** How long a freshly started local daemon may take to answer before it counts as disconnected. */
export const LOCAL_STARTUP_GRACE_MS = 30_000;

export interface LocalDaemon {
  entry: DaemonEntry;
  token: string;
  supervisor: DaemonSupervisor;
}

export interface ConsoleServiceOptions {
  settings: SettingsStore;
  secrets: SecretStore;
  local?: LocalDaemon;
  /** Overrides for every connection (fetch, clock, reconnect policy); tests shorten the timings. */
  connectionOptions?: Partial<Omit<DaemonConnectionOptions, 'entry' | 'token'>>;
}

interface Attached {
  entry: DaemonEntry;
  connection: DaemonConnection;
}

function toEntry(stored: StoredDaemon): DaemonEntry {
  return { ...stored, local: false };
}

export class ConsoleService implements ConsoleBackend {
  private readonly attached = new Map<string, Attached>();
  private readonly events = new Emitter<ConsoleEvent>();
  private supervisorWatch: Disposable | undefined;
  /** The running local process has answered at least once (until then it is starting, not lost). */
  private localAnswered = false;

  constructor(private readonly options: ConsoleServiceOptions) {}

  async start(): Promise<void> {
    const local = this.options.local;
    if (local) {
      // The process first, so the connection never sees a supervisor that has not started yet.
      this.supervisorWatch = local.supervisor.onChange((state) => this.onSupervisorChange(state));
      local.supervisor.start();
      this.attach(local.entry, local.token);
    }
    for (const stored of this.options.settings.get('daemons')) {
      this.attach(toEntry(stored), await this.tokenFor(stored.id));
    }
  }

  async stop(): Promise<void> {
    this.supervisorWatch?.dispose();
    for (const a of this.attached.values()) a.connection.stop();
    this.attached.clear();
    await this.options.local?.supervisor.stop();
  }

  private async tokenFor(daemonId: string): Promise<string | undefined> {
    try {
      return await this.options.secrets.getToken(daemonId);
    } catch {
      // A token the keyring can no longer decrypt: connect without it; the daemon's 401 tells the operator.
      return undefined;
    }
  }

  private attach(entry: DaemonEntry, token: string | undefined): void {
    const connection = new DaemonConnection({
      ...this.options.connectionOptions,
      entry,
      ...(token !== undefined ? { token } : {}),
    });
    connection.onEvent((event) => this.forward(event));
    this.attached.set(entry.id, { entry, connection });
    connection.start();
  }

  private forward(event: ConsoleEvent): void {
    if (event.type === 'daemon' && event.view.entry.local && event.view.connection === 'connected') this.localAnswered = true;
    const out: ConsoleEvent = event.type === 'daemon' ? { type: 'daemon', view: this.withSupervisor(event.view) } : event;
    this.emit(out);
  }

  private emit(event: ConsoleEvent): void {
    this.events.fire(event);
  }

  /** The local daemon's view says why its process is down, which the connection alone cannot know. */
  private withSupervisor(view: DaemonView): DaemonView {
    const local = this.options.local;
    if (!local || view.entry.id !== local.entry.id) return view;
    const state = local.supervisor.state;
    if (state.phase === 'waiting') {
      const stderr = state.stderrTail.slice(-5).join('\n');
      return {
        ...view,
        connection: 'disconnected',
        lastError: `${describeCrash(state)}${stderr ? `\n${stderr}` : ''}`,
        nextReconnectAt: new Date(state.nextRestartAt).toISOString(),
      };
    }
    if (state.phase === 'stopped' && view.connection !== 'connected')
      return { ...view, connection: 'disconnected', lastError: 'The local daemon is stopped' };
    if (
      state.phase === 'running' &&
      !this.localAnswered &&
      view.connection === 'disconnected' &&
      Date.now() - state.startedAt < LOCAL_STARTUP_GRACE_MS
    ) {
      // Refused connections while the process is still opening its port are start-up, not a loss.
      const starting: DaemonView = { ...view, connection: 'connecting' };
      delete starting.lastError;
      delete starting.nextReconnectAt;
      return starting;
    }
    return view;
  }

  private onSupervisorChange(state: SupervisorState): void {
    const local = this.options.local;
    const attached = local && this.attached.get(local.entry.id);
    if (!attached) return;
    // A fresh process: connect to it without waiting out the backoff the dead one built up.
    if (state.phase === 'running') {
      this.localAnswered = false;
      attached.connection.reconnectNow();
    }
    this.emit({ type: 'daemon', view: this.withSupervisor(attached.connection.view) });
  }

  views(): DaemonView[] {
    return [...this.attached.values()].map((a) => this.withSupervisor(a.connection.view));
  }

  private get(daemonId: string): Attached {
    const a = this.attached.get(daemonId);
    if (!a) {
      throw new DesktopError(
        'INTEGRATION-DAEMON-DESKTOP-404-002',
        `There is no daemon with id ${daemonId}.`,
        'Reload the console window: the daemon may have been removed.',
      );
    }
    return a;
  }

  client(daemonId: string): DaemonClient {
    return this.get(daemonId).connection.client;
  }

  /** The client for a changing call, refused before anything is sent when the daemon named the token a viewer's. */
  private changer(daemonId: string, what: string): DaemonClient {
    const client = this.client(daemonId);
    if (!client.mayChange) throw viewerRefusal(what);
    return client;
  }

  // ---- ConsoleBackend --------------------------------------------------------------------------------------

  async listDaemons(): Promise<DaemonView[]> {
    return this.views();
  }

  async addDaemon(input: DaemonInput): Promise<DaemonEntry> {
    // IPC has checked the shape already; this holds the rules for any other caller too.
    const valid = parseDaemonInput(input);
    const era = await this.findEra(valid);
    const stored: StoredDaemon = {
      id: randomUUID(),
      label: valid.label,
      url: valid.url,
      serverName: valid.serverName,
      userId: valid.userId,
      ...(era !== undefined ? { era } : {}),
    };
    // The token first: if it cannot be kept safely the daemon is not added half-way.
    if (valid.token !== undefined) await this.options.secrets.setToken(stored.id, valid.token);
    this.options.settings.set('daemons', [...this.options.settings.get('daemons'), stored]);
    const entry = toEntry(stored);
    this.attach(entry, valid.token);
    this.emit({ type: 'daemon', view: this.get(entry.id).connection.view });
    return entry;
  }

  async updateDaemon(id: string, input: DaemonUpdate): Promise<DaemonEntry> {
    const current = this.get(id);
    if (current.entry.local) {
      throw new DesktopError(
        'INTEGRATION-DAEMON-DESKTOP-400-003',
        'The local daemon is run by the desktop app and cannot be edited.',
        'Change the local daemon through its configuration (integration-daemon config commands), or add a remote daemon.',
      );
    }
    const daemons = this.options.settings.get('daemons');
    const index = daemons.findIndex((d) => d.id === id);
    const before = daemons[index] as StoredDaemon;
    const { token, ...fields } = applyDaemonUpdate(before, input);
    const stored: StoredDaemon = { ...before, ...fields };
    if (token !== undefined) await this.options.secrets.setToken(id, token);
    daemons[index] = stored;
    this.options.settings.set('daemons', daemons);
    current.connection.stop();
    const entry = toEntry(stored);
    this.attach(entry, token ?? (await this.tokenFor(id)));
    return entry;
  }

  async removeDaemon(id: string): Promise<void> {
    const current = this.get(id);
    if (current.entry.local) {
      throw new DesktopError(
        'INTEGRATION-DAEMON-DESKTOP-400-004',
        'The local daemon cannot be removed; it runs as long as the desktop app does.',
        'Turn the local daemon off in the settings file (localDaemon.enabled) if you only watch remote daemons.',
      );
    }
    current.connection.stop();
    this.attached.delete(id);
    this.options.settings.set(
      'daemons',
      this.options.settings.get('daemons').filter((d) => d.id !== id),
    );
    this.options.secrets.deleteToken(id);
    this.emit({ type: 'daemon-removed', daemonId: id });
  }

  subscribe(listener: Listener<ConsoleEvent>): Disposable {
    return this.events.event(listener);
  }

  async action(daemonId: string, action: ConsoleAction): Promise<void> {
    await performAction(this.changer(daemonId, 'The action'), action, this.get(daemonId).entry);
  }

  /** Which era a daemon being added is; undefined when it cannot be told now (it is then treated as ours). */
  private async findEra(input: {
    url: string;
    serverName: string;
    userId: string;
    token?: string | undefined;
  }): Promise<DaemonEra | undefined> {
    const { token, ...rest } = input;
    try {
      const fetchImpl = this.options.connectionOptions?.fetch;
      return await detectEra({
        ...rest,
        ...(token !== undefined ? { token } : {}),
        ...(fetchImpl !== undefined ? { fetch: fetchImpl } : {}),
      });
    } catch {
      return undefined;
    }
  }

  /** Run history, object retries and the audit log exist on our daemons only: say so plainly for the others. */
  private requireAction(daemonId: string, action: DaemonAction): void {
    const { entry } = this.get(daemonId);
    if (entry.era === undefined || supports(entry.era, action)) return;
    const refusal = unsupported(action, entry.era, entry.serverName);
    throw new DesktopError(refusal.messageId, refusal.message.slice(refusal.messageId.length + 1), refusal.userAction);
  }

  async auditLog(
    daemonId: string,
    query: { severity?: AuditSeverity[] | undefined; connectorName?: string | undefined; limit: number },
  ): Promise<AuditRecord[]> {
    this.requireAction(daemonId, 'auditLog');
    return this.client(daemonId).auditLog(query);
  }

  async runs(daemonId: string, query: { connectorName?: string | undefined; limit: number }): Promise<ConnectorRun[]> {
    this.requireAction(daemonId, 'runHistory');
    return this.client(daemonId).runs(query);
  }

  async objectRetries(daemonId: string, connectorName?: string): Promise<ObjectRetry[]> {
    this.requireAction(daemonId, 'objectRetries');
    return this.client(daemonId).objectRetries(connectorName);
  }

  async retryObjectsNow(daemonId: string, connectorName: string, objectKey?: string): Promise<void> {
    this.requireAction(daemonId, 'retryObjectsNow');
    await this.changer(daemonId, 'Retry objects now').retryObjectsNow(connectorName, objectKey);
  }

  // ---- the workbench ---------------------------------------------------------------------------------------

  async listProviders(daemonId: string): Promise<ConnectorProviderDescription[]> {
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

  async connectorEntry(daemonId: string, connectorName: string): Promise<ConnectorEntry> {
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

  async heldArchives(daemonId: string): Promise<HeldArchive[]> {
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

  async statusHistory(daemonId: string, since?: string): Promise<StatusHistoryResponse> {
    return this.client(daemonId).statusHistory(since);
  }

  async metadataElements(daemonId: string, query: MetadataElementsQuery): Promise<MetadataElementsPage> {
    return this.client(daemonId).findElements(query);
  }

  async testRemoteDaemon(input: DaemonInput): Promise<RemoteDaemonTest> {
    const valid = parseDaemonInput(input);
    const fetchImpl = this.options.connectionOptions?.fetch;
    return testRemoteDaemon({
      url: valid.url,
      serverName: valid.serverName,
      userId: valid.userId,
      ...(valid.token !== undefined ? { token: valid.token } : {}),
      ...(fetchImpl !== undefined ? { fetch: fetchImpl } : {}),
    });
  }

  // ---- tray actions ----------------------------------------------------------------------------------------

  /** Skip the wait: reconnect to a daemon now. */
  reconnect(daemonId: string): void {
    this.get(daemonId).connection.reconnectNow();
  }

  /** Skip the wait: restart the local daemon's process now (or, while it runs, reconnect to it now). */
  restartLocalDaemon(): void {
    const local = this.options.local;
    if (!local) {
      throw new DesktopError(
        'INTEGRATION-DAEMON-DESKTOP-404-003',
        'This app runs no local daemon to restart.',
        'Turn the local daemon on in the settings (localDaemon.enabled) and start the app again.',
      );
    }
    if (local.supervisor.state.phase !== 'running') local.supervisor.restartNow();
    else this.get(local.entry.id).connection.reconnectNow();
  }
}
