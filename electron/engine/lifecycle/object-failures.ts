// Object-level failures a connector reports during a refresh (one file, one table): each is classified, audited
// within the connector's budget and given a durable retry trigger, or (when its strategy says stop) remembered so
// the connector stops once the refresh ends. Recording is a disk write per object, so it runs in the background in
// short slices: a connector reporting thousands of failures in one loop stays fast, and so does everyone else.
import type { ErrorScope, ErrorSource } from '../../../shared/api/types.js';
import { decideRecovery } from '../recovery/strategy.js';
import type { ClassifiedError, ErrorHandlingEntry, FailedOperation, RecoveryDecision } from '../recovery/types.js';
import type { ConnectorAudit } from './connector-audit.js';
import { asError } from './context.js';
import type { LifecycleEnvironment } from './ports.js';

export type StopDecision = Extract<RecoveryDecision, { action: 'stop' }>;

/** An object failure whose strategy says stop the connector: applied when the refresh ends. */
export interface PendingStop {
  failure: ClassifiedError;
  decision: StopDecision;
}

/** Who the failures belong to; asked at each use, because a reconfigure may change the connector's settings. */
export interface ObjectFailureOwner {
  connectorName: string;
  connectorId: string;
  errorHandling: readonly ErrorHandlingEntry[] | undefined;
}

export interface ObjectFailureDeps {
  env: LifecycleEnvironment;
  audit: ConnectorAudit;
  owner(): ObjectFailureOwner;
  classify(error: unknown, via: ErrorSource, operation: FailedOperation, scope: ErrorScope): ClassifiedError;
}

/** Longest stretch of object-failure recording before the event loop gets a turn. */
const SLICE_MS = 10;

export class ObjectFailureRecorder {
  private backlog: { objectKey: string; error: unknown; source: ErrorSource }[] = [];
  private head = 0;
  private drain: Promise<void> | undefined;
  private stop: PendingStop | undefined;

  constructor(private readonly deps: ObjectFailureDeps) {}

  /** Settles once every failure reported so far has its durable trigger; undefined when nothing is pending. */
  get recording(): Promise<void> | undefined {
    return this.drain;
  }

  /** Queues one reported failure for recording. */
  record(objectKey: string, error: unknown, source: ErrorSource): void {
    this.backlog.push({ objectKey, error, source });
    this.drain ??= this.drainBacklog().finally(() => {
      this.drain = undefined;
    });
  }

  /** Returns and forgets a stop that an object failure asked for. */
  takeStop(): PendingStop | undefined {
    const stop = this.stop;
    this.stop = undefined;
    return stop;
  }

  /** A restart forgets a stop asked for by the old instance's objects. */
  clearStop(): void {
    this.stop = undefined;
  }

  private async drainBacklog(): Promise<void> {
    const store = this.deps.env.store;
    const inBatch = (work: () => void) => (store.batch ? store.batch(work) : work());
    while (this.head < this.backlog.length) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const sliceEnd = performance.now() + SLICE_MS;
      try {
        inBatch(() => {
          while (this.head < this.backlog.length && performance.now() < sliceEnd) {
            const next = this.backlog[this.head++]!;
            this.recordOne(next.objectKey, next.error, next.source);
          }
        });
      } catch (error) {
        this.deps.env.internalError(`recording object failures of integration connector ${this.deps.owner().connectorName}`, error);
      }
    }
    this.backlog = [];
    this.head = 0;
  }

  private recordOne(objectKey: string, thrown: unknown, source: ErrorSource): void {
    const { env } = this.deps;
    const { connectorId, errorHandling: entries } = this.deps.owner();
    const classified = this.deps.classify(asError(thrown), source, 'refresh', 'object');
    this.deps.audit.objectFailed(objectKey, classified);
    // An existing trigger keeps its schedule and attempt; it only takes the newer error.
    const existing = env.store.getObjectRetry(connectorId, objectKey);
    if (existing) {
      this.queueRetry(objectKey, classified, {
        action: 'retryObject',
        attempt: existing.attempt,
        retryLimit: existing.retryLimit,
        nextRetryAt: existing.nextRetryAt ?? env.clock.now(),
        delayMs: 0,
      });
      return;
    }
    const decision = decideRecovery({
      ...(entries ? { entries } : {}),
      error: classified,
      status: 'PARTIAL_ERROR',
      attempt: 0,
      errorCount: 1,
      now: env.clock.now(),
      random: env.random,
    });
    switch (decision.action) {
      case 'retryObject':
        this.queueRetry(objectKey, classified, decision);
        break;
      case 'stop':
        // For one object, running out of retries means giving up that object; only the strategy's stop halts the connector.
        if (decision.reason === 'strategy') this.stop ??= { failure: classified, decision };
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

  private queueRetry(objectKey: string, classified: ClassifiedError, decision: Extract<RecoveryDecision, { action: 'retryObject' }>): void {
    const { connectorId, connectorName } = this.deps.owner();
    try {
      this.deps.env.objectRetries.recordFailure(connectorId, objectKey, classified, decision);
    } catch (error) {
      this.deps.env.internalError(`recording the retry of ${objectKey} for integration connector ${connectorName}`, error);
    }
  }
}
