// The shared metadata server on PostgreSQL: many daemons may use one database. The statements are in
// postgres/sql.ts, the tables in postgres/schema.ts, the connections (and what counts as the server being down) in
// postgres/pool.ts and postgres/errors.ts. Reachability is the circuit breaker's business: every connection-level
// failure becomes MetadataServerUnavailableError, and the pool opens new connections once the server answers again.
import type pg from 'pg';
import type { MetadataElement } from '../../../shared/api/types.js';
import type { ElementInput, ElementSummary, UpsertOutcome } from '../../connector-sdk/index.js';
import { newGuid } from './guid.js';
import { jsonbArray, newGuidArray, textArray } from './postgres/binary.js';
import { PostgresConnections } from './postgres/pool.js';
import { createSchema } from './postgres/schema.js';
import { isUniqueViolation } from './postgres/errors.js';
import { copyNewElements } from './postgres/new-elements.js';
import {
  ARCHIVE_ELEMENTS,
  HAS_ELEMENTS,
  splitForStatements,
  UPSERT_ELEMENTS,
  UPSERT_RELATIONSHIPS,
  whereClause,
  type ElementRow,
  type RelationshipRow,
} from './postgres/sql.js';
import {
  checkMetadataSource,
  checkPaging,
  prepareElements,
  prepareFilter,
  prepareQualifiedNames,
  prepareRelationships,
  type PreparedElement,
  type PreparedRelationship,
} from './requests.js';
import { createGroup, deleteGroup, getGroup, groupStamps, listGroups, updateGroup } from './postgres/groups.js';
import type {
  IntegrationGroupContent,
  IntegrationGroupStamp,
  IntegrationGroupUpdate,
  StoredIntegrationGroup,
} from './integration-groups.js';
import type { ElementFilter, ElementQuery, MetadataRelationship, MetadataServer, RelationshipInput } from './types.js';

/**
 * Elements per statement. The first part is small so the server starts early; while it writes that part, the next
 * (larger) one is prepared (checks, canonical JSON, fingerprint), which takes less time than the server's writing
 * of as many rows, so the server rarely waits. Few parts keep the round trips few.
 */
const FIRST_PART_ROWS = 250;
const PART_ROWS = 1_000;

/** A batch of elements, its first part already prepared (and so checked) before anything was sent. */
interface ElementBatch {
  source: string;
  elements: readonly ElementInput[];
  first: PreparedElement[];
  firstStatements: number[][];
}

/** The batch a part at a time, each prepared (and so checked) only when asked for. */
function* batchParts({ source, elements, first }: ElementBatch): Generator<PreparedElement[]> {
  yield first;
  for (let from = first.length; from < elements.length; from += PART_ROWS) {
    yield prepareElements(source, elements, from, Math.min(from + PART_ROWS, elements.length));
  }
}

/** One statement writing `part[i]`, i in `indexes`; reports each element the statement returns by its index. */
async function writeElements(
  client: pg.PoolClient,
  statement: string,
  source: string,
  part: readonly PreparedElement[],
  indexes: readonly number[],
  record: (i: number, outcome: UpsertOutcome) => void,
): Promise<void> {
  const rows = indexes.map((i) => part[i] as PreparedElement);
  const now = Date.now();
  const result = await client.query<{ q: string; inserted: boolean }>(statement, [
    source,
    newGuidArray(rows.length, now),
    textArray(rows.map((e) => e.qualifiedName)),
    textArray(rows.map((e) => e.typeName)),
    jsonbArray(rows.map((e) => e.properties)),
    textArray(rows.map((e) => e.fingerprint)),
  ]);
  const written = new Map(result.rows.map((row) => [row.q, row.inserted]));
  for (const i of indexes) {
    const inserted = written.get((part[i] as PreparedElement).qualifiedName);
    if (inserted !== undefined) record(i, inserted ? 'created' : 'updated');
  }
}

export interface PostgresMetadataServerOptions {
  /** How long to wait for a new connection before calling the server unavailable. Default 3 s. */
  connectTimeoutMs?: number;
  /** How long one statement may wait for an answer before the server counts as not answering. Default 60 s. */
  queryTimeoutMs?: number;
  /**
   * Pool size. Default 8. Callers beyond it wait for a free connection without a time limit (a busy pool is not an
   * outage); the connect timeout applies to opening a connection only.
   */
  maxConnections?: number;
}

