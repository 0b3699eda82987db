// Durable per-object retry triggers (midPoint's shadow reconcile triggers, with exact timers instead of a
// 5-minute scan). A trigger says "re-process this object from its current state at nextRetryAt"; it lives in the
// state store so a restarted daemon keeps the same due times and attempt numbers.
import type { ObjectRetry } from '../../../shared/api/types.js';
import type { StateStore, StoredObjectRetry } from '../state/types.js';
import { retryLimitText, type AuditMessageId } from '../audit/catalogue.js';
import { RECOVERY_AUDIT } from './messages.js';
import { decideRecovery } from './strategy.js';
import type { Clock } from '../../../shared/logic/clock.js';
import type { Disposable } from '../../../shared/logic/disposable.js';
import type { ClassifiedError, ErrorHandlingEntry, RecoveryDecision } from './types.js';

/** `{ failed: error }` also hands over the new failure, so the next retry is decided on it rather than the old one. */
export type ObjectRetryOutcome = 'succeeded' | 'failed' | 'deferred' | { failed: ClassifiedError };

export interface ObjectRetryQueueOptions {
  store: StateStore;
  clock: Clock;
  random: () => number;
  /**
   * Re-process one object. 'deferred' = could not run now (connector not running, breaker open): no attempt is
   * consumed. A failure reported through `recordFailure` while this runs counts as the outcome.
   */
  onDue: (retry: StoredObjectRetry) => Promise<ObjectRetryOutcome>;
  /** False while the connector cannot take retries (stopped, failed, retrying, parked): due triggers wait. */
  isReady: (connectorId: string) => boolean;
  onChange?: (retry: StoredObjectRetry, removed: boolean) => void;
  /** Writes one of the audit catalogue's messages (the daemon hands its audit log's `log`). */
  onAudit?: (messageId: AuditMessageId, parameters: string[]) => void;
  /** The connector's configured errorHandling, used to schedule the retry after a failed retry. */
  entriesFor?: (connectorId: string) => readonly ErrorHandlingEntry[] | undefined;
  /** For audit texts; defaults to the connector id. */
  connectorNameOf?: (connectorId: string) => string;
  /** How long a deferred trigger waits before it is looked at again (unless `wake` is called). */
  deferralMs?: number;
  /** Retries running at the same time across all connectors. */
  maxConcurrent?: number;
  /**
   * Object retry audit records per connector and minute; beyond that they are counted and summed up in one record,
   * so 10,000 failing files cannot push every other record out of the audit log.
   */
  auditPerMinute?: number;
}

interface Running {
  failure?: ClassifiedError;
  succeeded?: boolean;
  done: Promise<void>;
}

/** Restart: overdue triggers are spread over min(60 s, count × 100 ms) instead of all firing at once. */
const RESTART_SPREAD_MAX_MS = 60_000;
const RESTART_SPREAD_PER_ROW_MS = 100;

const keyOf = (connectorId: string, objectKey: string) => `${connectorId}\u0000${objectKey}`;
const AUDIT_WINDOW_MS = 60_000;

interface AuditWindow {
  written: number;
  suppressed: number;
  timer: Disposable;
}

export class ObjectRetryQueue {
  readonly #o: ObjectRetryQueueOptions & { deferralMs: number; maxConcurrent: number; auditPerMinute: number };
  readonly #auditWindows = new Map<string, AuditWindow>();
  readonly #rows = new Map<string, StoredObjectRetry>();
  readonly #deferredUntil = new Map<string, number>();
  readonly #running = new Map<string, Running>();
  #timer: Disposable | null = null;
  #timerDue = Number.POSITIVE_INFINITY;
  #started = false;

  constructor(options: ObjectRetryQueueOptions) {
    this.#o = { deferralMs: 30_000, maxConcurrent: 4, auditPerMinute: 20, ...options };
  }

