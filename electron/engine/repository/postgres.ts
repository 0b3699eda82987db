// The shared metadata repository on PostgreSQL. Many daemons may use one database, so every write is a single
// atomic statement whose outcome comes from the database itself (ON CONFLICT … WHERE the fingerprint differs),
// never from a read-then-write that another daemon could race.
//
// Reachability is the circuit breaker's business: every connection-level failure becomes
// MetadataServerUnavailableError, and the pool simply opens new connections once the server answers again.
import pg from 'pg';
import type { MetadataElement } from '../../../shared/api/types.js';
import type { ElementInput, ElementSummary, UpsertOutcome } from '../../connector-sdk/index.js';
import { newGuid } from './guid.js';
import {
  checkMetadataSource,
  checkPaging,
  prepareElements,
  prepareFilter,
  prepareQualifiedNames,
  prepareRelationships,
  type PreparedElement,
  type PreparedFilter,
  type PreparedRelationship,
} from './requests.js';
import {
  MetadataServerUnavailableError,
  type ElementQuery,
  type MetadataRelationship,
  type MetadataRepository,
  type RelationshipInput,
} from './types.js';

export interface PostgresRepositoryOptions {
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

const SCHEMA_VERSION = 1;
/** Rows per INSERT statement: bounds the size of one request while keeping round trips few. */
const ROWS_PER_STATEMENT = 5_000;

// The C collation compares UTF-8 bytes (code point order): the same page order and prefix ranges as SQLite.
// Guids are time-ordered (UUID v7), so the primary key index grows at its right-hand end like a serial would.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS metadata_repository_schema (version integer NOT NULL);
CREATE TABLE IF NOT EXISTS metadata_elements (
  guid            uuid PRIMARY KEY,
  metadata_source text COLLATE "C" NOT NULL,
  qualified_name  text COLLATE "C" NOT NULL,
  type_name       text NOT NULL,
  properties      jsonb NOT NULL,
  fingerprint     text NOT NULL,
  create_time     timestamptz NOT NULL,
  update_time     timestamptz NOT NULL,
  archived        boolean NOT NULL DEFAULT false,
  version         integer NOT NULL DEFAULT 1,
  UNIQUE (qualified_name, metadata_source)
);
CREATE TABLE IF NOT EXISTS metadata_relationships (
  guid                uuid PRIMARY KEY,
  metadata_source     text COLLATE "C" NOT NULL,
  type_name           text COLLATE "C" NOT NULL,
  end1_qualified_name text COLLATE "C" NOT NULL,
  end2_qualified_name text COLLATE "C" NOT NULL,
  properties          jsonb NOT NULL,
  fingerprint         text NOT NULL,
  create_time         timestamptz NOT NULL,
  update_time         timestamptz NOT NULL,
  version             integer NOT NULL DEFAULT 1,
  UNIQUE (metadata_source, type_name, end1_qualified_name, end2_qualified_name)
);
`;

const UPSERT_ELEMENTS = `
INSERT INTO metadata_elements AS e (guid, metadata_source, qualified_name, type_name, properties, fingerprint,
  create_time, update_time)
SELECT u.g, $1, u.q, u.t, u.p::jsonb, u.f, now(), now()
FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(g, q, t, p, f)
ON CONFLICT (qualified_name, metadata_source) DO UPDATE SET
  type_name = EXCLUDED.type_name, properties = EXCLUDED.properties, fingerprint = EXCLUDED.fingerprint,
  update_time = EXCLUDED.update_time, archived = false, version = e.version + 1
WHERE e.fingerprint <> EXCLUDED.fingerprint OR e.type_name <> EXCLUDED.type_name OR e.archived
RETURNING e.qualified_name AS q, (e.xmax = 0) AS inserted`;

const UPSERT_RELATIONSHIPS = `
INSERT INTO metadata_relationships AS r (guid, metadata_source, type_name, end1_qualified_name, end2_qualified_name,
  properties, fingerprint, create_time, update_time)
SELECT u.g, $1, u.t, u.e1, u.e2, u.p::jsonb, u.f, now(), now()
FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(g, t, e1, e2, p, f)
ON CONFLICT (metadata_source, type_name, end1_qualified_name, end2_qualified_name) DO UPDATE SET
  properties = EXCLUDED.properties, fingerprint = EXCLUDED.fingerprint, update_time = EXCLUDED.update_time,
  version = r.version + 1
WHERE r.fingerprint <> EXCLUDED.fingerprint
RETURNING r.type_name AS t, r.end1_qualified_name AS e1, r.end2_qualified_name AS e2, (r.xmax = 0) AS inserted`;

/** Node socket errors and PostgreSQL SQLSTATEs that mean the server is down, restarting or unreachable. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNABORTED',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, recovering)
  '53300', // too_many_connections
]);

/** pg reports these without a code. */
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /Client has encountered a connection error and is not queryable/i,
  /Cannot use a pool after calling end on the pool/i,
];

/** Failures of a connection that was already open: the pool hands out a fresh one, so one retry is worth it. */
const BROKEN_CONNECTION = /Connection terminated|not queryable|ECONNRESET|EPIPE|57P01|57P02/i;

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isConnectionFailure(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  // Node reports a refused connection to a host with several addresses as an AggregateError.
  if (error instanceof AggregateError) return error.errors.some(isConnectionFailure);
  const message = error instanceof Error ? error.message : '';
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
}

function describeError(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error && error.message !== '' ? error.message : String(error);
  return code !== undefined && !message.includes(code) ? `${code} ${message}` : message;
}

interface ElementRow {
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

interface RelationshipRow {
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

export class PostgresMetadataRepository implements MetadataRepository {
  readonly kind = 'postgres' as const;
  private pool: pg.Pool | undefined;
  /**
   * pg-pool gives the same "timeout exceeded when trying to connect" when it is merely full as when the server
   * does not answer; waiting for a slot here first means the pool's connect timeout only ever measures the server.
   */
  private readonly slots: Slots;
  private schema: Promise<void> | undefined;
  private closed = false;
  private readonly connectTimeoutMs: number;
  private readonly queryTimeoutMs: number;
  private readonly maxConnections: number;

  constructor(
    readonly name: string,
    private readonly connectionString: string,
    options: PostgresRepositoryOptions = {},
  ) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 3_000;
    this.queryTimeoutMs = options.queryTimeoutMs ?? 60_000;
    this.maxConnections = options.maxConnections ?? 8;
    this.slots = new Slots(this.maxConnections);
  }

  /** Creates the schema if absent. Safe to call again after a failure, and after close(). */
  async open(): Promise<void> {
    this.closed = false;
    await this.ensureSchema();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.schema = undefined;
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1', [], false);
  }

  async upsertElements(metadataSource: string, elements: readonly ElementInput[]): Promise<UpsertOutcome[]> {
    const source = checkMetadataSource(metadataSource);
    const prepared = prepareElements(source, elements);
    if (prepared.length === 0) return [];
    const outcomes = new Array<UpsertOutcome>(prepared.length).fill('unchanged');
    const statements = splitForStatements(prepared, (e) => e.qualifiedName);
    await this.inTransaction(statements.length > 1, async (client) => {
      for (const indexes of statements) {
        const rows = indexes.map((i) => prepared[i] as PreparedElement);
        const now = Date.now();
        const result = await client.query<{ q: string; inserted: boolean }>(UPSERT_ELEMENTS, [
          source,
          rows.map(() => newGuid(now)),
          rows.map((e) => e.qualifiedName),
          rows.map((e) => e.typeName),
          rows.map((e) => e.properties),
          rows.map((e) => e.fingerprint),
        ]);
        const written = new Map(result.rows.map((row) => [row.q, row.inserted]));
        for (const i of indexes) {
          const inserted = written.get((prepared[i] as PreparedElement).qualifiedName);
          if (inserted !== undefined) outcomes[i] = inserted ? 'created' : 'updated';
        }
      }
    });
    return outcomes;
  }

  async archiveElements(metadataSource: string, qualifiedNames: readonly string[]): Promise<number> {
    const source = checkMetadataSource(metadataSource);
    const names = prepareQualifiedNames(source, qualifiedNames);
    if (names.length === 0) return 0;
    const result = await this.query(
      `UPDATE metadata_elements SET archived = true, update_time = now(), version = version + 1
       WHERE metadata_source = $1 AND qualified_name = ANY($2::text[]) AND NOT archived`,
      [source, names],
    );
    return result.rowCount ?? 0;
  }

  async listElementSummaries(
    metadataSource: string,
    filter: { typeName?: string; qualifiedNamePrefix?: string; includeArchived?: boolean } = {},
  ): Promise<ElementSummary[]> {
    const source = checkMetadataSource(metadataSource);
    const where = whereClause(prepareFilter({ ...filter, metadataSource: source }));
    const result = await this.query<{ qualified_name: string; type_name: string; fingerprint: string; archived: boolean }>(
      `SELECT qualified_name, type_name, fingerprint, archived FROM metadata_elements ${where.sql} ORDER BY qualified_name`,
      where.params,
    );
    return result.rows.map((row) => ({
      qualifiedName: row.qualified_name,
      typeName: row.type_name,
      fingerprint: row.fingerprint,
      archived: row.archived,
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

  private getPool(): pg.Pool {
    if (this.closed) throw new MetadataServerUnavailableError(this.name, 'the repository was closed');
    if (this.pool === undefined) {
      const pool = new pg.Pool({
        connectionString: this.connectionString,
        connectionTimeoutMillis: this.connectTimeoutMs,
        query_timeout: this.queryTimeoutMs,
        max: this.maxConnections,
        idleTimeoutMillis: 10_000,
        keepAlive: true,
        allowExitOnIdle: true,
        application_name: 'integration-daemon',
      });
      // An idle connection that the server drops (shutdown, restart) is reported here; the pool already discards
      // it, and the next call that needs the server will see the outage itself.
      pool.on('error', () => undefined);
      this.pool = pool;
    }
    return this.pool;
  }

  /** Schema creation runs once per repository object; a failed attempt is forgotten so the next call tries again. */
  private ensureSchema(): Promise<void> {
    if (this.schema === undefined) {
      const attempt = this.withClient(async (client) => {
        await client.query('BEGIN');
        try {
          // Daemons sharing one database may start together; the lock makes them create the schema one at a time.
          await client.query(`SELECT pg_advisory_xact_lock(hashtext('integration-daemon metadata schema'))`);
          await client.query(SCHEMA);
          const found = await client.query<{ version: number }>('SELECT max(version) AS version FROM metadata_repository_schema');
          const version = found.rows[0]?.version ?? null;
          if (version === null) {
            await client.query('INSERT INTO metadata_repository_schema (version) VALUES ($1)', [SCHEMA_VERSION]);
          } else if (version > SCHEMA_VERSION) {
            throw new Error(
              `INTEGRATION-DAEMON-REPOSITORY-500-002 The metadata repository database of ${this.name} has ` +
                `schema version ${version}, newer than this daemon understands (${SCHEMA_VERSION}). Upgrade the daemon ` +
                'or point metadataServer.connectionString at another database.',
            );
          }
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }, false);
      this.schema = attempt;
      attempt.catch(() => {
        if (this.schema === attempt) this.schema = undefined;
      });
    }
    return this.schema;
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[], needsSchema = true): Promise<pg.QueryResult<R>> {
    return this.withClient((client) => client.query<R>(sql, params), needsSchema);
  }

  private async inTransaction(transaction: boolean, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    await this.withClient(async (client) => {
      if (!transaction) return work(client);
      await client.query('BEGIN');
      try {
        await work(client);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /**
   * Runs `work` on a pooled connection and turns connection-level failures into MetadataServerUnavailableError.
   * After an outage the pool may still hold a connection the server has since dropped; a failure on such an
   * already-open connection is retried once on a new one, which is safe because every operation is idempotent.
   */
  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>, needsSchema = true): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (needsSchema) await this.ensureSchema();
        await this.slots.acquire();
        let client: pg.PoolClient;
        try {
          client = await this.connect();
        } catch (error) {
          this.slots.release();
          throw error;
        }
        // pg-pool drops its own error listener while a client is checked out; a server that goes away mid-query
        // then emits 'error' on the client as well as rejecting the query, and an unheard 'error' ends the process.
        const ignore = (): void => undefined;
        client.on('error', ignore);
        let failure: unknown;
        try {
          return await work(client);
        } catch (error) {
          failure = error;
          throw error;
        } finally {
          client.off('error', ignore);
          // A connection that failed at connection level must not go back to the pool.
          client.release(failure !== undefined && isConnectionFailure(failure) ? toError(failure) : undefined);
          this.slots.release();
        }
      } catch (error) {
        if (error instanceof MetadataServerUnavailableError) throw error;
        if (!isConnectionFailure(error)) throw error;
        if (attempt === 1 && BROKEN_CONNECTION.test(`${errorCode(error) ?? ''} ${describeError(error)}`)) continue;
        throw new MetadataServerUnavailableError(this.name, describeError(error), error);
      }
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.getPool().connect();
    } catch (error) {
      if (error instanceof MetadataServerUnavailableError || !isConnectionFailure(error)) throw error;
      throw new MetadataServerUnavailableError(this.name, describeError(error), error);
    }
  }
}

/** A counting semaphore: at most `size` holders, the rest wait in order. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(size: number) {
    this.free = size;
  }
  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Groups batch positions into statements. ON CONFLICT cannot touch one row twice in a statement, so the n-th
 * occurrence of a key goes to the n-th round; within a round, rows are cut into statements of bounded size.
 */
function splitForStatements<T>(items: readonly T[], keyOf: (item: T) => string): number[][] {
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

function whereClause(filter: PreparedFilter): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (placeholder: string) => string, value: unknown): void => {
    params.push(value);
    conditions.push(condition(`$${params.length}`));
  };
  if (filter.metadataSource !== undefined) add((p) => `metadata_source = ${p}`, filter.metadataSource);
  if (filter.typeName !== undefined) add((p) => `type_name = ${p}`, filter.typeName);
  if (filter.qualifiedNamePrefix !== undefined) {
    add((p) => `qualified_name >= ${p}`, filter.qualifiedNamePrefix);
    if (filter.qualifiedNamePrefixEnd !== undefined) add((p) => `qualified_name < ${p}`, filter.qualifiedNamePrefixEnd);
  }
  if (!filter.includeArchived) conditions.push('NOT archived');
  return { sql: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params };
}
