// What a connector's handler knows of its catalog targets across instances: each target's status, last run and
// failure, kept while the connector restarts so the report never forgets a blind target, and the door through which
// REST reaches the running instance to refresh or retry one target. The running part is catalog-targets.ts.
import type { CatalogTargetReport, CatalogTargetStatus } from '../../../shared/api/catalog-targets.js';
import type { IntegrationConnectorReport, RunCounts } from '../../../shared/api/types.js';
import { redactTexts } from '../../../shared/api/redact.js';
import type { Clock } from '../../../shared/logic/clock.js';
import type { CatalogTargetConfig } from '../config/catalog-targets.js';
import type { FailureInfo } from './status-report.js';
import { isoTime } from './time.js';

export interface CatalogTargetEntry {
  status: CatalogTargetStatus;
  endpointAddress?: string | undefined;
  lastStatusChange?: number | undefined;
  lastRefreshTime?: number | undefined;
  lastSuccessfulRefreshTime?: number | undefined;
  lastRunCounts?: RunCounts | undefined;
  failure?: FailureInfo | undefined;
  retry?: { attempt: number; nextRetryAt: number } | undefined;
}

/** What the board asks of the running instance (CatalogTargetsConnector). */
export interface CatalogTargetRunner {
  refreshTarget(name: string): Promise<boolean>;
  retryTarget(name: string): Promise<boolean>;
}

export type TargetRequestOutcome = 'done' | 'unknownTarget' | 'notRunning' | 'notFailed';

export class CatalogTargetBoard {
  private readonly entries = new Map<string, CatalogTargetEntry>();
  private runner: CatalogTargetRunner | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly changed: () => void,
  ) {}

  /** The configured targets (again after a configuration change): known ones keep what they reported. */
  configure(targets: readonly CatalogTargetConfig[]): void {
    const names = new Set(targets.map((t) => t.catalogTargetName));
    for (const name of [...this.entries.keys()]) if (!names.has(name)) this.entries.delete(name);
    for (const target of targets) {
      const entry = this.entries.get(target.catalogTargetName) ?? { status: 'INITIALIZED' };
      entry.endpointAddress = target.endpointAddress;
      this.entries.set(target.catalogTargetName, entry);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  entry(name: string): CatalogTargetEntry | undefined {
    return this.entries.get(name);
  }

  /** Changes one target's entry and publishes the connector's report. */
  update(name: string, change: (entry: CatalogTargetEntry) => void): void {
    const entry = this.entries.get(name);
    if (!entry) return;
    const before = entry.status;
    change(entry);
    if (entry.status !== before) entry.lastStatusChange = this.clock.now();
    this.changed();
  }

  attach(runner: CatalogTargetRunner): void {
    this.runner = runner;
  }

  /** Only the runner attached last is let go: an older instance disconnecting after the next one started is not. */
  detach(runner: CatalogTargetRunner): void {
    if (this.runner === runner) this.runner = undefined;
  }

  async refresh(name: string): Promise<TargetRequestOutcome> {
    if (!this.entries.has(name)) return 'unknownTarget';
    if (!this.runner) return 'notRunning';
    return (await this.runner.refreshTarget(name)) ? 'done' : 'notRunning';
  }

  async retry(name: string): Promise<TargetRequestOutcome> {
    const entry = this.entries.get(name);
    if (!entry) return 'unknownTarget';
    if (entry.status !== 'FAILED') return 'notFailed';
    if (!this.runner) return 'notRunning';
    return (await this.runner.retryTarget(name)) ? 'done' : 'notRunning';
  }

  reports(): CatalogTargetReport[] {
    return [...this.entries].map(([name, e]) => targetReport(name, e));
  }
}

function targetReport(name: string, e: CatalogTargetEntry): CatalogTargetReport {
  const failure = e.status === 'FAILED' && e.failure ? redactTexts(e.failure) : undefined;
  return {
    catalogTargetName: name,
    catalogTargetStatus: e.status,
    ...(e.endpointAddress !== undefined ? { endpointAddress: e.endpointAddress } : {}),
    ...(e.lastStatusChange !== undefined ? { lastStatusChange: isoTime(e.lastStatusChange) } : {}),
    ...(e.lastRefreshTime !== undefined ? { lastRefreshTime: isoTime(e.lastRefreshTime) } : {}),
    ...(e.lastSuccessfulRefreshTime !== undefined ? { lastSuccessfulRefreshTime: isoTime(e.lastSuccessfulRefreshTime) } : {}),
    ...(e.lastRunCounts ? { lastRunCounts: { ...e.lastRunCounts } } : {}),
    ...(failure
      ? {
          failingExceptionMessageId: failure.messageId,
          failingExceptionMessage: failure.message,
          errorSource: failure.source,
          errorCategory: failure.category,
          ...(failure.userAction ? { userAction: failure.userAction } : {}),
        }
      : {}),
    ...(e.status === 'FAILED' && e.retry ? { retry: { attempt: e.retry.attempt, nextRetryAt: isoTime(e.retry.nextRetryAt) } } : {}),
  };
}

/**
 * The connector's report with its targets. A connector whose own state is fine but whose targets fail shows it as
 * its problem ("1 of 3 catalog targets failing", the first failing target's message id and error source), so it
 * never looks healthy while a target is blind; its own failure, when it has one, stays first.
 */
export function withCatalogTargets(report: IntegrationConnectorReport, targets: CatalogTargetReport[]): IntegrationConnectorReport {
  const failing = targets.filter((t) => t.catalogTargetStatus === 'FAILED');
  const first = failing[0];
  if (!first || report.failingExceptionMessage !== undefined) return { ...report, catalogTargets: targets };
  const summary = `${failing.length} of ${targets.length} catalog targets failing`;
  return {
    ...report,
    failingExceptionMessage: `${summary}; ${first.catalogTargetName}: ${withoutId(first.failingExceptionMessage ?? '', first.failingExceptionMessageId)}`,
    ...(first.failingExceptionMessageId !== undefined ? { failingExceptionMessageId: first.failingExceptionMessageId } : {}),
    ...(first.errorSource !== undefined ? { errorSource: first.errorSource } : {}),
    ...(first.errorCategory !== undefined ? { errorCategory: first.errorCategory } : {}),
    ...(first.userAction !== undefined ? { userAction: first.userAction } : {}),
    catalogTargets: targets,
  };
}

/** The message id leads the connector's message already; the target's text need not repeat it. */
function withoutId(message: string, messageId: string | undefined): string {
  return messageId !== undefined && message.startsWith(`${messageId} `) ? message.slice(messageId.length + 1) : message;
}
