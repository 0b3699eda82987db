// What a connector handler knows about its connector between calls: status and when it last changed, the failure
// that explains a failing status, the pending automatic retry, refresh times and statistics. The bookkeeping rules
// of a status change live here (a retry exists only while RETRYING), the report is built from it by status-report.
import type { ConnectorStatistics, ConnectorStatus, RunCounts } from '../../../shared/api/types.js';
import type { Clock } from '../../../shared/logic/clock.js';
import type { ClassifiedError } from '../recovery/types.js';
import type { StoredConnectorRetry } from '../state/types.js';
import type { ConnectorSnapshot, FailureInfo, RetryState } from './status-report.js';

export class ConnectorState {
  status: ConnectorStatus | undefined;
  lastStatusChange: number | undefined;
  lastRefreshTime: number | undefined;
  lastSuccessfulRefreshTime: number | undefined;
  failure: FailureInfo | undefined;
  retry: RetryState | undefined;
  instanceId: string | undefined;
  readonly statistics: ConnectorStatistics = { elementsCreated: 0, elementsUpdated: 0, elementsArchived: 0, errors: 0 };

  constructor(private readonly clock: Clock) {}

  /** Moves to `status`; any other status than RETRYING drops the pending retry. */
  set(status: ConnectorStatus): void {
    if (this.status !== status) {
      this.status = status;
      this.lastStatusChange = this.clock.now();
    }
    if (status !== 'RETRYING') this.retry = undefined;
  }

  /** A connector that cannot be created as configured: CONFIG_FAILED follows, only a configuration change helps. */
  configFailed(problem: { messageId: string; message: string; userAction: string }): void {
    this.statistics.errors++;
    this.failure = { ...problem, source: 'connector', category: 'configuration' };
  }

  /** After a daemon restart: the failure behind a retry persisted before it. */
  resumeFailure(stored: StoredConnectorRetry): void {
    this.failure = { messageId: stored.messageId, message: stored.reason, source: stored.errorSource, category: stored.errorCategory };
  }

  failedWith(failure: ClassifiedError): void {
    this.failure = {
      messageId: failure.messageId,
      message: failure.message,
      source: failure.source,
      category: failure.category,
      userAction: failure.userAction,
    };
  }

  /** What the metadata server client wrote, added to the connector's lifetime statistics. */
  count(counts: Partial<RunCounts>): void {
    this.statistics.elementsCreated += counts.created ?? 0;
    this.statistics.elementsUpdated += counts.updated ?? 0;
    this.statistics.elementsArchived += counts.archived ?? 0;
  }

  statisticsText(): string {
    const s = this.statistics;
    return `elementsCreated=${s.elementsCreated}, elementsUpdated=${s.elementsUpdated}, elementsArchived=${s.elementsArchived}, errors=${s.errors}`;
  }

  snapshot(
    about: Pick<ConnectorSnapshot, 'connectorName' | 'connectorId' | 'refreshTimeInterval' | 'nextRefreshAt' | 'pendingObjectRetries'>,
  ): ConnectorSnapshot {
    return {
      ...about,
      connectorInstanceId: this.instanceId,
      status: this.status,
      lastStatusChange: this.lastStatusChange,
      lastRefreshTime: this.lastRefreshTime,
      lastSuccessfulRefreshTime: this.lastSuccessfulRefreshTime,
      failure: this.failure,
      retry: this.retry,
      statistics: this.statistics,
    };
  }
}
