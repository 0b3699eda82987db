// The integration daemon as the REST server, the CLI and tests see it: a thin facade that answers DaemonApi by
// handing each request to the part that owns it. The parts are built in daemon/assembly.ts, started and stopped in
// daemon/start-stop.ts; connectors are found in daemon/connector-registry.ts and reconfigured by
// daemon/config-admin.ts; each connector's life is lifecycle/connector-handler.ts.
import type {
  AuditRecord,
  ConnectorRun,
  DaemonEvent,
  HeldArchive,
  IntegrationDaemonStatusResponse,
  MetadataElement,
  ObjectRetry,
  RegisteredOMAGService,
  StatusHistoryResponse,
} from '../../shared/api/types.js';
import type { Disposable } from '../../shared/logic/disposable.js';
import type { AuditQuery, ConnectorTestRun, DaemonApi, ElementsFilter, IntegrationGroupAdmin } from './daemon-api.js';
import type { ConnectorProviderDescription, ConnectorTestResponse } from '../../shared/api/types.js';
import { ConnectorAdmin } from './daemon/connector-admin.js';
import { describeProvider } from './workbench/declarations.js';
import { assembleDaemon, type DaemonParts, type DaemonStartOptions } from './daemon/assembly.js';
import { ConfigAdmin } from './daemon/config-admin.js';
import { approveHeldArchive, listHeldArchives, rejectHeldArchive } from './daemon/held-archive-requests.js';
import { listCatalogTargets, refreshCatalogTarget, retryCatalogTarget } from './daemon/catalog-target-requests.js';
import { catalogTargetSourcePrefix, connectorIdOfSource } from './lifecycle/catalog-targets.js';
import type { CatalogTargetReport } from '../../shared/api/catalog-targets.js';
import { invalidQuery, metadataServerUnavailable, noRetryToRun } from './daemon/request-errors.js';
import { shutDownDaemon, startDaemon } from './daemon/start-stop.js';
import { StatusCache, type StatusShape } from './daemon/status-cache.js';
import type { ConnectorHandler } from './lifecycle/connector-handler.js';
import { isoTime } from './lifecycle/time.js';
import { actingUserId } from './request-user.js';
import { toObjectRetry } from './recovery/object-retries.js';
import { InvalidMetadataRequestError, MetadataServerUnavailableError } from './metadata-server/types.js';
import { INTEGRATION_SERVICES, registeredServices, serviceSummary } from './services.js';
import type { ConnectorReport } from '../../shared/api/egeria5.js';
import { OpenLineageIntake } from './lineage/open-lineage-intake.js';
import { unknownProvider } from './daemon/request-errors.js';
import { IntegrationGroups } from './daemon/integration-groups.js';
import { GroupAdmin } from './daemon/group-admin.js';
import type { IntegrationGroupSummary } from '../../shared/api/egeria5.js';

export type { DaemonStartOptions } from './daemon/assembly.js';

const DEFAULT_STARTUP_WAIT_MS = 5_000;

export class Daemon implements DaemonApi {
  private stopping: Promise<void> | undefined;
  private readonly admin: ConfigAdmin;
  private readonly connectors: ConnectorAdmin;
  private readonly lineage: OpenLineageIntake;
  private readonly statusCache: StatusCache<ConnectorHandler>;
  private readonly groups: IntegrationGroups;
  private readonly groupAdmin: GroupAdmin;

  private constructor(private readonly parts: DaemonParts) {
    this.admin = new ConfigAdmin(parts);
    this.connectors = new ConnectorAdmin(parts, this.admin);
    this.groups = new IntegrationGroups(parts);
    this.groupAdmin = new GroupAdmin(parts, this.groups);
    this.lineage = new OpenLineageIntake(parts.serverName, () => parts.registry.all());
    this.statusCache = new StatusCache({
      serverName: parts.serverName,
      connectors: () => parts.registry.all(),
      markers: () => parts.registry.runningMarkers(),
      service: (marker) => parts.registry.service(marker),
      report: (handler) => parts.registry.tagGroup(parts.elementCounts.decorate(handler.report())),
      metadataServers: () => [parts.breaker.status()],
      openLineageStatistics: () => this.lineage.statistics(),
      integrationGroupSummaries: () => this.groups.summaries(),
      listsGroups: () => parts.config.integrationGroups.length > 0,
      lastSequence: () => parts.events.lastSequence,
      now: () => parts.clock.now(),
    });
    parts.events.watch((event) => this.statusCache.published(event));
  }

