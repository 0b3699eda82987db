// The rows of the daemon's state file as zod reads them back: the file outlives daemon versions and can be edited
// by hand, so each row is checked before it becomes a retry time, a breaker state or a run.
import { z } from 'zod';
import { BREAKER_STATES, ERROR_CATEGORIES, ERROR_SOURCES, OBJECT_RETRY_STATES, type ConnectorRun } from '../../../shared/api/types.js';
import type { StoredHeldArchive } from './types.js';

const epochMs = z.number().int().nonnegative();
const errorSource = z.enum(ERROR_SOURCES);
const errorCategory = z.enum(ERROR_CATEGORIES);

export const objectRetryRow = z.object({
  connector_id: z.string(),
  object_key: z.string(),
  state: z.enum(OBJECT_RETRY_STATES),
  attempt: z.number().int(),
  retry_limit: z.number().int().nullable(),
  next_retry_at: epochMs.nullable(),
  first_failed_at: epochMs,
  last_failed_at: epochMs,
  last_error_message_id: z.string(),
  last_error_message: z.string(),
  error_source: errorSource,
  error_category: errorCategory,
});

export const connectorRetryRow = z.object({
  connector_id: z.string(),
  attempt: z.number().int(),
  retry_limit: z.number().int().nullable(),
  next_retry_at: epochMs,
  reason: z.string(),
  message_id: z.string(),
  error_source: errorSource,
  error_category: errorCategory,
  error_count: z.number().int(),
  first_failed_at: epochMs,
});

export const breakerRow = z.object({
  metadata_server_name: z.string(),
  state: z.enum(BREAKER_STATES),
  since: epochMs,
  next_probe_at: epochMs.nullable(),
  open_count: z.number().int(),
  last_error_message: z.string().nullable(),
});

const count = z.number().int().nonnegative();
export const connectorRun = z.object({
  runId: z.string(),
  connectorName: z.string(),
  connectorId: z.string(),
  connectorInstanceId: z.string(),
  trigger: z.enum(['start', 'schedule', 'request', 'retry', 'change']),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
  state: z.enum(['RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED']),
  counts: z.object({ discovered: count, created: count, updated: count, unchanged: count, archived: count, failed: count }),
  failingExceptionMessageId: z.string().optional(),
  failingExceptionMessage: z.string().optional(),
}) satisfies z.ZodType<ConnectorRun>;

export const heldArchive = z.object({
  connectorName: z.string(),
  connectorId: z.string(),
  urlMarker: z.string(),
  catalogTargetName: z.string().optional(),
  runId: z.string(),
  heldAt: z.string(),
  count: count,
  liveCount: count,
  thresholdPercent: z.number(),
  sample: z.array(z.string()),
  qualifiedNames: z.array(z.string()),
}) satisfies z.ZodType<StoredHeldArchive>;
