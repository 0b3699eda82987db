// The state machine of one configured connector: initialize → start → refresh … → disconnect, each call under its
// timeout, and what follows a failure (retry later, wait for the metadata server, carry on, stop) as the recovery
// strategy decides it. Work is tied to an epoch (epoch.ts), so a late answer of a restarted instance is ignored.
// Creating the instance, its status report, its audit records and object-level failures live beside this file.
import { randomUUID } from 'node:crypto';
import type { ErrorSource, RunState, RunTrigger } from '../../../shared/api/types.js';
import type { IntegrationConnector } from '../../connector-sdk/index.js';
import { noteConnectorHealthy, recordConnectorFailure } from '../recovery/connector-retries.js';
import { stoppedFailure } from '../recovery/strategy.js';
import type { ObjectRetryOutcome } from '../recovery/object-retries.js';
import type { ClassifiedError, FailedOperation } from '../recovery/types.js';
import { MetadataServerUnavailableError } from '../metadata-server/types.js';
import { createConnectorInstance } from './connector-instance.js';
import { asError, errorSource, type ContextHooks } from './context.js';
import { Epoch } from './epoch.js';
import { HandlerBase } from './handler-base.js';
import { ObjectFailureRecorder, type StopDecision } from './object-failures.js';
import type { HandlerConnectorConfig, HandlerService, LifecycleEnvironment } from './ports.js';
import { RunRecorder, saveRun } from './runs.js';
import { resumeConditionOf, RetryWait } from './retry-wait.js';
import { runChange } from './change-runs.js';
import { settleArchive, settleTargetArchive } from './held-archives.js';
import type { RefreshScheduler } from './scheduler.js';

export class ConnectorHandler extends HandlerBase {
  private lastRun: RunRecorder | undefined;
  private refreshedOnce = false;
  /** Trigger of the first refresh after start-up: `retry` when a persisted retry was already due. */
  private firstTrigger: RunTrigger = 'start';
  private readonly objectFailures: ObjectFailureRecorder;
  private readonly retryWait: RetryWait;

  constructor(configuration: HandlerConnectorConfig, service: HandlerService, env: LifecycleEnvironment, scheduler: RefreshScheduler) {
    super(configuration, service, env, scheduler);
    this.objectFailures = new ObjectFailureRecorder({
      env,
      audit: this.audit,
      config: () => this.configuration,
      classify: (error, via, operation, scope) => this.classify(error, via, operation, scope),
    });
    this.retryWait = new RetryWait({
      env,
      state: this.state,
      audit: this.audit,
      enterRetrying: () => this.setStatus('RETRYING'),
      relaunch: () => void this.launch('retry'),
    });
  }

  // ------------------------------------------------------------------------------------------------ lifecycle

