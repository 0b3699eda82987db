// The wait before a connector's automatic restart (status RETRYING): a timer to the time the recovery strategy
// chose, or a place behind the metadata server's breaker until a probe gets an answer. The wait owns the countdown
// the report shows; the handler says which wait and is called back when it is over. A restart, retry or shutdown
// cancels it, so a wait that fires late never restarts an instance that has moved on.
import type { Disposable } from '../../../shared/logic/disposable.js';
import { ConnectorError } from '../../connector-sdk/index.js';
import type { StoredConnectorRetry } from '../state/types.js';
import type { ConnectorAudit } from './connector-audit.js';
import type { ConnectorState } from './connector-state.js';
import type { LifecycleEnvironment } from './ports.js';

export type ResumeCondition = (signal: AbortSignal) => Promise<void>;

/** What the failure says about ending the wait early (ConnectorError.resumeWhen). */
export function resumeConditionOf(error: unknown): ResumeCondition | undefined {
  return error instanceof ConnectorError ? error.resumeWhen : undefined;
}

/** Shortest time a connector waits for the metadata server, whatever the breaker says. */
const MIN_PARK_MS = 1_000;

export interface RetryWaitDeps {
  env: LifecycleEnvironment;
  state: ConnectorState;
  audit: ConnectorAudit;
  /** The status becomes RETRYING and is published. */
  enterRetrying(): void;
  /** The wait is over: start a fresh instance. */
  relaunch(): void;
}

export class RetryWait {
  private current: AbortController | undefined;
  private timer: Disposable | undefined;

  constructor(private readonly deps: RetryWaitDeps) {}

  /** Drops the pending wait, if any. */
  cancel(): void {
    this.current?.abort(new Error('The automatic retry was cancelled'));
    this.current = undefined;
    this.timer?.dispose();
    this.timer = undefined;
  }

  /**
   * Restarts the connector at `record.nextRetryAt`. `resumed`: the retry was scheduled before the daemon restarted,
   * and was announced then.
   */
  until(record: StoredConnectorRetry, options: { resumed: boolean; resumeWhen?: ResumeCondition | undefined }): void {
    const { env, state, audit } = this.deps;
    const wait = this.begin();
    state.retry = { attempt: record.attempt, retryLimit: record.retryLimit, nextRetryAt: record.nextRetryAt, reason: record.reason };
    this.deps.enterRetrying();
    if (!options.resumed) audit.retryScheduled(record);
    this.timer = env.clock.setTimeout(
      () => {
        if (wait.signal.aborted) return;
        audit.retryStarting(record.attempt, record.retryLimit);
        this.deps.relaunch();
      },
      Math.max(0, record.nextRetryAt - env.clock.now()),
    );
    // The connector can tell when its cause has gone (a directory that is back): the retry need not wait.
    options.resumeWhen?.(wait.signal).then(
      () => {
        if (wait.signal.aborted) return;
        this.timer?.dispose();
        audit.retryStarting(record.attempt, record.retryLimit);
        this.deps.relaunch();
      },
      () => undefined,
    );
  }

  /**
   * Parks the connector behind the metadata server's breaker: no attempt is consumed, the countdown is the
   * breaker's next probe, and the connector restarts once a probe gets an answer.
   */
  forMetadataServer(record: StoredConnectorRetry | undefined): void {
    const { env, state, audit } = this.deps;
    const wait = this.begin();
    const breaker = env.breaker.status();
    state.retry = {
      attempt: record?.attempt ?? 0,
      retryLimit: record?.retryLimit ?? null,
      nextRetryAt: breaker.nextProbeAt ? Date.parse(breaker.nextProbeAt) : env.clock.now(),
      reason: state.failure?.message ?? '',
      waitingFor: 'metadataServer',
    };
    this.deps.enterRetrying();
    audit.parked();
    const parkedAt = env.clock.now();
    env.breaker.waitUntilClosed(wait.signal).then(
      () => {
        if (wait.signal.aborted) return;
        // Should the breaker not have opened at all, a connector failing at once must not spin: it waits a moment.
        const early = MIN_PARK_MS - (env.clock.now() - parkedAt);
        if (early <= 0) {
          this.deps.relaunch();
          return;
        }
        this.timer = env.clock.setTimeout(() => {
          if (!wait.signal.aborted) this.deps.relaunch();
        }, early);
      },
      () => undefined,
    );
  }

  /** The breaker changed: a parked connector's countdown follows its next probe. True when the countdown moved. */
  followBreaker(): boolean {
    const { env, state } = this.deps;
    const retry = state.retry;
    if (state.status !== 'RETRYING' || retry?.waitingFor !== 'metadataServer') return false;
    const next = env.breaker.status().nextProbeAt;
    const nextRetryAt = next ? Date.parse(next) : env.clock.now();
    // Most breaker changes are only its count of waiting connectors: nothing to tell about this one.
    if (nextRetryAt === retry.nextRetryAt) return false;
    state.retry = { ...retry, nextRetryAt };
    return true;
  }

  private begin(): AbortController {
    this.cancel();
    const wait = new AbortController();
    this.current = wait;
    return wait;
  }
}
