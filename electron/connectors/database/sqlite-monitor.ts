// SQLite database monitor: catalogues the tables, views, columns and keys of one SQLite database file (schema
// `main`). The catalog part of every qualified name is the file's absolute path. The file is opened read-only for
// each refresh and closed again, so the connector never holds a lock between refreshes.
import Database from 'better-sqlite3';
import { stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConnectorError,
  errorCode,
  errorText,
  type ConfigProblem,
  type ConnectorContext,
  type ConnectorInstanceConfig,
  type ConnectorProvider,
  type IntegrationConnector,
} from '../../connector-sdk/index.js';
import { invalidConfigurationError, reconcileDatabase, validateSchemaFilter, type DatabaseModel } from './catalogue.js';
import { SQLITE_ENDPOINT, SQLITE_TEST_CHECKS } from './sqlite-declarations.js';

const MESSAGE_PREFIX = 'SQLITE-DATABASE-MONITOR';
const BUSY_TIMEOUT_MS = 5000;
const BUSY_PAUSE_MS = 100;

export function validateSqliteConfig(
  config: Pick<ConnectorInstanceConfig, 'endpointAddress' | 'configurationProperties'>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const address = config.endpointAddress;
  if (address === undefined || address.trim() === '') {
    problems.push({
      path: 'endpointAddress',
      message: 'The endpoint address is missing; it names the SQLite database file to catalogue.',
      fix: 'Set endpointAddress to the database file, absolute or relative to the configuration file, e.g. "data/app.db".',
    });
  }
  problems.push(...validateSchemaFilter(config.configurationProperties, []));
  return problems;
}

/** Accepts a path, a `file:` URL or a JDBC URL (`jdbc:sqlite:/path/app.db`), as Egeria configurations carry. */
export function resolveDatabaseFile(endpointAddress: string, baseDirectory: string): string {
  let path = endpointAddress.startsWith('jdbc:sqlite:') ? endpointAddress.slice('jdbc:sqlite:'.length) : endpointAddress;
  if (path.startsWith('file:')) path = fileURLToPath(path);
  return isAbsolute(path) ? path : resolve(baseDirectory, path);
}

interface TableRow {
  name: string;
  type: 'table' | 'view';
  sql: string | null;
}
interface ColumnRow {
  cid: number;
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  hidden: number;
}
interface ForeignKeyRow {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
}

/** Reads the whole structure inside one read transaction, so the model is one consistent snapshot. */
export function readSqliteModel(file: string): DatabaseModel {
  // No busy timeout: better-sqlite3 would wait synchronously and freeze the daemon; the caller waits instead.
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 0 });
  try {
    return db.transaction((): DatabaseModel => {
      const version = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
      const encoding = db.pragma('encoding', { simple: true }) as string;
      const userVersion = db.pragma('user_version', { simple: true }) as number;
      const model: DatabaseModel = {
        catalog: file,
        databaseProperties: { path: file, databaseType: 'SQLite', databaseVersion: version, encoding, userVersion },
        schemas: [{ name: 'main' }],
        tables: [],
        columns: [],
        primaryKeys: [],
        foreignKeys: [],
      };
      const tables = db
        .prepare(
          `SELECT name, type, sql FROM main.sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`,
        )
        .all() as TableRow[];
      const columnsOf = db.prepare('SELECT cid, name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?, \'main\')');
      const foreignKeysOf = db.prepare('SELECT id, seq, "table", "from", "to" FROM pragma_foreign_key_list(?, \'main\') ORDER BY id, seq');
      for (const table of tables) {
        const isView = table.type === 'view';
        model.tables.push({ schema: 'main', name: table.name, isView, properties: { definition: table.sql } });
        const columns = (columnsOf.all(table.name) as ColumnRow[]).filter((c) => c.hidden !== 1);
        for (const [index, column] of columns.entries()) {
          model.columns.push({
            schema: 'main',
            table: table.name,
            name: column.name,
            dataType: column.type,
            // SQLite lets a non-INTEGER primary key column hold NULL unless declared NOT NULL; report what it enforces.
            nullable: column.notnull === 0,
            position: index + 1,
            defaultValue: column.dflt_value,
          });
        }
        const keyColumns = columns
          .filter((c) => c.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((c) => c.name);
        if (!isView && keyColumns.length > 0) {
          model.primaryKeys.push({ schema: 'main', table: table.name, name: `${table.name}_pkey`, columns: keyColumns });
        }
        if (!isView) addForeignKeys(model, table.name, foreignKeysOf.all(table.name) as ForeignKeyRow[], columnsOf);
      }
      return model;
    })();
  } finally {
    db.close();
  }
}

