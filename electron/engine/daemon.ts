// The integration daemon: builds the stores, audit log, circuit breaker and retry queue from the configuration,
// runs one ConnectorHandler per configured connector, and answers the DaemonApi the REST server, CLI and desktop
// use. It starts even when the metadata server is down: connectors then wait behind the breaker.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type {
  AuditRecord,
  ConnectorRun,
  DaemonEvent,
  IntegrationDaemonStatusResponse,
  MetadataElement,
  ObjectRetry,
  RegisteredOMAGService,
} from '../../shared/api/types.js';
import { type AuditMessageId, serviceMessageId } from './audit/catalogue.js';
import { createDestinations } from './audit/destinations.js';
import { AuditLog } from './audit/log.js';
import { parseConfigText, writeConfigAtomically } from './config/load.js';
import { type ConnectorConfig, type DaemonConfig, validateConfigWithModules } from './config/schema.js';
import { type AuditQuery, type DaemonApi, DaemonRequestError } from './daemon-api.js';
import { EventBus } from './events.js';
import { systemClock } from '../../shared/logic/clock.js';
import { isoTime } from './lifecycle/time.js';
import { ConcurrencyLimit } from './lifecycle/concurrency-limit.js';
import { ConnectorHandler } from './lifecycle/connector-handler.js';
import { PendingObjectRetries } from './lifecycle/pending-object-retries.js';
import type { LifecycleEnvironment } from './lifecycle/ports.js';
import { RefreshScheduler } from './lifecycle/scheduler.js';
import type { ProviderRegistry } from './providers.js';
import { MetadataServerBreaker } from './recovery/breaker.js';
import { classifyFailure } from './recovery/classify.js';
import { ObjectRetryQueue, toObjectRetry } from './recovery/object-retries.js';
import type { Clock } from '../../shared/logic/clock.js';
import { createRepository } from './repository/index.js';
import {
  InvalidMetadataRequestError,
  MetadataServerUnavailableError,
  type MetadataRepository,
  type MetadataServerConfig,
} from './repository/types.js';
import { type IntegrationServiceDefinition, findService, registeredServices, serviceSummary } from './services.js';
import { openStateStore } from './state/sqlite-state-store.js';
import type { StateStore } from './state/types.js';

export interface DaemonStartOptions {
  config: DaemonConfig;
  /** Where admin changes are written (atomically). Without it they apply to the running daemon only. */
  configPath?: string;
  /** The document as the user wrote it (LoadedConfig.document), so admin edits keep its form. Read from configPath when absent. */
  document?: unknown;
  /** The daemon's own durable state (retries, breaker, runs) lives here. */
  stateDir: string;
  /** The connector providers this daemon offers; the engine has none of its own (the CLI hands it the built-in ones). */
  providers: ProviderRegistry;
  clock?: Clock;
  random?: () => number;
  /** Receives the console destination's lines (default: standard output). */
  log?: (line: string) => void;
  /** How long start() waits for connectors to initialize before carrying on; slower ones finish in the background. */
  startupWaitMs?: number;
}

const DEFAULT_STARTUP_WAIT_MS = 5_000;
const EVENTS_DRAIN_MS = 1_000;
/** The PostgreSQL repository's default pool size: more calls at once would only queue inside the pool. */
const METADATA_CALLS_IN_FLIGHT = 8;
const METADATA_CALL_HOLD_LIMIT_MS = 30_000;

