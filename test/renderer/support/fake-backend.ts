// A ConsoleBackend in memory for the console's store and component tests: it records every call, answers with
// what the test set, fails a method on request, and emits events the way a daemon connection would.
import type {
  AuditRecord,
  ConnectorProviderDescription,
  ConnectorRun,
  ConnectorTestResponse,
  ConnectorTestStep,
  HeldArchive,
  MetadataElement,
  ObjectRetry,
  StatusHistoryResponse,
} from '../../../shared/api/types.js';
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
} from '../../../shared/console-backend.js';
import { Emitter, type Disposable } from '../../../shared/logic/disposable.js';

export interface Call {
  method: string;
  args: unknown[];
}

export class FakeBackend implements ConsoleBackend {
  readonly calls: Call[] = [];
  private readonly events = new Emitter<ConsoleEvent>();
  views: DaemonView[];
  audit: AuditRecord[] = [];
  runList: ConnectorRun[] = [];
  retries: ObjectRetry[] = [];
  muted: ConnectorRef[] = [];
  providers: ConnectorProviderDescription[] = [];
  /** Steps a connection test reports one by one, and the answer it ends with. */
  testSteps: ConnectorTestStep[] = [];
  saveResult: ConnectorSaveResult = { saved: true };
  elements: MetadataElement[] = [];
  held: HeldArchive[] = [];
  /** Configured entries by connector name, for the edit form. */
  entries: Record<string, ConnectorEntry> = {};
  history: StatusHistoryResponse = {
    class: 'StatusHistoryResponse',
    relatedHTTPCode: 200,
    since: '',
    changes: [],
    metadataServerOutages: [],
  };
  remoteTest: RemoteDaemonTest = { reachable: true, tokenAccepted: true, era: 'integration-daemon', message: 'answers' };
  /** The next call of the named method rejects with this error (once). */
  readonly failNext = new Map<string, Error>();
  /** Desktop only, as in the real bridge: absent in browser mode. */
  mutedConnectors?: () => Promise<ConnectorRef[]>;
  muteConnector?: (daemonId: string, connectorName: string, muted: boolean) => Promise<void>;

  constructor(views: DaemonView[] = [], options: { desktop?: boolean } = {}) {
    this.views = views;
    if (options.desktop) {
      this.mutedConnectors = () => this.answer('mutedConnectors', [], () => this.muted);
      this.muteConnector = (daemonId, connectorName, muted) =>
        this.answer('muteConnector', [daemonId, connectorName, muted], () => {
          this.muted = this.muted.filter((c) => c.daemonId !== daemonId || c.connectorName !== connectorName);
          if (muted) this.muted.push({ daemonId, connectorName });
        });
    }
  }

  /** Calls of one method, as argument lists. */
  callsOf(method: string): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  emit(event: ConsoleEvent): void {
    this.events.fire(event);
  }

  get subscribers(): number {
    return this.events.listenerCount;
  }

  private async answer<T>(method: string, args: unknown[], value: () => T): Promise<T> {
    this.calls.push({ method, args });
    const failure = this.failNext.get(method);
    if (failure) {
      this.failNext.delete(method);
      throw failure;
    }
    return value();
  }

  listDaemons(): Promise<DaemonView[]> {
    return this.answer('listDaemons', [], () => this.views);
  }

  addDaemon(input: DaemonInput): Promise<DaemonEntry> {
    return this.answer('addDaemon', [input], () => ({
      id: `d-${this.calls.length}`,
      label: input.label,
      url: input.url,
      serverName: input.serverName,
      userId: input.userId,
      local: false,
    }));
  }

  updateDaemon(id: string, input: DaemonUpdate): Promise<DaemonEntry> {
    return this.answer('updateDaemon', [id, input], () => {
      const entry = this.views.find((v) => v.entry.id === id)?.entry;
      if (!entry) throw new Error(`no daemon ${id}`);
      return entry;
    });
  }

  removeDaemon(id: string): Promise<void> {
    return this.answer('removeDaemon', [id], () => undefined);
  }

  subscribe(listener: (event: ConsoleEvent) => void): Disposable {
    return this.events.event(listener);
  }

  action(daemonId: string, action: ConsoleAction): Promise<void> {
    return this.answer('action', [daemonId, action], () => undefined);
  }

  auditLog(daemonId: string, query: { limit: number }): Promise<AuditRecord[]> {
    return this.answer('auditLog', [daemonId, query], () => this.audit);
  }

  runs(daemonId: string, query: { connectorName?: string | undefined; limit: number }): Promise<ConnectorRun[]> {
    return this.answer('runs', [daemonId, query], () => this.runList);
  }

  objectRetries(daemonId: string, connectorName?: string): Promise<ObjectRetry[]> {
    return this.answer('objectRetries', [daemonId, connectorName], () => this.retries);
  }

  retryObjectsNow(daemonId: string, connectorName: string, objectKey?: string): Promise<void> {
    return this.answer('retryObjectsNow', [daemonId, connectorName, objectKey], () => undefined);
  }

  listProviders(daemonId: string): Promise<ConnectorProviderDescription[]> {
    return this.answer('listProviders', [daemonId], () => this.providers);
  }

  testConnector(daemonId: string, connectorName: string, onStep?: (step: ConnectorTestStep) => void): Promise<ConnectorTestResponse> {
    return this.answer('testConnector', [daemonId, connectorName], () => this.testAnswer(connectorName, onStep));
  }

