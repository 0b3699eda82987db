// Turns anything a connector, a third-party client or the metadata server throws into a ClassifiedError.
// The source comes from the client the call went through (the caller knows it), never from the message text.
import { z } from 'zod';
import type { ErrorCategory, ErrorScope, ErrorSource } from '../../../shared/api/types.js';
import { InvalidMetadataRequestError, MetadataServerUnavailableError } from '../metadata-server/types.js';
import { ConnectorError } from '../../connector-sdk/index.js';
import { fillTemplate, type MessageDefinition } from '../messages.js';
import { RECOVERY_MESSAGES } from './messages.js';
import type { ClassifiedError, FailedOperation } from './types.js';
import { errorText } from '../../../shared/api/error-text.js';
import { redactTexts } from '../../../shared/api/redact.js';

export interface ClassifyContext {
  /** The client the failing call went through. */
  via: ErrorSource;
  operation: FailedOperation;
  scope: ErrorScope;
  connectorName: string;
  metadataServerName: string;
  userId: string;
}

/** Thrown (or passed to classifyFailure) by the lifecycle when a connector call outlives its timeout. */
export class ConnectorCallTimeoutError extends Error {
  constructor(
    readonly operation: FailedOperation,
    readonly timeoutMs: number,
  ) {
    super(`The call to ${operation} did not return within ${timeoutMs} ms`);
    this.name = 'ConnectorCallTimeoutError';
  }
}

const NODE_CODES: Record<string, ErrorCategory> = {
  ECONNREFUSED: 'network',
  ECONNRESET: 'network',
  ECONNABORTED: 'network',
  EHOSTUNREACH: 'network',
  ENETUNREACH: 'network',
  ENOTFOUND: 'network',
  EAI_AGAIN: 'network',
  EPIPE: 'network',
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_SOCKET: 'network',
  EACCES: 'security',
  EPERM: 'security',
  ENOENT: 'notFound',
  ENOTDIR: 'notFound',
  EEXIST: 'conflict',
  SQLITE_BUSY: 'conflict',
  SQLITE_LOCKED: 'conflict',
  SQLITE_CANTOPEN: 'notFound',
  SQLITE_PERM: 'security',
  SQLITE_READONLY: 'security',
  SQLITE_AUTH: 'security',
  SQLITE_NOTADB: 'configuration',
};

/** PostgreSQL SQLSTATE classes and codes (pg puts them in `code`). */
function sqlStateCategory(code: string): ErrorCategory | undefined {
  if (!/^[0-9A-Z]{5}$/.test(code)) return undefined;
  if (code === '42501') return 'security';
  if (code === '42P01' || code === '3D000' || code === '3F000') return 'notFound';
  if (code === '57014') return 'timeout';
  switch (code.slice(0, 2)) {
    case '08':
    case '53':
    case '57':
      return 'network';
    case '28':
      return 'security';
    case '23':
    case '40':
      return 'conflict';
    default:
      return undefined;
  }
}

function httpStatusCategory(status: number): ErrorCategory | undefined {
  if (status === 401 || status === 403) return 'security';
  if (status === 404 || status === 410) return 'notFound';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429 || status === 502 || status === 503) return 'network';
  return undefined;
}

type ErrorLike = {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
  cause?: unknown;
  errors?: unknown;
};

function asRecord(value: unknown): ErrorLike | undefined {
  return typeof value === 'object' && value !== null ? value : undefined;
}

function ownCategory(error: unknown): ErrorCategory | undefined {
  if (error instanceof ConnectorError) return error.category;
  if (error instanceof MetadataServerUnavailableError) return 'network';
  if (error instanceof ConnectorCallTimeoutError) return 'timeout';
  if (error instanceof z.core.$ZodError) return 'configuration';
  const e = asRecord(error);
  if (!e) return undefined;
  if (e.name === 'ZodError') return 'configuration';
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'timeout';
  if (typeof e.code === 'string') {
    const byCode = NODE_CODES[e.code] ?? sqlStateCategory(e.code);
    if (byCode) return byCode;
  }
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  return status === undefined ? undefined : httpStatusCategory(status);
}

/** Looks through `cause` and AggregateError members: fetch, pg and net wrap the error that says what happened. */
function categoryOf(error: unknown): ErrorCategory {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 16) {
    const current = queue.shift();
    if (seen.has(current)) continue;
    seen.add(current);
    const category = ownCategory(current);
    if (category) return category;
    const e = asRecord(current);
    if (e?.cause !== undefined) queue.push(e.cause);
    if (Array.isArray(e?.errors)) queue.push(...(e.errors as unknown[]));
  }
  return 'generic';
}