  /** Daemon start: resumes a persisted retry on time, or initializes and starts; resolves before any refresh. */
  async prepare(): Promise<void> {
    const stored = this.env.store.getConnectorRetry(this.connectorId);
    if (stored && stored.attempt > 0) {
      this.state.resumeFailure(stored);
      if (stored.nextRetryAt > this.env.clock.now()) {
        this.newEpoch();
        this.retryWait.until(stored, { resumed: true });
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

  /** Restart: drop any retry and failure, start a fresh instance (new connectorInstanceId), resolve once it started. */
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
    this.configureTargets();
    await this.restart('change');
  }

  /** Retry now: the pending retry runs at once (behind the breaker: the probe does). False when none is pending. */
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
    const epoch = this.epoch;
    if (epoch.refreshing) {
      epoch.pendingTrigger ??= trigger;
      return epoch.refreshing;
    }
    if (this.state.status !== 'WAITING') return Promise.resolve();
    if (!epoch.connector) return this.launch(trigger);
    return epoch.takeTurn(
      () => this.runRefresh(trigger, epoch),
      () => this.afterTurn(epoch),
    );
  }

  /** A refresh asked for while a refresh or change run ran runs now. */
  private afterTurn(epoch: Epoch): void {
    if (!this.isEpoch(epoch) || !epoch.pendingTrigger || this.state.status !== 'WAITING') return;
    const next = epoch.pendingTrigger;
    epoch.pendingTrigger = undefined;
    void this.refresh(next);
  }

  /** A connector's change run (ConnectorContext.changeRun), after whatever refresh or object retry is running. */
  private async changeRun(epoch: Epoch, work: (signal: AbortSignal) => Promise<void>): Promise<boolean> {
    await epoch.idle();
    if (!this.isEpoch(epoch) || this.state.status !== 'WAITING') return false;
    const host = { env: this.env, audit: this.audit, config: this.configuration, urlMarker: this.service.urlMarker };
    const call = (run: (signal: AbortSignal) => Promise<void>) => this.call(epoch, 'refresh', run);
    const classify = this.classify.bind(this);
    const recorded = () => this.objectFailures.recording;
    const isCurrent = () => this.isEpoch(epoch);
    const instanceId = this.state.instanceId ?? '';
    return epoch.changeTurn(
      () => runChange({ ...host, call, classify, recorded, isCurrent, instanceId }, epoch, work),
      () => this.afterTurn(epoch),
    );
  }

  /** Runs `work` on the running instance under the refresh timeout (an OpenLineage event); false when none runs. */
  async withInstance(work: (connector: IntegrationConnector, signal: AbortSignal) => Promise<void>): Promise<boolean> {
    const epoch = this.epoch;
    const connector = epoch.connector;
    if (!connector || (this.state.status !== 'WAITING' && this.state.status !== 'REFRESHING')) return false;
    await this.call(epoch, 'refresh', (signal) => work(connector, signal));
    return true;
  }

  /** Daemon shutdown. A pending retry stays in the state store so a restarted daemon resumes it on time. */
  async shutdown(): Promise<void> {
    this.audit.shuttingDown();
    const connector = this.newEpoch({ disconnect: false });
    this.stopped = true;
    if (connector) await this.disconnect(connector);
    // Object failures already reported still get their object retries before the stores close.
    await this.objectFailures.recording;
    this.setStatus('SHUTDOWN');
    this.audit.shutDown(this.state.statisticsText());
  }

  /** Removed from the configuration: shut down and forget its retry. */
  async remove(): Promise<void> {
    await this.shutdown();
    this.env.store.deleteConnectorRetry(this.connectorId);
  }

  /** The metadata server's breaker changed: a connector waiting for it shows the time of the next probe. */
  breakerChanged(): void {
    if (this.retryWait.followBreaker()) this.publish();
  }

  /** Re-process one object whose retry is due (called by the object retry queue). */
  async runObjectRetry(objectKey: string): Promise<ObjectRetryOutcome> {
    const epoch = this.epoch;
    const connector = epoch.connector;
    if (!this.readyForObjectRetries || !connector || epoch.refreshing || epoch.objectRetry.inFlight) return 'deferred';
    if (!connector.reprocessObject) {
      // Without a single-object method a full refresh re-processes it from its current state.
      await this.refresh('retry');
      if (!this.lastRun || this.lastRun.trigger !== 'retry' || this.state.status !== 'WAITING') return 'deferred';
      return this.lastRun.hasFailed(objectKey) ? 'failed' : 'succeeded';
    }
    const reprocess = connector.reprocessObject.bind(connector);
    const failure = await epoch.objectRetry.run(objectKey, () => this.call(epoch, 'refresh', (signal) => reprocess(objectKey, signal)));
    if (!this.isEpoch(epoch)) return 'deferred';
    if (failure === undefined) return 'succeeded';
    const source = errorSource(failure);
    if (source === 'metadataServer' && this.env.breaker.state !== 'CLOSED') return 'deferred';
    // The next retry is decided on this failure, not on the one that created the trigger.
    return { failed: this.classify(asError(failure), source, 'reprocessObject', 'object') };
  }

  // ------------------------------------------------------------------------------------------------ internals

  /** Ends the current epoch and begins the next; returns the ended epoch's instance (disconnected unless told not to). */
  private newEpoch(options: { disconnect: boolean } = { disconnect: true }): IntegrationConnector | undefined {
    const old = this.epoch.end(`The integration connector ${this.connectorName} was restarted or stopped`);
    this.epoch = new Epoch();
    this.retryWait.cancel();
    this.scheduler.cancel(this.connectorId);
    if (old && options.disconnect) void this.disconnect(old);
    return old;
  }

  /** A fresh instance: initialize and start, then (when a trigger is given) the first refresh, not awaited. */
  private async launch(trigger: RunTrigger | undefined): Promise<void> {
    this.newEpoch();
    const epoch = this.epoch;
    const started = await this.initializeAndStart(epoch);
    if (started && trigger !== undefined && this.isEpoch(epoch)) void this.refresh(trigger);
  }

  private async initializeAndStart(epoch: Epoch): Promise<boolean> {
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
      catalogTargets: this.catalogTargets,
      // A target's archive goes through the fail-safe as part of the connector's run of the moment.
      settleTargetArchive: (target) =>
        settleTargetArchive({
          ...target,
          run: epoch.currentRun,
          held: this.env.heldArchives,
          connectorName: this.connectorName,
          connectorId: this.connectorId,
          urlMarker: this.service.urlMarker,
          failSafe: this.configuration.archiveFailSafe,
        }),
    });
    switch (instance.outcome) {
      case 'abandoned':
        return false;
      case 'configFailed':
        this.state.configFailed(instance.problem);
        this.setStatus('CONFIG_FAILED');
        return false;
      case 'failed':
        this.failed('initialize', instance.error, epoch);
        return false;
      case 'created':
        break;
    }
    const { connector, context } = instance;
    epoch.connector = connector;
    epoch.context = context;

