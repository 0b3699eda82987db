// Object-level failures a connector reports during a refresh (one file, one table): each is classified, audited
// within the connector's budget and given an object retry, or (when its strategy says stop) remembered so
// the connector stops once the refresh ends. Recording is a disk write per object, so it runs in the background in
// short slices: a connector reporting thousands of failures in one loop stays fast, and so does everyone else.
import type { ErrorScope, ErrorSource } from '../../../shared/api/types.js';
import { decideRecovery } from '../recovery/strategy.js';
import type { ClassifiedError, FailedOperation, RecoveryDecision } from '../recovery/types.js';
import type { ConnectorAudit } from './connector-audit.js';
import { asError } from './context.js';
import type { HandlerConnectorConfig, LifecycleEnvironment } from './ports.js';

export type StopDecision = Extract<RecoveryDecision, { action: 'stop' }>;

/** An object failure whose strategy says stop the connector: applied when the refresh ends. */
export interface PendingStop {
  failure: ClassifiedError;
  decision: StopDecision;
}

export interface ObjectFailureDeps {
  env: LifecycleEnvironment;
  audit: ConnectorAudit;
  /** Read at each use: a reconfigure may change the connector's settings. */
  config(): Pick<HandlerConnectorConfig, 'connectorName' | 'connectorId' | 'errorHandling'>;
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
        this.deps.env.internalError(`recording object failures of integration connector ${this.deps.config().connectorName}`, error);
      }
    }
    this.backlog = [];
    this.head = 0;
  }

  private recordOne(objectKey: string, thrown: unknown, source: ErrorSource): void {
    const { env } = this.deps;
    const { connectorId, errorHandling: entries } = this.deps.config();
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
        if (env.breaker.state === 'CLOSED') env.breaker.reportUnavailable(classified);
        break;
      case 'ignore':
      case 'retryConnector':
        break;
    }
  }

  private queueRetry(objectKey: string, classified: ClassifiedError, decision: Extract<RecoveryDecision, { action: 'retryObject' }>): void {
    const { connectorId, connectorName } = this.deps.config();
    try {
      this.deps.env.objectRetries.recordFailure(connectorId, objectKey, classified, decision);
    } catch (error) {
      this.deps.env.internalError(`recording the retry of ${objectKey} for integration connector ${connectorName}`, error);
    }
  }
}

/**
 * Re-processing one object whose retry is due. A failure of that object reported while its retry runs is that
 * retry's outcome (the queue learns it from the result), not a new failure needing a trigger of its own.
 */
export class ObjectRetryRun {
  private running: { objectKey: string; call: Promise<unknown>; failure?: unknown } | undefined;

  /** The retry in flight, so a refresh can wait for it instead of running beside it. */
  get inFlight(): Promise<unknown> | undefined {
    return this.running?.call;
  }

  /** True when `objectKey` is the object being retried; its failure is then kept as the retry's outcome. */
  takeFailure(objectKey: string, failure: unknown): boolean {
    if (this.running?.objectKey !== objectKey) return false;
    this.running.failure = failure;
    return true;
  }

  /** Runs `start` (the connector's reprocessObject under its timeout); resolves with its failure, undefined if none. */
  async run(objectKey: string, start: () => Promise<void>): Promise<unknown> {
    // Registered before the call starts: a connector may report the failure before its first await.
    const running: { objectKey: string; call: Promise<unknown>; failure?: unknown } = { objectKey, call: Promise.resolve() };
    this.running = running;
    try {
      running.call = start();
      await running.call;
    } catch (error) {
      running.failure = error;
    } finally {
      if (this.running === running) this.running = undefined;
    }
    return running.failure;
  }
}
