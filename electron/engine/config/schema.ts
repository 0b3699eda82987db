// The configuration document's schema: what may be written where (unknown keys are errors, so a typo never passes
// silently) and the defaults of what is left out. Checks that span fields, and the words of a problem, live in
// cross-checks.ts and problems.ts; validate.ts puts them together.
import { z } from 'zod';
import { AUDIT_SEVERITIES, PERMITTED_SYNCHRONIZATIONS } from '../../../shared/api/types.js';
import { normalizeProviderSpec } from '../providers.js';
import { errorHandlingSchema } from '../recovery/strategy.js';
import { restLimitsSchema } from './rest-limits.js';
import type { ConnectorTimeouts } from './types.js';

/** setTimeout's ceiling; longer delays would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;
export const MAX_REFRESH_MINUTES = Math.floor(MAX_TIMER_MS / 60_000);
/**
 * The shortest interval between scheduled refreshes (60 ms): anything shorter is a typo or a hot loop, not a
 * schedule. Tests tick this fast; a real connector rarely wants less than a minute.
 */
export const MIN_REFRESH_MINUTES = 0.001;

export const DEFAULT_TIMEOUTS: ConnectorTimeouts = Object.freeze({
  initialize: 30_000,
  start: 30_000,
  refresh: 600_000,
  disconnect: 10_000,
});
export const DEFAULT_REFRESH_MINUTES = 60;
/** The mass-archive fail-safe: a run archiving more than this share of the live elements (and at least this many) is held. */
export const DEFAULT_ARCHIVE_FAIL_SAFE = Object.freeze({ thresholdPercent: 50, minimumCount: 10 });
export const DEFAULT_MAX_PAGE_SIZE = 1000;
export const DEFAULT_MEMORY_CAPACITY = 10_000;
export const DEFAULT_JSONL_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_JSONL_MAX_FILES = 5;

const severities = z.array(z.enum(AUDIT_SEVERITIES)).optional();
const timeoutMs = (name: keyof ConnectorTimeouts) => z.int().min(1).max(MAX_TIMER_MS).default(DEFAULT_TIMEOUTS[name]);
/** One of a connector's catalog targets (config/catalog-targets.ts): its endpoint and properties override the connector's. */
export const catalogTargetSchema = z.strictObject({
  catalogTargetName: z.string().trim().min(1),
  endpointAddress: z.string().optional(),
  configurationProperties: z.record(z.string(), z.unknown()).optional(),
});

const connectorSchema = z.strictObject({
  connectorName: z.string().trim().min(1),
  connectorId: z.string().trim().min(1).optional(),
  connectorProvider: z.string().overwrite(normalizeProviderSpec).min(1),
  endpointAddress: z.string().optional(),
  refreshTimeInterval: z
    .number()
    .min(0)
    .max(MAX_REFRESH_MINUTES)
    .refine((minutes) => minutes <= 0 || minutes >= MIN_REFRESH_MINUTES, {
      error: (issue) => `must be 0 or at least ${MIN_REFRESH_MINUTES} minutes, not ${String(issue.input)}`,
    })
    .default(DEFAULT_REFRESH_MINUTES),
  permittedSynchronization: z.enum(PERMITTED_SYNCHRONIZATIONS).optional(),
  configurationProperties: z.record(z.string(), z.unknown()).default({}),
  catalogTargets: z.array(catalogTargetSchema).optional(),
  errorHandling: errorHandlingSchema.optional(),
  archiveFailSafe: z
    .strictObject({
      thresholdPercent: z.number().min(0).max(100).default(DEFAULT_ARCHIVE_FAIL_SAFE.thresholdPercent),
      minimumCount: z.int().min(1).default(DEFAULT_ARCHIVE_FAIL_SAFE.minimumCount),
    })
    .optional(),
  timeouts: z
    .strictObject({
      initialize: timeoutMs('initialize'),
      start: timeoutMs('start'),
      refresh: timeoutMs('refresh'),
      disconnect: timeoutMs('disconnect'),
    })
    .prefault({}),
});

const serviceSchema = z.strictObject({
  urlMarker: z.string().min(1),
  defaultPermittedSynchronization: z.enum(PERMITTED_SYNCHRONIZATIONS).optional(),
  connectors: z.array(connectorSchema).default([]),
});

const destinationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('console'), severities }),
  z.strictObject({
    kind: z.literal('jsonl'),
    path: z.string().min(1),
    maxBytes: z.int().min(1024).default(DEFAULT_JSONL_MAX_BYTES),
    maxFiles: z.int().min(0).max(1000).default(DEFAULT_JSONL_MAX_FILES),
    severities,
  }),
  z.strictObject({ kind: z.literal('memory'), capacity: z.int().min(1).max(10_000_000).default(DEFAULT_MEMORY_CAPACITY), severities }),
]);

const metadataServerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ name: z.string().min(1).optional(), kind: z.literal('embedded'), path: z.string().min(1) }),
  z.strictObject({ name: z.string().min(1).optional(), kind: z.literal('postgres'), connectionString: z.string().min(1) }),
]);

/** Server names appear in URLs and console lines: no spaces or slashes. */
const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Group names appear in URLs (`integration-groups/{group}`) like server names; `summary` is Egeria's
 * `integration-groups/summary` and so cannot name a group.
 */
export const GROUP_NAME = /^(?!summary$)[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const GROUP_NAME_RULE = 'letters, digits, ".", "_" and "-", starting with a letter or digit, and not "summary"';
export const groupNameSchema = z.string().regex(GROUP_NAME, { error: `must be ${GROUP_NAME_RULE}` });

/** Integration groups the daemon runs: their connectors are defined in the metadata server, not here. */
const integrationGroupsSchema = z
  .array(z.strictObject({ groupName: groupNameSchema }))
  .superRefine((groups, context) => {
    const seen = new Map<string, number>();
    groups.forEach((group, index) => {
      const first = seen.get(group.groupName);
      if (first === undefined) seen.set(group.groupName, index);
      else
        context.addIssue({
          code: 'custom',
          path: [index, 'groupName'],
          message: `integration group ${group.groupName} is already named at integrationGroups[${first}]; remove this entry.`,
        });
    });
  })
  .default([]);

export const configDocumentSchema = z.strictObject({
  $schema: z.string().optional(),
  serverName: z.string().regex(SERVER_NAME),
  localServerUserId: z.string().min(1).optional(),
  maxPageSize: z.int().min(1).max(100_000).default(DEFAULT_MAX_PAGE_SIZE),
  metadataServer: metadataServerSchema.optional(),
  auditLog: z
    .strictObject({
      destinations: z.array(destinationSchema).default([{ kind: 'console' }, { kind: 'memory', capacity: DEFAULT_MEMORY_CAPACITY }]),
    })
    .prefault({}),
  integrationServices: z.array(serviceSchema).default([]),
  integrationGroups: integrationGroupsSchema,
  rest: restLimitsSchema,
});

export type ConfigDocument = z.input<typeof configDocumentSchema>;

let jsonSchemaCache: Record<string, unknown> | undefined;
/** JSON Schema of the document (input side), e.g. for editors; also where "did you mean" finds allowed keys. */
export function configJsonSchema(): Record<string, unknown> {
  jsonSchemaCache ??= z.toJSONSchema(configDocumentSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return jsonSchemaCache;
}
