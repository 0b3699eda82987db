// What every connector handler has beside its state machine (connector-handler.ts): its configuration and state,
// the epoch its work belongs to, its status report, and the calls under timeouts that the state machine makes.
import type {
  ConnectorStatistics,
  ConnectorStatus,
  ErrorScope,
  ErrorSource,
  IntegrationConnectorReport,
} from '../../../shared/api/types.js';
import { redactText } from '../../../shared/api/redact.js';
import type { IntegrationConnector } from '../../connector-sdk/index.js';
import { ConnectorCallTimeoutError, classifyFailure } from '../recovery/classify.js';
import type { ClassifiedError, FailedOperation } from '../recovery/types.js';
import { CatalogTargetBoard, withCatalogTargets } from './catalog-target-board.js';
import { ConnectorAudit } from './connector-audit.js';
import { ConnectorState } from './connector-state.js';
import { asError } from './context.js';
import { Epoch } from './epoch.js';
import type { HandlerConnectorConfig, HandlerService, LifecycleEnvironment } from './ports.js';
import type { RefreshScheduler } from './scheduler.js';
import { connectorReport } from './status-report.js';
import { callWithTimeout } from './timeouts.js';

export abstract class HandlerBase {
  protected readonly state: ConnectorState;
  protected readonly audit: ConnectorAudit;
  protected epoch = new Epoch();
  protected stopped = false;
  /** Present while the connector is configured with catalog targets. */
  protected catalogTargets: CatalogTargetBoard | undefined;

  constructor(
    protected configuration: HandlerConnectorConfig,
    readonly service: HandlerService,
    protected readonly env: LifecycleEnvironment,
    protected readonly scheduler: RefreshScheduler,
  ) {
    this.state = new ConnectorState(env.clock);
    this.audit = new ConnectorAudit(env, service, () => this.configuration);
    this.configureTargets();
  }

  /** The board of catalog targets, once configured with some; REST reaches one target through it. */
  get targets(): CatalogTargetBoard | undefined {
    return this.catalogTargets;
  }

  protected configureTargets(): void {
    const targets = this.configuration.catalogTargets;
    if (!targets) {
      this.catalogTargets = undefined;
      return;
    }
    this.catalogTargets ??= new CatalogTargetBoard(this.env.clock, () => this.publish());
    this.catalogTargets.configure(targets);
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
    return this.state.status;
  }

  /** The lifetime counters, which move during a refresh without an event: the kept status report compares them. */
  get statistics(): Readonly<ConnectorStatistics> {
    return this.state.statistics;
  }

  /** Ready to re-process single objects (the object retry queue asks before each due retry). */
  get readyForObjectRetries(): boolean {
    return this.state.status === 'WAITING' && this.epoch.connector !== undefined && this.env.breaker.state === 'CLOSED';
  }

  report(): IntegrationConnectorReport {
    const snapshot = this.state.snapshot({
      connectorName: this.connectorName,
      connectorId: this.connectorId,
      refreshTimeInterval: this.configuration.refreshTimeInterval,
      nextRefreshAt: this.scheduler.nextAt(this.connectorId),
      pendingObjectRetries: this.env.pendingObjectRetries(this.connectorId),
    });
    const heldArchive = this.env.heldArchives.reportOf(this.connectorId);
    const { connectorProvider, endpointAddress } = this.configuration;
    // What and where, so an operator tells two connectors apart without opening the configuration.
    const report = {
      ...connectorReport(snapshot),
      ...(heldArchive ? { heldArchive } : {}),
      connectorProvider,
      ...(endpointAddress !== undefined ? { endpointAddress: redactText(endpointAddress) } : {}),
    };
    if (!this.catalogTargets) return report;
    const targets = this.catalogTargets.reports().map((target) => {
      const held = this.env.heldArchives.targetReportOf(this.connectorId, target.catalogTargetName);
      return held ? { ...target, heldArchive: held } : target;
    });
    return withCatalogTargets(report, targets);
  }

  /** A held archive came or went: the report shows it. */
  heldArchiveChanged(): void {
    this.publish();
  }

  // ------------------------------------------------------------------------------------------------ internals

  protected classify(error: unknown, via: ErrorSource, operation: FailedOperation, scope: ErrorScope): ClassifiedError {
    const { connectorName, env } = this;
    const metadataServerName = env.metadataServer.name;
    return classifyFailure(error, { via, operation, scope, connectorName, metadataServerName, userId: env.userId });
  }

  protected isEpoch(epoch: Epoch): boolean {
    return epoch === this.epoch && !this.stopped;
  }

  /** A lifecycle call of `epoch`'s instance, under its timeout and abandoned when the epoch ends. */
  protected call<T>(
    epoch: Epoch,
    operation: keyof HandlerConnectorConfig['timeouts'],
    run: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const ms = this.configuration.timeouts[operation];
    return callWithTimeout(this.env.clock, ms, epoch.signal, run, () => {
      this.audit.callTimedOut(operation, ms);
      return new ConnectorCallTimeoutError(operation, ms);
    });
  }

  protected async disconnect(connector: IntegrationConnector): Promise<void> {
    const ms = this.configuration.timeouts.disconnect;
    // Not tied to the epoch's signal: the epoch has ended by the time its connector is disconnected.
    const timedOut = () => new ConnectorCallTimeoutError('disconnect', ms);
    await callWithTimeout(this.env.clock, ms, new AbortController().signal, () => connector.disconnect(), timedOut).catch(
      (thrown: unknown) => this.audit.disconnectFailed(asError(thrown)),
    );
  }

  protected setStatus(status: ConnectorStatus, options: { publish: boolean } = { publish: true }): void {
    this.state.set(status);
    if (options.publish) this.publish();
  }

  protected publish(): void {
    this.env.publishStatus(this.service.urlMarker, this.report());
  }
}
