// What a connector throws and how it turns other errors into text. The daemon reads `ConnectorError`'s category,
// retryability and message id instead of guessing from message text, so a connector author decides them here.
import { ERROR_CATEGORIES, type ErrorCategory } from '../../shared/api/types.js';
import { errorText } from '../../shared/api/error-text.js';

/** `errorText` turns anything thrown into one line of text, the way the daemon's own messages do. */
export { ERROR_CATEGORIES, errorText, type ErrorCategory };

/**
 * A typed error for connector authors: states category and retryability, and carries a message id in the
 * Egeria style (`BASIC-FILES-INTEGRATION-CONNECTORS-404-001`) plus the action the operator should take.
 */
export class ConnectorError extends Error {
  readonly messageId: string;
  readonly category: ErrorCategory;
  readonly retryable: boolean | null;
  readonly userAction: string;
  readonly systemAction: string;
  readonly parameters: string[];
  /** Set when the error is about the third-party technology although it was raised outside `thirdParty(...)`. */
  readonly thirdParty: boolean;
  /**
   * Resolves once the cause may be gone (a directory that is back): the daemon then runs the automatic retry at
   * once instead of waiting out its countdown. The signal fires when the wait ends for another reason.
   */
  readonly resumeWhen: ((signal: AbortSignal) => Promise<void>) | undefined;

  constructor(init: {
    messageId: string;
    /** Text without the id; `message` becomes `<id> <text>` as in Egeria. */
    text: string;
    category: ErrorCategory;
    retryable?: boolean | null;
    userAction: string;
    systemAction?: string;
    parameters?: string[];
    thirdParty?: boolean;
    resumeWhen?: (signal: AbortSignal) => Promise<void>;
    cause?: unknown;
  }) {
    super(`${init.messageId} ${init.text}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ConnectorError';
    this.messageId = init.messageId;
    this.category = init.category;
    this.retryable = init.retryable ?? null;
    this.userAction = init.userAction;
    this.systemAction = init.systemAction ?? '';
    this.parameters = init.parameters ?? [];
    this.thirdParty = init.thirdParty ?? false;
    this.resumeWhen = init.resumeWhen;
  }
}

/** The `code` Node.js, pg and better-sqlite3 put on their errors (`ENOENT`, `57P01`, `SQLITE_BUSY`), if any. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