export class PostgresMetadataServer implements MetadataServer {
  readonly kind = 'postgres' as const;
  /** The pool size: the daemon lets no more connector calls through at a time. */
  readonly connections: number;
  private readonly pool: PostgresConnections;
  private schema: Promise<void> | undefined;
  /** Metadata sources known to have elements, and those known to have had none (see isNewSource). */
  private readonly sourcesWithElements = new Set<string>();
  private readonly newSources = new Set<string>();

  constructor(
    readonly name: string,
    connectionString: string,
    options: PostgresMetadataServerOptions = {},
  ) {
    this.connections = options.maxConnections ?? 8;
    this.pool = new PostgresConnections(name, connectionString, {
      connectTimeoutMs: options.connectTimeoutMs ?? 3_000,
      queryTimeoutMs: options.queryTimeoutMs ?? 60_000,
      maxConnections: this.connections,
    });
  }

  /** Creates the schema if absent. Safe to call again after a failure, and after close(). */
  async open(): Promise<void> {
    this.pool.open();
    await this.ensureSchema();
  }

  async close(): Promise<void> {
    this.schema = undefined;
    await this.pool.close();
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1', [], false);
  }

  async upsertElements(metadataSource: string, elements: readonly ElementInput[]): Promise<UpsertOutcome[]> {
    const source = checkMetadataSource(metadataSource);
    // Prepared before anything is sent, so a batch that is not an array fails as a bad request.
    const first = prepareElements(source, elements, 0, Array.isArray(elements) ? Math.min(FIRST_PART_ROWS, elements.length) : 0);
    if (first.length === 0) return [];
    const batch: ElementBatch = { source, elements, first, firstStatements: splitForStatements(first, (e) => e.qualifiedName) };
    if (await this.isNewSource(source)) {
      // COPY, in a transaction of its own: an element already there (another daemon wrote one meanwhile) or named
      // twice in the batch fails it with unique_violation, and the batch is then written again as upserts.
      try {
        await this.inTransaction(true, async (client) => {
          await copyNewElements(client, source, batchParts(batch));
        });
        return new Array<UpsertOutcome>(elements.length).fill('created');
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        this.sourcesWithElements.add(source);
      }
    }
    const outcomes = new Array<UpsertOutcome>(elements.length);
    await this.writeBatch(
      batch,
      UPSERT_ELEMENTS,
      (i, outcome) => (outcomes[i] = outcome),
      () => outcomes.fill('unchanged'),
    );
    return outcomes;
  }

  async archiveElements(metadataSource: string, qualifiedNames: readonly string[]): Promise<number> {
    const source = checkMetadataSource(metadataSource);
    const names = prepareQualifiedNames(source, qualifiedNames);
    if (names.length === 0) return 0;
    const result = await this.query(ARCHIVE_ELEMENTS, [source, names]);
    return result.rowCount ?? 0;
  }

  async listElementSummaries(
    metadataSource: string,
    filter: { typeName?: string; qualifiedNamePrefix?: string; includeArchived?: boolean } = {},
  ): Promise<ElementSummary[]> {
    const source = checkMetadataSource(metadataSource);
    const prepared = prepareFilter({ ...filter, metadataSource: source });
    const where = whereClause(prepared);
    // A refresh lists every element of its connector (100,000 rows for as many files), and pg decodes each column
    // of each row: a column the filter already decides is not sent, and rows come as arrays, not objects.
    const typeName = prepared.typeName;
    const archived = prepared.archived === 'exclude' ? false : undefined;
    const columns = ['qualified_name', 'fingerprint'];
    const typeAt = typeName === undefined ? columns.push('type_name') - 1 : 0;
    const archivedAt = archived === undefined ? columns.push('archived') - 1 : 0;
    const result = await this.queryArrays(
      `SELECT ${columns.join(', ')} FROM metadata_elements ${where.sql} ORDER BY qualified_name`,
      where.params,
    );
    return result.rows.map((row) => ({
      qualifiedName: row[0] as string,
      typeName: typeName ?? (row[typeAt] as string),
      fingerprint: row[1] as string,
      archived: archived ?? (row[archivedAt] as boolean),
    }));
  }

