// The daemon's audit log: turns a message id and its parameters into an AuditRecord, stores it in every
// destination that wants its severity, and publishes it on the event bus. A destination that throws (disk
// full, closed stdout) is reported once through the others and never stops them.
import { z } from 'zod';
import type { AuditRecord, AuditSeverity } from '../../../shared/api/types.js';
import type { AuditQuery } from '../daemon-api.js';
import type { EventBus } from '../events.js';
import type { ConnectorAuditMessage } from '../../connector-sdk/index.js';
import { fillTemplate } from '../messages.js';
import { type AuditMessageId, type AuditParameter, findAuditMessage, renderParameter } from './catalogue.js';
import { type AuditDestination, MemoryRingDestination, acceptsSeverity } from './destinations.js';
import { errorText } from '../../../shared/api/error-text.js';
import { redactTexts } from '../../../shared/api/redact.js';

export interface AuditContext {
  connectorName?: string;
  urlMarker?: string;
  /** Recorded as exceptionClassName / exceptionMessage (a ClassifiedError's exceptionClassName is used as is). */
  exception?: unknown;
  /** The specific fix, when the caller knows it better than the catalogue's general advice (a classified failure). */
  userAction?: string;
}

export interface AuditLogOptions {
  serverName: string;
  destinations: readonly AuditDestination[];
  bus?: EventBus;
  /** Epoch ms; injected so tests can pin the time stamps. */
  now?: () => number;
  /** Also told when a destination starts failing; default writes one line to standard error. */
  onDestinationError?: (destination: AuditDestination, error: unknown) => void;
}

interface DestinationState {
  failing: boolean;
  missed: number;
}

const connectorMessageSchema = z.object({
  messageId: z.string().min(1),
  severity: z.enum(['Information', 'Error', 'Exception', 'Activity', 'Action']),
  messageText: z.string(),
  messageParameters: z.array(z.string()).optional(),
  systemAction: z.string().optional(),
  userAction: z.string().optional(),
});

/** Longest text kept per field: a connector that logs a whole file as a message must not bloat every destination. */
export const MAX_AUDIT_TEXT = 65_536;

function cap(text: string): string {
  return text.length <= MAX_AUDIT_TEXT
    ? text
    : `${text.slice(0, MAX_AUDIT_TEXT)}… (${text.length - MAX_AUDIT_TEXT} more characters not recorded)`;
}

function exceptionFields(exception: unknown): Pick<AuditRecord, 'exceptionClassName' | 'exceptionMessage'> {
  if (exception === undefined) return {};
  if (exception instanceof Error) {
    const declared = (exception as { exceptionClassName?: unknown }).exceptionClassName;
    return {
      exceptionClassName: typeof declared === 'string' && declared.length > 0 ? declared : exception.name,
      exceptionMessage: exception.message,
    };
  }
  if (typeof exception === 'object' && exception !== null) {
    const { exceptionClassName, message } = exception as { exceptionClassName?: unknown; message?: unknown };
    if (typeof exceptionClassName === 'string' && typeof message === 'string') return { exceptionClassName, exceptionMessage: message };
  }
  return { exceptionClassName: typeof exception, exceptionMessage: errorText(exception) };
}

export class AuditLog {
  readonly serverName: string;
  private readonly destinations: readonly AuditDestination[];
  private readonly states = new Map<AuditDestination, DestinationState>();
  private readonly bus: EventBus | undefined;
  private readonly now: () => number;
  private readonly onDestinationError: (destination: AuditDestination, error: unknown) => void;
  private sequence = 0;
  private internalDepth = 0;
  /** The in-memory ring that answers `query`; the first memory destination configured. */
  readonly ring: MemoryRingDestination | undefined;

  constructor(options: AuditLogOptions) {
    this.serverName = options.serverName;
    this.destinations = [...options.destinations];
    for (const destination of this.destinations) this.states.set(destination, { failing: false, missed: 0 });
    this.bus = options.bus;
    this.now = options.now ?? Date.now;
    this.onDestinationError =
      options.onDestinationError ??
      ((destination, error) =>
        process.stderr.write(
          `INTEGRATION-DAEMON-AUDIT-0001 The audit log destination ${destination.name} failed to store a record: ${errorText(error)}\n`,
        ));
    this.ring = this.destinations.find((d): d is MemoryRingDestination => d instanceof MemoryRingDestination);
  }

