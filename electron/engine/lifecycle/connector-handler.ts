// The state machine of one configured connector: initialize → start → refresh … → disconnect, each call under its
// timeout, and what follows a failure (retry later, wait for the metadata server, carry on, stop) as the recovery
// strategy decides it. Everything asynchronous is tied to an "epoch": a restart, retry or shutdown starts a new
// epoch, and whatever still comes back from an older one (a hung call finally returning) is ignored. Creating the
// instance, the status report and object-level failures each live in a module of their own beside this one.
import { randomUUID } from 'node:crypto';
import type { ConnectorStatus, ErrorScope, ErrorSource, IntegrationConnectorReport, RunTrigger } from '../../../shared/api/types.js';
import type { Disposable } from '../../../shared/logic/disposable.js';
import type { IntegrationConnector } from '../../connector-sdk/index.js';
import { ConnectorCallTimeoutError, classifyFailure } from '../recovery/classify.js';
import { noteConnectorHealthy, recordConnectorFailure } from '../recovery/connector-retries.js';
import type { ObjectRetryOutcome } from '../recovery/object-retries.js';
import type { ClassifiedError, FailedOperation } from '../recovery/types.js';
import { MetadataServerUnavailableError } from '../repository/types.js';
import type { StoredConnectorRetry } from '../state/types.js';
import { ConnectorAudit } from './connector-audit.js';
import { createConnectorInstance, type ConfigFailure } from './connector-instance.js';
import { ConnectorState } from './connector-state.js';
import { asError, errorSource, type ContextHooks } from './context.js';
import { ObjectFailureRecorder, type StopDecision } from './object-failures.js';
import type { HandlerConnectorConfig, HandlerService, LifecycleEnvironment } from './ports.js';
import { RUNS_KEPT_PER_CONNECTOR, RunRecorder } from './runs.js';
import type { RefreshScheduler } from './scheduler.js';
import { connectorReport } from './status-report.js';
import { callWithTimeout } from './timeouts.js';

type LifecycleCall = 'initialize' | 'start' | 'refresh' | 'disconnect';

/** Shortest time a connector waits for the metadata server, whatever the breaker says. */
const MIN_PARK_MS = 1_000;

export class ConnectorHandler {
  private readonly state: ConnectorState;
  private readonly audit: ConnectorAudit;
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
  private stopped = false;
  private readonly objectFailures: ObjectFailureRecorder;

