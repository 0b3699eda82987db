// One handler per configured connector: drives initialize → start → refresh … → disconnect, each call under its
// timeout, and decides what happens after a failure (retry later, wait for the metadata server, carry on, stop).
// Everything asynchronous is tied to an "epoch": a restart, retry or shutdown starts a new epoch, and whatever still
// comes back from an older one (a hung call finally returning) is ignored.
import type { Disposable } from '../../../shared/logic/disposable.js';
import { randomUUID } from 'node:crypto';
import type {
  ConnectorStatistics,
  ConnectorStatus,
  ErrorCategory,
  ErrorScope,
  ErrorSource,
  IntegrationConnectorReport,
  RunTrigger,
} from '../../../shared/api/types.js';
import { permittedSynchronizationWords, serviceMessageId } from '../audit/catalogue.js';
import { ConnectorCallTimeoutError, classifyFailure } from '../recovery/classify.js';
import { noteConnectorHealthy, recordConnectorFailure } from '../recovery/connector-retries.js';
import type { ObjectRetryOutcome } from '../recovery/object-retries.js';
import { decideRecovery } from '../recovery/strategy.js';
import type { ClassifiedError, FailedOperation, RecoveryDecision } from '../recovery/types.js';
import { MetadataServerUnavailableError } from '../repository/types.js';
import type { ConnectorContext, ConnectorInstanceConfig, ConnectorProvider, IntegrationConnector } from '../../connector-sdk/index.js';
import { ProviderResolutionError } from '../providers.js';
import { wrongKindMessage } from '../services.js';
import type { StoredConnectorRetry } from '../state/types.js';
import { AuditBudget } from './audit-budget.js';
import { isoTime } from './time.js';
import { asError, createConnectorContext, errorSource } from './context.js';
import type { HandlerConnectorConfig, HandlerService, LifecycleEnvironment } from './ports.js';
import { RUNS_KEPT_PER_CONNECTOR, RunRecorder } from './runs.js';
import type { RefreshScheduler } from './scheduler.js';
import { callWithTimeout } from './timeouts.js';

/** What the report shows about the last failure; also rebuilt from a persisted retry after a daemon restart. */
interface FailureInfo {
  messageId: string;
  message: string;
  source: ErrorSource;
  category: ErrorCategory;
  userAction?: string;
}

interface RetryState {
  attempt: number;
  retryLimit: number | null;
  nextRetryAt: number;
  reason: string;
  waitingFor?: 'metadataServer';
}

type LifecycleCall = 'initialize' | 'start' | 'refresh' | 'disconnect';
type StopDecision = Extract<RecoveryDecision, { action: 'stop' }>;

const FAILING_STATUSES: ReadonlySet<ConnectorStatus> = new Set(['FAILED', 'CONFIG_FAILED', 'INITIALIZE_FAILED', 'RETRYING']);

export class ConnectorHandler {
  private status: ConnectorStatus | undefined;
  private lastStatusChange: number | undefined;
  private lastRefreshTime: number | undefined;
  private lastSuccessfulRefreshTime: number | undefined;
  private failure: FailureInfo | undefined;
  private retry: RetryState | undefined;
  private instanceId: string | undefined;
  private connector: IntegrationConnector | undefined;

  private epoch = 0;
  private epochAbort = new AbortController();
  private retryTimer: Disposable | undefined;
  private refreshing: Promise<void> | undefined;
  private pendingTrigger: RunTrigger | undefined;
  private currentRun: RunRecorder | undefined;
  private lastRun: RunRecorder | undefined;
  private objectRetryInFlight: Promise<unknown> | undefined;
  private retryingObject: { key: string; failure?: unknown } | undefined;
  private refreshedOnce = false;
  /** Trigger of the first refresh after start-up: `retry` when a persisted retry was already due. */
  private firstTrigger: RunTrigger = 'start';
  /** An object-level failure whose strategy says stop: applied when the refresh ends. */
  private pendingStop: { failure: ClassifiedError; decision: StopDecision } | undefined;
  private stopped = false;
  /** Object failures reported but not yet recorded durably (see objectFailed). */
  private objectFailureBacklog: { objectKey: string; error: unknown; source: ErrorSource }[] = [];
  private objectFailureHead = 0;
  private objectFailureDrain: Promise<void> | undefined;
  private readonly statistics: ConnectorStatistics = { elementsCreated: 0, elementsUpdated: 0, elementsArchived: 0, errors: 0 };
  private readonly auditBudget: AuditBudget;

  constructor(
    private configuration: HandlerConnectorConfig,
    readonly service: HandlerService,
    private readonly env: LifecycleEnvironment,
    private readonly scheduler: RefreshScheduler,
  ) {
    this.auditBudget = new AuditBudget(env.clock);
  }

