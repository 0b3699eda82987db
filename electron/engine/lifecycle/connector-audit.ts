// Everything one connector's lifecycle writes to the audit log, in the catalogue's words: each step of the state
// machine has a method here, so the handler reads as transitions and a message is changed in one place. The
// connector's own messages and its object failures share one budget per connector, so a flooding connector cannot
// drown the records of the others; what the budget held back is summed up in one record once its refresh ends.
import type { PermittedSynchronization } from '../../../shared/api/types.js';
import type { ConnectorAuditMessage } from '../../connector-sdk/index.js';
import { permittedSynchronizationWords, retryLimitText, serviceMessageId, type AuditMessageId } from '../audit/catalogue.js';
import type { AuditContext } from '../audit/log.js';
import type { ClassifiedError } from '../recovery/types.js';
import type { StoredConnectorRetry } from '../state/types.js';
import { AuditBudget } from './audit-budget.js';
import type { HandlerConnectorConfig, HandlerService, LifecycleEnvironment } from './ports.js';
import { actingUserId } from '../request-user.js';
import { isoTime } from './time.js';

export class ConnectorAudit {
  private readonly budget: AuditBudget;

  constructor(
    private readonly env: LifecycleEnvironment,
    private readonly service: HandlerService,
    /** Read at each record: a reconfigure may change the connector's settings. */
    private readonly config: () => HandlerConnectorConfig,
  ) {
    this.budget = new AuditBudget(env.clock);
  }

  private get name(): string {
    return this.config().connectorName;
  }

  // ------------------------------------------------------------------------------------- creating an instance

  initializing(): void {
    const cfg = this.config();
    const { serverName } = this.env;
    this.log('INTEGRATION-DAEMON-SERVICES-0008', [cfg.connectorName, this.service.integrationServiceFullName, serverName, words(cfg)]);
  }

  providerNotLoaded(error: Error, message: string): void {
    this.log('INTEGRATION-DAEMON-SERVICES-0037', [this.service.integrationServiceFullName, 'initialize', error.name, message], error);
  }

  wrongKind(exceptionClassName: string, message: string): void {
    this.log('INTEGRATION-DAEMON-SERVICES-0031', [this.name, 'initialize', exceptionClassName, message]);
  }

  secretNotResolved(error: Error & { messageId: string }): void {
    this.log('INTEGRATION-DAEMON-SERVICES-0031', [this.name, 'initialize', error.name, error.message]);
  }

  creatingContext(): void {
    const cfg = this.config();
    this.log(serviceMessageId(this.service.messageComponent, 'creatingContext'), [
      cfg.connectorName,
      cfg.connectorId,
      cfg.endpointAddress ?? 'no endpoint',
      words(cfg),
      // Egeria prints its null here; the daemon has no service options, and says so in words.
      'none',
    ]);
  }

  // --------------------------------------------------------------------------------------- requests and calls

  restartRequested(): void {
    this.log('INTEGRATION-DAEMON-SERVICES-0100', [actingUserId(this.env.userId), this.name, this.env.serverName]);
  }

  retryNowRequested(): void {
    this.log('INTEGRATION-DAEMON-RECOVERY-0011', [actingUserId(this.env.userId), this.name]);
  }

  callTimedOut(operation: string, ms: number): void {
    this.log('INTEGRATION-DAEMON-SERVICES-0102', [this.name, operation, String(ms)]);
  }

  disconnectFailed(error: Error): void {
    this.log('INTEGRATION-DAEMON-SERVICES-0023', [this.name, error.name, error.message], error);
  }

  shuttingDown(): void {
    this.log('INTEGRATION-DAEMON-SERVICES-0022', [this.name]);
  }

  shutDown(statistics: string): void {
    this.log('INTEGRATION-DAEMON-SERVICES-0024', [this.name, this.service.integrationServiceFullName, statistics]);
  }

  // ------------------------------------------------------------------------------------------------ refreshes

  refreshStarting(first: boolean): void {
    this.log(first ? 'INTEGRATION-DAEMON-SERVICES-0041' : 'INTEGRATION-DAEMON-SERVICES-0042', [this.name, this.env.serverName]);
  }

