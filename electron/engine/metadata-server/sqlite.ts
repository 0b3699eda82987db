// The embedded metadata server: one SQLite file (WAL). better-sqlite3 is synchronous, so each call runs to
// completion without interleaving; a batch is one IMMEDIATE transaction of prepared writes whose outcome comes from
// the statements' own change counts (as on PostgreSQL), so a batch naming an element twice, or another process
// writing the same file, still gets exact created/updated/unchanged answers. While the rows are all new (a first
// refresh) they go many to a statement; a block that is not all new is rolled back and written row by row.
import Database from 'better-sqlite3';
import type { MetadataElement } from '../../../shared/api/types.js';
import { errorCode, type ElementInput, type ElementSummary, type UpsertOutcome } from '../../connector-sdk/index.js';
import { newGuid } from './guid.js';
import { startWalCheckpointer, type WalCheckpointer } from '../sqlite-wal-checkpointer.js';
import { ensureSchema } from '../sqlite-schema.js';
import {
  checkMetadataSource,
  checkPaging,
  prepareElements,
  prepareFilter,
  prepareQualifiedNames,
  prepareRelationships,
  type PreparedElement,
  type PreparedFilter,
} from './requests.js';
import {
  MetadataServerUnavailableError,
  type ElementFilter,
  type ElementQuery,
  type MetadataRelationship,
  type MetadataServer,
  type RelationshipInput,
} from './types.js';
import { errorText } from '../../../shared/api/error-text.js';
import type {
  IntegrationGroupContent,
  IntegrationGroupStamp,
  IntegrationGroupUpdate,
  StoredIntegrationGroup,
} from './integration-groups.js';
import { createGroup, deleteGroup, getGroup, groupStamps, listGroups, updateGroup } from './sqlite-groups.js';
import { SCHEMA, SCHEMA_MIGRATIONS, SCHEMA_VERSION } from './sqlite-tables.js';

/** The WAL's size in pages at which the writing connection checkpoints it itself, when the checkpoint thread cannot. */
const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * Rows a first refresh's insert writes with one statement. One statement per row spent about a sixth of a bulk
 * load's CPU on the call and the statement's start (measured in isolation: 200,000 rows, 907 -> 770 ms).
 */
const INSERT_ROWS = 100;
/** Thrown inside the savepoint of insertAllNew to roll it back. */
const NOT_ALL_NEW = new Error('not all new');

/** SQLite result codes that mean "cannot reach the file right now" rather than "this request is wrong". */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|PROTOCOL|NOLFS)/;

interface ElementRow {
  guid: string;
  metadata_source: string;
  qualified_name: string;
  type_name: string;
  properties: string;
  create_time: number;
  update_time: number;
  archived: number;
  version: number;
}

interface SummaryRow {
  qualified_name: string;
  type_name: string;
  fingerprint: string;
  archived: number;
}

interface RelationshipRow {
  guid: string;
  metadata_source: string;
  type_name: string;
  end1_qualified_name: string;
  end2_qualified_name: string;
  properties: string;
  create_time: number;
  update_time: number;
  version: number;
}

interface Statements {
  /** INSERT_ROWS rows in one statement, in a savepoint rolled back (NOT_ALL_NEW thrown) unless all were new. */
  insertAllNew: (values: (string | number)[]) => void;
  insert: Database.Statement<[string, string, string, string, string, string, number, number]>;
  update: Database.Statement<[string, string, string, number, string, string, string, string]>;
  archive: Database.Statement<[number, string, string]>;
  upsertRelationship: Database.Statement<[string, string, string, string, string, string, string, number, number], { version: number }>;
}

export class SqliteMetadataServer implements MetadataServer {
  readonly kind = 'embedded' as const;
  /** better-sqlite3 is synchronous: one call runs at a time whatever the caller does. */
  readonly connections = 1;
  private db: Database.Database | undefined;
  private statements: Statements | undefined;
  private checkpointer: WalCheckpointer | undefined;
  private closed = false;
  private readonly queries = new Map<string, Database.Statement<unknown[], unknown>>();
  /** Whether the last rows written were all new: then the next ones are tried as one insert of many rows. */
  private expectNew = true;