    try {
      await this.call(epoch, 'initialize', (signal) => connector.initialize(context, signal));
    } catch (error) {
      if (this.isEpoch(epoch)) this.failed('initialize', error, epoch);
      return false;
    }
    if (!this.isEpoch(epoch)) return false;
    this.setStatus('INITIALIZED');

    try {
      await this.call(epoch, 'start', (signal) => connector.start(signal));
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
  private contextHooks(epoch: Epoch): ContextHooks {
    return {
      isCurrent: () => this.isEpoch(epoch),
      metadataServerUnavailable: (error) => {
        if (this.env.breaker.state === 'CLOSED')
          this.env.breaker.reportUnavailable(this.classify(error, 'metadataServer', 'refresh', 'refresh'));
      },
      counted: (counts) => {
        epoch.currentRun?.add(counts);
        this.state.count(counts);
      },
      requestRefresh: () => void this.refresh('change'),
      changeRun: (work) => this.changeRun(epoch, work),
      archiveRequested: (names) => epoch.currentRun?.requestArchive(names),
      catalogued: (names) => {
        epoch.currentRun?.catalogued(names);
        this.env.heldArchives.catalogued({ connectorId: this.connectorId }, names);
      },
      reportObjectFailure: (objectKey, error, source) => this.objectFailed(epoch, objectKey, error, source),
      reportObjectSuccess: (objectKey) => this.env.objectRetries.recordSuccess(this.connectorId, objectKey),
      audit: (message) => this.audit.connectorMessage(message),
    };
  }

  private async runRefresh(trigger: RunTrigger, epoch: Epoch): Promise<void> {
    // Awaited only when there is one: the refresh must begin in the same turn when nothing holds it up.
    const objectRetry = epoch.objectRetry.inFlight;
    if (objectRetry) await objectRetry.catch(() => undefined);
    const connector = epoch.connector;
    if (!this.isEpoch(epoch) || !connector || this.state.status !== 'WAITING') return;
    const env = this.env;
    this.scheduler.cancel(this.connectorId);
    const first = !this.refreshedOnce;
    this.refreshedOnce = true;
    this.setStatus('REFRESHING');
    this.audit.refreshStarting(first);

    const run = new RunRecorder(this.connectorName, this.connectorId, this.state.instanceId ?? '', trigger, env.clock.now());
    epoch.currentRun = run;
    saveRun(this.env, run);

    let thrown: unknown;
    let failed = false;
    try {
      await this.call(epoch, 'refresh', async (signal) => {
        await connector.refresh(signal);
        await settleArchive({ epoch, run, env, config: this.configuration, urlMarker: this.service.urlMarker, signal });
      });
    } catch (error) {
      failed = true;
      thrown = error;
    }
    if (epoch.currentRun === run) epoch.currentRun = undefined;
    // The run ends once every object failure it reported has its durable trigger.
    await this.objectFailures.recording;
    const end = env.clock.now();
    this.audit.flushSuppressed();
    const finish = (state: RunState, failure?: { messageId?: string; message: string }): void => {
      run.finish(end, state, failure);
      saveRun(env, run);
    };

    if (!this.isEpoch(epoch)) {
      const message = `The refresh of integration connector ${this.connectorName} was abandoned because the connector was restarted or stopped`;
      finish('FAILED', { message });
      return;
    }
    this.state.lastRefreshTime = end;

    if (!failed && env.breaker.state !== 'CLOSED') {
      // It carried on past metadata server failures: what it catalogued is incomplete, so it waits and refreshes again.
      failed = true;
      thrown = new MetadataServerUnavailableError(env.metadataServer.name, env.breaker.status().lastErrorMessage ?? 'it did not answer');
    }
    if (failed) {
      const classified = this.failed('refresh', thrown, epoch);
      finish('FAILED', { messageId: classified.messageId, message: classified.message });
      return;
    }

    this.lastRun = run;
    finish(run.failed > 0 || run.held ? 'PARTIAL' : 'SUCCEEDED');
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

  // ------------------------------------------------------------------------------------------ after a failure

  /** A lifecycle call failed: audit it, then retry later, wait for the metadata server, carry on or stop. */
  private failed(operation: FailedOperation, thrown: unknown, epoch: Epoch): ClassifiedError {
    const env = this.env;
    const error = asError(thrown);
    const classified = this.classify(error, errorSource(error), operation, operation === 'refresh' ? 'refresh' : 'connector');
    this.state.statistics.errors++;
    this.audit.callFailed(operation, classified, error);
    if (!this.isEpoch(epoch)) return classified;
    // The recovery strategy decides; the record it leaves survives a daemon restart.
    const { decision, retry, errorCount } = recordConnectorFailure({
      store: env.store,
      connectorId: this.connectorId,
      error: classified,
      status: 'FATAL_ERROR',
      entries: this.configuration.errorHandling,
      now: env.clock.now(),
      random: env.random,
    });
    this.state.failedWith(classified);

    switch (decision.action) {
      case 'waitForMetadataServer':
        // An outage of the metadata server is nobody's fault here: no attempt and no error are counted.
        if (env.breaker.state === 'CLOSED') env.breaker.reportUnavailable(classified);
        this.newEpoch();
        this.retryWait.forMetadataServer(retry);
        break;
      case 'retryConnector':
      case 'retryObject':
        this.newEpoch();
        if (retry) this.retryWait.until(retry, { resumed: false, resumeWhen: resumeConditionOf(error) });
        break;
      case 'ignore':
        this.audit.failureIgnored(classified);
        // After a failed refresh the instance carries on; after a failed initialize or start the next refresh starts a fresh one.
        if (operation !== 'refresh') this.newEpoch();
        this.setStatus('WAITING', { publish: false });
        this.scheduleNextRefresh(env.clock.now());
        break;
      case 'stop':
        this.newEpoch();
        this.stop(classified, decision, errorCount);
        break;
    }
    return classified;
  }

  private stop(failure: ClassifiedError, decision: StopDecision, errorCount?: number): void {
    this.state.failedWith(stoppedFailure(failure, decision.status));
    this.env.store.deleteConnectorRetry(this.connectorId);
    this.state.retry = undefined;
    if (decision.reason !== 'strategy') this.audit.gaveUp(decision.reason, errorCount, failure);
    this.setStatus(decision.status);
  }

  /** A failed object: counted in the run, then recorded (or, while its own retry runs, handed to that retry). */
  private objectFailed(epoch: Epoch, objectKey: string, thrown: unknown, source: ErrorSource): void {
    epoch.currentRun?.objectFailed(objectKey);
    this.state.statistics.errors++;
    if (epoch.objectRetry.takeFailure(objectKey, thrown)) {
      this.audit.objectFailed(objectKey, this.classify(asError(thrown), source, 'reprocessObject', 'object'));
      return;
    }
    this.objectFailures.record(objectKey, thrown, source);
  }
}