function classNameOf(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' ? error.name : error.constructor.name;
  return error === null ? 'null' : typeof error;
}

/** errorText, but zod's issues as `path: message` lines and an Error without a message by its name. */
function messageOf(error: unknown): string {
  if (error instanceof z.core.$ZodError) {
    return error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');
  }
  if (error instanceof Error && error.message === '') return error.name;
  return errorText(error);
}

function defaultRetryable(category: ErrorCategory): boolean | null {
  switch (category) {
    case 'network':
    case 'timeout':
    case 'conflict':
      return true;
    case 'security':
    case 'configuration':
      return false;
    default:
      return null;
  }
}

function fromDefinition(
  definition: MessageDefinition,
  parameters: string[],
  base: Pick<ClassifiedError, 'source' | 'category' | 'scope' | 'retryable' | 'exceptionClassName'>,
  detail: string,
): ClassifiedError {
  return {
    ...base,
    messageId: definition.messageId,
    message: `${definition.messageId} ${fillTemplate(definition.template, parameters)}`,
    userAction: fillTemplate(definition.userAction, parameters),
    systemAction: definition.systemAction,
    parameters,
    detail,
  };
}

const CATEGORY_MESSAGES: Record<ErrorCategory, MessageDefinition> = {
  network: RECOVERY_MESSAGES.unreachable,
  timeout: RECOVERY_MESSAGES.timedOut,
  security: RECOVERY_MESSAGES.refused,
  notFound: RECOVERY_MESSAGES.notFound,
  conflict: RECOVERY_MESSAGES.conflict,
  configuration: RECOVERY_MESSAGES.badConfiguration,
  generic: RECOVERY_MESSAGES.connectorException,
};

/**
 * Classifies one failure. Never throws, whatever was thrown. Its texts are redacted here, once, because a
 * classified error travels everywhere: status, runs, audit records, events and the state file.
 */
export function classifyFailure(error: unknown, ctx: ClassifyContext): ClassifiedError {
  return redactTexts(classify(error, ctx));
}

function classify(error: unknown, ctx: ClassifyContext): ClassifiedError {
  // The metadata server refusing what the connector sent (an empty qualifiedName, unstorable properties) is the
  // connector's fault although the call went through the metadata server client: retrying the server will not help.
  if (error instanceof InvalidMetadataRequestError) {
    return {
      source: 'connector',
      category: 'generic',
      scope: ctx.scope,
      exceptionClassName: classNameOf(error),
      messageId: error.messageId,
      message: error.message,
      userAction: `${error.userAction} The connector ${ctx.connectorName} sent this; report it to the connector's author.`,
      retryable: false,
      detail: messageOf(error),
    };
  }
  const source: ErrorSource = error instanceof ConnectorError && error.thirdParty && ctx.via === 'connector' ? 'thirdParty' : ctx.via;
  const category = categoryOf(error);
  const exceptionClassName = classNameOf(error);
  const detail = messageOf(error);
  const base = { source, category, scope: ctx.scope, exceptionClassName };

  if (source === 'metadataServer' && (category === 'network' || category === 'timeout')) {
    return fromDefinition(
      RECOVERY_MESSAGES.metadataServerUnavailable,
      [ctx.metadataServerName, ctx.userId],
      { ...base, retryable: true },
      detail,
    );
  }
  if (error instanceof ConnectorError) {
    return {
      ...base,
      messageId: error.messageId,
      message: error.message,
      userAction: error.userAction,
      systemAction: error.systemAction,
      retryable: error.retryable,
      parameters: error.parameters,
      detail,
    };
  }
  const retryable = defaultRetryable(category);
  if (error instanceof ConnectorCallTimeoutError) {
    return fromDefinition(
      RECOVERY_MESSAGES.connectorHung,
      [ctx.connectorName, error.operation, String(error.timeoutMs)],
      { ...base, retryable },
      detail,
    );
  }
  const party =
    source === 'metadataServer' ? ctx.metadataServerName : source === 'thirdParty' ? 'its third-party technology' : 'a resource it uses';
  const parameters = [ctx.connectorName, ctx.operation, exceptionClassName, detail, party];
  const definition = source === 'metadataServer' ? RECOVERY_MESSAGES.metadataServerRejected : CATEGORY_MESSAGES[category];
  return fromDefinition(definition, parameters, { ...base, retryable }, detail);
}