  /**
   * Starts the daemon: the audit log's start-up records in the seed's order, the metadata server (or the
   * breaker, when it is down), every connector's initialize and start, then their first refresh.
   */
  static async start(options: DaemonStartOptions): Promise<Daemon> {
    const daemon = new Daemon(assembleDaemon(options));
    try {
      await startDaemon(daemon.parts, options.startupWaitMs ?? DEFAULT_STARTUP_WAIT_MS);
      await daemon.parts.elementCounts.recount(daemon.parts.registry.all().map((h) => h.connectorId));
      daemon.groups.start();
    } catch (error) {
      // Leave nothing open behind a daemon that did not start: the state store would stay locked.
      await daemon.stop().catch(() => undefined);
      throw error;
    }
    return daemon;
  }

  /** Disconnects every connector (each under its timeout), writes the Shutdown records and closes the stores. */
  stop(): Promise<void> {
    this.parts.elementCounts.dispose();
    this.stopping ??= this.groups.stop().then(() => shutDownDaemon(this.parts));
    return this.stopping;
  }

  get serverName(): string {
    return this.parts.serverName;
  }

  statusHistory(since?: number): StatusHistoryResponse {
    return this.parts.history.query(since);
  }

  get maxPageSize(): number {
    return this.parts.config.maxPageSize;
  }

  status(): IntegrationDaemonStatusResponse {
    const { registry, config } = this.parts;
    return {
      class: 'IntegrationDaemonStatusResponse',
      relatedHTTPCode: 200,
      // The document's services, then those only integration groups' connectors run.
      integrationServiceSummaries: registry.runningMarkers().map((marker) =>
        serviceSummary(
          registry.service(marker),
          registry.ofService(marker).map((h) => registry.tagGroup(this.parts.elementCounts.decorate(h.report()))),
        ),
      ),
      serverName: this.serverName,
      serverTime: isoTime(this.parts.clock.now()),
      metadataServers: [this.parts.breaker.status()],
      openLineageStatistics: this.lineage.statistics(),
      ...(config.integrationGroups.length > 0 ? { integrationGroupSummaries: this.groups.summaries() } : {}),
    };
  }

  integrationGroups(): IntegrationGroupSummary[] {
    return this.groups.summaries();
  }

  refreshIntegrationGroupConfig(groupName: string): Promise<void> {
    return this.groups.refresh(groupName);
  }

  get integrationGroupAdmin(): IntegrationGroupAdmin {
    return this.groupAdmin;
  }

  validateConnector(providerClassName: string): ConnectorReport {
    const { providers } = this.parts;
    // Only registered providers: a REST caller must not make the daemon import a module by naming its path.
    const provider = providers.isModulePath(providerClassName) ? undefined : providers.resolveSync(providerClassName);
    if (provider === undefined) throw unknownProvider(this.serverName, providerClassName, providers.providerNames());
    return {
      connectorType: {
        class: 'ConnectorType',
        connectorProviderClassName: providerClassName,
        displayName: provider.providerName,
        description: provider.description,
        providerName: provider.providerName,
        supportedIntegrationServices: INTEGRATION_SERVICES.filter((s) => s.connectorKind === provider.connectorKind).map(
          (s) => s.urlMarker,
        ),
      },
      refreshTimeInterval: 0,
      usesBlockingCalls: false,
    };
  }

  publishOpenLineageEvent(body: string | undefined): Promise<void> {
    return this.lineage.receive(body);
  }

  statusJson(shape: StatusShape): readonly Buffer[] {
    return this.statusCache.json(shape);
  }