  testConnectorEntry(
    daemonId: string,
    urlMarker: string,
    connector: ConnectorEntry,
    onStep?: (step: ConnectorTestStep) => void,
  ): Promise<ConnectorTestResponse> {
    return this.answer('testConnectorEntry', [daemonId, urlMarker, connector], () =>
      this.testAnswer(String(connector.connectorName ?? ''), onStep),
    );
  }

  private testAnswer(connectorName: string, onStep: ((step: ConnectorTestStep) => void) | undefined): ConnectorTestResponse {
    for (const step of this.testSteps) onStep?.(step);
    return {
      class: 'ConnectorTestResponse',
      relatedHTTPCode: 200,
      connectorName,
      providerName: 'test-provider',
      passed: this.testSteps.every((s) => s.status === 'PASSED'),
      steps: this.testSteps,
    };
  }

  addConnector(daemonId: string, urlMarker: string, connector: ConnectorEntry): Promise<ConnectorSaveResult> {
    return this.answer('addConnector', [daemonId, urlMarker, connector], () => this.saveResult);
  }

  connectorEntry(daemonId: string, connectorName: string): Promise<ConnectorEntry> {
    return this.answer('connectorEntry', [daemonId, connectorName], () => {
      const entry = this.entries[connectorName];
      if (entry === undefined) throw new Error(`no entry for ${connectorName}`);
      return entry;
    });
  }

  updateConnector(daemonId: string, connectorName: string, connector: ConnectorEntry): Promise<ConnectorSaveResult> {
    return this.answer('updateConnector', [daemonId, connectorName, connector], () => this.saveResult);
  }

  removeConnector(daemonId: string, connectorName: string): Promise<ConnectorSaveResult> {
    return this.answer('removeConnector', [daemonId, connectorName], () => this.saveResult);
  }

  createIntegrationGroup(daemonId: string, groupName: string, description?: string): Promise<ConnectorSaveResult> {
    return this.answer('createIntegrationGroup', [daemonId, groupName, description], () => this.saveResult);
  }

  deleteIntegrationGroup(daemonId: string, groupName: string): Promise<ConnectorSaveResult> {
    return this.answer('deleteIntegrationGroup', [daemonId, groupName], () => this.saveResult);
  }

  addIntegrationGroupConnector(daemonId: string, groupName: string, connector: ConnectorEntry): Promise<ConnectorSaveResult> {
    return this.answer('addIntegrationGroupConnector', [daemonId, groupName, connector], () => this.saveResult);
  }

  removeIntegrationGroupConnector(daemonId: string, groupName: string, connectorName: string): Promise<ConnectorSaveResult> {
    return this.answer('removeIntegrationGroupConnector', [daemonId, groupName, connectorName], () => this.saveResult);
  }

  heldArchives(daemonId: string): Promise<HeldArchive[]> {
    return this.answer('heldArchives', [daemonId], () => this.held);
  }

  approveHeldArchive(daemonId: string, connectorName: string, catalogTargetName?: string): Promise<number> {
    return this.answer('approveHeldArchive', heldArgs(daemonId, connectorName, catalogTargetName), () => {
      const count = this.held.find((h) => isHeld(h, connectorName, catalogTargetName))?.count ?? 0;
      this.held = this.held.filter((h) => !isHeld(h, connectorName, catalogTargetName));
      return count;
    });
  }

  catalogTargetAction(daemonId: string, connectorName: string, catalogTargetName: string, action: CatalogTargetAction): Promise<void> {
    return this.answer('catalogTargetAction', [daemonId, connectorName, catalogTargetName, action], () => undefined);
  }

  rejectHeldArchive(daemonId: string, connectorName: string, catalogTargetName?: string): Promise<void> {
    return this.answer('rejectHeldArchive', heldArgs(daemonId, connectorName, catalogTargetName), () => {
      this.held = this.held.filter((h) => !isHeld(h, connectorName, catalogTargetName));
    });
  }

  statusHistory(daemonId: string, since?: string): Promise<StatusHistoryResponse> {
    return this.answer('statusHistory', [daemonId, since], () => this.history);
  }

  metadataElements(daemonId: string, query: MetadataElementsQuery): Promise<MetadataElementsPage> {
    return this.answer('metadataElements', [daemonId, query], () => {
      const page = this.elements.slice(query.startFrom, query.startFrom + query.pageSize);
      return {
        startFrom: query.startFrom,
        pageSize: query.pageSize,
        elements: page,
        ...(query.count ? { totalCount: this.elements.length } : {}),
      };
    });
  }

  testRemoteDaemon(input: DaemonInput): Promise<RemoteDaemonTest> {
    return this.answer('testRemoteDaemon', [input], () => this.remoteTest);
  }
}

/** A held archive is the connector's own or one catalog target's, as the daemon keys them. */
const isHeld = (h: HeldArchive, connectorName: string, catalogTargetName: string | undefined): boolean =>
  h.connectorName === connectorName && h.catalogTargetName === catalogTargetName;

/** The call as recorded: the target only when one is named, so the calls for a connector's own read as before. */
const heldArgs = (daemonId: string, connectorName: string, catalogTargetName: string | undefined): string[] =>
  catalogTargetName === undefined ? [daemonId, connectorName] : [daemonId, connectorName, catalogTargetName];
