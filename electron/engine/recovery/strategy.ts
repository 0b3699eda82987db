// The error-handling strategy: midPoint's ordered {situation, reaction} entries (JSON form), our built-in defaults
// behind them, and the one function that turns a classified failure into what the lifecycle must do.
import { z } from 'zod';
import { ERROR_CATEGORIES, ERROR_SCOPES, ERROR_SOURCES } from '../../../shared/api/types.js';
import { retryDelayMs } from '../../../shared/logic/backoff.js';
import { DurationFormatError, parseIsoDuration } from '../../../shared/logic/duration.js';
import type { ClassifiedError, ErrorHandlingEntry, ErrorReaction, OperationStatus, RecoveryDecision, RetryLaterPolicy } from './types.js';
import { errorText } from '../../../shared/api/error-text.js';

const OPERATION_STATUSES = ['PARTIAL_ERROR', 'FATAL_ERROR'] as const satisfies readonly OperationStatus[];

/** midPoint's documented default for `initialInterval`. */
const DEFAULT_INITIAL_INTERVAL = 'PT30M';
const DEFAULT_MULTIPLIER = 2;

const unknownKeys = (where: string, allowed: readonly string[]) => (issue: { code?: string; keys?: string[] }) =>
  issue.code === 'unrecognized_keys'
    ? `${where} does not know ${(issue.keys ?? []).map((k) => `"${k}"`).join(', ')}; allowed: ${allowed.join(', ')}`
    : undefined;

const isoDuration = z.string({ error: 'must be an ISO-8601 duration text such as "PT30M"' }).superRefine((text, ctx) => {
  try {
    parseIsoDuration(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof DurationFormatError ? error.description : errorText(error) });
  }
});

const listOf = <T extends readonly [string, ...string[]]>(values: T, field: string) =>
  z.array(z.enum(values, { error: `${field} entries must be one of ${values.join(', ')}` }), {
    error: `${field} must be a list, e.g. ["${values[0]}"]`,
  });

const situationKeys = ['status', 'errorSource', 'errorCategory', 'scope'] as const;
const situationSchema = z.strictObject(
  {
    status: listOf(OPERATION_STATUSES, 'status').optional(),
    errorSource: listOf(ERROR_SOURCES, 'errorSource').optional(),
    errorCategory: listOf(ERROR_CATEGORIES, 'errorCategory').optional(),
    scope: listOf(ERROR_SCOPES, 'scope').optional(),
  },
  { error: unknownKeys('situation', situationKeys) },
);

const retryLaterKeys = ['initialInterval', 'nextInterval', 'multiplier', 'maxInterval', 'retryLimit', 'jitter'] as const;
const retryLaterSchema = z
  .strictObject(
    {
      initialInterval: isoDuration.default(DEFAULT_INITIAL_INTERVAL),
      nextInterval: isoDuration.optional(),
      multiplier: z
        .number({ error: 'multiplier must be a number ≥ 1, e.g. 2' })
        .min(1, 'multiplier must be ≥ 1 (1 = fixed interval)')
        .optional(),
      maxInterval: isoDuration.optional(),
      retryLimit: z
        .number({ error: 'retryLimit must be a whole number of retries; leave it out for unlimited' })
        .int('retryLimit must be a whole number')
        .min(0, 'retryLimit must be ≥ 0 (0 = no retries)')
        .optional(),
      jitter: z
        .number({ error: 'jitter must be a number between 0 and 1, e.g. 0.2' })
        .min(0, 'jitter must be ≥ 0')
        .max(1, 'jitter must be ≤ 1')
        .optional(),
    },
    { error: unknownKeys('retryLater', retryLaterKeys) },
  )
  .superRefine((policy, ctx) => {
    if (policy.maxInterval === undefined) return;
    const durations = [
      ['initialInterval', policy.initialInterval],
      ['nextInterval', policy.nextInterval],
    ] as const;
    for (const [field, value] of durations) {
      if (value === undefined) continue;
      try {
        if (parseIsoDuration(policy.maxInterval) < parseIsoDuration(value)) {
          ctx.addIssue({
            code: 'custom',
            path: ['maxInterval'],
            message: `maxInterval (${policy.maxInterval}) is shorter than ${field} (${value}); raise maxInterval or lower ${field}`,
          });
        }
      } catch {
        // Unparseable durations already carry their own issue.
      }
    }
  });