  statusPieces(): Iterable<string> {
    return this.statusCache.statusPieces();
  }

  registeredServices(): RegisteredOMAGService[] {
    return registeredServices();
  }

  async refreshAll(): Promise<void> {
    for (const handler of this.parts.registry.all()) this.requestedRefresh(handler);
  }

  async refreshService(urlMarker: string, connectorName?: string): Promise<void> {
    for (const handler of this.ofService(urlMarker, connectorName)) this.requestedRefresh(handler);
  }

  async restartService(urlMarker: string, connectorName?: string): Promise<void> {
    await Promise.all(this.ofService(urlMarker, connectorName).map((h) => h.restart('request')));
  }

  async refreshConnectors(connectorName?: string): Promise<void> {
    for (const handler of this.parts.registry.named(connectorName)) this.requestedRefresh(handler);
  }

  async restartConnectors(connectorName?: string): Promise<void> {
    await Promise.all(this.parts.registry.named(connectorName).map((h) => h.restart('request')));
  }

  async retryNow(connectorName: string): Promise<void> {
    const handler = this.parts.registry.byName(connectorName);
    if (await handler.retryNow()) return;
    const status = handler.connectorStatus;
    if (status === 'FAILED' || status === 'CONFIG_FAILED' || status === 'INITIALIZE_FAILED') {
      // A connector that gave up has no pending retry; "retry now" means start it again.
      await handler.restart('request');
      return;
    }
    throw noRetryToRun(this.serverName, connectorName, status);
  }

  getConfigurationProperties(connectorName: string): Record<string, unknown> {
    return structuredClone(this.parts.registry.byName(connectorName).config.configurationProperties);
  }

  updateConfigurationProperties(
    connectorName: string | undefined,
    properties: Record<string, unknown>,
    mergeUpdate: boolean,
  ): Promise<void> {
    return this.admin.updateConfigurationProperties(connectorName, properties, mergeUpdate);
  }

  updateEndpointAddress(connectorName: string, address: string): Promise<void> {
    return this.admin.updateEndpointAddress(connectorName, address);
  }

  getConfiguration(): unknown {
    return structuredClone(this.parts.document);
  }

  replaceConfiguration(document: unknown): Promise<void> {
    return this.admin.replaceConfiguration(document);
  }

  auditLog(query: AuditQuery): AuditRecord[] {
    return this.parts.audit.query(query);
  }

  runs(filter: { connectorName?: string | undefined; limit: number }): ConnectorRun[] {
    if (filter.connectorName !== undefined) this.parts.registry.byName(filter.connectorName);
    return this.parts.store.listRuns(filter);
  }

  async findElements(query: ElementsFilter & { startFrom: number; pageSize: number }): Promise<MetadataElement[]> {
    const { registry } = this.parts;
    const pageSize = Math.min(Math.max(1, query.pageSize), this.maxPageSize);
    const { connectorName, ...filter } = query;
    const elements = await this.catalogue((server) =>
      server.findElements({
        ...filter,
        pageSize,
        ...(connectorName !== undefined ? connectorSources(registry.byName(connectorName).connectorId) : {}),
      }),
    );
    return elements.map((element) => {
      const name = registry.byId(connectorIdOfSource(element.metadataSource))?.connectorName;
      return name === undefined ? element : { ...element, connectorName: name };
    });
  }

  countElements(query: ElementsFilter): Promise<number> {
    const { connectorName, ...filter } = query;
    const metadataSource = connectorName === undefined ? undefined : this.parts.registry.byName(connectorName).connectorId;
    return this.catalogue((server) =>
      server.countElements({ ...filter, ...(metadataSource !== undefined ? connectorSources(metadataSource) : {}) }),
    );
  }

  listProviders(): ConnectorProviderDescription[] {
    return this.parts.providers.list().map(describeProvider);
  }

  testConnector(connectorName: string, run: ConnectorTestRun): Promise<ConnectorTestResponse> {
    return this.connectors.test(connectorName, run);
  }