  constructor(
    readonly name: string,
    readonly path: string,
  ) {}

  async open(): Promise<void> {
    this.closed = false;
    this.ready();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queries.clear();
    this.statements = undefined;
    const db = this.db;
    this.db = undefined;
    const checkpointer = this.checkpointer;
    this.checkpointer = undefined;
    db?.close();
    checkpointer?.close();
  }

  async ping(): Promise<void> {
    this.guard(() => this.ready().db.prepare('SELECT 1').get());
  }

  async upsertElements(metadataSource: string, elements: readonly ElementInput[]): Promise<UpsertOutcome[]> {
    const source = checkMetadataSource(metadataSource);
    const prepared = prepareElements(source, elements);
    if (prepared.length === 0) return [];
    return this.guard(() => {
      const { db, statements } = this.ready();
      const now = Date.now();
      const upsertOne = (element: PreparedElement): UpsertOutcome => {
        const { qualifiedName, typeName, properties, fingerprint } = element;
        if (statements.insert.run(newGuid(now), source, qualifiedName, typeName, properties, fingerprint, now, now).changes === 1) {
          return 'created';
        }
        const updated = statements.update.run(typeName, properties, fingerprint, now, qualifiedName, source, fingerprint, typeName);
        return updated.changes === 1 ? 'updated' : 'unchanged';
      };
      const write = db.transaction(() => {
        const outcomes: UpsertOutcome[] = [];
        let from = 0;
        while (from < prepared.length) {
          if (this.expectNew && from + INSERT_ROWS <= prepared.length && this.insertedAll(statements, prepared, from, source, now)) {
            for (let i = 0; i < INSERT_ROWS; i++) outcomes.push('created');
          } else {
            const to = Math.min(prepared.length, from + INSERT_ROWS);
            let created = 0;
            for (let i = from; i < to; i++) {
              const outcome = upsertOne(prepared[i] as PreparedElement);
              if (outcome === 'created') created++;
              outcomes.push(outcome);
            }
            this.expectNew = created === to - from;
          }
          from += INSERT_ROWS;
        }
        return outcomes;
      });
      return write.immediate();
    });
  }

  async archiveElements(metadataSource: string, qualifiedNames: readonly string[]): Promise<number> {
    const source = checkMetadataSource(metadataSource);
    const names = prepareQualifiedNames(source, qualifiedNames);
    if (names.length === 0) return 0;
    return this.guard(() => {
      const { db, statements } = this.ready();
      const now = Date.now();
      const write = db.transaction(() => names.reduce((n, q) => n + statements.archive.run(now, source, q).changes, 0));
      return write.immediate();
    });
  }

  async listElementSummaries(
    metadataSource: string,
    filter: { typeName?: string; qualifiedNamePrefix?: string; includeArchived?: boolean } = {},
  ): Promise<ElementSummary[]> {
    const source = checkMetadataSource(metadataSource);
    const where = whereClause(prepareFilter({ ...filter, metadataSource: source }));
    const sql = `SELECT qualified_name, type_name, fingerprint, archived FROM elements ${where.sql} ORDER BY qualified_name`;
    return this.guard(() =>
      (this.query(sql).all(...where.params) as SummaryRow[]).map((row) => ({
        qualifiedName: row.qualified_name,
        typeName: row.type_name,
        fingerprint: row.fingerprint,
        archived: row.archived === 1,
      })),
    );
  }

  async findElements(query: ElementQuery): Promise<MetadataElement[]> {
    const { startFrom, pageSize } = checkPaging(query);
    const where = whereClause(prepareFilter(query));
    const sql = `SELECT guid, metadata_source, qualified_name, type_name, properties, create_time, update_time, archived, version
      FROM elements ${where.sql} ORDER BY qualified_name, metadata_source LIMIT ? OFFSET ?`;
    return this.guard(() =>
      (this.query(sql).all(...where.params, pageSize, startFrom) as ElementRow[]).map((row) => ({
        guid: row.guid,
        typeName: row.type_name,
        qualifiedName: row.qualified_name,
        metadataSource: row.metadata_source,
        properties: JSON.parse(row.properties) as Record<string, unknown>,
        createTime: new Date(row.create_time).toISOString(),
        updateTime: new Date(row.update_time).toISOString(),
        archived: row.archived === 1,
        version: row.version,
      })),
    );
  }