function addForeignKeys(model: DatabaseModel, table: string, rows: ForeignKeyRow[], columnsOf: Database.Statement): void {
  const byId = new Map<number, ForeignKeyRow[]>();
  for (const row of rows) byId.set(row.id, [...(byId.get(row.id) ?? []), row]);
  for (const parts of byId.values()) {
    const first = parts[0] as ForeignKeyRow;
    const columns = parts.map((p) => p.from);
    // `REFERENCES parent` without columns means the parent's primary key.
    const referenced = parts.every((p) => p.to !== null)
      ? parts.map((p) => p.to as string)
      : (columnsOf.all(first.table) as ColumnRow[])
          .filter((c) => c.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((c) => c.name);
    model.foreignKeys.push({
      schema: 'main',
      table,
      // SQLite keys have no names; this is PostgreSQL's default naming, stable while the key is unchanged.
      name: `${table}_${columns.join('_')}_fkey`,
      columns,
      referencedSchema: 'main',
      referencedTable: first.table,
      referencedColumns: referenced,
    });
  }
}

export function sqliteError(file: string, connectorName: string, error: unknown): ConnectorError {
  const code = errorCode(error);
  const detail = errorText(error);
  const common = { thirdParty: true, parameters: [file, connectorName], cause: error };
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new ConnectorError({
        ...common,
        messageId: `${MESSAGE_PREFIX}-404-001`,
        text: `The SQLite database file ${file} in the endpoint of connector ${connectorName} does not exist`,
        category: 'notFound',
        systemAction: 'Nothing is catalogued or archived until the file exists.',
        userAction: `Create or restore ${file}, or correct endpointAddress of connector ${connectorName}.`,
      });
    case 'EACCES':
    case 'EPERM':
    case 'SQLITE_PERM':
    case 'SQLITE_AUTH':
      return new ConnectorError({
        ...common,
        messageId: `${MESSAGE_PREFIX}-403-001`,
        text: `Connector ${connectorName} is not allowed to read the SQLite database file ${file}: ${detail}`,
        category: 'security',
        userAction: `Give the user running the integration daemon read permission on ${file} and its directory.`,
      });
    case 'SQLITE_NOTADB':
    case 'EISDIR':
      return new ConnectorError({
        ...common,
        messageId: `${MESSAGE_PREFIX}-400-002`,
        text: `The file ${file} in the endpoint of connector ${connectorName} is not a SQLite database: ${detail}`,
        category: 'configuration',
        retryable: false,
        userAction: `Correct endpointAddress of connector ${connectorName} to name a SQLite database file.`,
      });
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new ConnectorError({
        ...common,
        messageId: `${MESSAGE_PREFIX}-503-001`,
        text: `The SQLite database file ${file} stayed locked by another program for more than ${BUSY_TIMEOUT_MS / 1000} seconds: ${detail}`,
        category: 'timeout',
        retryable: true,
        userAction: 'None if the lock is brief; otherwise find the program holding a long write transaction on the file.',
      });
    default:
      return new ConnectorError({
        ...common,
        messageId: `${MESSAGE_PREFIX}-500-001`,
        text: `Connector ${connectorName} could not read the SQLite database file ${file}: ${detail}`,
        category: 'generic',
        userAction: `Check ${file} with "sqlite3 ${file} 'PRAGMA integrity_check'" and the disk holding it.`,
      });
  }
}

export class SqliteMonitorConnector implements IntegrationConnector {
  private ctx: ConnectorContext | undefined;
  private file = '';

  constructor(private readonly config: ConnectorInstanceConfig) {}

  async initialize(context: ConnectorContext): Promise<void> {
    const problems = validateSqliteConfig(this.config);
    if (problems.length > 0) throw invalidConfigurationError(MESSAGE_PREFIX, this.config.connectorName, problems);
    this.ctx = context;
    this.file = resolveDatabaseFile(this.config.endpointAddress as string, this.config.baseDirectory);
  }

  /** Fails fast on a missing or foreign file rather than at the first refresh. */
  async start(signal: AbortSignal): Promise<void> {
    await this.context.thirdParty(() => this.read(signal));
  }

  async refresh(signal: AbortSignal): Promise<void> {
    const model = await this.context.thirdParty(() => this.read(signal));
    await reconcileDatabase(this.context, model, signal);
  }

  /** Nothing to release: the file is open only while it is read. */
  async disconnect(): Promise<void> {}

  private get context(): ConnectorContext {
    if (this.ctx === undefined) throw new Error(`Connector ${this.config.connectorName} was used before initialize()`);
    return this.ctx;
  }

  /** Reads the model, pausing (without blocking the event loop) while another program holds a write lock. */
  private async read(signal: AbortSignal): Promise<DatabaseModel> {
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    for (;;) {
      signal.throwIfAborted();
      try {
        if ((await stat(this.file)).isDirectory()) throw Object.assign(new Error(`${this.file} is a directory`), { code: 'EISDIR' });
        return readSqliteModel(this.file);
      } catch (error) {
        const code = errorCode(error);
        const busy = code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
        if (!busy || Date.now() >= deadline) throw sqliteError(this.file, this.config.connectorName, error);
      }
      await delay(BUSY_PAUSE_MS, undefined, { signal });
    }
  }
}

export const sqliteMonitorProvider: ConnectorProvider = {
  providerName: 'sqlite-database-monitor',
  aliases: [],
  connectorKind: 'database',
  description:
    'Catalogues the tables, views, columns, primary keys and foreign keys of the SQLite database file named by ' +
    'endpointAddress; dropped objects are archived.',
  validate: validateSqliteConfig,
  create: (config) => new SqliteMonitorConnector(config),
  configurationProperties: [],
  // Getters: the declarations module imports this one, so they are read only once both are loaded.
  get endpoint() {
    return SQLITE_ENDPOINT;
  },
  get testChecks() {
    return SQLITE_TEST_CHECKS;
  },
};
