// Contracts of the recovery logic (classification, error-handling strategy, backoff, circuit breaker).
// The modules implementing them are pure (clock and randomness injected) so the lifecycle can be tested exactly.
import type { ErrorCategory, ErrorScope, ErrorSource } from '../../../shared/api/types.js';

/** Every failure becomes one of these before any policy runs. */
export interface ClassifiedError {
  source: ErrorSource;
  category: ErrorCategory;
  scope: ErrorScope;
  /** Egeria-style id: `BASIC-FILES-INTEGRATION-CONNECTORS-404-001`, `OMAG-MULTI-TENANT-404-001`, … */
  messageId: string;
  /** `<messageId> <text>`, what `failingExceptionMessage` shows. */
  message: string;
  userAction: string;
  /** Tri-state: null = unknown. */
  retryable: boolean | null;
  exceptionClassName: string;
  /** Values of `{0}`, `{1}`, … in the message template (audit `messageParameters`). */
  parameters?: string[];
  /** What the daemon does about it (audit `systemAction`). */
  systemAction?: string;
  /** The underlying exception's own message, when `message` is a template that does not show it in full. */
  detail?: string;
}

/** The lifecycle method (or object retry) in which the failure happened. */
export type FailedOperation = 'initialize' | 'start' | 'refresh' | 'disconnect' | 'reprocessObject';

/** midPoint's operation result statuses: PARTIAL_ERROR = some objects failed, FATAL_ERROR = the call failed. */
export type OperationStatus = 'PARTIAL_ERROR' | 'FATAL_ERROR';

/** One entry of `errorHandling` in the configuration document (JSON form of midPoint's strategy). */
export interface ErrorHandlingEntry {
  situation?:
    | {
        status?: OperationStatus[] | undefined;
        errorSource?: ErrorSource[] | undefined;
        errorCategory?: ErrorCategory[] | undefined;
        scope?: ErrorScope[] | undefined;
      }
    | undefined;
  reaction: ErrorReaction;
}

export interface RetryLaterPolicy {
  /** ISO-8601 duration, e.g. PT30M. */
  initialInterval: string;
  /** ISO-8601; when set, every retry after the first waits this long (midPoint's fixed mode). */
  nextInterval?: string | undefined;
  /** Exponential growth when nextInterval is absent. Default 2. */
  multiplier?: number | undefined;
  /** ISO-8601 cap. */
  maxInterval?: string | undefined;
  /** Retries (not counting the first execution); absent = unlimited. */
  retryLimit?: number | undefined;
  /** Proportional jitter 0..1; default 0 for configured entries, 0.2 for built-in defaults. */
  jitter?: number | undefined;
}

export type ErrorReaction =
  | { ignore: Record<string, never> | true; stopAfter?: number | undefined }
  | { stop: Record<string, never> | true }
  | { retryLater: RetryLaterPolicy; stopAfter?: number | undefined };

/** What the lifecycle must do about one classified failure. */
export type RecoveryDecision =
  /** Status RETRYING, restart the connector at `nextRetryAt` (epoch ms). */
  | { action: 'retryConnector'; attempt: number; retryLimit: number | null; nextRetryAt: number; delayMs: number }
  /** Object-level: keep a durable trigger, re-process the object at `nextRetryAt`. */
  | { action: 'retryObject'; attempt: number; retryLimit: number | null; nextRetryAt: number; delayMs: number }
  /** Park behind the metadata server's circuit breaker; consumes no attempt. */
  | { action: 'waitForMetadataServer' }
  /** Carry on as if nothing happened (the failure is still audited and counted). */
  | { action: 'ignore' }
  /** Give up: FAILED, or CONFIG_FAILED for configuration errors of the connector. Needs an operator (or a config change). */
  | { action: 'stop'; status: 'FAILED' | 'CONFIG_FAILED'; reason: 'strategy' | 'retryLimit' | 'stopAfter' };