  async findElements(query: ElementQuery): Promise<MetadataElement[]> {
    const { startFrom, pageSize } = checkPaging(query);
    const where = whereClause(prepareFilter(query));
    const n = where.params.length;
    const result = await this.query<ElementRow>(
      `SELECT guid, metadata_source, qualified_name, type_name, properties, create_time, update_time, archived, version
       FROM metadata_elements ${where.sql} ORDER BY qualified_name, metadata_source LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...where.params, pageSize, startFrom],
    );
    return result.rows.map((row) => ({
      guid: row.guid,
      typeName: row.type_name,
      qualifiedName: row.qualified_name,
      metadataSource: row.metadata_source,
      properties: row.properties,
      createTime: row.create_time.toISOString(),
      updateTime: row.update_time.toISOString(),
      archived: row.archived,
      version: row.version,
    }));
  }

  async countElements(filter: ElementFilter): Promise<number> {
    const where = whereClause(prepareFilter(filter));
    const result = await this.query<{ n: string }>(`SELECT count(*) AS n FROM metadata_elements ${where.sql}`, where.params);
    return Number(result.rows[0]?.n ?? 0);
  }

  async countLiveElements(metadataSources?: readonly string[]): Promise<Map<string, number>> {
    const sources = metadataSources?.map(checkMetadataSource);
    if (sources?.length === 0) return new Map();
    const result = await this.query<{ source: string; n: string }>(
      `SELECT metadata_source AS source, count(*) AS n FROM metadata_elements
        WHERE NOT archived ${sources === undefined ? '' : 'AND metadata_source = ANY($1::text[])'} GROUP BY metadata_source`,
      sources === undefined ? [] : [sources],
    );
    const counts = new Map<string, number>((sources ?? []).map((s) => [s, 0]));
    for (const row of result.rows) counts.set(row.source, Number(row.n));
    return counts;
  }

  async upsertRelationships(metadataSource: string, relationships: readonly RelationshipInput[]): Promise<UpsertOutcome[]> {
    const source = checkMetadataSource(metadataSource);
    const prepared = prepareRelationships(source, relationships);
    if (prepared.length === 0) return [];
    const outcomes = new Array<UpsertOutcome>(prepared.length).fill('unchanged');
    const key = (r: { t: string; e1: string; e2: string }): string => JSON.stringify([r.t, r.e1, r.e2]);
    const statements = splitForStatements(prepared, (r) => key({ t: r.typeName, e1: r.end1QualifiedName, e2: r.end2QualifiedName }));
    await this.inTransaction(statements.length > 1, async (client) => {
      for (const indexes of statements) {
        const rows = indexes.map((i) => prepared[i] as PreparedRelationship);
        const now = Date.now();
        const result = await client.query<{ t: string; e1: string; e2: string; inserted: boolean }>(UPSERT_RELATIONSHIPS, [
          source,
          rows.map(() => newGuid(now)),
          rows.map((r) => r.typeName),
          rows.map((r) => r.end1QualifiedName),
          rows.map((r) => r.end2QualifiedName),
          rows.map((r) => r.properties),
          rows.map((r) => r.fingerprint),
        ]);
        const written = new Map(result.rows.map((row) => [key(row), row.inserted]));
        for (const i of indexes) {
          const r = prepared[i] as PreparedRelationship;
          const inserted = written.get(key({ t: r.typeName, e1: r.end1QualifiedName, e2: r.end2QualifiedName }));
          if (inserted !== undefined) outcomes[i] = inserted ? 'created' : 'updated';
        }
      }
    });
    return outcomes;
  }

  /** Every relationship of one metadata source, ordered by type and ends. */
  async listRelationships(metadataSource: string): Promise<MetadataRelationship[]> {
    const source = checkMetadataSource(metadataSource);
    const result = await this.query<RelationshipRow>(
      `SELECT guid, metadata_source, type_name, end1_qualified_name, end2_qualified_name, properties, create_time,
       update_time, version FROM metadata_relationships WHERE metadata_source = $1
       ORDER BY type_name, end1_qualified_name, end2_qualified_name`,
      [source],
    );
    return result.rows.map((row) => ({
      guid: row.guid,
      typeName: row.type_name,
      metadataSource: row.metadata_source,
      end1QualifiedName: row.end1_qualified_name,
      end2QualifiedName: row.end2_qualified_name,
      properties: row.properties,
      createTime: row.create_time.toISOString(),
      updateTime: row.update_time.toISOString(),
      version: row.version,
    }));
  }

  listIntegrationGroups(): Promise<StoredIntegrationGroup[]> {
    return listGroups((sql, params) => this.query(sql, params));
  }

  getIntegrationGroup(groupName: string): Promise<StoredIntegrationGroup | undefined> {
    return getGroup((sql, params) => this.query(sql, params), groupName);
  }

  integrationGroupStamps(groupNames: readonly string[]): Promise<Map<string, IntegrationGroupStamp>> {
    return groupStamps((sql, params) => this.query(sql, params), groupNames);
  }

  createIntegrationGroup(groupName: string, content: IntegrationGroupContent): Promise<StoredIntegrationGroup | undefined> {
    return createGroup((sql, params) => this.query(sql, params), groupName, content);
  }

  updateIntegrationGroup(groupName: string, content: IntegrationGroupContent, expectedVersion: number): Promise<IntegrationGroupUpdate> {
    return updateGroup((sql, params) => this.query(sql, params), groupName, content, expectedVersion);
  }

  deleteIntegrationGroup(groupName: string): Promise<boolean> {
    return deleteGroup((sql, params) => this.query(sql, params), groupName);
  }

  /**
   * Whether the source had no elements when first asked. Elements are never deleted, so a source seen with elements
   * keeps them; one seen without is trusted to be new until an insert meets an element of it.
   */
  private async isNewSource(source: string): Promise<boolean> {
    if (this.sourcesWithElements.has(source)) return false;
    if (this.newSources.has(source)) return true;
    const found = (await this.query<{ found: boolean }>(HAS_ELEMENTS, [source])).rows[0]?.found ?? true;
    if (found) this.sourcesWithElements.add(source);
    else this.newSources.add(source);
    return !found;
  }

  /**
   * Writes a batch a part at a time with `statement`, in one transaction when it takes several statements. While
   * the server writes one part, the next is checked and encoded here: pg sends a query as soon as the one before it
   * on the connection is answered, so at most two are in flight (one running, one waiting).
   */
  private async writeBatch(
    batch: ElementBatch,
    statement: string,
    record: (i: number, outcome: UpsertOutcome) => void,
    beforeAttempt: () => void = () => undefined,
  ): Promise<void> {
    const { source, elements, first, firstStatements } = batch;
    await this.inTransaction(elements.length > first.length || firstStatements.length > 1, async (client) => {
      beforeAttempt();
      const inFlight: Promise<void>[] = [];
      try {
        for (let from = 0; from < elements.length; from += from === 0 ? first.length : PART_ROWS) {
          const part = from === 0 ? first : prepareElements(source, elements, from, Math.min(from + PART_ROWS, elements.length));
          for (const indexes of from === 0 ? firstStatements : splitForStatements(part, (e) => e.qualifiedName)) {
            const written = writeElements(client, statement, source, part, indexes, (i, outcome) => record(from + i, outcome));
            // Awaited below (or settled on failure); this only keeps a failure from counting as unhandled meanwhile.
            written.catch(() => undefined);
            inFlight.push(written);
            if (inFlight.length > 1) await inFlight.shift();
          }
        }
        for (const written of inFlight.splice(0)) await written;
      } catch (error) {
        await Promise.allSettled(inFlight);
        throw error;
      }
    });
  }

  /** Schema creation runs once per metadata server object; a failed attempt is forgotten so the next call tries again. */
  private ensureSchema(): Promise<void> {
    if (this.schema === undefined) {
      const attempt = this.pool.withClient((client) => createSchema(client, this.name));
      this.schema = attempt;
      attempt.catch(() => {
        if (this.schema === attempt) this.schema = undefined;
      });
    }
    return this.schema;
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[], needsSchema = true): Promise<pg.QueryResult<R>> {
    if (needsSchema) await this.ensureSchema();
    return this.pool.withClient((client) => client.query<R>(sql, params));
  }

  private async queryArrays(sql: string, params: unknown[]): Promise<pg.QueryArrayResult> {
    await this.ensureSchema();
    return this.pool.withClient((client) => client.query({ text: sql, values: params, rowMode: 'array' }));
  }

  private async inTransaction(transaction: boolean, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    await this.ensureSchema();
    await this.pool.inTransaction(transaction, work);
  }
}