  /** Loads the stored triggers and arms the timer. Overdue triggers are spread out. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#rows.clear();
    const now = this.#o.clock.now();
    const rows = this.#o.store.listObjectRetries();
    for (const row of rows) this.#rows.set(keyOf(row.connectorId, row.objectKey), row);
    const overdue = rows
      .filter((r) => r.state === 'PENDING' && (r.nextRetryAt ?? now) <= now)
      .sort((a, b) => (a.nextRetryAt ?? 0) - (b.nextRetryAt ?? 0));
    const window = Math.min(RESTART_SPREAD_MAX_MS, overdue.length * RESTART_SPREAD_PER_ROW_MS);
    // The spread lives in memory only: the stored time (in the past) still says "due", a later restart spreads
    // again, and a restart with thousands of overdue rows does not wait for thousands of disk syncs.
    overdue.forEach((row, i) => {
      this.#rows.set(keyOf(row.connectorId, row.objectKey), { ...row, nextRetryAt: now + Math.floor((i * window) / overdue.length) });
    });
    this.#arm();
  }

  /** Stops the timer and waits for retries already running. */
  async stop(): Promise<void> {
    this.#started = false;
    this.#cancelTimer();
    await Promise.allSettled([...this.#running.values()].map((r) => r.done));
    for (const [connectorId, window] of [...this.#auditWindows]) {
      window.timer.dispose();
      this.#closeAuditWindow(connectorId, window);
    }
  }

  /**
   * An object failed. A new trigger follows `decision`; an existing one keeps its schedule and attempt (a refresh
   * meeting the same broken object again is not a retry) and only takes the newer error.
   */
  recordFailure(
    connectorId: string,
    objectKey: string,
    error: ClassifiedError,
    decision: RecoveryDecision & { action: 'retryObject' },
  ): StoredObjectRetry {
    const key = keyOf(connectorId, objectKey);
    const now = this.#o.clock.now();
    const existing = this.#rows.get(key);
    const running = this.#running.get(key);
    if (running) running.failure = error;
    const lastError = {
      lastFailedAt: now,
      lastErrorMessageId: error.messageId,
      lastErrorMessage: error.message,
      errorSource: error.source,
      errorCategory: error.category,
    };
    if (existing) {
      const updated = { ...existing, ...lastError };
      this.#save(updated);
      return updated;
    }
    const created: StoredObjectRetry = {
      connectorId,
      objectKey,
      state: 'PENDING',
      attempt: decision.attempt,
      retryLimit: decision.retryLimit,
      nextRetryAt: decision.nextRetryAt,
      firstFailedAt: now,
      ...lastError,
    };
    this.#save(created);
    this.#auditScheduled(created);
    if (decision.nextRetryAt < this.#timerDue) this.#arm();
    return created;
  }

  /** The object was processed successfully: its pending (or given-up) trigger is no longer needed. */
  recordSuccess(connectorId: string, objectKey: string): boolean {
    const key = keyOf(connectorId, objectKey);
    const running = this.#running.get(key);
    if (running) {
      running.succeeded = true;
      delete running.failure;
    }
    const row = this.#rows.get(key);
    if (!row) return false;
    this.#remove(key);
    this.#auditRecovered(row);
    return true;
  }

  /** Runs triggers now (given-up ones too); absent objectKey = all of the connector's. Returns how many. */
  retryObjectsNow(connectorId: string, objectKey?: string): number {
    const now = this.#o.clock.now();
    let count = 0;
    this.#inBatch(() => {
      for (const [key, row] of this.#rows) {
        if (row.connectorId !== connectorId || (objectKey !== undefined && row.objectKey !== objectKey)) continue;
        if (this.#running.has(key)) continue;
        this.#deferredUntil.delete(key);
        this.#save({ ...row, state: 'PENDING', nextRetryAt: now });
        count += 1;
      }
    });
    if (count > 0) this.#arm();
    return count;
  }

  /** Drops triggers (operator's discard, or a connector removed from the configuration). */
  discard(connectorId: string, objectKey?: string): number {
    let count = 0;
    this.#inBatch(() => {
      for (const [key, row] of [...this.#rows]) {
        if (row.connectorId !== connectorId || (objectKey !== undefined && row.objectKey !== objectKey)) continue;
        if (this.#remove(key)) count += 1;
      }
    });
    return count;
  }

  /** The connector can take retries again (restarted, breaker closed): deferred triggers run without waiting. */
  wake(connectorId: string): void {
    let woke = false;
    for (const key of [...this.#deferredUntil.keys()]) {
      if (this.#rows.get(key)?.connectorId === connectorId) {
        this.#deferredUntil.delete(key);
        woke = true;
      }
    }
    if (woke) this.#arm();
  }

  list(connectorId?: string): StoredObjectRetry[] {
    const rows = [...this.#rows.values()].filter((r) => connectorId === undefined || r.connectorId === connectorId);
    return rows.sort(
      (a, b) =>
        (a.nextRetryAt ?? Number.POSITIVE_INFINITY) - (b.nextRetryAt ?? Number.POSITIVE_INFINITY) || a.objectKey.localeCompare(b.objectKey),
    );
  }

  /** Triggers of one connector (pending and given up), for `pendingObjectRetries`. */
  count(connectorId: string): number {
    let n = 0;
    for (const row of this.#rows.values()) if (row.connectorId === connectorId) n += 1;
    return n;
  }

  /** Many rows in one durable write where the store can (one disk sync instead of one per row). */
  #inBatch(work: () => void): void {
    const { store } = this.#o;
    if (store.batch) store.batch(work);
    else work();
  }

  #save(row: StoredObjectRetry): void {
    this.#o.store.putObjectRetry(row);
    this.#rows.set(keyOf(row.connectorId, row.objectKey), row);
    this.#o.onChange?.(row, false);
  }

  #remove(key: string): boolean {
    const row = this.#rows.get(key);
    if (!row) return false;
    this.#o.store.deleteObjectRetry(row.connectorId, row.objectKey);
    this.#rows.delete(key);
    this.#deferredUntil.delete(key);
    this.#o.onChange?.(row, true);
    return true;
  }

  #dueAt(key: string, row: StoredObjectRetry): number {
    if (row.state !== 'PENDING' || row.nextRetryAt === null || this.#running.has(key)) return Number.POSITIVE_INFINITY;
    return Math.max(row.nextRetryAt, this.#deferredUntil.get(key) ?? 0);
  }

  #cancelTimer(): void {
    this.#timer?.dispose();
    this.#timer = null;
    this.#timerDue = Number.POSITIVE_INFINITY;
  }

  /** One timer, set to the earliest due trigger. */
  #arm(): void {
    this.#cancelTimer();
    if (!this.#started) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const [key, row] of this.#rows) earliest = Math.min(earliest, this.#dueAt(key, row));
    if (earliest === Number.POSITIVE_INFINITY) return;
    this.#timerDue = earliest;
    this.#timer = this.#o.clock.setTimeout(
      () => {
        this.#timer = null;
        this.#timerDue = Number.POSITIVE_INFINITY;
        this.#dispatch();
      },
      Math.max(0, earliest - this.#o.clock.now()),
    );
  }

  #dispatch(): void {
    if (!this.#started) return;
    const now = this.#o.clock.now();
    const due = [...this.#rows]
      .map(([key, row]) => ({ key, row, at: this.#dueAt(key, row) }))
      .filter((d) => d.at <= now)
      .sort((a, b) => a.at - b.at);
    for (const { key, row } of due) {
      if (this.#running.size >= this.#o.maxConcurrent) return;
      if (!this.#o.isReady(row.connectorId)) {
        this.#deferredUntil.set(key, now + this.#o.deferralMs);
        continue;
      }
      this.#run(key, row);
    }
    this.#arm();
  }

  #run(key: string, row: StoredObjectRetry): void {
    const running: Running = { done: Promise.resolve() };
    this.#running.set(key, running);
    running.done = this.#o
      .onDue(row)
      .catch((): ObjectRetryOutcome => 'failed')
      .then((outcome) => {
        this.#running.delete(key);
        this.#settle(key, outcome, running);
        this.#dispatch();
      });
  }

  #settle(key: string, outcome: ObjectRetryOutcome, running: Running): void {
    const row = this.#rows.get(key);
    if (!row || running.succeeded) return;
    if (typeof outcome === 'object') running.failure ??= outcome.failed;
    if (running.failure === undefined && outcome === 'succeeded') {
      this.#remove(key);
      this.#auditRecovered(row);
      return;
    }
    if (running.failure === undefined && outcome === 'deferred') {
      this.#deferredUntil.set(key, this.#o.clock.now() + this.#o.deferralMs);
      return;
    }
    this.#advance(row, running.failure);
  }

  /** A retry failed: schedule the next one, or give up when the strategy says so. */
  #advance(failedRow: StoredObjectRetry, failure: ClassifiedError | undefined): void {
    const now = this.#o.clock.now();
    const row: StoredObjectRetry = failure
      ? {
          ...failedRow,
          lastFailedAt: now,
          lastErrorMessageId: failure.messageId,
          lastErrorMessage: failure.message,
          errorSource: failure.source,
          errorCategory: failure.category,
        }
      : failedRow;
    const error: ClassifiedError = failure
      ? { ...failure, scope: 'object' }
      : {
          source: row.errorSource,
          category: row.errorCategory,
          scope: 'object',
          messageId: row.lastErrorMessageId,
          message: row.lastErrorMessage,
          userAction: '',
          retryable: null,
          exceptionClassName: '',
        };
    const entries = this.#o.entriesFor?.(row.connectorId);
    const decision = decideRecovery({
      ...(entries === undefined ? {} : { entries }),
      error,
      status: 'PARTIAL_ERROR',
      attempt: row.attempt,
      errorCount: row.attempt + 1,
      now,
      random: this.#o.random,
    });
    const key = keyOf(row.connectorId, row.objectKey);
    switch (decision.action) {
      case 'retryObject':
      case 'retryConnector': {
        const next = {
          ...row,
          state: 'PENDING' as const,
          attempt: decision.attempt,
          retryLimit: decision.retryLimit,
          nextRetryAt: decision.nextRetryAt,
        };
        this.#save(next);
        this.#auditScheduled(next);
        return;
      }
      case 'waitForMetadataServer':
        if (failure) this.#save(row);
        this.#deferredUntil.set(key, now + this.#o.deferralMs);
        return;
      case 'ignore':
        this.#remove(key);
        return;
      case 'stop': {
        const gaveUp = { ...row, state: 'GAVE_UP' as const, attempt: row.attempt + 1, nextRetryAt: null };
        this.#save(gaveUp);
        this.#audit(row.connectorId, RECOVERY_AUDIT.objectGaveUp, [
          this.#nameOf(row.connectorId),
          row.objectKey,
          String(row.attempt + 1),
          row.lastErrorMessage,
        ]);
      }
    }
  }

  #auditScheduled(row: StoredObjectRetry): void {
    this.#audit(row.connectorId, RECOVERY_AUDIT.objectRetryScheduled, [
      this.#nameOf(row.connectorId),
      row.objectKey,
      row.nextRetryAt === null ? '' : new Date(row.nextRetryAt).toISOString(),
      String(row.attempt),
      retryLimitText(row.retryLimit),
      row.lastErrorMessage,
    ]);
  }