const marker = z.union([z.literal(true), z.strictObject({}, { error: 'takes no settings: write {} or true' })], {
  error: 'must be {} or true',
});

const reactionKeys = ['ignore', 'stop', 'retryLater', 'stopAfter'] as const;
const reactionSchema = z
  .strictObject(
    {
      ignore: marker.optional(),
      stop: marker.optional(),
      retryLater: retryLaterSchema.optional(),
      stopAfter: z
        .number({ error: 'stopAfter must be a whole number of errors, e.g. 4' })
        .int('stopAfter must be a whole number')
        .min(1, 'stopAfter must be ≥ 1')
        .optional(),
    },
    { error: unknownKeys('reaction', reactionKeys) },
  )
  .superRefine((reaction, ctx) => {
    const chosen = (['ignore', 'stop', 'retryLater'] as const).filter((k) => reaction[k] !== undefined);
    if (chosen.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          chosen.length === 0
            ? 'a reaction needs exactly one of ignore, stop or retryLater; none is given'
            : `a reaction needs exactly one of ignore, stop or retryLater; ${chosen.join(' and ')} are given — keep one`,
      });
    }
    if (reaction.stop !== undefined && reaction.stopAfter !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['stopAfter'],
        message: 'stopAfter applies only to ignore and retryLater; stop already stops at the first error — remove stopAfter',
      });
    }
  })
  .transform((reaction): ErrorReaction => {
    const stopAfter = reaction.stopAfter === undefined ? {} : { stopAfter: reaction.stopAfter };
    if (reaction.retryLater) return { retryLater: reaction.retryLater, ...stopAfter };
    if (reaction.ignore !== undefined) return { ignore: reaction.ignore === true ? true : {}, ...stopAfter };
    return { stop: reaction.stop === true ? true : {} };
  });

const entrySchema = z.strictObject(
  { situation: situationSchema.optional(), reaction: reactionSchema },
  { error: unknownKeys('an errorHandling entry', ['situation', 'reaction']) },
);

/**
 * `errorHandling` of a connector in the configuration document: an ordered list, the first matching entry wins.
 * Example (midPoint's live sync seed): `[{"reaction": {"retryLater": {"initialInterval": "PT30M",
 * "nextInterval": "PT1H"}, "stopAfter": 4}}]`.
 */
export const errorHandlingSchema: z.ZodType<ErrorHandlingEntry[]> = z.array(entrySchema, {
  error: 'errorHandling must be a list of {situation, reaction} entries',
});

const connectorRestart = { initialInterval: 'PT10S', multiplier: 2, maxInterval: 'PT5M', jitter: 0.2 } as const;
const objectRetry = { initialInterval: 'PT1M', multiplier: 2, maxInterval: 'PT6H', jitter: 0.2 } as const;

/**
 * Applied after the configured entries. The metadata server being unavailable never gets here: it always parks
 * the connector behind the shared circuit breaker.
 */
export const BUILT_IN_ERROR_HANDLING: readonly ErrorHandlingEntry[] = [
  {
    situation: { scope: ['object'], errorCategory: ['configuration', 'security'] },
    reaction: { retryLater: { ...objectRetry, retryLimit: 3 } },
  },
  { situation: { scope: ['object'] }, reaction: { retryLater: { ...objectRetry, retryLimit: 10 } } },
  { situation: { errorCategory: ['configuration'] }, reaction: { stop: true } },
  { situation: { errorCategory: ['security'] }, reaction: { retryLater: { ...connectorRestart, retryLimit: 3 } } },
  { situation: { errorSource: ['thirdParty'] }, reaction: { retryLater: { ...connectorRestart } } },
  { reaction: { retryLater: { ...connectorRestart, retryLimit: 5 } } },
];