/** Egeria's "platform" in the context manager messages: where the metadata server is, without any password. */
function metadataServerLocation(config: MetadataServerConfig, baseDirectory: string): string {
  if (config.kind === 'embedded') return resolve(baseDirectory, config.path);
  try {
    const url = new URL(config.connectionString);
    url.password = '';
    return url.toString();
  } catch {
    return 'postgres';
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Daemon implements DaemonApi {
  readonly serverName: string;
  maxPageSize: number;
  private config: DaemonConfig;
  private document: unknown;
  private readonly handlers = new Map<string, ConnectorHandler>();
  /** Index of `handlers` by connectorId; dropped whenever the set of handlers or their configuration changes. */
  private byId: Map<string, ConnectorHandler> | undefined;
  private readonly scheduler: RefreshScheduler;
  private readonly env: LifecycleEnvironment;
  private stopping: Promise<void> | undefined;
  private changes: Promise<void> = Promise.resolve();
  /** Set once the start-up refresh phase has begun: connectors that finish initializing later refresh at once. */
  private refreshPhase = false;

  private constructor(
    config: DaemonConfig,
    document: unknown,
    private readonly configPath: string | undefined,
    private readonly baseDirectory: string,
    private readonly providers: ProviderRegistry,
    private readonly clock: Clock,
    random: () => number,
    private readonly store: StateStore,
    private readonly events: EventBus,
    readonly audit: AuditLog,
    private readonly repository: MetadataRepository,
    private readonly breaker: MetadataServerBreaker,
    private readonly queue: ObjectRetryQueue,
    pending: PendingObjectRetries,
    private readonly log: (line: string) => void,
  ) {
    this.serverName = config.serverName;
    this.maxPageSize = config.maxPageSize;
    this.config = config;
    this.document = document;
    this.scheduler = new RefreshScheduler(clock);
    this.env = {
      serverName: config.serverName,
      userId: config.localServerUserId,
      baseDirectory,
      clock,
      random,
      audit,
      repository,
      breaker,
      metadataCalls: new ConcurrencyLimit(METADATA_CALLS_IN_FLIGHT, clock, METADATA_CALL_HOLD_LIMIT_MS),
      objectRetries: queue,
      pendingObjectRetries: (connectorId) => pending.count(connectorId),
      store,
      resolveProvider: (spec) => providers.resolve(spec, baseDirectory),
      publishStatus: (integrationServiceURLMarker, report) =>
        events.publish({ type: 'connector-status', serverTime: isoTime(clock.now()), integrationServiceURLMarker, report }),
      publishRun: (run) => events.publish({ type: 'run', serverTime: isoTime(clock.now()), run }),
      internalError: (what, error) =>
        this.log(
          `INTEGRATION-DAEMON-SERVICES-500-100 The integration daemon ${config.serverName} failed while ${what}: ${errorText(error)}`,
        ),
    };
  }

  /**
   * Starts the daemon: the audit log's start-up records in the seed's order, the metadata repository (or the
   * breaker, when it is down), every connector's initialize and start, then their first refresh.
   */
  static async start(options: DaemonStartOptions): Promise<Daemon> {
    const config = options.config;
    const clock = options.clock ?? systemClock;
    const random = options.random ?? Math.random;
    const writeLine = options.log ?? ((line: string) => void process.stdout.write(`${line}\n`));
    // The console destination hands over whole lines with their line end; `log` receives the line alone.
    const consoleWrite = (text: string) => writeLine(text.endsWith('\n') ? text.slice(0, -1) : text);
    const configPath = options.configPath === undefined ? undefined : resolve(options.configPath);
    const baseDirectory = configPath ? dirname(configPath) : process.cwd();
    const document =
      options.document ?? (configPath ? parseConfigText(readFileSync(configPath, 'utf8'), configPath) : structuredClone(config));
    const providers = options.providers;

    mkdirSync(options.stateDir, { recursive: true });
    const store = openStateStore(join(options.stateDir, 'state.db'));
    const events = new EventBus();
    const audit = new AuditLog({
      serverName: config.serverName,
      destinations: createDestinations(config.auditLog.destinations, { baseDirectory, consoleWrite }),
      bus: events,
      now: () => clock.now(),
    });
    const serverType = 'Integration Daemon';
    audit.log('OMRS-AUDIT-0064', [serverType, config.serverName]);
    audit.log('OMAG-ADMIN-0001', [config.serverName, config.maxPageSize]);
    audit.log('OMAG-ADMIN-0100', [serverType, config.serverName]);
    audit.log('INTEGRATION-DAEMON-SERVICES-0001', [config.serverName]);

    const repository = createRepository(config.metadataServer, baseDirectory);
    let opened = false;
    const openOrPing = async () => {
      if (opened) return repository.ping();
      await repository.open();
      opened = true;
    };
    // Forward references: the breaker and queue call back into the daemon built from them.
    const built: { daemon?: Daemon } = {};
    const auditRecovery = (messageId: AuditMessageId, parameters: string[]) => void audit.log(messageId, parameters);
    const breaker = new MetadataServerBreaker({
      metadataServerName: config.metadataServer.name,
      clock,
      random,
      store,
      probe: openOrPing,
      // A probe is one cheap round trip, one at a time: probing every few seconds costs the server little and
      // means connectors resume within seconds of its return rather than after a long back-off.
      openIntervalMs: { initial: 1_000, max: 3_000 },
      onChange: (status) => {
        events.publish({ type: 'metadata-server', serverTime: isoTime(clock.now()), metadataServer: status });
        for (const handler of built.daemon?.handlers.values() ?? []) handler.breakerChanged();
      },
      onAudit: auditRecovery,
    });
    const pending = new PendingObjectRetries();
    const queue = new ObjectRetryQueue({
      store,
      clock,
      random,
      onDue: async (retry) => built.daemon?.handlerById(retry.connectorId)?.retryObject(retry.objectKey) ?? 'deferred',
      isReady: (connectorId) => built.daemon?.handlerById(connectorId)?.readyForObjectRetries ?? false,
      onChange: (retry, removed) => {
        pending.update(retry, removed);
        const handler = built.daemon?.handlerById(retry.connectorId);
        events.publish({
          type: 'object-retry',
          serverTime: isoTime(clock.now()),
          objectRetry: toObjectRetry(retry, handler?.connectorName ?? retry.connectorId),
          ...(removed ? { removed: true } : {}),
        });
      },
      onAudit: auditRecovery,
      entriesFor: (connectorId) => built.daemon?.handlerById(connectorId)?.config.errorHandling,
      connectorNameOf: (connectorId) => built.daemon?.handlerById(connectorId)?.connectorName ?? connectorId,
    });

    const started = new Daemon(
      config,
      document,
      configPath,
      baseDirectory,
      providers,
      clock,
      random,
      store,
      events,
      audit,
      repository,
      breaker,
      queue,
      pending,
      writeLine,
    );

    built.daemon = started;
    try {
      if (breaker.state === 'closed') {
        try {
          await repository.open();
          opened = true;
        } catch (error) {
          // Unreachable is an outage the breaker waits out; anything else (a corrupt file) is a start-up error.
          if (!(error instanceof MetadataServerUnavailableError)) throw error;
          breaker.reportUnavailable(
            classifyFailure(error, {
              via: 'metadataServer',
              operation: 'initialize',
              scope: 'connector',
              connectorName: config.serverName,
              metadataServerName: config.metadataServer.name,
              userId: config.localServerUserId,
            }),
          );
        }
      }
      queue.start();
      for (const row of queue.list()) pending.update(row, false);
      await started.startConnectors(options.startupWaitMs ?? DEFAULT_STARTUP_WAIT_MS);
    } catch (error) {
      // Leave nothing open behind a daemon that did not start: the state store would stay locked.
      await started.stop().catch(() => undefined);
      throw error;
    }
    return started;
  }

  private async startConnectors(startupWaitMs: number): Promise<void> {
    const location = metadataServerLocation(this.config.metadataServer, this.baseDirectory);
    const deadline = Date.now() + startupWaitMs;
    if (this.config.integrationServices.length === 0) this.audit.log('INTEGRATION-DAEMON-SERVICES-0017', [this.serverName]);
    for (const serviceConfig of this.config.integrationServices) {
      const service = this.service(serviceConfig.urlMarker);
      this.audit.log(serviceMessageId(service.messageComponent, 'initializing'), [this.config.metadataServer.name, location]);
      if (serviceConfig.connectors.length === 0) {
        this.audit.log('INTEGRATION-DAEMON-SERVICES-0007', [service.integrationServiceFullName], {
          integrationServiceURLMarker: service.integrationServiceURLMarker,
        });
      }
      for (const connector of serviceConfig.connectors) {
        const handler = this.addHandler(connector, service);
        // Connectors initialize one after another, as in Egeria's trace, but a slow one only holds start-up
        // until the deadline; it finishes on its own and refreshes as soon as it is ready.
        const prepared = handler.prepare().then(() => {
          if (this.refreshPhase) void handler.beginRefreshing();
        });
        await waitAtMost(prepared, deadline - Date.now());
      }
    }
    this.audit.log('INTEGRATION-DAEMON-SERVICES-0040', [this.serverName]);
    this.refreshPhase = true;
    for (const handler of this.handlers.values()) void handler.beginRefreshing();
    this.audit.log('INTEGRATION-DAEMON-SERVICES-0013', [this.serverName]);
    this.audit.log('OMAG-ADMIN-0101', ['Integration Daemon', this.serverName]);
    const running = [
      'Open Metadata Repository Services (OMRS)',
      ...this.config.integrationServices.map((s) => this.service(s.urlMarker).integrationServiceFullName),
      'Integration Daemon Services',
    ];
    this.audit.log('OMAG-ADMIN-0004', [this.serverName, `[${running.join(', ')}]`]);
  }

  private addHandler(connector: ConnectorConfig, service: IntegrationServiceDefinition): ConnectorHandler {
    const handler = new ConnectorHandler(connector, service, this.env, this.scheduler);
    this.handlers.set(connector.connectorName, handler);
    this.byId = undefined;
    return handler;
  }

  /** Disconnects every connector (each under its timeout), writes the Shutdown records and closes the stores. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.audit.log('INTEGRATION-DAEMON-SERVICES-0020', [this.serverName]);
    this.audit.log('INTEGRATION-DAEMON-SERVICES-0044', [this.serverName]);
    this.scheduler.cancelAll();
    for (const serviceConfig of this.config.integrationServices) {
      const service = this.service(serviceConfig.urlMarker);
      this.audit.log('INTEGRATION-DAEMON-SERVICES-0021', [service.integrationServiceFullName, this.serverName]);
      await Promise.all(this.handlersOf(service.integrationServiceURLMarker).map((h) => h.shutdown()));
      this.audit.log('INTEGRATION-DAEMON-SERVICES-0025', [service.integrationServiceFullName, this.serverName]);
    }
    await this.queue.stop();
    this.breaker.dispose();
    try {
      await this.repository.close();
    } catch (error) {
      this.log(
        `INTEGRATION-DAEMON-SERVICES-500-100 The integration daemon ${this.serverName} failed while closing metadata server ${this.repository.name}: ${errorText(error)}`,
      );
    }
    this.audit.log('INTEGRATION-DAEMON-SERVICES-0026', [this.serverName]);
    // Let listeners (SSE clients, the desktop) see the Shutdown records, but never wait on a stalled one.
    await waitAtMost(this.events.idle(), EVENTS_DRAIN_MS);
    this.store.close();
    this.audit.close();
  }

  // -------------------------------------------------------------------------------------------------- lookups

  private service(urlMarker: string): IntegrationServiceDefinition {
    const service = findService(urlMarker);
    if (!service) throw this.unknownService(urlMarker);
    return service;
  }

  private configuredService(urlMarker: string): IntegrationServiceDefinition {
    if (!this.config.integrationServices.some((s) => s.urlMarker === urlMarker)) throw this.unknownService(urlMarker);
    return this.service(urlMarker);
  }

  private handlersOf(urlMarker: string): ConnectorHandler[] {
    return [...this.handlers.values()].filter((h) => h.service.integrationServiceURLMarker === urlMarker);
  }

  private handlerById(connectorId: string): ConnectorHandler | undefined {
    // The retry queue asks by id for every due trigger; with many connectors a scan each time would add up.
    this.byId ??= new Map([...this.handlers.values()].map((h) => [h.connectorId, h]));
    return this.byId.get(connectorId);
  }

  private handler(connectorName: string, urlMarker?: string): ConnectorHandler {
    const handler = this.handlers.get(connectorName);
    if (!handler || (urlMarker !== undefined && handler.service.integrationServiceURLMarker !== urlMarker)) {
      throw this.unknownConnector(
        connectorName,
        urlMarker === undefined ? 'any integration service' : this.service(urlMarker).integrationServiceFullName,
      );
    }
    return handler;
  }

  private unknownService(urlMarker: string): DaemonRequestError {
    const valid = this.config.integrationServices.map((s) => s.urlMarker).join(', ') || 'none';
    return new DaemonRequestError(
      400,
      'INTEGRATION-DAEMON-SERVICES-400-030',
      `Integration service with URL marker ${urlMarker} is not registered in the integration daemon ${this.serverName}`,
      [urlMarker, this.serverName],
      'The system is unable to process the request because the integration service is not running in this daemon.',
      `Correct the integration service URL marker in the request. The integration services running in ${this.serverName} are: ${valid}.`,
    );
  }

  private unknownConnector(connectorName: string, serviceName: string): DaemonRequestError {
    const known = [...this.handlers.keys()].join(', ') || 'none';
    return new DaemonRequestError(
      400,
      'INTEGRATION-DAEMON-SERVICES-400-031',
      `Integration connector named ${connectorName} is not running in the integration service ${serviceName} in integration daemon ${this.serverName}`,
      [connectorName, serviceName, this.serverName],
      'The system is unable to process the request because the integration connector is not configured in this daemon.',
      `Correct the connector name in the request. The integration connectors of ${this.serverName} are: ${known}.`,
    );
  }

  // ------------------------------------------------------------------------------------------------ DaemonApi

  status(): IntegrationDaemonStatusResponse {
    return {
      class: 'IntegrationDaemonStatusResponse',
      relatedHTTPCode: 200,
      integrationServiceSummaries: this.config.integrationServices.map((s) => {
        const service = this.service(s.urlMarker);
        return serviceSummary(
          service,
          this.handlersOf(s.urlMarker).map((h) => h.report()),
        );
      }),
      serverName: this.serverName,
      serverTime: isoTime(this.clock.now()),
      metadataServers: [this.breaker.status()],
    };
  }

  registeredServices(): RegisteredOMAGService[] {
    return registeredServices();
  }

  async refreshAll(): Promise<void> {
    for (const handler of this.handlers.values()) this.requestedRefresh(handler);
  }

  async refreshService(urlMarker: string, connectorName?: string): Promise<void> {
    this.configuredService(urlMarker);
    const targets = connectorName === undefined ? this.handlersOf(urlMarker) : [this.handler(connectorName, urlMarker)];
    for (const handler of targets) this.requestedRefresh(handler);
  }

  async restartService(urlMarker: string, connectorName?: string): Promise<void> {
    this.configuredService(urlMarker);
    const targets = connectorName === undefined ? this.handlersOf(urlMarker) : [this.handler(connectorName, urlMarker)];
    await Promise.all(targets.map((h) => h.restart('request')));
  }

  async refreshConnectors(connectorName?: string): Promise<void> {
    const targets = connectorName === undefined ? [...this.handlers.values()] : [this.handler(connectorName)];
    for (const handler of targets) this.requestedRefresh(handler);
  }

  async restartConnectors(connectorName?: string): Promise<void> {
    const targets = connectorName === undefined ? [...this.handlers.values()] : [this.handler(connectorName)];
    await Promise.all(targets.map((h) => h.restart('request')));
  }

  private requestedRefresh(handler: ConnectorHandler): void {
    this.audit.log('INTEGRATION-DAEMON-SERVICES-0101', [this.config.localServerUserId, handler.connectorName, this.serverName], {
      connectorName: handler.connectorName,
      integrationServiceURLMarker: handler.service.integrationServiceURLMarker,
    });
    void handler.refresh('request');
  }

  async retryConnectorNow(connectorName: string): Promise<void> {
    const handler = this.handler(connectorName);
    if (await handler.retryNow()) return;
    const status = handler.connectorStatus;
    if (status === 'FAILED' || status === 'CONFIG_FAILED' || status === 'INITIALIZE_FAILED') {
      // A connector that gave up has no pending retry; "retry now" means start it again.
      await handler.restart('request');
      return;
    }
    throw new DaemonRequestError(
      409,
      'INTEGRATION-DAEMON-SERVICES-409-101',
      `Integration connector ${connectorName} in integration daemon ${this.serverName} has no retry to run: its status is ${status ?? 'unknown'}`,
      [connectorName, this.serverName, status ?? 'unknown'],
      'Nothing is changed.',
      'Use refresh to make a running connector compare its third-party technology with the metadata repository again, or restart to start it afresh.',
      'org.odpi.openmetadata.frameworks.connectors.ffdc.InvalidParameterException',
    );
  }

  getConfigurationProperties(connectorName: string): Record<string, unknown> {
    return structuredClone(this.handler(connectorName).config.configurationProperties);
  }

  async updateConfigurationProperties(
    connectorName: string | undefined,
    properties: Record<string, unknown>,
    mergeUpdate: boolean,
  ): Promise<void> {
    const targets = connectorName === undefined ? [...this.handlers.keys()] : [this.handler(connectorName).connectorName];
    await this.oneChangeAtATime(() => this.changeProperties(targets, properties, mergeUpdate));
  }

  private async changeProperties(targets: string[], properties: Record<string, unknown>, mergeUpdate: boolean): Promise<void> {
    const document = this.editableDocument();
    for (const name of targets) {
      const entry = connectorEntry(document, name);
      const current = isRecord(entry.configurationProperties) ? entry.configurationProperties : {};
      entry.configurationProperties = mergeUpdate ? { ...current, ...properties } : { ...properties };
    }
    await this.applyDocument(document, () => {
      for (const name of targets) {
        const handler = this.handlers.get(name);
        const context = {
          connectorName: name,
          ...(handler ? { integrationServiceURLMarker: handler.service.integrationServiceURLMarker } : {}),
        };
        if (!mergeUpdate && Object.keys(properties).length === 0) {
          this.audit.log('INTEGRATION-DAEMON-SERVICES-0016', [this.config.localServerUserId, name, this.serverName], context);
        } else {
          this.audit.log(
            'INTEGRATION-DAEMON-SERVICES-0015',
            [this.config.localServerUserId, name, this.serverName, Object.keys(properties).join(', ')],
            context,
          );
        }
      }
    });
  }

  async updateEndpointAddress(connectorName: string, address: string): Promise<void> {
    const handler = this.handler(connectorName);
    await this.oneChangeAtATime(async () => {
      const document = this.editableDocument();
      connectorEntry(document, connectorName).endpointAddress = address;
      await this.applyDocument(document, () => {
        this.audit.log('INTEGRATION-DAEMON-SERVICES-0057', [this.config.localServerUserId, connectorName, this.serverName, address], {
          connectorName,
          integrationServiceURLMarker: handler.service.integrationServiceURLMarker,
        });
      });
    });
  }

  auditLog(query: AuditQuery): AuditRecord[] {
    return this.audit.query(query);
  }

  runs(filter: { connectorName?: string | undefined; limit: number }): ConnectorRun[] {
    if (filter.connectorName !== undefined) this.handler(filter.connectorName);
    return this.store.listRuns(filter);
  }

  async findElements(query: {
    typeName?: string;
    qualifiedNamePrefix?: string;
    startFrom: number;
    pageSize: number;
  }): Promise<MetadataElement[]> {
    const pageSize = Math.min(Math.max(1, query.pageSize), this.maxPageSize);
    const unavailable = (detail: string) =>
      new DaemonRequestError(
        503,
        'OMAG-MULTI-TENANT-404-001',
        `The OMAG Server ${this.repository.name} is not available to service a request from user ${this.config.localServerUserId}`,
        [this.repository.name, this.config.localServerUserId],
        `The metadata server did not answer: ${detail}`,
        'Start the metadata server or correct metadataServer in the configuration document; the daemon reconnects by itself.',
      );
    if (this.breaker.state !== 'closed') throw unavailable(this.breaker.status().lastErrorMessage ?? 'it is not available');
    try {
      return await this.repository.findElements({ ...query, pageSize });
    } catch (error) {
      if (error instanceof MetadataServerUnavailableError) throw unavailable(error.message);
      if (error instanceof InvalidMetadataRequestError) {
        throw new DaemonRequestError(
          400,
          error.messageId,
          error.message.slice(error.messageId.length + 1),
          [],
          'The query was not run.',
          error.userAction,
        );
      }
      throw error;
    }
  }

  objectRetries(connectorName?: string): ObjectRetry[] {
    const connectorId = connectorName === undefined ? undefined : this.handler(connectorName).connectorId;
    return this.queue
      .list(connectorId)
      .map((row) => toObjectRetry(row, this.handlerById(row.connectorId)?.connectorName ?? row.connectorId));
  }

  async retryObjectsNow(connectorName: string, objectKey?: string): Promise<number> {
    const handler = this.handler(connectorName);
    return this.queue.retryNow(handler.connectorId, objectKey);
  }

  getConfiguration(): unknown {
    return structuredClone(this.document);
  }

  /**
   * Validates the new document, writes it atomically (when the daemon has a file), then restarts only the
   * connectors whose configuration changed, starts new ones and stops removed ones.
   */
  async replaceConfiguration(document: unknown): Promise<void> {
    let copy: unknown;
    try {
      copy = structuredClone(document);
    } catch (error) {
      throw new DaemonRequestError(
        400,
        'INTEGRATION-DAEMON-CONFIG-400-000',
        `The configuration document for integration daemon ${this.serverName} could not be read: ${(error as Error).message}`,
        [this.serverName],
        'The running configuration and the configuration file are unchanged.',
        'Send a JSON configuration document of the documented shape; it needs no deep nesting.',
      );
    }
    this.refuseNewModuleProviders(copy);
    await this.oneChangeAtATime(() => this.applyDocument(copy, () => undefined));
  }

  /**
   * A provider given as a module path is code the daemon imports. The operator token may restart and reconfigure
   * connectors, but adding code to run is left to whoever can edit the configuration file on the host: validation
   * would already import the module, so the check comes before it.
   */
  private refuseNewModuleProviders(document: unknown): void {
    const known = new Set(providerSpecs(this.document).filter((spec) => this.providers.isModulePath(spec)));
    const added = providerSpecs(document).filter((spec) => this.providers.isModulePath(spec) && !known.has(spec));
    if (added.length === 0) return;
    throw new DaemonRequestError(
      403,
      'INTEGRATION-DAEMON-SERVICES-403-102',
      `The configuration document for integration daemon ${this.serverName} adds connector provider module(s) ${added.join(', ')}, which cannot be added over the REST API`,
      [this.serverName, added.join(', ')],
      'The running configuration and the configuration file are unchanged; no module was loaded.',
      'Add connectors implemented by a module by editing the configuration file on the daemon host and restarting the daemon, or use a built-in provider.',
      'org.odpi.openmetadata.frameworks.connectors.ffdc.UserNotAuthorizedException',
    );
  }

  subscribe(listener: (event: DaemonEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  // ----------------------------------------------------------------------------------------- configuration

  /**
   * Admin changes edit a copy of the current document; run one at a time so that two requests arriving together
   * both take effect instead of the second overwriting the first.
   */
  private oneChangeAtATime(change: () => Promise<void>): Promise<void> {
    const next = this.changes.then(change);
    this.changes = next.catch(() => undefined);
    return next;
  }

  private editableDocument(): Record<string, unknown> {
    const copy = structuredClone(this.document);
    if (!isRecord(copy))
      throw new Error('INTEGRATION-DAEMON-SERVICES-500-101 The configuration document held by the daemon is not an object');
    return copy;
  }

  private async applyDocument(document: unknown, beforeRestarts: () => void): Promise<void> {
    const result = await validateConfigWithModules(document, { providers: this.providers, baseDirectory: this.baseDirectory });
    if (!result.ok) {
      const summary = result.problems.map((p) => `${p.messageId} ${p.path || '(document)'}: ${p.message} Fix: ${p.fix}`).join(' | ');
      this.audit.log('INTEGRATION-DAEMON-SERVICES-0105', [this.serverName, summary]);
      throw new DaemonRequestError(
        400,
        'INTEGRATION-DAEMON-CONFIG-400-000',
        `The configuration document for integration daemon ${this.serverName} was rejected with ${result.problems.length} problem(s): ${summary}`,
        [this.serverName, summary],
        'The running configuration and the configuration file are unchanged.',
        'Correct each problem listed (each names the JSON path and the fix) and send the document again.',
      );
    }
    const next = result.config;
    for (const section of ['serverName', 'metadataServer', 'auditLog'] as const) {
      if (!isDeepStrictEqual(next[section], this.config[section])) {
        throw new DaemonRequestError(
          400,
          'INTEGRATION-DAEMON-SERVICES-400-101',
          `The ${section} section of the configuration document of integration daemon ${this.serverName} cannot be changed while the daemon runs`,
          [section, this.serverName],
          'The running configuration and the configuration file are unchanged.',
          `Send a document whose ${section} is unchanged, or stop the daemon, edit the configuration file and start it again.`,
        );
      }
    }
    if (this.configPath) await writeConfigAtomically(this.configPath, document);
    this.document = document;
    beforeRestarts();
    await this.reconcile(next);
  }

  private async reconcile(next: DaemonConfig): Promise<void> {
    const wanted = new Map<string, { connector: ConnectorConfig; service: IntegrationServiceDefinition }>();
    for (const s of next.integrationServices) {
      const service = this.service(s.urlMarker);
      for (const connector of s.connectors) wanted.set(connector.connectorName, { connector, service });
    }
    const restarted: string[] = [];
    const started: string[] = [];
    const stopped: string[] = [];
    const work: Promise<void>[] = [];
    for (const [name, handler] of [...this.handlers]) {
      const target = wanted.get(name);
      if (!target || target.service !== handler.service) {
        this.handlers.delete(name);
        stopped.push(name);
        work.push(handler.remove().then(() => void this.queue.discard(handler.connectorId)));
      } else if (!isDeepStrictEqual(target.connector, handler.config)) {
        restarted.push(name);
        work.push(handler.reconfigure(target.connector));
      }
    }
    this.config = next;
    this.maxPageSize = next.maxPageSize;
    this.env.userId = next.localServerUserId;
    // Rebuild the map in configuration order so status() lists connectors as the document does.
    const previous = new Map(this.handlers);
    this.handlers.clear();
    this.byId = undefined;
    for (const [name, { connector, service }] of wanted) {
      const existing = previous.get(name);
      if (existing) {
        this.handlers.set(name, existing);
        continue;
      }
      const handler = this.addHandler(connector, service);
      started.push(name);
      work.push(handler.restart('change'));
    }
    this.audit.log('INTEGRATION-DAEMON-SERVICES-0104', [
      this.config.localServerUserId,
      this.serverName,
      restarted.join(', ') || 'none',
      started.join(', ') || 'none',
      stopped.join(', ') || 'none',
    ]);
    await Promise.all(work);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The connector's entry in the user's document (found by name across services). */
function connectorEntry(document: Record<string, unknown>, connectorName: string): Record<string, unknown> {
  const services = Array.isArray(document.integrationServices) ? document.integrationServices : [];
  for (const service of services) {
    if (!isRecord(service) || !Array.isArray(service.connectors)) continue;
    for (const connector of service.connectors) {
      if (isRecord(connector) && connector.connectorName === connectorName) return connector;
    }
  }
  throw new Error(`INTEGRATION-DAEMON-SERVICES-500-102 The configuration document has no entry for integration connector ${connectorName}`);
}

/** Resolves when the promise settles or after `ms`, whichever is first; never rejects. */
function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

/** Every `connectorProvider` string of a configuration document, whatever else is wrong with it. */
function providerSpecs(document: unknown): string[] {
  const specs: string[] = [];
  const services = isRecord(document) && Array.isArray(document.integrationServices) ? document.integrationServices : [];
  for (const service of services) {
    const connectors = isRecord(service) && Array.isArray(service.connectors) ? service.connectors : [];
    for (const connector of connectors) {
      if (isRecord(connector) && typeof connector.connectorProvider === 'string') specs.push(connector.connectorProvider);
    }
  }
  return specs;
}
