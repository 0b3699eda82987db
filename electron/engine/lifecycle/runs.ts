// One refresh = one run: what triggered it, how long it took, how it ended and what it did to the catalogue.
import { randomUUID } from 'node:crypto';
import type { ConnectorRun, RunCounts, RunState, RunTrigger } from '../../../shared/api/types.js';
import type { LifecycleEnvironment } from './ports.js';
import { isoTime } from './time.js';

export const RUNS_KEPT_PER_CONNECTOR = 50;

export function emptyCounts(): RunCounts {
  return { discovered: 0, created: 0, updated: 0, unchanged: 0, archived: 0, failed: 0 };
}

export class RunRecorder {
  readonly runId = randomUUID();
  private readonly counts = emptyCounts();
  /** `failed` told through `count()`; object failures are also counted per distinct object key. */
  private countedFailed = 0;
  private readonly failedObjects = new Set<string>();
  /** What the connector asked to archive during the run: applied (or held) once the run's work is done. */
  readonly archiveRequests = new Set<string>();
  /** Set when the mass-archive fail-safe held the run's archive: the run ends PARTIAL. */
  held: { count: number; liveCount: number } | undefined;
  private finished?: { at: number; state: RunState; messageId?: string | undefined; message?: string | undefined };

  constructor(
    readonly connectorName: string,
    readonly connectorId: string,
    readonly connectorInstanceId: string,
    readonly trigger: RunTrigger,
    readonly startedAt: number,
  ) {}

  add(counts: Partial<RunCounts>): void {
    for (const key of ['discovered', 'created', 'updated', 'unchanged', 'archived'] as const) {
      const n = counts[key];
      if (typeof n === 'number' && Number.isFinite(n) && n > 0) this.counts[key] += n;
    }
    if (typeof counts.failed === 'number' && Number.isFinite(counts.failed) && counts.failed > 0) this.countedFailed += counts.failed;
  }

  objectFailed(objectKey: string): void {
    this.failedObjects.add(objectKey);
  }

  requestArchive(qualifiedNames: readonly string[]): number {
    for (const name of qualifiedNames) this.archiveRequests.add(name);
    return qualifiedNames.length;
  }

  /** Catalogued again during the run: an earlier request to archive it no longer stands. */
  catalogued(qualifiedNames: readonly string[]): void {
    if (this.archiveRequests.size === 0) return;
    for (const name of qualifiedNames) this.archiveRequests.delete(name);
  }

  hasFailed(objectKey: string): boolean {
    return this.failedObjects.has(objectKey);
  }

  /**
   * A connector may both report each failed object and count them; taking the larger of the two keeps `failed`
   * right whichever way it reports.
   */
  get failed(): number {
    return Math.max(this.countedFailed, this.failedObjects.size);
  }

  finish(at: number, state: RunState, failure?: { messageId?: string; message: string }): void {
    this.finished = { at, state, messageId: failure?.messageId, message: failure?.message };
  }

  snapshot(): ConnectorRun {
    const run: ConnectorRun = {
      runId: this.runId,
      connectorName: this.connectorName,
      connectorId: this.connectorId,
      connectorInstanceId: this.connectorInstanceId,
      trigger: this.trigger,
      startedAt: isoTime(this.startedAt),
      state: this.finished?.state ?? 'RUNNING',
      counts: { ...this.counts, failed: this.failed },
    };
    if (this.finished) {
      run.finishedAt = isoTime(this.finished.at);
      run.durationMs = this.finished.at - this.startedAt;
      if (this.finished.messageId !== undefined) run.failingExceptionMessageId = this.finished.messageId;
      if (this.finished.message !== undefined) run.failingExceptionMessage = this.finished.message;
    }
    return run;
  }
}

/** Stores the run as it is now and publishes it; a state store that refuses is reported, never thrown at the connector. */
export function saveRun(env: Pick<LifecycleEnvironment, 'store' | 'publishRun' | 'internalError'>, run: RunRecorder): void {
  const snapshot = run.snapshot();
  try {
    env.store.putRun(snapshot, RUNS_KEPT_PER_CONNECTOR);
  } catch (error) {
    env.internalError(`storing run ${snapshot.runId} of integration connector ${run.connectorName}`, error);
  }
  env.publishRun(snapshot);
}