export interface DecideRecoveryInput {
  entries?: readonly ErrorHandlingEntry[] | undefined;
  error: ClassifiedError;
  status: OperationStatus;
  /** Retries already made in this failure streak. */
  attempt: number;
  /** Errors seen, this one included, for stopAfter. */
  errorCount: number;
  now: number;
  random: () => number;
}

export function isMetadataServerUnavailable(error: ClassifiedError): boolean {
  return error.source === 'metadataServer' && (error.category === 'network' || error.category === 'timeout');
}

function matches(entry: ErrorHandlingEntry, error: ClassifiedError, status: OperationStatus): boolean {
  const s = entry.situation;
  if (!s) return true;
  return (
    (s.status === undefined || s.status.includes(status)) &&
    (s.errorSource === undefined || s.errorSource.includes(error.source)) &&
    (s.errorCategory === undefined || s.errorCategory.includes(error.category)) &&
    (s.scope === undefined || s.scope.includes(error.scope))
  );
}

function stopDecision(error: ClassifiedError, reason: 'strategy' | 'retryLimit' | 'stopAfter'): RecoveryDecision {
  const configuration = error.category === 'configuration' && error.source !== 'metadataServer';
  return { action: 'stop', status: configuration ? 'CONFIG_FAILED' : 'FAILED', reason };
}

/**
 * The failure a stopped connector reports. CONFIG_FAILED means only a change to the connector's configuration helps,
 * so its error source is the connector (its configuration) even when the third-party technology raised the error:
 * a files monitor pointed at a file is not the file system's fault.
 */
export function stoppedFailure(error: ClassifiedError, status: StopStatus): ClassifiedError {
  return status === 'CONFIG_FAILED' ? { ...error, source: 'connector' } : error;
}

type StopStatus = Extract<RecoveryDecision, { action: 'stop' }>['status'];

function retryLaterDelayMs(policy: RetryLaterPolicy, attempt: number, random: () => number): number {
  return retryDelayMs(
    {
      initialMs: parseIsoDuration(policy.initialInterval),
      ...(policy.nextInterval === undefined ? {} : { nextMs: parseIsoDuration(policy.nextInterval) }),
      multiplier: policy.multiplier ?? DEFAULT_MULTIPLIER,
      ...(policy.maxInterval === undefined ? {} : { maxMs: parseIsoDuration(policy.maxInterval) }),
      jitter: policy.jitter ?? 0,
    },
    attempt,
    random,
  );
}

function apply(reaction: ErrorReaction, input: DecideRecoveryInput): RecoveryDecision {
  const { error } = input;
  if ('stop' in reaction) return stopDecision(error, 'strategy');
  if (reaction.stopAfter !== undefined && input.errorCount >= reaction.stopAfter) return stopDecision(error, 'stopAfter');
  if ('ignore' in reaction) return { action: 'ignore' };
  const policy = reaction.retryLater;
  const retryLimit = policy.retryLimit ?? null;
  const attempt = input.attempt + 1;
  if (retryLimit !== null && attempt > retryLimit) return stopDecision(error, 'retryLimit');
  const delayMs = retryLaterDelayMs(policy, attempt, input.random);
  return {
    action: error.scope === 'object' ? 'retryObject' : 'retryConnector',
    attempt,
    retryLimit,
    nextRetryAt: input.now + delayMs,
    delayMs,
  };
}

/**
 * What to do about one failure: (a) metadata server unavailable → wait behind the breaker, no attempt consumed;
 * (b) the first configured entry whose situation matches; (c) the built-in defaults.
 * For object scope, a `stop` with reason `retryLimit` means: give up that object, not stop the connector.
 */
export function decideRecovery(input: DecideRecoveryInput): RecoveryDecision {
  if (isMetadataServerUnavailable(input.error)) return { action: 'waitForMetadataServer' };
  const entry =
    input.entries?.find((e) => matches(e, input.error, input.status)) ??
    BUILT_IN_ERROR_HANDLING.find((e) => matches(e, input.error, input.status));
  // The last built-in entry has no situation, so one always matches.
  return apply((entry ?? BUILT_IN_ERROR_HANDLING[BUILT_IN_ERROR_HANDLING.length - 1]!).reaction, input);
}