  testConnectorEntry(urlMarker: string, entry: Record<string, unknown>, run: ConnectorTestRun): Promise<ConnectorTestResponse> {
    return this.connectors.testEntry(urlMarker, entry, run);
  }

  addConnector(urlMarker: string, entry: Record<string, unknown>): Promise<void> {
    return this.connectors.add(urlMarker, entry);
  }

  connectorEntry(connectorName: string): Record<string, unknown> {
    return this.connectors.entry(connectorName);
  }

  updateConnector(connectorName: string, entry: Record<string, unknown>): Promise<void> {
    return this.connectors.update(connectorName, entry);
  }

  removeConnector(connectorName: string): Promise<void> {
    return this.connectors.remove(connectorName);
  }

  /** A catalogue read: refused while the breaker is open, the metadata server's refusals told as the request's. */
  private async catalogue<T>(read: (server: DaemonParts['metadataServer']) => Promise<T>): Promise<T> {
    const { breaker, metadataServer, config } = this.parts;
    const unavailable = (detail: string) => metadataServerUnavailable(metadataServer.name, config.localServerUserId, detail);
    if (breaker.state !== 'CLOSED') throw unavailable(breaker.status().lastErrorMessage ?? 'it is not available');
    try {
      return await read(metadataServer);
    } catch (error) {
      if (error instanceof MetadataServerUnavailableError) throw unavailable(error.message);
      if (error instanceof InvalidMetadataRequestError) throw invalidQuery(error);
      throw error;
    }
  }

  objectRetries(connectorName?: string): ObjectRetry[] {
    const { registry, queue } = this.parts;
    const connectorId = connectorName === undefined ? undefined : registry.byName(connectorName).connectorId;
    return queue.list(connectorId).map((row) => toObjectRetry(row, registry.byId(row.connectorId)?.connectorName ?? row.connectorId));
  }

  async retryObjectsNow(connectorName: string, objectKey?: string): Promise<number> {
    return this.parts.queue.retryObjectsNow(this.parts.registry.byName(connectorName).connectorId, objectKey);
  }

  catalogTargets(connectorName: string): CatalogTargetReport[] {
    return listCatalogTargets(this.parts, connectorName);
  }

  refreshCatalogTarget(connectorName: string, catalogTargetName: string): Promise<void> {
    return refreshCatalogTarget(this.parts, connectorName, catalogTargetName);
  }

  retryCatalogTarget(connectorName: string, catalogTargetName: string): Promise<void> {
    return retryCatalogTarget(this.parts, connectorName, catalogTargetName);
  }

  heldArchives(): HeldArchive[] {
    return listHeldArchives(this.parts);
  }

  approveHeldArchive(connectorName: string, userId?: string, catalogTargetName?: string): Promise<number> {
    return approveHeldArchive(this.parts, connectorName, userId, catalogTargetName);
  }

  async rejectHeldArchive(connectorName: string, userId?: string, catalogTargetName?: string): Promise<void> {
    rejectHeldArchive(this.parts, connectorName, userId, catalogTargetName);
  }

  subscribe(listener: (event: DaemonEvent) => void): Disposable {
    return this.parts.events.subscribe(listener);
  }

  private ofService(urlMarker: string, connectorName: string | undefined): ConnectorHandler[] {
    const { registry } = this.parts;
    registry.configuredService(urlMarker);
    return connectorName === undefined ? registry.ofService(urlMarker) : [registry.byName(connectorName, urlMarker)];
  }

  private requestedRefresh(handler: ConnectorHandler): void {
    const { audit, config } = this.parts;
    audit.log('INTEGRATION-DAEMON-SERVICES-0101', [actingUserId(config.localServerUserId), handler.connectorName, this.serverName], {
      connectorName: handler.connectorName,
      urlMarker: handler.service.urlMarker,
    });
    void handler.refresh('request');
  }
}

/** A connector's elements in the catalogue: its own metadata source and those of its catalog targets. */
function connectorSources(connectorId: string): { metadataSource: string; metadataSourcePrefix: string } {
  return { metadataSource: connectorId, metadataSourcePrefix: catalogTargetSourcePrefix(connectorId) };
}