  /** `attempt` counts the first failure plus the failed retries before the one that worked. */
  #auditRecovered(row: StoredObjectRetry): void {
    this.#audit(row.connectorId, RECOVERY_AUDIT.objectRecovered, [this.#nameOf(row.connectorId), row.objectKey, String(row.attempt)]);
  }

  #audit(connectorId: string, messageId: AuditMessageId, parameters: string[]): void {
    const { onAudit } = this.#o;
    if (!onAudit) return;
    let window = this.#auditWindows.get(connectorId);
    if (!window) {
      const opened: AuditWindow = {
        written: 0,
        suppressed: 0,
        timer: this.#o.clock.setTimeout(() => this.#closeAuditWindow(connectorId, opened), AUDIT_WINDOW_MS),
      };
      window = opened;
      this.#auditWindows.set(connectorId, window);
    }
    if (window.written >= this.#o.auditPerMinute) {
      window.suppressed += 1;
      return;
    }
    window.written += 1;
    onAudit(messageId, parameters);
  }

  #closeAuditWindow(connectorId: string, window: AuditWindow): void {
    if (this.#auditWindows.get(connectorId) === window) this.#auditWindows.delete(connectorId);
    if (window.suppressed > 0) {
      this.#o.onAudit?.(RECOVERY_AUDIT.suppressed, [
        String(window.suppressed),
        this.#nameOf(connectorId),
        `${this.#o.auditPerMinute} object retry records a minute`,
      ]);
    }
  }

  #nameOf(connectorId: string): string {
    return this.#o.connectorNameOf?.(connectorId) ?? connectorId;
  }
}

/** The wire form for GET …/object-retries and the `object-retry` event. */
export function toObjectRetry(row: StoredObjectRetry, connectorName: string): ObjectRetry {
  return {
    connectorName,
    connectorId: row.connectorId,
    objectKey: row.objectKey,
    state: row.state,
    attempt: row.attempt,
    retryLimit: row.retryLimit,
    ...(row.nextRetryAt === null ? {} : { nextRetryAt: new Date(row.nextRetryAt).toISOString() }),
    firstFailedAt: new Date(row.firstFailedAt).toISOString(),
    lastFailedAt: new Date(row.lastFailedAt).toISOString(),
    lastErrorMessageId: row.lastErrorMessageId,
    lastErrorMessage: row.lastErrorMessage,
    errorSource: row.errorSource,
    errorCategory: row.errorCategory,
  };
}
