// Builds a daemon's parts from its configuration and the providers its starter hands it: the state store, the event
// bus, the audit log (its first records in the seed's order), the metadata server, the metadata server's
// circuit breaker, the object retry queue and the environment every connector handler runs in. The engine ships
// no connectors: which providers exist is the starter's choice (the CLI and the desktop hand it the built-in ones).
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { systemClock, type Clock } from '../../../shared/logic/clock.js';
import { errorText } from '../../../shared/api/error-text.js';
import { rememberSecretsOf } from '../../../shared/api/redact.js';
import { createDestinations } from '../audit/destinations.js';
import { AuditLog } from '../audit/log.js';
import { parseConfigText } from '../config/load.js';
import type { DaemonConfig } from '../config/types.js';
import { EventBus } from '../events.js';
import { StatusHistory } from '../status-history.js';
import { ConcurrencyLimit } from '../metadata-server/concurrency-limit.js';
import { HeldArchives } from '../lifecycle/held-archives.js';
import { PendingObjectRetries } from '../lifecycle/pending-object-retries.js';
import type { LifecycleEnvironment } from '../lifecycle/ports.js';
import { RefreshScheduler } from '../lifecycle/scheduler.js';
import { isoTime } from '../lifecycle/time.js';
import type { ProviderRegistry } from '../providers.js';
import { MetadataServerBreaker } from '../recovery/breaker.js';
import { ObjectRetryQueue, toObjectRetry } from '../recovery/object-retries.js';
import { createMetadataServer } from '../metadata-server/index.js';
import type { MetadataServer } from '../metadata-server/types.js';
import { openStateStore } from '../state/sqlite-state-store.js';
import { batchingRunWrites } from '../state/run-batching.js';
import type { StateStore } from '../state/types.js';
import { ElementCounts, noticingWrites } from './element-counts.js';
import { catalogTargetSource } from '../lifecycle/catalog-targets.js';
import { ConnectorRegistry } from './connector-registry.js';

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

/** Everything a running daemon is made of; `config` and `document` change with configuration admin. */
export interface DaemonParts {
  readonly serverName: string;
  config: DaemonConfig;
  /** The document as the user wrote it: admin changes edit a copy of it, so the file keeps its form. */
  document: unknown;
  readonly configPath: string | undefined;
  /** Relative paths in the document resolve against it (the configuration file's directory). */
  readonly baseDirectory: string;
  readonly providers: ProviderRegistry;
  readonly clock: Clock;
  readonly store: StateStore;
  readonly events: EventBus;
  /** Status changes and metadata server outages, fed from `events`. */
  readonly history: StatusHistory;
  readonly audit: AuditLog;
  readonly metadataServer: MetadataServer;
  readonly breaker: MetadataServerBreaker;
  readonly queue: ObjectRetryQueue;
  readonly pending: PendingObjectRetries;
  readonly scheduler: RefreshScheduler;
  readonly env: LifecycleEnvironment;
  readonly registry: ConnectorRegistry;
  /** Each connector's live element count, for its report. */
  readonly elementCounts: ElementCounts;
  /** The daemon's own problems (the state store refusing a write) and the console destination's lines. */
  readonly log: (line: string) => void;
  /** Opens the metadata server the first time, pings it after: the breaker's probe. */
  openOrPing(): Promise<void>;
}

/** A connector call holding a connection longer gives it up to the next connector (see ConcurrencyLimit). */
const METADATA_SERVER_CALL_HOLD_LIMIT_MS = 30_000;