  async countElements(filter: ElementFilter): Promise<number> {
    const where = whereClause(prepareFilter(filter));
    return this.guard(() => (this.query(`SELECT count(*) AS n FROM elements ${where.sql}`).get(...where.params) as { n: number }).n);
  }

  async countLiveElements(metadataSources?: readonly string[]): Promise<Map<string, number>> {
    const sources = metadataSources?.map(checkMetadataSource);
    const sql =
      sources === undefined
        ? 'SELECT metadata_source AS source, count(*) AS n FROM elements WHERE archived = 0 GROUP BY metadata_source'
        : `SELECT metadata_source AS source, count(*) AS n FROM elements WHERE archived = 0 AND metadata_source IN (${sources.map(() => '?').join(', ')}) GROUP BY metadata_source`;
    if (sources?.length === 0) return new Map();
    return this.guard(() => {
      const rows = this.query(sql).all(...(sources ?? [])) as { source: string; n: number }[];
      const counts = new Map<string, number>((sources ?? []).map((s) => [s, 0]));
      for (const row of rows) counts.set(row.source, row.n);
      return counts;
    });
  }

  async upsertRelationships(metadataSource: string, relationships: readonly RelationshipInput[]): Promise<UpsertOutcome[]> {
    const source = checkMetadataSource(metadataSource);
    const prepared = prepareRelationships(source, relationships);
    if (prepared.length === 0) return [];
    return this.guard(() => {
      const { db, statements } = this.ready();
      const now = Date.now();
      const write = db.transaction(() =>
        prepared.map((r): UpsertOutcome => {
          const written = statements.upsertRelationship.get(
            newGuid(now),
            source,
            r.typeName,
            r.end1QualifiedName,
            r.end2QualifiedName,
            r.properties,
            r.fingerprint,
            now,
            now,
          );
          if (written === undefined) return 'unchanged';
          return written.version === 1 ? 'created' : 'updated';
        }),
      );
      return write.immediate();
    });
  }

  /** Every relationship of one metadata source, ordered by type and ends. */
  async listRelationships(metadataSource: string): Promise<MetadataRelationship[]> {
    const source = checkMetadataSource(metadataSource);
    const sql = `SELECT guid, metadata_source, type_name, end1_qualified_name, end2_qualified_name, properties, create_time,
      update_time, version FROM relationships WHERE metadata_source = ?
      ORDER BY type_name, end1_qualified_name, end2_qualified_name`;
    return this.guard(() =>
      (this.query(sql).all(source) as RelationshipRow[]).map((row) => ({
        guid: row.guid,
        typeName: row.type_name,
        metadataSource: row.metadata_source,
        end1QualifiedName: row.end1_qualified_name,
        end2QualifiedName: row.end2_qualified_name,
        properties: JSON.parse(row.properties) as Record<string, unknown>,
        createTime: new Date(row.create_time).toISOString(),
        updateTime: new Date(row.update_time).toISOString(),
        version: row.version,
      })),
    );
  }

  async listIntegrationGroups(): Promise<StoredIntegrationGroup[]> {
    return this.guard(() => listGroups(this.ready().db));
  }

  async getIntegrationGroup(groupName: string): Promise<StoredIntegrationGroup | undefined> {
    return this.guard(() => getGroup(this.ready().db, groupName));
  }

  async integrationGroupStamps(groupNames: readonly string[]): Promise<Map<string, IntegrationGroupStamp>> {
    return this.guard(() => groupStamps(this.ready().db, groupNames));
  }

  async createIntegrationGroup(groupName: string, content: IntegrationGroupContent): Promise<StoredIntegrationGroup | undefined> {
    return this.guard(() => createGroup(this.ready().db, groupName, content));
  }

  async updateIntegrationGroup(
    groupName: string,
    content: IntegrationGroupContent,
    expectedVersion: number,
  ): Promise<IntegrationGroupUpdate> {
    return this.guard(() => updateGroup(this.ready().db, groupName, content, expectedVersion));
  }