  /** Writes one of the catalogue's messages. Returns the record as stored. */
  log(messageId: AuditMessageId, parameters: readonly AuditParameter[] = [], context: AuditContext = {}): AuditRecord {
    const rendered = parameters.map(renderParameter);
    const definition = findAuditMessage(messageId);
    if (definition === undefined) {
      // Only reachable by bypassing the type of messageId; record it rather than lose it.
      return this.store({
        severity: 'Unknown',
        messageId,
        messageText: rendered.join(' '),
        messageParameters: rendered,
        ...this.contextFields(context),
      });
    }
    return this.store({
      severity: definition.severity,
      messageId: definition.messageId,
      messageText: fillTemplate(definition.template, rendered),
      messageParameters: rendered,
      systemAction: fillTemplate(definition.systemAction, rendered),
      userAction: context.userAction ?? fillTemplate(definition.userAction, rendered),
      ...this.contextFields(context),
    });
  }

  /** Writes a message a connector handed to `context.audit(...)`; malformed messages are recorded as such. */
  logConnectorMessage(
    connectorName: string,
    message: ConnectorAuditMessage,
    context: Omit<AuditContext, 'connectorName'> = {},
  ): AuditRecord {
    const parsed = connectorMessageSchema.safeParse(message);
    if (!parsed.success) {
      const written = errorText(message);
      const problem = parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ');
      return this.log('INTEGRATION-DAEMON-AUDIT-0005', [connectorName, problem, written], { ...context, connectorName });
    }
    const m = parsed.data;
    return this.store({
      severity: m.severity,
      messageId: m.messageId,
      messageText: m.messageText,
      messageParameters: m.messageParameters ?? [],
      systemAction: m.systemAction ?? '',
      userAction: m.userAction ?? '',
      ...this.contextFields({ ...context, connectorName }),
    });
  }

  /** Records from the in-memory ring (empty when no memory destination is configured), newest last. */
  query(query: AuditQuery): AuditRecord[] {
    return this.ring ? this.ring.query(query) : [];
  }

  /** Closes every destination; a destination that fails to close does not keep the others open. */
  close(): void {
    for (const destination of this.destinations) {
      try {
        destination.close?.();
      } catch (error) {
        this.onDestinationError(destination, error);
      }
    }
  }

  private contextFields(context: AuditContext): Partial<AuditRecord> {
    const fields: Partial<AuditRecord> = { ...exceptionFields(context.exception) };
    if (context.connectorName !== undefined) fields.connectorName = context.connectorName;
    if (context.urlMarker !== undefined) fields.urlMarker = context.urlMarker;
    return fields;
  }

  private store(
    content: Omit<AuditRecord, 'sequence' | 'timeStamp' | 'serverName' | 'severity'> & { severity: AuditSeverity },
  ): AuditRecord {
    // Every destination (console, file, memory, the event stream) gets the record with its secrets redacted.
    const record: AuditRecord = redactTexts({
      sequence: ++this.sequence,
      timeStamp: new Date(this.now()).toISOString(),
      serverName: this.serverName,
      ...content,
      messageText: cap(content.messageText),
      messageParameters: content.messageParameters.map(cap),
    });
    if (record.exceptionMessage !== undefined) record.exceptionMessage = cap(record.exceptionMessage);
    for (const key of Object.keys(record) as Array<keyof AuditRecord>) if (record[key] === undefined) delete record[key];

    const failed: Array<[AuditDestination, unknown]> = [];
    const recovered: Array<[AuditDestination, number]> = [];
    for (const destination of this.destinations) {
      if (!acceptsSeverity(destination, record.severity)) continue;
      const state = this.states.get(destination) as DestinationState;
      try {
        destination.write(record);
        if (state.failing) {
          state.failing = false;
          recovered.push([destination, state.missed]);
          state.missed = 0;
        }
      } catch (error) {
        state.missed++;
        if (!state.failing) {
          state.failing = true;
          failed.push([destination, error]);
        }
      }
    }
    this.bus?.publish({ type: 'audit', serverTime: record.timeStamp, record });

    // Reports about destinations are themselves records; one level deep, so a flapping destination cannot recurse.
    if (this.internalDepth === 0) {
      this.internalDepth++;
      try {
        for (const [destination, error] of failed) {
          this.onDestinationError(destination, error);
          this.log('INTEGRATION-DAEMON-AUDIT-0001', [destination.name, errorText(error)]);
        }
        for (const [destination, missed] of recovered) this.log('INTEGRATION-DAEMON-AUDIT-0002', [destination.name, missed]);
      } finally {
        this.internalDepth--;
      }
    }
    return record;
  }
}