  get connectorName(): string {
    return this.configuration.connectorName;
  }

  get connectorId(): string {
    return this.configuration.connectorId;
  }

  get config(): HandlerConnectorConfig {
    return this.configuration;
  }

  get connectorStatus(): ConnectorStatus | undefined {
    return this.status;
  }

  /** Ready to re-process single objects (the object retry queue asks before each due retry). */
  get readyForObjectRetries(): boolean {
    return this.status === 'WAITING' && this.connector !== undefined && this.env.breaker.state === 'closed';
  }

  // ------------------------------------------------------------------------------------------------ lifecycle

  /**
   * Daemon start: resumes a persisted automatic retry at its original time, or initializes and starts the
   * connector. Resolves once the connector is WAITING, failed, or waiting for something (never on a refresh).
   */
  async prepare(): Promise<void> {
    const stored = this.env.store.getConnectorRetry(this.connectorId);
    if (stored && stored.attempt > 0) {
      this.failure = {
        messageId: stored.messageId,
        message: stored.reason,
        source: stored.errorSource,
        category: stored.errorCategory,
      };
      if (stored.nextRetryAt > this.env.clock.now()) {
        this.newEpoch();
        this.scheduleRetry(stored, { resumed: true });
        return;
      }
      this.firstTrigger = 'retry';
    }
    await this.launch(undefined);
  }

  /** After start-up: the first refresh (Egeria's daemon thread does this for every WAITING connector). */
  beginRefreshing(): Promise<void> {
    return this.refresh(this.firstTrigger);
  }

  /**
   * Restart: drop any pending automatic retry and failure, disconnect, start a fresh instance (new
   * connectorInstanceId) and refresh it. Resolves once the new instance has started (or failed to).
   */
  async restart(trigger: RunTrigger = 'request'): Promise<void> {
    if (trigger === 'request') {
      this.env.audit.log(
        'INTEGRATION-DAEMON-SERVICES-0100',
        [this.env.userId, this.connectorName, this.env.serverName],
        this.auditContext(),
      );
    }
    if (this.stopped) return;
    this.env.store.deleteConnectorRetry(this.connectorId);
    this.failure = undefined;
    this.retry = undefined;
    this.pendingStop = undefined;
    this.refreshedOnce = false;
    await this.launch(trigger);
  }

  /** New configuration for this connector: CONFIG_FAILED and any retry are cleared, the connector restarts. */
  async reconfigure(configuration: HandlerConnectorConfig): Promise<void> {
    this.configuration = configuration;
    await this.restart('change');
  }

  /**
   * Cancel a pending automatic retry and run it now; behind the breaker, probe the metadata server now.
   * Returns false when no retry is pending.
   */
  async retryNow(): Promise<boolean> {
    if (this.status !== 'RETRYING' || !this.retry) return false;
    this.env.audit.log('INTEGRATION-DAEMON-RECOVERY-0011', [this.env.userId, this.connectorName], this.auditContext());
    if (this.retry.waitingFor === 'metadataServer') {
      await this.env.breaker.probeNow();
      return true;
    }
    this.auditRetryStarted(this.retry.attempt, this.retry.retryLimit);
    await this.launch('retry');
    return true;
  }

