// The OpenLineage run event as the daemon accepts it, checked with zod where it enters (the lineage endpoints):
// the spec's required fields, the facets a lineage connector reads, and text the metadata server can store.
import { z } from 'zod';
import { OPEN_LINEAGE_EVENT_TYPES, type OpenLineageRunEvent } from '../../../shared/api/openlineage.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Longest namespace or name accepted: qualified names built from them stay under the metadata server's limit. */
export const MAX_OPEN_LINEAGE_NAME = 900;
const MAX_DATASETS = 1_000;

/** Text the metadata server can store: no NUL, no half of a surrogate pair. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'contains a NUL character')
    .refine((s) => !LONE_SURROGATE.test(s), 'contains half of a UTF-16 surrogate pair');
const name = text(MAX_OPEN_LINEAGE_NAME).refine((s) => s.trim() !== '', 'must not be blank');
const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a UUID');
const time = text(64).refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && Number.isFinite(Date.parse(s)), 'must be an ISO-8601 date-time');

/** The facets a lineage connector reads are checked; any other facet only has to be a JSON object. */
const knownFacets = {
  parent: z.looseObject({ run: z.looseObject({ runId: guid }), job: z.looseObject({ namespace: name, name }) }),
  documentation: z.looseObject({ description: text(10_000) }),
  sql: z.looseObject({ query: text(100_000) }),
  sourceCodeLocation: z.looseObject({ type: text(200).optional(), url: text(2_000) }),
  ownership: z.looseObject({ owners: z.array(z.looseObject({ name: text(1_000), type: text(200).optional() })).max(1_000) }),
  schema: z.looseObject({ fields: z.array(z.looseObject({ name: text(1_000), type: text(1_000).optional() })).max(10_000) }),
  dataSource: z.looseObject({ name: text(1_000).optional(), uri: text(2_000).optional() }),
  errorMessage: z.looseObject({ message: text(100_000), programmingLanguage: text(200).optional() }),
  outputStatistics: z.looseObject({ rowCount: z.int().min(0).optional(), size: z.int().min(0).optional() }),
};

const facets = z
  .record(text(200), z.looseObject({}))
  .superRefine((value, context) => {
    for (const [key, schema] of Object.entries(knownFacets)) {
      if (value[key] === undefined) continue;
      const parsed = schema.safeParse(value[key]);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) context.addIssue({ code: 'custom', message: issue.message, path: [key, ...issue.path] });
      }
    }
  })
  .optional();

const dataset = z.looseObject({ namespace: name, name, facets, inputFacets: facets, outputFacets: facets });

export const openLineageRunEventSchema = z.looseObject({
  eventType: z.enum(OPEN_LINEAGE_EVENT_TYPES).optional(),
  eventTime: time,
  producer: text(2_000).min(1),
  schemaURL: text(2_000).min(1),
  run: z.looseObject({ runId: guid, facets }),
  job: z.looseObject({ namespace: name, name, facets }),
  inputs: z.array(dataset).max(MAX_DATASETS).optional(),
  outputs: z.array(dataset).max(MAX_DATASETS).optional(),
});

export type ParsedOpenLineageEvent = { ok: true; event: OpenLineageRunEvent } | { ok: false; problem: string };

/** Parses the body of a lineage request: JSON first, then the run event's shape. Never throws. */
export function parseOpenLineageEvent(body: string): ParsedOpenLineageEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { ok: false, problem: `the body is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = openLineageRunEventSchema.safeParse(json);
  if (parsed.success) return { ok: true, event: parsed.data };
  const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`);
  const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
  return { ok: false, problem: `${problems.join('; ')}${more}` };
}