export function assembleDaemon(options: DaemonStartOptions): DaemonParts {
  const { config, providers } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const log = options.log ?? ((line: string) => void process.stdout.write(`${line}\n`));
  // The console destination hands over whole lines with their line end; `log` receives the line alone.
  const consoleWrite = (text: string) => log(text.endsWith('\n') ? text.slice(0, -1) : text);
  const configPath = options.configPath === undefined ? undefined : resolve(options.configPath);
  const baseDirectory = configPath ? dirname(configPath) : process.cwd();
  const document =
    options.document ?? (configPath ? parseConfigText(readFileSync(configPath, 'utf8'), configPath) : structuredClone(config));
  rememberSecretsOf(document);

  mkdirSync(options.stateDir, { recursive: true });
  const internalError = (what: string, error: unknown): void =>
    log(`INTEGRATION-DAEMON-SERVICES-500-100 The integration daemon ${config.serverName} failed while ${what}: ${errorText(error)}`);
  const store = batchingRunWrites(openStateStore(join(options.stateDir, 'state.db')), internalError);
  const events = new EventBus();
  const history = new StatusHistory(events);
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

  const metadataServer = createMetadataServer(config.metadataServer, baseDirectory);
  let opened = false;
  const openOrPing = async () => {
    if (opened) return metadataServer.ping();
    await metadataServer.open();
    opened = true;
  };
  // The breaker and the queue call back into the registry built from them.
  const built: { registry?: ConnectorRegistry } = {};
  const elementCounts = new ElementCounts({
    metadataServer,
    available: () => breaker.state === 'CLOSED',
    sourcesOf: (connectorId) => {
      const targets = built.registry?.byId(connectorId)?.config.catalogTargets ?? [];
      return [connectorId, ...targets.map((t) => catalogTargetSource(connectorId, t.catalogTargetName))];
    },
    onChange: (connectorId) => {
      const handler = built.registry?.byId(connectorId);
      if (handler !== undefined) env.publishStatus(handler.service.urlMarker, handler.report());
    },
  });
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
      // Counts that could not be read while it was away (a daemon started during the outage) are read now, so the
      // console's rows show them without waiting for a connector's next write.
      if (status.breakerState === 'CLOSED') void elementCounts.recount();
      for (const handler of built.registry?.all() ?? []) handler.breakerChanged();
    },
    onAudit: (messageId, parameters) => void audit.log(messageId, parameters),
  });
  const pending = new PendingObjectRetries();
  const queue = new ObjectRetryQueue({
    store,
    clock,
    random,
    onDue: async (retry) => built.registry?.byId(retry.connectorId)?.runObjectRetry(retry.objectKey) ?? 'deferred',
    isReady: (connectorId) => built.registry?.byId(connectorId)?.readyForObjectRetries ?? false,
    onChange: (retry, removed) => {
      pending.update(retry, removed);
      const handler = built.registry?.byId(retry.connectorId);
      events.publish({
        type: 'object-retry',
        serverTime: isoTime(clock.now()),
        objectRetry: toObjectRetry(retry, handler?.connectorName ?? retry.connectorId),
        ...(removed ? { removed: true } : {}),
      });
    },
    onAudit: (messageId, parameters) => void audit.log(messageId, parameters),
    entriesFor: (connectorId) => built.registry?.byId(connectorId)?.config.errorHandling,
    connectorNameOf: (connectorId) => built.registry?.byId(connectorId)?.connectorName ?? connectorId,
  });

  const heldArchives = new HeldArchives({
    store,
    clock,
    audit,
    publish: (event) => events.publish(event),
    changed: (connectorId) => built.registry?.byId(connectorId)?.heldArchiveChanged(),
    internalError,
  });
  const env: LifecycleEnvironment = {
    serverName: config.serverName,
    userId: config.localServerUserId,
    baseDirectory,
    clock,
    random,
    audit,
    metadataServer: noticingWrites(metadataServer, (source) => elementCounts.written(source)),
    breaker,
    metadataServerCalls: new ConcurrencyLimit(metadataServer.connections, { holdLimit: { clock, ms: METADATA_SERVER_CALL_HOLD_LIMIT_MS } }),
    objectRetries: queue,
    pendingObjectRetries: (connectorId) => pending.count(connectorId),
    store,
    heldArchives,
    resolveProvider: (spec) => providers.resolve(spec, baseDirectory),
    publishStatus: (urlMarker, report) =>
      events.publish({
        type: 'connector-status',
        serverTime: isoTime(clock.now()),
        urlMarker,
        report: built.registry?.tagGroup(elementCounts.decorate(report)) ?? elementCounts.decorate(report),
      }),
    publishRun: (run) => events.publish({ type: 'run', serverTime: isoTime(clock.now()), run }),
    internalError,
  };
  const scheduler = new RefreshScheduler(clock);
  const parts: DaemonParts = {
    serverName: config.serverName,
    config,
    document,
    configPath,
    baseDirectory,
    providers,
    clock,
    store,
    events,
    history,
    audit,
    metadataServer,
    breaker,
    queue,
    pending,
    scheduler,
    env,
    elementCounts,
    registry: new ConnectorRegistry(env, scheduler, config.serverName, () => parts.config.integrationServices.map((s) => s.urlMarker)),
    log,
    openOrPing,
  };
  built.registry = parts.registry;
  return parts;
}