  async deleteIntegrationGroup(groupName: string): Promise<boolean> {
    return this.guard(() => deleteGroup(this.ready().db, groupName));
  }

  /**
   * Inserts `INSERT_ROWS` elements from `from` with one statement, inside a savepoint: true when every one was new.
   * Otherwise the savepoint is rolled back (nothing written) and false returned, for the rows to be written one by one
   * with exact outcomes.
   */
  private insertedAll(statements: Statements, prepared: readonly PreparedElement[], from: number, source: string, now: number): boolean {
    const values: (string | number)[] = [];
    for (let i = from; i < from + INSERT_ROWS; i++) {
      const { qualifiedName, typeName, properties, fingerprint } = prepared[i] as PreparedElement;
      values.push(newGuid(now), source, qualifiedName, typeName, properties, fingerprint, now, now);
    }
    try {
      statements.insertAllNew(values);
      return true;
    } catch (error) {
      if (error !== NOT_ALL_NEW) throw error;
      this.expectNew = false;
      return false;
    }
  }

  /** Opens the file on first use, so the breaker's ping can bring a metadata server up that failed to open. */
  private ready(): { db: Database.Database; statements: Statements } {
    if (this.closed) {
      throw new MetadataServerUnavailableError(this.name, 'it has been closed');
    }
    if (this.db === undefined || this.statements === undefined) {
      const db = this.guard(() => openDatabase(this.name, this.path));
      try {
        this.statements = prepareStatements(db);
      } catch (error) {
        db.close();
        throw error;
      }
      this.db = db;
      this.checkpointer = startWalCheckpointer(this.path, db, WAL_AUTOCHECKPOINT_PAGES);
    }
    return { db: this.db, statements: this.statements };
  }

  private query(sql: string): Database.Statement<unknown[], unknown> {
    let statement = this.queries.get(sql);
    if (statement === undefined) {
      statement = this.ready().db.prepare(sql);
      this.queries.set(sql, statement);
    }
    return statement;
  }

  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw this.classify(error);
    }
  }

  private classify(error: unknown): unknown {
    if (error instanceof MetadataServerUnavailableError) return error;
    const code = errorCode(error);
    if (code !== undefined && UNAVAILABLE_CODES.test(code)) {
      return new MetadataServerUnavailableError(this.name, `${code} on ${this.path}: ${errorText(error)}`, error);
    }
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      return new Error(
        `INTEGRATION-DAEMON-METADATA-SERVER-500-001 The file ${this.path} of the embedded metadata server ${this.name} is damaged ` +
          `(${code}). Stop the daemon, move the file aside and start again: connectors rebuild the metadata on their ` +
          'next refresh.',
        { cause: error },
      );
    }
    return error;
  }
}

