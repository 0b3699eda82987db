// A small in-memory DaemonApi for testing the REST layer and its clients over real HTTP. It keeps the state the
// calls change (statuses, properties, configuration) so tests can see each call's effect, and refuses unknown
// markers and connectors with Egeria's message ids as the real Daemon does.
import type {
  AuditRecord,
  ConnectorProviderDescription,
  ConnectorRun,
  ConnectorTestResponse,
  ConnectorTestStep,
  DaemonEvent,
  HeldArchive,
  IntegrationConnectorReport,
  IntegrationDaemonStatusResponse,
  MetadataElement,
  ObjectRetry,
  RegisteredOMAGService,
  StatusChange,
  StatusHistoryResponse,
} from '../../../shared/api/types.js';
import type { StatusShape } from '../../../electron/engine/daemon/status-cache.js';
import { statusInShape } from '../../support/status-shapes.js';
import type { CatalogTargetReport } from '../../../shared/api/catalog-targets.js';
import type { ConnectorReport } from '../../../shared/api/egeria5.js';
import {
  DaemonRequestError,
  type AuditQuery,
  type ConnectorTestRun,
  type DaemonApi,
  type ElementsFilter,
} from '../../../electron/engine/daemon-api.js';
import { toDisposable, type Disposable } from '../../../shared/logic/disposable.js';

type Distribute<T> = T extends unknown ? Omit<T, 'sequence' | 'serverTime'> : never;

export interface Call {
  method: string;
  args: unknown[];
}

export class MemoryDaemon implements DaemonApi {
  readonly calls: Call[] = [];
  maxPageSize = 5;
  private listeners = new Set<(event: DaemonEvent) => void>();
  private sequence = 0;
  private properties = new Map<string, Record<string, unknown>>();
  private configuration: unknown;
  readonly audit: AuditRecord[] = [];
  readonly elements: MetadataElement[] = [];
  readonly retries: ObjectRetry[] = [];
  readonly runList: ConnectorRun[] = [];
  readonly held: HeldArchive[] = [];
  readonly history: StatusChange[] = [];
  /** Set to make the next call of that method throw an unexpected (non-request) error. */
  explodeOn?: string | undefined;