  /** Refresh on request (REST, CLI, a connector's own hint). Coalesced: at most one refresh queued behind a running one. */
  refresh(trigger: RunTrigger): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.refreshing) {
      this.pendingTrigger ??= trigger;
      return this.refreshing;
    }
    if (this.status !== 'WAITING') return Promise.resolve();
    if (!this.connector) return this.launch(trigger);
    const epoch = this.epoch;
    const running: Promise<void> = this.runRefresh(trigger, epoch).finally(() => {
      if (this.refreshing === running) this.refreshing = undefined;
      if (this.isEpoch(epoch) && this.pendingTrigger && this.status === 'WAITING') {
        const next = this.pendingTrigger;
        this.pendingTrigger = undefined;
        void this.refresh(next);
      }
    });
    this.refreshing = running;
    return running;
  }

  /** Daemon shutdown. A pending retry stays in the state store so a restarted daemon resumes it on time. */
  async shutdown(): Promise<void> {
    this.env.audit.log('INTEGRATION-DAEMON-SERVICES-0022', [this.connectorName], this.auditContext());
    const connector = this.connector;
    this.newEpoch({ disconnect: false });
    this.stopped = true;
    if (connector) await this.disconnect(connector);
    // Object failures already reported still get their durable triggers before the stores close.
    if (this.objectFailureDrain) await this.objectFailureDrain;
    this.setStatus('SHUTDOWN');
    this.env.audit.log(
      'INTEGRATION-DAEMON-SERVICES-0024',
      [this.connectorName, this.service.integrationServiceFullName, this.statisticsText()],
      this.auditContext(),
    );
  }

  /** Removed from the configuration: shut down and forget its retry. */
  async remove(): Promise<void> {
    await this.shutdown();
    this.env.store.deleteConnectorRetry(this.connectorId);
  }

  /** The metadata server's breaker changed: a parked connector shows the new time of the next check. */
  breakerChanged(): void {
    if (this.status === 'RETRYING' && this.retry?.waitingFor === 'metadataServer') {
      const next = this.env.breaker.status().nextProbeAt;
      const nextRetryAt = next ? Date.parse(next) : this.env.clock.now();
      // Most breaker changes are only its count of waiting connectors: nothing to tell about this one.
      if (nextRetryAt === this.retry.nextRetryAt) return;
      this.retry = { ...this.retry, nextRetryAt };
      this.publish();
    }
  }

  /** Re-process one object whose retry is due (called by the object retry queue). */
  async retryObject(objectKey: string): Promise<ObjectRetryOutcome> {
    const connector = this.connector;
    if (!this.readyForObjectRetries || !connector || this.refreshing || this.objectRetryInFlight) return 'deferred';
    if (!connector.retryObject) {
      // Without a single-object method a full refresh re-processes it from its current state.
      await this.refresh('retry');
      if (!this.lastRun || this.lastRun.trigger !== 'retry' || this.status !== 'WAITING') return 'deferred';
      return this.lastRun.hasFailed(objectKey) ? 'failed' : 'succeeded';
    }
    const retryObject = connector.retryObject.bind(connector);
    const epoch = this.epoch;
    const attempt: { key: string; failure?: unknown } = { key: objectKey };
    this.retryingObject = attempt;
    const call = this.call('refresh', (signal) => retryObject(objectKey, signal));
    this.objectRetryInFlight = call;
    try {
      await call;
    } catch (error) {
      attempt.failure = error;
    } finally {
      if (this.objectRetryInFlight === call) this.objectRetryInFlight = undefined;
      if (this.retryingObject === attempt) this.retryingObject = undefined;
    }
    if (!this.isEpoch(epoch)) return 'deferred';
    if (attempt.failure === undefined) return 'succeeded';
    const source = errorSource(attempt.failure);
    if (source === 'metadataServer' && this.env.breaker.state !== 'closed') return 'deferred';
    // The next retry is decided on this failure, not on the one that created the trigger.
    return { failed: this.classify(asError(attempt.failure), source, 'retryObject', 'object') };
  }

  // --------------------------------------------------------------------------------------------------- report

  report(): IntegrationConnectorReport {
    const failure = this.status !== undefined && FAILING_STATUSES.has(this.status) ? this.failure : undefined;
    const retry = this.status === 'RETRYING' ? this.retry : undefined;
    const nextRefreshAt = this.status === 'WAITING' || this.status === 'REFRESHING' ? this.scheduler.nextAt(this.connectorId) : undefined;
    // Field order matters to people comparing with Egeria: its six fields first, exactly as the seed prints them.
    return {
      connectorName: this.connectorName,
      connectorStatus: this.status ?? 'INITIALIZED',
      ...(this.lastStatusChange !== undefined ? { lastStatusChange: isoTime(this.lastStatusChange) } : {}),
      ...(this.lastRefreshTime !== undefined ? { lastRefreshTime: isoTime(this.lastRefreshTime) } : {}),
      minMinutesBetweenRefresh: this.configuration.refreshTimeInterval,
      ...(failure ? { failingExceptionMessage: failure.message } : {}),
      connectorId: this.connectorId,
      ...(this.instanceId !== undefined ? { connectorInstanceId: this.instanceId } : {}),
      ...(failure
        ? {
            failingExceptionMessageId: failure.messageId,
            errorSource: failure.source,
            errorCategory: failure.category,
            ...(failure.userAction ? { userAction: failure.userAction } : {}),
          }
        : {}),
      ...(retry
        ? {
            retry: {
              attempt: retry.attempt,
              retryLimit: retry.retryLimit,
              nextRetryAt: isoTime(retry.nextRetryAt),
              reason: retry.reason,
              ...(retry.waitingFor ? { waitingFor: retry.waitingFor } : {}),
            },
          }
        : {}),
      ...(nextRefreshAt !== undefined ? { nextRefreshAt: isoTime(nextRefreshAt) } : {}),
      ...(this.lastSuccessfulRefreshTime !== undefined ? { lastSuccessfulRefreshTime: isoTime(this.lastSuccessfulRefreshTime) } : {}),
      pendingObjectRetries: this.env.pendingObjectRetries(this.connectorId),
      statistics: { ...this.statistics },
    };
  }

  // ------------------------------------------------------------------------------------------------ internals

  private isEpoch(epoch: number): boolean {
    return epoch === this.epoch && !this.stopped;
  }

  private newEpoch(options: { disconnect: boolean } = { disconnect: true }): number {
    this.epoch++;
    this.epochAbort.abort(new Error(`The integration connector ${this.connectorName} was restarted or stopped`));
    this.epochAbort = new AbortController();
    this.retryTimer?.dispose();
    this.retryTimer = undefined;
    this.scheduler.cancel(this.connectorId);
    this.refreshing = undefined;
    this.pendingTrigger = undefined;
    this.currentRun = undefined;
    this.objectRetryInFlight = undefined;
    this.retryingObject = undefined;
    const old = this.connector;
    this.connector = undefined;
    if (old && options.disconnect) void this.disconnect(old);
    return this.epoch;
  }

  private call<T>(operation: LifecycleCall, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const ms = this.configuration.timeouts[operation];
    return callWithTimeout(this.env.clock, ms, this.epochAbort.signal, run, () => {
      this.env.audit.log('INTEGRATION-DAEMON-SERVICES-0102', [this.connectorName, operation, String(ms)], this.auditContext());
      return new ConnectorCallTimeoutError(operation, ms);
    });
  }

  private async disconnect(connector: IntegrationConnector): Promise<void> {
    const ms = this.configuration.timeouts.disconnect;
    try {
      await callWithTimeout(
        this.env.clock,
        ms,
        new AbortController().signal,
        () => connector.disconnect(),
        () => new ConnectorCallTimeoutError('disconnect', ms),
      );
    } catch (thrown) {
      const error = asError(thrown);
      this.env.audit.log('INTEGRATION-DAEMON-SERVICES-0023', [this.connectorName, error.name, error.message], {
        ...this.auditContext(),
        exception: error,
      });
    }
  }

  /** A fresh instance: initialize and start, then (when a trigger is given) the first refresh, not awaited. */
  private async launch(trigger: RunTrigger | undefined): Promise<void> {
    const epoch = this.newEpoch();
    const started = await this.initializeAndStart(epoch);
    if (started && trigger !== undefined && this.isEpoch(epoch)) void this.refresh(trigger);
  }

  private async initializeAndStart(epoch: number): Promise<boolean> {
    const cfg = this.configuration;
    const env = this.env;
    const instanceId = randomUUID();
    this.instanceId = instanceId;
    env.audit.log(
      'INTEGRATION-DAEMON-SERVICES-0008',
      [
        cfg.connectorName,
        this.service.integrationServiceFullName,
        env.serverName,
        permittedSynchronizationWords(cfg.permittedSynchronization),
      ],
      this.auditContext(),
    );

    let provider: ConnectorProvider;
    try {
      provider = await env.resolveProvider(cfg.connectorProvider);
    } catch (thrown) {
      if (!this.isEpoch(epoch)) return false;
      // The provider cannot be loaded (its module vanished or broke since the configuration was checked): only a
      // configuration change or a fixed module helps, so no automatic retry.
      const error = asError(thrown);
      const messageId = error instanceof ProviderResolutionError ? error.messageId : 'INTEGRATION-DAEMON-PROVIDERS-500-001';
      const message = error instanceof ProviderResolutionError ? error.message : `${messageId} ${error.message}`;
      env.audit.log('INTEGRATION-DAEMON-SERVICES-0037', [this.service.integrationServiceFullName, 'initialize', error.name, message], {
        ...this.auditContext(),
        exception: error,
      });
      this.configFailed({
        messageId,
        message,
        userAction:
          error instanceof ProviderResolutionError
            ? error.userAction
            : `Correct connectorProvider of ${cfg.connectorName} in the configuration document so that it names a provider that loads.`,
      });
      return false;
    }
    if (!this.isEpoch(epoch)) return false;

    if (provider.connectorKind !== this.service.connectorKind) {
      const wrong = wrongKindMessage(this.service, cfg.connectorName, provider.connectorKind);
      env.audit.log(
        'INTEGRATION-DAEMON-SERVICES-0031',
        [cfg.connectorName, 'initialize', wrong.exceptionClassName, wrong.message],
        this.auditContext(),
      );
      this.configFailed(wrong);
      return false;
    }

    env.audit.log(
      serviceMessageId(this.service.messageComponent, 'creatingContext'),
      [cfg.connectorName, cfg.connectorId, cfg.endpointAddress ?? null, permittedSynchronizationWords(cfg.permittedSynchronization), null],
      this.auditContext(),
    );
    if (env.breaker.state !== 'closed') {
      // Creating the context needs the metadata server, as in Egeria; it is known to be down, so don't ask it.
      const down = new MetadataServerUnavailableError(env.repository.name, env.breaker.status().lastErrorMessage ?? 'it did not answer');
      this.failed('initialize', down, epoch);
      return false;
    }

    let connector: IntegrationConnector;
    try {
      const instanceConfig: ConnectorInstanceConfig = {
        connectorName: cfg.connectorName,
        connectorId: cfg.connectorId,
        connectorInstanceId: instanceId,
        configurationProperties: cfg.configurationProperties,
        permittedSynchronization: cfg.permittedSynchronization,
        baseDirectory: env.baseDirectory,
        ...(cfg.endpointAddress !== undefined ? { endpointAddress: cfg.endpointAddress } : {}),
      };
      connector = provider.create(instanceConfig);
    } catch (error) {
      this.failed('initialize', error, epoch);
      return false;
    }
    this.connector = connector;
    const context = this.createContext(epoch, instanceId);

    try {
      await this.call('initialize', (signal) => connector.initialize(context, signal));
    } catch (error) {
      if (this.isEpoch(epoch)) this.failed('initialize', error, epoch);
      return false;
    }
    if (!this.isEpoch(epoch)) return false;
    this.setStatus('INITIALIZED');

    try {
      await this.call('start', (signal) => connector.start(signal));
    } catch (error) {
      if (this.isEpoch(epoch)) this.failed('start', error, epoch);
      return false;
    }
    if (!this.isEpoch(epoch)) return false;
    this.setStatus('WAITING');
    env.objectRetries.wake(this.connectorId);
    return true;
  }

  private createContext(epoch: number, instanceId: string): ConnectorContext {
    return createConnectorContext(
      { connectorName: this.connectorName, connectorId: this.connectorId, connectorInstanceId: instanceId },
      this.env.repository,
      this.env.breaker,
      this.env.metadataCalls,
      {
        isCurrent: () => this.isEpoch(epoch),
        metadataUnavailable: (error) => {
          if (this.env.breaker.state === 'closed')
            this.env.breaker.reportUnavailable(this.classify(error, 'metadataServer', 'refresh', 'refresh'));
        },
        counted: (counts) => {
          this.currentRun?.add(counts);
          this.statistics.elementsCreated += counts.created ?? 0;
          this.statistics.elementsUpdated += counts.updated ?? 0;
          this.statistics.elementsArchived += counts.archived ?? 0;
        },
        requestRefresh: () => void this.refresh('change'),
        reportObjectFailure: (objectKey, error, source) => this.objectFailed(objectKey, error, source),
        reportObjectSuccess: (objectKey) => this.env.objectRetries.recordSuccess(this.connectorId, objectKey),
        audit: (message) => {
          if (this.auditBudget.take())
            this.env.audit.logConnectorMessage(this.connectorName, message, {
              integrationServiceURLMarker: this.service.integrationServiceURLMarker,
            });
        },
      },
    );
  }

  private async runRefresh(trigger: RunTrigger, epoch: number): Promise<void> {
    if (this.objectRetryInFlight) await this.objectRetryInFlight.catch(() => undefined);
    const connector = this.connector;
    if (!this.isEpoch(epoch) || !connector || this.status !== 'WAITING') return;
    const env = this.env;
    this.scheduler.cancel(this.connectorId);
    const first = !this.refreshedOnce;
    this.refreshedOnce = true;
    this.setStatus('REFRESHING');
    env.audit.log(
      first ? 'INTEGRATION-DAEMON-SERVICES-0041' : 'INTEGRATION-DAEMON-SERVICES-0042',
      [this.connectorName, env.serverName],
      this.auditContext(),
    );

    const run = new RunRecorder(this.connectorName, this.connectorId, this.instanceId ?? '', trigger, env.clock.now());
    this.currentRun = run;
    this.saveRun(run);

    let thrown: unknown;
    let failed = false;
    try {
      await this.call('refresh', (signal) => connector.refresh(signal));
    } catch (error) {
      failed = true;
      thrown = error;
    }
    if (this.currentRun === run) this.currentRun = undefined;
    // The run ends once every object failure it reported has its durable trigger.
    if (this.objectFailureDrain) await this.objectFailureDrain;
    const end = env.clock.now();
    this.flushSuppressedAudit();

    if (!this.isEpoch(epoch)) {
      run.finish(end, 'FAILED', {
        message: `The refresh of integration connector ${this.connectorName} was abandoned because the connector was restarted or stopped`,
      });
      this.saveRun(run);
      return;
    }
    this.lastRefreshTime = end;

    if (!failed && env.breaker.state !== 'closed') {
      // The connector carried on past metadata server failures (reporting them per object, say): what it
      // catalogued is incomplete, so it waits for the server like the others and refreshes again afterwards.
      failed = true;
      thrown = new MetadataServerUnavailableError(env.repository.name, env.breaker.status().lastErrorMessage ?? 'it did not answer');
    }
    if (failed) {
      const classified = this.failed('refresh', thrown, epoch);
      run.finish(end, 'FAILED', { messageId: classified.messageId, message: classified.message });
      this.saveRun(run);
      return;
    }

    run.finish(end, run.failed > 0 ? 'PARTIAL' : 'SUCCEEDED');
    this.lastRun = run;
    this.saveRun(run);
    env.audit.log(
      'INTEGRATION-DAEMON-SERVICES-0043',
      [this.connectorName, env.serverName, String(end - run.startedAt)],
      this.auditContext(),
    );
    if (run.failed > 0) {
      const counts = run.snapshot().counts;
      env.audit.log(
        'INTEGRATION-DAEMON-SERVICES-0103',
        [this.connectorName, env.serverName, String(counts.failed), String(counts.discovered)],
        this.auditContext(),
      );
    }
    this.lastSuccessfulRefreshTime = end;

    if (this.pendingStop) {
      const { failure, decision } = this.pendingStop;
      this.pendingStop = undefined;
      this.newEpoch();
      this.stop(failure, decision);
      return;
    }
    noteConnectorHealthy(env.store, this.connectorId, end);
    this.failure = undefined;
    this.setStatus('WAITING', { publish: false });
    this.scheduleNextRefresh(end);
    // Object retries that fell due during the refresh were deferred; they can run now rather than later.
    env.objectRetries.wake(this.connectorId);
  }

  private scheduleNextRefresh(after: number): void {
    this.scheduler.scheduleAfter(this.connectorId, after, this.configuration.refreshTimeInterval, () => void this.refresh('schedule'));
    this.publish();
  }

  private saveRun(run: RunRecorder): void {
    const snapshot = run.snapshot();
    try {
      this.env.store.putRun(snapshot, RUNS_KEPT_PER_CONNECTOR);
    } catch (error) {
      this.env.internalError(`storing run ${snapshot.runId} of integration connector ${this.connectorName}`, error);
    }
    this.env.publishRun(snapshot);
  }

  private classify(error: unknown, via: ErrorSource, operation: FailedOperation, scope: ErrorScope): ClassifiedError {
    return classifyFailure(error, {
      via,
      operation,
      scope,
      connectorName: this.connectorName,
      metadataServerName: this.env.repository.name,
      userId: this.env.userId,
    });
  }

  /** A lifecycle call failed: audit it, then retry later, wait for the metadata server, carry on or stop. */
  private failed(operation: FailedOperation, thrown: unknown, epoch: number): ClassifiedError {
    const env = this.env;
    const error = asError(thrown);
    const classified = this.classify(error, errorSource(error), operation, operation === 'refresh' ? 'refresh' : 'connector');
    this.statistics.errors++;
    env.audit.log('INTEGRATION-DAEMON-SERVICES-0031', [this.connectorName, operation, classified.exceptionClassName, classified.message], {
      ...this.auditContext(),
      exception: error,
    });
    if (!this.isEpoch(epoch)) return classified;
    const before = env.store.getConnectorRetry(this.connectorId);
    const { decision, retry } = recordConnectorFailure({
      store: env.store,
      connectorId: this.connectorId,
      error: classified,
      status: 'FATAL_ERROR',
      ...(this.configuration.errorHandling ? { entries: this.configuration.errorHandling } : {}),
      now: env.clock.now(),
      random: env.random,
    });
    this.failure = {
      messageId: classified.messageId,
      message: classified.message,
      source: classified.source,
      category: classified.category,
      userAction: classified.userAction,
    };

    switch (decision.action) {
      case 'waitForMetadataServer':
        // An outage of the metadata server is nobody's fault here: no attempt and no error are counted.
        if (env.breaker.state === 'closed') env.breaker.reportUnavailable(classified);
        this.newEpoch();
        this.park(retry);
        break;
      case 'retryConnector':
      case 'retryObject':
        this.newEpoch();
        if (retry) this.scheduleRetry(retry, { resumed: false });
        break;
      case 'ignore':
        env.audit.log('INTEGRATION-DAEMON-RECOVERY-0013', [this.connectorName, classified.message], this.auditContext());
        // After a failed refresh the instance carries on; after a failed initialize or start the next refresh
        // starts a fresh one.
        if (operation !== 'refresh') this.newEpoch();
        this.setStatus('WAITING', { publish: false });
        this.scheduleNextRefresh(env.clock.now());
        break;
      case 'stop':
        this.newEpoch();
        this.stop(classified, decision, (before?.errorCount ?? 0) + 1);
        break;
    }
    return classified;
  }

  private configFailed(problem: { messageId: string; message: string; userAction: string }): void {
    this.statistics.errors++;
    this.failure = { ...problem, source: 'connector', category: 'configuration' };
    this.setStatus('CONFIG_FAILED');
  }

  private stop(failure: ClassifiedError, decision: StopDecision, errorCount?: number): void {
    this.failure = {
      messageId: failure.messageId,
      message: failure.message,
      source: failure.source,
      category: failure.category,
      userAction: failure.userAction,
    };
    this.env.store.deleteConnectorRetry(this.connectorId);
    this.retry = undefined;
    if (decision.reason !== 'strategy') {
      const why =
        decision.reason === 'stopAfter'
          ? `its error handling stops after ${errorCount ?? 'the configured number of'} errors`
          : 'its retry limit is reached';
      this.env.audit.log('INTEGRATION-DAEMON-RECOVERY-0003', [this.connectorName, why, failure.message], this.auditContext());
    }
    this.setStatus(decision.status);
  }

  private park(record: StoredConnectorRetry | undefined): void {
    const epoch = this.epoch;
    const breaker = this.env.breaker.status();
    this.retry = {
      attempt: record?.attempt ?? 0,
      retryLimit: record?.retryLimit ?? null,
      nextRetryAt: breaker.nextProbeAt ? Date.parse(breaker.nextProbeAt) : this.env.clock.now(),
      reason: this.failure?.message ?? '',
      waitingFor: 'metadataServer',
    };
    this.setStatus('RETRYING');
    this.env.audit.log('INTEGRATION-DAEMON-RECOVERY-0012', [this.connectorName, this.env.repository.name], this.auditContext());
    const parkedAt = this.env.clock.now();
    this.env.breaker.waitUntilClosed(this.epochAbort.signal).then(
      () => {
        if (!this.isEpoch(epoch)) return;
        // Should the breaker not have opened at all, a connector failing at once must not spin: it waits a moment.
        const early = MIN_PARK_MS - (this.env.clock.now() - parkedAt);
        if (early <= 0) {
          void this.launch('retry');
          return;
        }
        this.retryTimer = this.env.clock.setTimeout(() => {
          if (this.isEpoch(epoch)) void this.launch('retry');
        }, early);
      },
      () => undefined,
    );
  }

  private scheduleRetry(record: StoredConnectorRetry, options: { resumed: boolean }): void {
    const epoch = this.epoch;
    this.retry = {
      attempt: record.attempt,
      retryLimit: record.retryLimit,
      nextRetryAt: record.nextRetryAt,
      reason: record.reason,
    };
    this.setStatus('RETRYING');
    if (!options.resumed) {
      this.env.audit.log(
        'INTEGRATION-DAEMON-RECOVERY-0001',
        [this.connectorName, isoTime(record.nextRetryAt), String(record.attempt), limitText(record.retryLimit), record.reason],
        this.auditContext(),
      );
    }
    this.retryTimer = this.env.clock.setTimeout(
      () => {
        if (!this.isEpoch(epoch)) return;
        this.auditRetryStarted(record.attempt, record.retryLimit);
        void this.launch('retry');
      },
      Math.max(0, record.nextRetryAt - this.env.clock.now()),
    );
  }

  private auditRetryStarted(attempt: number, retryLimit: number | null): void {
    this.env.audit.log(
      'INTEGRATION-DAEMON-RECOVERY-0002',
      [this.connectorName, String(attempt), limitText(retryLimit)],
      this.auditContext(),
    );
  }

  /**
   * A connector may report thousands of failed objects in one synchronous loop. Each needs a durable trigger (a
   * disk write), so they are recorded in the background in slices of a few milliseconds: the connector's loop
   * stays fast and the event loop keeps serving other connectors and the REST API in between.
   */
  private objectFailed(objectKey: string, thrown: unknown, source: ErrorSource): void {
    this.currentRun?.objectFailed(objectKey);
    this.statistics.errors++;
    const retrying = this.retryingObject?.key === objectKey ? this.retryingObject : undefined;
    if (retrying) {
      // The queue learns a running retry's outcome from retryObject's result; no new trigger is needed.
      retrying.failure = thrown;
      this.auditObjectFailure(objectKey, this.classify(asError(thrown), source, 'retryObject', 'object'));
      return;
    }
    this.objectFailureBacklog.push({ objectKey, error: thrown, source });
    this.objectFailureDrain ??= this.drainObjectFailures().finally(() => {
      this.objectFailureDrain = undefined;
    });
  }

  private async drainObjectFailures(): Promise<void> {
    const store = this.env.store;
    const inBatch = (work: () => void) => (store.batch ? store.batch(work) : work());
    while (this.objectFailureHead < this.objectFailureBacklog.length) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const sliceEnd = performance.now() + OBJECT_FAILURE_SLICE_MS;
      try {
        inBatch(() => {
          while (this.objectFailureHead < this.objectFailureBacklog.length && performance.now() < sliceEnd) {
            const next = this.objectFailureBacklog[this.objectFailureHead++]!;
            this.recordObjectFailure(next.objectKey, next.error, next.source);
          }
        });
      } catch (error) {
        this.env.internalError(`recording object failures of integration connector ${this.connectorName}`, error);
      }
    }
    this.objectFailureBacklog = [];
    this.objectFailureHead = 0;
  }

  private recordObjectFailure(objectKey: string, thrown: unknown, source: ErrorSource): void {
    const env = this.env;
    const classified = this.classify(asError(thrown), source, 'refresh', 'object');
    this.auditObjectFailure(objectKey, classified);
    // An existing trigger keeps its schedule and attempt; it only takes the newer error.
    const existing = env.store.getObjectRetry(this.connectorId, objectKey);
    if (existing) {
      this.queueObjectRetry(objectKey, classified, {
        action: 'retryObject',
        attempt: existing.attempt,
        retryLimit: existing.retryLimit,
        nextRetryAt: existing.nextRetryAt ?? env.clock.now(),
        delayMs: 0,
      });
      return;
    }
    const decision = decideRecovery({
      ...(this.configuration.errorHandling ? { entries: this.configuration.errorHandling } : {}),
      error: classified,
      status: 'PARTIAL_ERROR',
      attempt: 0,
      errorCount: 1,
      now: env.clock.now(),
      random: env.random,
    });
    switch (decision.action) {
      case 'retryObject':
        this.queueObjectRetry(objectKey, classified, decision);
        break;
      case 'stop':
        // For one object, running out of retries means giving up that object; only the strategy's stop halts the connector.
        if (decision.reason === 'strategy') this.pendingStop ??= { failure: classified, decision };
        break;
      case 'waitForMetadataServer':
        // The metadata server is down: the refresh after the outage reconciles this object with everything else.
        if (env.breaker.state === 'closed') env.breaker.reportUnavailable(classified);
        break;
      case 'ignore':
      case 'retryConnector':
        break;
    }
  }

  private auditObjectFailure(objectKey: string, classified: ClassifiedError): void {
    if (this.auditBudget.take()) {
      this.env.audit.log('INTEGRATION-DAEMON-RECOVERY-0010', [this.connectorName, objectKey, classified.message], {
        ...this.auditContext(),
        exception: classified,
      });
    }
  }

  private queueObjectRetry(
    objectKey: string,
    classified: ClassifiedError,
    decision: Extract<RecoveryDecision, { action: 'retryObject' }>,
  ): void {
    try {
      this.env.objectRetries.recordFailure(this.connectorId, objectKey, classified, decision);
    } catch (error) {
      this.env.internalError(`recording the retry of ${objectKey} for integration connector ${this.connectorName}`, error);
    }
  }

  private flushSuppressedAudit(): void {
    const suppressed = this.auditBudget.drainSuppressed();
    if (suppressed === 0) return;
    this.env.audit.logConnectorMessage(
      this.connectorName,
      {
        messageId: 'INTEGRATION-DAEMON-SERVICES-0106',
        severity: 'Information',
        messageText: `${suppressed} audit message(s) of integration connector ${this.connectorName} were not recorded because it wrote more than ${AuditBudget.describe()}`,
        userAction: 'Look at the connector: a flood of messages usually means many objects are failing in the same way.',
      },
      { integrationServiceURLMarker: this.service.integrationServiceURLMarker },
    );
  }

  private setStatus(status: ConnectorStatus, options: { publish: boolean } = { publish: true }): void {
    if (this.status !== status) {
      this.status = status;
      this.lastStatusChange = this.env.clock.now();
    }
    if (status !== 'RETRYING') this.retry = undefined;
    if (options.publish) this.publish();
  }

  private publish(): void {
    this.env.publishStatus(this.service.integrationServiceURLMarker, this.report());
  }

  private auditContext(): { connectorName: string; integrationServiceURLMarker: string } {
    return { connectorName: this.connectorName, integrationServiceURLMarker: this.service.integrationServiceURLMarker };
  }

  private statisticsText(): string {
    const s = this.statistics;
    return `elementsCreated=${s.elementsCreated}, elementsUpdated=${s.elementsUpdated}, elementsArchived=${s.elementsArchived}, errors=${s.errors}`;
  }
}

/** Shortest time a connector waits for the metadata server, whatever the breaker says. */
const MIN_PARK_MS = 1_000;

/** Longest stretch of object-failure recording before the event loop gets a turn. */
const OBJECT_FAILURE_SLICE_MS = 10;

function limitText(retryLimit: number | null): string {
  return retryLimit === null ? 'unlimited' : String(retryLimit);
}
