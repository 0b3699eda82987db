// Shapes of every IPC argument tuple, checked in main before a handler runs (the renderer is untrusted). A daemon
// entry and an action are checked by the same schemas and rules as in the browser backend.
import { z } from 'zod';
import { ARCHIVED_FILTERS, AUDIT_SEVERITIES } from '../api/types.js';
import { ACTION_KINDS, ACTION_SCOPES, actionProblem } from '../console-actions.js';
import { daemonInputSchema, daemonUpdateSchema } from '../daemon-input.js';
import type { InvokeChannel } from './channels.js';

const id = z.string().min(1).max(200);
const name = z.string().min(1).max(500);
const limit = z.number().int().min(1).max(10_000);
const testId = z.string().min(1).max(100);
/** A connector entry is checked by the daemon, field by field; here only that it is a modest JSON object. */
const connectorEntry = z
  .record(z.string(), z.unknown())
  .refine((entry) => JSON.stringify(entry).length <= 1_000_000, 'the connector entry must be under 1 MB of JSON');
const elementsQuery = z.strictObject({
  connectorName: name.optional(),
  typeName: name.optional(),
  qualifiedNamePrefix: z.string().max(2000).optional(),
  text: z.string().max(500).optional(),
  archived: z.enum(ARCHIVED_FILTERS).optional(),
  startFrom: z.number().int().min(0),
  pageSize: z.number().int().min(1).max(10_000),
  count: z.boolean().optional(),
});

/** One action as the renderer may ask for it; the rules are shared/console-actions.ts's, the browser backend's too. */
export const consoleActionSchema = z
  .strictObject({
    kind: z.enum(ACTION_KINDS),
    scope: z.enum(ACTION_SCOPES),
    urlMarker: name.optional(),
    connectorName: name.optional(),
  })
  .superRefine((action, ctx) => {
    const problem = actionProblem(action);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem.text });
  });

export const invokeArgSchemas = {
  'daemons:list': z.tuple([]),
  'daemons:add': z.tuple([daemonInputSchema()]),
  'daemons:update': z.tuple([id, daemonUpdateSchema()]),
  'daemons:remove': z.tuple([id]),
  'daemon:action': z.tuple([id, consoleActionSchema]),
  'daemon:audit-log': z.tuple([
    id,
    z.strictObject({
      severity: z.array(z.enum(AUDIT_SEVERITIES)).max(AUDIT_SEVERITIES.length).optional(),
      connectorName: name.optional(),
      limit,
    }),
  ]),
  'daemon:runs': z.tuple([id, z.strictObject({ connectorName: name.optional(), limit })]),
  'daemon:object-retries': z.tuple([id, name.optional()]),
  'daemon:retry-objects-now': z.tuple([id, name, name.optional()]),
  'daemon:providers': z.tuple([id]),
  'daemon:test-connector': z.tuple([id, name, testId]),
  'daemon:test-connector-entry': z.tuple([id, name, connectorEntry, testId]),
  'daemon:add-connector': z.tuple([id, name, connectorEntry]),
  'daemon:connector-entry': z.tuple([id, name]),
  'daemon:update-connector': z.tuple([id, name, connectorEntry]),
  'daemon:remove-connector': z.tuple([id, name]),
  'daemon:create-integration-group': z.tuple([id, name, z.string().max(2_000).optional()]),
  'daemon:delete-integration-group': z.tuple([id, name]),
  'daemon:add-integration-group-connector': z.tuple([id, name, connectorEntry]),
  'daemon:remove-integration-group-connector': z.tuple([id, name, name]),
  'daemon:held-archives': z.tuple([id]),
  'daemon:approve-held-archive': z.tuple([id, name, name.optional()]),
  'daemon:reject-held-archive': z.tuple([id, name, name.optional()]),
  'daemon:catalog-target-action': z.tuple([id, name, name, z.enum(['refresh', 'retry'])]),
  'daemon:status-history': z.tuple([id, z.iso.datetime({ offset: true }).optional()]),
  'daemon:metadata-elements': z.tuple([id, elementsQuery]),
  'daemons:test': z.tuple([daemonInputSchema()]),
  'notifications:muted': z.tuple([]),
  'notifications:mute': z.tuple([id, name, z.boolean()]),
  'console:ready': z.tuple([]),
} as const satisfies Record<InvokeChannel, z.ZodType>;