  constructor(
    readonly serverName: string,
    private current: IntegrationDaemonStatusResponse,
    private services: RegisteredOMAGService[],
  ) {
    for (const report of this.reports()) this.properties.set(report.connectorName, {});
    this.configuration = { serverName, integrationServices: [] };
    for (let i = 0; i < 12; i++) {
      this.elements.push({
        guid: `guid-${i}`,
        typeName: i % 2 === 0 ? 'DataFile' : 'DataFolder',
        qualifiedName: `file://landing/${String(i).padStart(2, '0')}`,
        metadataSource: 'c-1',
        properties: {},
        createTime: '2026-01-01T00:00:00.000Z',
        updateTime: '2026-01-01T00:00:00.000Z',
        archived: false,
        version: 1,
      });
    }
  }

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
    if (this.explodeOn === method) {
      this.explodeOn = undefined;
      throw new TypeError(`Cannot read properties of undefined (reading 'connectorId') in ${method}`);
    }
  }

  private reports(): IntegrationConnectorReport[] {
    return this.current.integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports);
  }

  private requireMarker(marker: string): void {
    if (!this.current.integrationServiceSummaries.some((s) => s.integrationServiceURLMarker === marker)) {
      const valid = this.current.integrationServiceSummaries.map((s) => s.integrationServiceURLMarker).join(', ');
      throw new DaemonRequestError(
        400,
        'INTEGRATION-DAEMON-SERVICES-400-010',
        `The integration service URL marker ${marker} is not recognized.  Valid service URL markers are: ${valid}`,
        [marker, valid],
        'The system is unable to process the request.',
        'Correct the service URL marker in the request.',
      );
    }
  }

  private requireConnector(name: string, marker = 'any'): void {
    if (!this.reports().some((r) => r.connectorName === name)) {
      throw new DaemonRequestError(
        404,
        'INTEGRATION-DAEMON-SERVICES-400-031',
        `Integration connector named ${name} is not running in the integration service ${marker} in integration daemon ${this.serverName}`,
        [name, marker, this.serverName],
        'The system is unable to process the request.',
        'Check the connector name in the request against the status of the integration daemon.',
      );
    }
  }

  /** Publishes an event as the engine's event bus would (sequence and serverTime assigned here). */
  emit(event: Distribute<DaemonEvent>): DaemonEvent {
    const full = { ...event, sequence: ++this.sequence, serverTime: new Date().toISOString() };
    for (const listener of this.listeners) listener(full);
    return full;
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  setStatus(status: IntegrationDaemonStatusResponse): void {
    this.current = status;
  }

  status(): IntegrationDaemonStatusResponse {
    this.record('status');
    return structuredClone(this.current);
  }

  statusJson(shape: StatusShape): readonly Buffer[] {
    return [Buffer.from(JSON.stringify(statusInShape(shape, this.status(), [])))];
  }
  registeredServices(): RegisteredOMAGService[] {
    this.record('registeredServices');
    return this.services;
  }
  async refreshAll(): Promise<void> {
    this.record('refreshAll');
  }
  async refreshService(urlMarker: string, connectorName?: string): Promise<void> {
    this.record('refreshService', urlMarker, connectorName);
    this.requireMarker(urlMarker);
    if (connectorName !== undefined) this.requireConnector(connectorName, urlMarker);
  }
  async restartService(urlMarker: string, connectorName?: string): Promise<void> {
    this.record('restartService', urlMarker, connectorName);
    this.requireMarker(urlMarker);
    if (connectorName !== undefined) this.requireConnector(connectorName, urlMarker);
  }
  async refreshConnectors(connectorName?: string): Promise<void> {
    this.record('refreshConnectors', connectorName);
    if (connectorName !== undefined) this.requireConnector(connectorName);
  }
  async restartConnectors(connectorName?: string): Promise<void> {
    this.record('restartConnectors', connectorName);
    if (connectorName !== undefined) this.requireConnector(connectorName);
  }
  async retryNow(connectorName: string): Promise<void> {
    this.record('retryNow', connectorName);
    this.requireConnector(connectorName);
  }
  getConfigurationProperties(connectorName: string): Record<string, unknown> {
    this.record('getConfigurationProperties', connectorName);
    this.requireConnector(connectorName);
    return this.properties.get(connectorName) ?? {};
  }
  async updateConfigurationProperties(
    connectorName: string | undefined,
    properties: Record<string, unknown>,
    mergeUpdate: boolean,
  ): Promise<void> {
    this.record('updateConfigurationProperties', connectorName, properties, mergeUpdate);
    const names = connectorName === undefined ? [...this.properties.keys()] : [connectorName];
    if (connectorName !== undefined) this.requireConnector(connectorName);
    for (const name of names) {
      this.properties.set(name, mergeUpdate ? { ...this.properties.get(name), ...properties } : { ...properties });
    }
  }
  async updateEndpointAddress(connectorName: string, address: string): Promise<void> {
    this.record('updateEndpointAddress', connectorName, address);
    this.requireConnector(connectorName);
  }
  statusHistory(since?: number): StatusHistoryResponse {
    this.record('statusHistory', since);
    const from = since ?? 0;
    return {
      class: 'StatusHistoryResponse',
      relatedHTTPCode: 200,
      since: new Date(from).toISOString(),
      changes: this.history.filter((c) => Date.parse(c.at) >= from),
      metadataServerOutages: [],
    };
  }
  auditLog(query: AuditQuery): AuditRecord[] {
    this.record('auditLog', query);
    return this.audit
      .filter((r) => query.severity === undefined || query.severity.includes(r.severity))
      .filter((r) => query.connectorName === undefined || r.connectorName === query.connectorName)
      .filter((r) => query.since === undefined || Date.parse(r.timeStamp) >= query.since)
      .slice(-query.limit);
  }
  runs(filter: { connectorName?: string; limit: number }): ConnectorRun[] {
    this.record('runs', filter);
    return this.runList
      .filter((r) => filter.connectorName === undefined || r.connectorName === filter.connectorName)
      .slice(0, filter.limit);
  }
  async countElements(filter: ElementsFilter): Promise<number> {
    this.record('countElements', filter);
    return this.elements
      .filter((e) => filter.typeName === undefined || e.typeName === filter.typeName)
      .filter((e) => filter.qualifiedNamePrefix === undefined || e.qualifiedName.startsWith(filter.qualifiedNamePrefix)).length;
  }
  listProviders(): ConnectorProviderDescription[] {
    this.record('listProviders');
    return [];
  }
  async testConnector(connectorName: string, run: ConnectorTestRun): Promise<ConnectorTestResponse> {
    this.record('testConnector', connectorName);
    this.requireConnector(connectorName);
    return this.testAnswer(connectorName, run);
  }
  async testConnectorEntry(urlMarker: string, entry: Record<string, unknown>, run: ConnectorTestRun): Promise<ConnectorTestResponse> {
    this.record('testConnectorEntry', urlMarker, entry);
    return this.testAnswer(String(entry.connectorName), run);
  }
  private testAnswer(connectorName: string, run: ConnectorTestRun): ConnectorTestResponse {
    const step: ConnectorTestStep = { name: 'answers', status: 'PASSED', message: 'It answers.', durationMs: 1 };
    run.onStep?.(step);
    return { class: 'ConnectorTestResponse', relatedHTTPCode: 200, connectorName, providerName: 'memory', passed: true, steps: [step] };
  }
  async addConnector(urlMarker: string, entry: Record<string, unknown>): Promise<void> {
    this.record('addConnector', urlMarker, entry);
  }
  connectorEntry(connectorName: string): Record<string, unknown> {
    this.record('connectorEntry', connectorName);
    this.requireConnector(connectorName);
    return { connectorName, connectorProvider: 'memory' };
  }
  async updateConnector(connectorName: string, entry: Record<string, unknown>): Promise<void> {
    this.record('updateConnector', connectorName, entry);
    this.requireConnector(connectorName);
  }
  async removeConnector(connectorName: string): Promise<void> {
    this.record('removeConnector', connectorName);
    this.requireConnector(connectorName);
  }
  async findElements(query: ElementsFilter & { startFrom: number; pageSize: number }): Promise<MetadataElement[]> {
    this.record('findElements', query);
    return this.elements
      .filter((e) => query.typeName === undefined || e.typeName === query.typeName)
      .filter((e) => query.qualifiedNamePrefix === undefined || e.qualifiedName.startsWith(query.qualifiedNamePrefix))
      .slice(query.startFrom, query.startFrom + query.pageSize);
  }
  objectRetries(connectorName?: string): ObjectRetry[] {
    this.record('objectRetries', connectorName);
    return this.retries.filter((r) => connectorName === undefined || r.connectorName === connectorName);
  }
  async retryObjectsNow(connectorName: string, objectKey?: string): Promise<number> {
    this.record('retryObjectsNow', connectorName, objectKey);
    this.requireConnector(connectorName);
    return this.retries.filter((r) => r.connectorName === connectorName && (objectKey === undefined || r.objectKey === objectKey)).length;
  }
  catalogTargets(connectorName: string): CatalogTargetReport[] {
    this.record('catalogTargets', connectorName);
    this.requireConnector(connectorName);
    return [];
  }
  async refreshCatalogTarget(connectorName: string, catalogTargetName: string): Promise<void> {
    this.record('refreshCatalogTarget', connectorName, catalogTargetName);
    this.requireConnector(connectorName);
  }
  async retryCatalogTarget(connectorName: string, catalogTargetName: string): Promise<void> {
    this.record('retryCatalogTarget', connectorName, catalogTargetName);
    this.requireConnector(connectorName);
  }
  heldArchives(): HeldArchive[] {
    this.record('heldArchives');
    return [...this.held];
  }
  async approveHeldArchive(connectorName: string): Promise<number> {
    this.record('approveHeldArchive', connectorName);
    this.requireConnector(connectorName);
    const index = this.held.findIndex((h) => h.connectorName === connectorName);
    return index < 0 ? 0 : (this.held.splice(index, 1)[0]?.count ?? 0);
  }
  async rejectHeldArchive(connectorName: string): Promise<void> {
    this.record('rejectHeldArchive', connectorName);
    this.requireConnector(connectorName);
    const index = this.held.findIndex((h) => h.connectorName === connectorName);
    if (index >= 0) this.held.splice(index, 1);
  }
  getConfiguration(): unknown {
    this.record('getConfiguration');
    return this.configuration;
  }
  async replaceConfiguration(document: unknown): Promise<void> {
    this.record('replaceConfiguration', document);
    if (typeof document !== 'object' || document === null || (document as { serverName?: unknown }).serverName !== this.serverName) {
      throw new DaemonRequestError(
        400,
        'INTEGRATION-DAEMON-CONFIG-400-001',
        'The configuration document is not valid: serverName must stay the same',
        ['serverName'],
        'The configuration is not changed.',
        'Keep serverName as it is.',
      );
    }
    this.configuration = document;
  }
  validateConnector(providerClassName: string): ConnectorReport {
    this.record('validateConnector', providerClassName);
    return {
      connectorType: {
        class: 'ConnectorType',
        connectorProviderClassName: providerClassName,
        displayName: providerClassName,
        description: 'A provider the memory daemon accepts whatever its name.',
        providerName: providerClassName,
        supportedIntegrationServices: [],
      },
      refreshTimeInterval: 0,
      usesBlockingCalls: false,
    };
  }
  async publishOpenLineageEvent(body: string | undefined): Promise<void> {
    this.record('publishOpenLineageEvent', body);
  }
  subscribe(listener: (event: DaemonEvent) => void): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }
}
