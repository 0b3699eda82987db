// The PostgreSQL metadata server's statements. Every write is one atomic statement whose outcome comes from the database
// itself (ON CONFLICT … WHERE the fingerprint differs, `xmax = 0` for an insert), never from a read-then-write that
// another daemon sharing the database could race. Element arrays come in binary form (postgres/binary.ts).
import type { PreparedFilter } from '../requests.js';

/** Rows per INSERT statement: bounds the size of one request while keeping round trips few. */
const ROWS_PER_STATEMENT = 5_000;

export const UPSERT_ELEMENTS = `
INSERT INTO metadata_elements AS e (guid, metadata_source, qualified_name, type_name, properties, fingerprint,
  create_time, update_time)
SELECT u.g, $1, u.q, u.t, u.p, u.f, now(), now()
FROM unnest($2::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::text[]) AS u(g, q, t, p, f)
ON CONFLICT (qualified_name, metadata_source) DO UPDATE SET
  type_name = EXCLUDED.type_name, properties = EXCLUDED.properties, fingerprint = EXCLUDED.fingerprint,
  update_time = EXCLUDED.update_time, archived = false, version = e.version + 1
WHERE e.fingerprint <> EXCLUDED.fingerprint OR e.type_name <> EXCLUDED.type_name OR e.archived
RETURNING e.qualified_name AS q, (e.xmax = 0) AS inserted`;

export const HAS_ELEMENTS = 'SELECT EXISTS (SELECT 1 FROM metadata_elements WHERE metadata_source = $1) AS found';

export const UPSERT_RELATIONSHIPS = `
INSERT INTO metadata_relationships AS r (guid, metadata_source, type_name, end1_qualified_name, end2_qualified_name,
  properties, fingerprint, create_time, update_time)
SELECT u.g, $1, u.t, u.e1, u.e2, u.p::jsonb, u.f, now(), now()
FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(g, t, e1, e2, p, f)
ON CONFLICT (metadata_source, type_name, end1_qualified_name, end2_qualified_name) DO UPDATE SET
  properties = EXCLUDED.properties, fingerprint = EXCLUDED.fingerprint, update_time = EXCLUDED.update_time,
  version = r.version + 1
WHERE r.fingerprint <> EXCLUDED.fingerprint
RETURNING r.type_name AS t, r.end1_qualified_name AS e1, r.end2_qualified_name AS e2, (r.xmax = 0) AS inserted`;

export const ARCHIVE_ELEMENTS = `UPDATE metadata_elements SET archived = true, update_time = now(), version = version + 1
       WHERE metadata_source = $1 AND qualified_name = ANY($2::text[]) AND NOT archived`;

export interface ElementRow {
  guid: string;
  metadata_source: string;
  qualified_name: string;
  type_name: string;
  properties: Record<string, unknown>;
  create_time: Date;
  update_time: Date;
  archived: boolean;
  version: number;
}

export interface RelationshipRow {
  guid: string;
  metadata_source: string;
  type_name: string;
  end1_qualified_name: string;
  end2_qualified_name: string;
  properties: Record<string, unknown>;
  create_time: Date;
  update_time: Date;
  version: number;
}

/**
 * Groups batch positions into statements. ON CONFLICT cannot touch one row twice in a statement, so the n-th
 * occurrence of a key goes to the n-th round; within a round, rows are cut into statements of bounded size.
 */
export function splitForStatements<T>(items: readonly T[], keyOf: (item: T) => string): number[][] {
  const occurrences = new Map<string, number>();
  const rounds: number[][] = [];
  items.forEach((item, i) => {
    const key = keyOf(item);
    const round = occurrences.get(key) ?? 0;
    occurrences.set(key, round + 1);
    (rounds[round] ??= []).push(i);
  });
  const statements: number[][] = [];
  for (const round of rounds) {
    for (let start = 0; start < round.length; start += ROWS_PER_STATEMENT) {
      statements.push(round.slice(start, start + ROWS_PER_STATEMENT));
    }
  }
  return statements;
}

export function whereClause(filter: PreparedFilter): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (placeholder: string) => string, value: unknown): void => {
    params.push(value);
    conditions.push(condition(`$${params.length}`));
  };
  if (filter.metadataSource !== undefined && filter.metadataSourcePrefix !== undefined && filter.metadataSourcePrefixEnd !== undefined) {
    params.push(filter.metadataSource, filter.metadataSourcePrefix, filter.metadataSourcePrefixEnd);
    const n = params.length;
    conditions.push(`(metadata_source = $${n - 2} OR (metadata_source >= $${n - 1} AND metadata_source < $${n}))`);
  } else if (filter.metadataSource !== undefined) add((p) => `metadata_source = ${p}`, filter.metadataSource);
  if (filter.typeName !== undefined) add((p) => `type_name = ${p}`, filter.typeName);
  if (filter.qualifiedNamePrefix !== undefined) {
    add((p) => `qualified_name >= ${p}`, filter.qualifiedNamePrefix);
    if (filter.qualifiedNamePrefixEnd !== undefined) add((p) => `qualified_name < ${p}`, filter.qualifiedNamePrefixEnd);
  }
  if (filter.archived === 'exclude') conditions.push('NOT archived');
  if (filter.archived === 'only') conditions.push('archived');
  if (filter.text !== undefined) {
    // The qualified name, or any top-level property value: keys would match almost everything.
    add(
      (p) =>
        `(strpos(lower(qualified_name), ${p}) > 0 OR EXISTS (SELECT 1 FROM jsonb_each_text(properties) AS p(key, value) WHERE strpos(lower(p.value), ${p}) > 0))`,
      filter.text,
    );
  }
  return { sql: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params };
}