  constructor(
    private configuration: HandlerConnectorConfig,
    readonly service: HandlerService,
    private readonly env: LifecycleEnvironment,
    private readonly scheduler: RefreshScheduler,
  ) {
    this.state = new ConnectorState(env.clock);
    this.audit = new ConnectorAudit(env, service, () => this.configuration);
    this.objectFailures = new ObjectFailureRecorder({
      env,
      audit: this.audit,
      owner: () => ({
        connectorName: this.connectorName,
        connectorId: this.connectorId,
        errorHandling: this.configuration.errorHandling,
      }),
      classify: (error, via, operation, scope) => this.classify(error, via, operation, scope),
    });
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

  get integrationServiceURLMarker(): string {
    return this.service.integrationServiceURLMarker;
  }

  get connectorStatus(): ConnectorStatus | undefined {
    return this.state.status;
  }

  /** Ready to re-process single objects (the object retry queue asks before each due retry). */
  get readyForObjectRetries(): boolean {
    return this.state.status === 'WAITING' && this.connector !== undefined && this.env.breaker.state === 'closed';
  }

  // ------------------------------------------------------------------------------------------------ lifecycle

  /**
   * Daemon start: resumes a persisted automatic retry at its original time, or initializes and starts the
   * connector. Resolves once the connector is WAITING, failed, or waiting for something (never on a refresh).
   */
  async prepare(): Promise<void> {
    const stored = this.env.store.getConnectorRetry(this.connectorId);
    if (stored && stored.attempt > 0) {
      this.state.failure = {
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
    if (trigger === 'request') this.audit.restartRequested();
    if (this.stopped) return;
    this.env.store.deleteConnectorRetry(this.connectorId);
    this.state.failure = undefined;
    this.state.retry = undefined;
    this.objectFailures.clearStop();
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
    const retry = this.state.retry;
    if (this.state.status !== 'RETRYING' || !retry) return false;
    this.audit.retryNowRequested();
    if (retry.waitingFor === 'metadataServer') {
      await this.env.breaker.probeNow();
      return true;
    }
    this.audit.retryStarting(retry.attempt, retry.retryLimit);
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
    if (this.state.status !== 'WAITING') return Promise.resolve();
    if (!this.connector) return this.launch(trigger);
    const epoch = this.epoch;
    const running: Promise<void> = this.runRefresh(trigger, epoch).finally(() => {
      if (this.refreshing === running) this.refreshing = undefined;
      if (this.isEpoch(epoch) && this.pendingTrigger && this.state.status === 'WAITING') {
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
    this.audit.shuttingDown();
    const connector = this.connector;
    this.newEpoch({ disconnect: false });
    this.stopped = true;
    if (connector) await this.disconnect(connector);
    // Object failures already reported still get their durable triggers before the stores close.
    await this.objectFailures.recording;
    this.setStatus('SHUTDOWN');
    this.audit.shutDown(this.state.statisticsText());
  }

  /** Removed from the configuration: shut down and forget its retry. */
  async remove(): Promise<void> {
    await this.shutdown();
    this.env.store.deleteConnectorRetry(this.connectorId);
  }

  /** The metadata server's breaker changed: a parked connector shows the new time of the next check. */
  breakerChanged(): void {
    const retry = this.state.retry;
    if (this.state.status === 'RETRYING' && retry?.waitingFor === 'metadataServer') {
      const next = this.env.breaker.status().nextProbeAt;
      const nextRetryAt = next ? Date.parse(next) : this.env.clock.now();
      // Most breaker changes are only its count of waiting connectors: nothing to tell about this one.
      if (nextRetryAt === retry.nextRetryAt) return;
      this.state.retry = { ...retry, nextRetryAt };
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
      if (!this.lastRun || this.lastRun.trigger !== 'retry' || this.state.status !== 'WAITING') return 'deferred';
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

  report(): IntegrationConnectorReport {
    return connectorReport(
      this.state.snapshot({
        connectorName: this.connectorName,
        connectorId: this.connectorId,
        refreshTimeInterval: this.configuration.refreshTimeInterval,
        nextRefreshAt: this.scheduler.nextAt(this.connectorId),
        pendingObjectRetries: this.env.pendingObjectRetries(this.connectorId),
      }),
    );
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
      this.audit.callTimedOut(operation, ms);
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
      this.audit.disconnectFailed(error);
    }
  }

  /** A fresh instance: initialize and start, then (when a trigger is given) the first refresh, not awaited. */
  private async launch(trigger: RunTrigger | undefined): Promise<void> {
    const epoch = this.newEpoch();
    const started = await this.initializeAndStart(epoch);
    if (started && trigger !== undefined && this.isEpoch(epoch)) void this.refresh(trigger);
  }

  private async initializeAndStart(epoch: number): Promise<boolean> {
    const instanceId = randomUUID();
    this.state.instanceId = instanceId;
    const instance = await createConnectorInstance({
      env: this.env,
      service: this.service,
      config: this.configuration,
      connectorInstanceId: instanceId,
      audit: this.audit,
      isCurrent: () => this.isEpoch(epoch),
      hooks: this.contextHooks(epoch),
    });
    switch (instance.outcome) {
      case 'abandoned':
        return false;
      case 'configFailed':
        this.configFailed(instance.problem);
        return false;
      case 'failed':
        this.failed('initialize', instance.error, epoch);
        return false;
      case 'created':
        break;
    }
    const { connector, context } = instance;
    this.connector = connector;

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
    this.env.objectRetries.wake(this.connectorId);
    return true;
  }

  /** What the instance of `epoch` reports back through its context; ignored once the epoch is over. */
  private contextHooks(epoch: number): ContextHooks {
    return {
      isCurrent: () => this.isEpoch(epoch),
      metadataUnavailable: (error) => {
        if (this.env.breaker.state === 'closed')
          this.env.breaker.reportUnavailable(this.classify(error, 'metadataServer', 'refresh', 'refresh'));
      },
      counted: (counts) => {
        this.currentRun?.add(counts);
        this.state.count(counts);
      },
      requestRefresh: () => void this.refresh('change'),
      reportObjectFailure: (objectKey, error, source) => this.objectFailed(objectKey, error, source),
      reportObjectSuccess: (objectKey) => this.env.objectRetries.recordSuccess(this.connectorId, objectKey),
      audit: (message) => this.audit.connectorMessage(message),
    };
  }

  private async runRefresh(trigger: RunTrigger, epoch: number): Promise<void> {
    if (this.objectRetryInFlight) await this.objectRetryInFlight.catch(() => undefined);
    const connector = this.connector;
    if (!this.isEpoch(epoch) || !connector || this.state.status !== 'WAITING') return;
    const env = this.env;
    this.scheduler.cancel(this.connectorId);
    const first = !this.refreshedOnce;
    this.refreshedOnce = true;
    this.setStatus('REFRESHING');
    this.audit.refreshStarting(first);

    const run = new RunRecorder(this.connectorName, this.connectorId, this.state.instanceId ?? '', trigger, env.clock.now());
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
    await this.objectFailures.recording;
    const end = env.clock.now();
    this.audit.flushSuppressed();

    if (!this.isEpoch(epoch)) {
      run.finish(end, 'FAILED', {
        message: `The refresh of integration connector ${this.connectorName} was abandoned because the connector was restarted or stopped`,
      });
      this.saveRun(run);
      return;
    }
    this.state.lastRefreshTime = end;

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
    this.audit.refreshed(end - run.startedAt, run.snapshot().counts);
    this.state.lastSuccessfulRefreshTime = end;

    const stop = this.objectFailures.takeStop();
    if (stop) {
      this.newEpoch();
      this.stop(stop.failure, stop.decision);
      return;
    }
    noteConnectorHealthy(env.store, this.connectorId, end);
    this.state.failure = undefined;
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

  // ------------------------------------------------------------------------------------------ after a failure

  /** A lifecycle call failed: audit it, then retry later, wait for the metadata server, carry on or stop. */
  private failed(operation: FailedOperation, thrown: unknown, epoch: number): ClassifiedError {
    const env = this.env;
    const error = asError(thrown);
    const classified = this.classify(error, errorSource(error), operation, operation === 'refresh' ? 'refresh' : 'connector');
    this.state.statistics.errors++;
    this.audit.callFailed(operation, classified, error);
    if (!this.isEpoch(epoch)) return classified;
    const before = env.store.getConnectorRetry(this.connectorId);
    // The recovery strategy decides; the record it leaves survives a daemon restart.
    const { decision, retry } = recordConnectorFailure({
      store: env.store,
      connectorId: this.connectorId,
      error: classified,
      status: 'FATAL_ERROR',
      ...(this.configuration.errorHandling ? { entries: this.configuration.errorHandling } : {}),
      now: env.clock.now(),
      random: env.random,
    });
    this.state.failedWith(classified);

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
        this.audit.failureIgnored(classified);
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

  private configFailed(problem: ConfigFailure): void {
    this.state.statistics.errors++;
    this.state.failure = {
      messageId: problem.messageId,
      message: problem.message,
      userAction: problem.userAction,
      source: 'connector',
      category: 'configuration',
    };
    this.setStatus('CONFIG_FAILED');
  }

  private stop(failure: ClassifiedError, decision: StopDecision, errorCount?: number): void {
    this.state.failedWith(failure);
    this.env.store.deleteConnectorRetry(this.connectorId);
    this.state.retry = undefined;
    if (decision.reason !== 'strategy') {
      const why =
        decision.reason === 'stopAfter'
          ? `its error handling stops after ${errorCount ?? 'the configured number of'} errors`
          : 'its retry limit is reached';
      this.audit.gaveUp(why, failure);
    }
    this.setStatus(decision.status);
  }

  /** Waits behind the metadata server's breaker; the countdown shown is the breaker's next probe. */
  private park(record: StoredConnectorRetry | undefined): void {
    const epoch = this.epoch;
    const breaker = this.env.breaker.status();
    this.state.retry = {
      attempt: record?.attempt ?? 0,
      retryLimit: record?.retryLimit ?? null,
      nextRetryAt: breaker.nextProbeAt ? Date.parse(breaker.nextProbeAt) : this.env.clock.now(),
      reason: this.state.failure?.message ?? '',
      waitingFor: 'metadataServer',
    };
    this.setStatus('RETRYING');
    this.audit.parked();
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
    this.state.retry = { attempt: record.attempt, retryLimit: record.retryLimit, nextRetryAt: record.nextRetryAt, reason: record.reason };
    this.setStatus('RETRYING');
    if (!options.resumed) this.audit.retryScheduled(record);
    this.retryTimer = this.env.clock.setTimeout(
      () => {
        if (!this.isEpoch(epoch)) return;
        this.audit.retryStarting(record.attempt, record.retryLimit);
        void this.launch('retry');
      },
      Math.max(0, record.nextRetryAt - this.env.clock.now()),
    );
  }

  /** A failed object: counted in the run, then recorded (or, while its own retry runs, handed to that retry). */
  private objectFailed(objectKey: string, thrown: unknown, source: ErrorSource): void {
    this.currentRun?.objectFailed(objectKey);
    this.state.statistics.errors++;
    const retrying = this.retryingObject?.key === objectKey ? this.retryingObject : undefined;
    if (retrying) {
      // The queue learns a running retry's outcome from retryObject's result; no new trigger is needed.
      retrying.failure = thrown;
      this.audit.objectFailed(objectKey, this.classify(asError(thrown), source, 'retryObject', 'object'));
      return;
    }
    this.objectFailures.record(objectKey, thrown, source);
  }

  private setStatus(status: ConnectorStatus, options: { publish: boolean } = { publish: true }): void {
    this.state.set(status);
    if (options.publish) this.publish();
  }

  private publish(): void {
    this.env.publishStatus(this.integrationServiceURLMarker, this.report());
  }
}