  refreshed(durationMs: number, counts: { failed: number; discovered: number }): void {
    this.log('INTEGRATION-DAEMON-SERVICES-0043', [this.name, this.env.serverName, String(durationMs)]);
    if (counts.failed > 0) {
      this.log('INTEGRATION-DAEMON-SERVICES-0103', [this.name, this.env.serverName, String(counts.failed), String(counts.discovered)]);
    }
  }

  // ---------------------------------------------------------------------------------------- failures, retries

  /**
   * The record names the exception's own message once (a classified message built from a template already quotes
   * it) and, as the user action, the fix the classification found rather than Egeria's general advice.
   */
  callFailed(operation: string, classified: ClassifiedError, error: Error): void {
    const detail =
      classified.detail !== undefined && classified.message.includes(classified.detail) ? classified.detail : classified.message;
    this.log(
      'INTEGRATION-DAEMON-SERVICES-0031',
      [this.name, operation, classified.exceptionClassName, detail],
      error,
      classified.userAction,
    );
  }

  failureIgnored(failure: ClassifiedError): void {
    this.log('INTEGRATION-DAEMON-RECOVERY-0013', [this.name, failure.message]);
  }

  /** Stopped because its error handling ran out (a plain `stop` of the strategy needs no record of its own). */
  gaveUp(reason: 'retryLimit' | 'stopAfter', errorCount: number | undefined, failure: ClassifiedError): void {
    const why =
      reason === 'stopAfter'
        ? `its error handling stops after ${errorCount ?? 'the configured number of'} errors`
        : 'its retry limit is reached';
    this.log('INTEGRATION-DAEMON-RECOVERY-0003', [this.name, why, failure.message]);
  }

  parked(): void {
    this.log('INTEGRATION-DAEMON-RECOVERY-0012', [this.name, this.env.metadataServer.name]);
  }

  retryScheduled(record: StoredConnectorRetry): void {
    this.log('INTEGRATION-DAEMON-RECOVERY-0001', [
      this.name,
      isoTime(record.nextRetryAt),
      String(record.attempt),
      retryLimitText(record.retryLimit),
      record.reason,
    ]);
  }

  retryStarting(attempt: number, retryLimit: number | null): void {
    this.log('INTEGRATION-DAEMON-RECOVERY-0002', [this.name, String(attempt), retryLimitText(retryLimit)]);
  }

  // ----------------------------------------------------------------------------- budgeted: floods are summed up

  objectFailed(objectKey: string, classified: ClassifiedError): void {
    if (this.budget.take()) this.log('INTEGRATION-DAEMON-RECOVERY-0010', [this.name, objectKey, classified.message], classified);
  }

  /** A message the connector wrote through `context.audit(...)`. */
  connectorMessage(message: ConnectorAuditMessage): void {
    if (this.budget.take()) this.env.audit.logConnectorMessage(this.name, message, this.serviceContext());
  }

  /** Once a refresh ends: one record for whatever the budget held back during it. */
  flushSuppressed(): void {
    const suppressed = this.budget.drainSuppressed();
    if (suppressed === 0) return;
    this.env.audit.logConnectorMessage(
      this.name,
      {
        messageId: 'INTEGRATION-DAEMON-SERVICES-0106',
        severity: 'Information',
        messageText: `${suppressed} audit message(s) of integration connector ${this.name} were not recorded because it wrote more than ${AuditBudget.describe()}`,
        userAction: 'Look at the connector: a flood of messages usually means many objects are failing in the same way.',
      },
      this.serviceContext(),
    );
  }

  private serviceContext(): { urlMarker: string } {
    return { urlMarker: this.service.urlMarker };
  }

  /** `exception` adds the failure's class and message to the record. */
  private log(messageId: AuditMessageId, parameters: (string | null)[], exception?: unknown, userAction?: string): void {
    const context: AuditContext = { connectorName: this.name, ...this.serviceContext() };
    if (exception !== undefined) context.exception = exception;
    if (userAction !== undefined && userAction !== '') context.userAction = userAction;
    this.env.audit.log(messageId, parameters, context);
  }
}

function words(cfg: { permittedSynchronization: PermittedSynchronization }): string {
  return permittedSynchronizationWords(cfg.permittedSynchronization);
}