function openDatabase(name: string, path: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (error) {
    // better-sqlite3 checks the directory itself and throws a TypeError; SQLite reports SQLITE_CANTOPEN.
    throw new MetadataServerUnavailableError(name, `cannot open ${path}: ${errorText(error)}`, error);
  }
  try {
    // For a new file only (SQLite ignores it once the file has pages): a bulk load writes each dirtied page to the
    // WAL and again at the checkpoint, and 8 KiB pages halve those write calls; measured at 100,000 files, about 15%
    // less CPU in the writes.
    db.pragma('page_size = 8192');
    db.pragma('journal_mode = WAL');
    // NORMAL is crash-safe in WAL mode (a power loss may drop the last commits, never corrupt); connectors
    // re-send anything lost on their next refresh, which is why the metadata server need not pay for FULL.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536');
    // Checkpointing less often writes each index page once for many batches instead of once per few batches.
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    // A write may fail on a constraint after touching several indexes, so SQLite keeps a statement journal of the
    // pages it changes. Once one statement's journal outgrows 64 KiB it moves to a temporary file and every later
    // page costs a write system call: in isolation, rows arriving in scattered order then took 3x the CPU. Kept in
    // memory (it only ever serves rolling back the statement running now, never a crash). A files monitor's
    // directory-by-directory order rarely spills: on its first refresh the system calls were the same either way.
    db.pragma('temp_store = MEMORY');
    const version = ensureSchema(db, SCHEMA, SCHEMA_VERSION, SCHEMA_MIGRATIONS);
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `INTEGRATION-DAEMON-METADATA-SERVER-500-002 The file ${path} of the embedded metadata server ${name} has schema version ` +
          `${version}, newer than this daemon understands (${SCHEMA_VERSION}). Upgrade the daemon or point ` +
          'metadataServer.path at another file.',
      );
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function prepareStatements(db: Database.Database): Statements {
  const insertRows = db.prepare<(string | number)[][]>(`INSERT INTO elements (guid, metadata_source, qualified_name, type_name,
    properties, fingerprint, create_time, update_time) VALUES ${Array<string>(INSERT_ROWS).fill('(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
    ON CONFLICT (qualified_name, metadata_source) DO NOTHING`);
  return {
    insertAllNew: db.transaction((values: (string | number)[]) => {
      if (insertRows.run(values).changes !== INSERT_ROWS) throw NOT_ALL_NEW;
    }),
    // An insert that finds the element already there changes nothing, and the update then changes it only when it
    // differs or is archived: one change from the insert = created, from the update = updated, none = unchanged.
    // Two plain statements rather than one upsert with RETURNING, whose result table cost a third of a bulk load.
    insert: db.prepare(`INSERT INTO elements (guid, metadata_source, qualified_name, type_name, properties, fingerprint,
      create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (qualified_name, metadata_source) DO NOTHING`),
    update: db.prepare(`UPDATE elements SET type_name = ?, properties = ?, fingerprint = ?, update_time = ?, archived = 0,
      version = version + 1
      WHERE qualified_name = ? AND metadata_source = ? AND (fingerprint <> ? OR type_name <> ? OR archived <> 0)`),
    archive: db.prepare(`UPDATE elements SET archived = 1, update_time = ?, version = version + 1
      WHERE metadata_source = ? AND qualified_name = ? AND archived = 0`),
    upsertRelationship: db.prepare(`INSERT INTO relationships (guid, metadata_source, type_name, end1_qualified_name,
      end2_qualified_name, properties, fingerprint, create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (metadata_source, type_name, end1_qualified_name, end2_qualified_name) DO UPDATE SET
      properties = excluded.properties, fingerprint = excluded.fingerprint, update_time = excluded.update_time,
      version = version + 1
      WHERE fingerprint <> excluded.fingerprint
      RETURNING version`),
  };
}

function whereClause(filter: PreparedFilter): { sql: string; params: (string | number)[] } {
  const conditions: string[] = [];
  const params: (string | number)[] = [];
  if (filter.metadataSource !== undefined && filter.metadataSourcePrefix !== undefined && filter.metadataSourcePrefixEnd !== undefined) {
    conditions.push('(metadata_source = ? OR (metadata_source >= ? AND metadata_source < ?))');
    params.push(filter.metadataSource, filter.metadataSourcePrefix, filter.metadataSourcePrefixEnd);
  } else if (filter.metadataSource !== undefined) {
    conditions.push('metadata_source = ?');
    params.push(filter.metadataSource);
  }
  if (filter.typeName !== undefined) {
    conditions.push('type_name = ?');
    params.push(filter.typeName);
  }
  if (filter.qualifiedNamePrefix !== undefined) {
    conditions.push('qualified_name >= ?');
    params.push(filter.qualifiedNamePrefix);
    if (filter.qualifiedNamePrefixEnd !== undefined) {
      conditions.push('qualified_name < ?');
      params.push(filter.qualifiedNamePrefixEnd);
    }
  }
  if (filter.archived === 'exclude') conditions.push('archived = 0');
  if (filter.archived === 'only') conditions.push('archived = 1');
  if (filter.text !== undefined) {
    // The qualified name, or any top-level property value: keys would match almost everything.
    conditions.push(
      '(instr(lower(qualified_name), ?) > 0 OR EXISTS (SELECT 1 FROM json_each(elements.properties) p WHERE instr(lower(p.value), ?) > 0))',
    );
    params.push(filter.text, filter.text);
  }
  return { sql: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params };
}
