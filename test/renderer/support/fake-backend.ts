// A ConsoleBackend in memory for the console's store and component tests: it records every call, answers with
// what the test set, fails a method on request, and emits events the way a daemon connection would.
import type { AuditRecord, ConnectorRun, ObjectRetry } from '../../../shared/api/types.js';
import type {
  ConnectorRef,
  ConsoleAction,
  ConsoleBackend,
  ConsoleEvent,
  DaemonEntry,
  DaemonInput,
  DaemonUpdate,
  DaemonView,
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
}
