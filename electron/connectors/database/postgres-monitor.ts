// PostgreSQL database monitor: catalogues the schemas, tables (ordinary, partitioned, foreign), views (plain and
// materialized), columns and primary/foreign keys of the database named in the connection string. The catalog part
// of every qualified name is `<host>:<port>/<database>`, so two servers with a database of the same name do not
// collide. Each refresh connects, reads everything in one read-only snapshot, and disconnects.
import pg from 'pg';
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
import {
  invalidConfigurationError,
  reconcileDatabase,
  schemaFilter,
  SCHEMA_FILTER_PROPERTIES,
  validateSchemaFilter,
  type DatabaseModel,
  type SchemaFilter,
} from './catalogue.js';
import { POSTGRES_ENDPOINT, POSTGRES_TEST_CHECKS, SCHEMA_FILTER_DECLARATIONS } from './postgres-declarations.js';

const MESSAGE_PREFIX = 'POSTGRES-DATABASE-MONITOR';
const CONNECT_TIMEOUT_MS = 10_000;
const STATEMENT_TIMEOUT_MS = 60_000;
/** Never catalogued: PostgreSQL's own schemas. */
const SYSTEM_SCHEMA = /^(pg_catalog|information_schema|pg_toast.*|pg_temp_.*)$/;

export function validatePostgresConfig(
  config: Pick<ConnectorInstanceConfig, 'endpointAddress' | 'configurationProperties'>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const address = config.endpointAddress;
  if (address === undefined || address.trim() === '') {
    problems.push({
      path: 'endpointAddress',
      message: 'The endpoint address is missing; it is the connection string of the database to catalogue.',
      fix: 'Set endpointAddress to a connection string such as "postgresql://user:password@host:5432/database".',
    });
  } else {
    try {
      connectionUrl(address);
    } catch (error) {
      problems.push({
        path: 'endpointAddress',
        message: errorText(error),
        fix: 'Use "postgresql://user:password@host:5432/database" (a jdbc:postgresql: URL is accepted too).',
      });
    }
  }
  problems.push(...validateSchemaFilter(config.configurationProperties, SCHEMA_FILTER_PROPERTIES));
  return problems;
}

/** Accepts `postgres://`, `postgresql://` and Egeria's `jdbc:postgresql://` URLs. */
export function connectionUrl(endpointAddress: string): URL {
  const text = endpointAddress.startsWith('jdbc:') ? endpointAddress.slice('jdbc:'.length) : endpointAddress;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`The endpoint address is not a PostgreSQL connection URL.`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`The endpoint address uses ${url.protocol} where postgresql: is expected.`);
  }
  if (url.hostname === '') throw new Error('The endpoint address names no host.');
  return url;
}

/** The connection string without its password, for messages and the audit log. */
export function redacted(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = '***';
  return copy.href;
}

function catalogName(url: URL): string {
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username) || 'postgres';
  return `${url.hostname}:${url.port || '5432'}/${database}`;
}

interface NameRow {
  schema: string;
  name: string;
}

export async function readPostgresModel(url: URL, include: SchemaFilter, signal: AbortSignal): Promise<DatabaseModel> {
  signal.throwIfAborted();
  const client = new pg.Client({
    connectionString: url.href,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'integration-daemon postgres monitor',
  });
  client.on('error', () => undefined);
  // pg does not always settle a pending connect when the client is ended, so an abort wins a race instead of
  // waiting for pg; ending the client then closes the session on the server.
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([readModel(client, url, include), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    void client.end().catch(() => undefined);
  }
}

async function readModel(client: pg.Client, url: URL, include: SchemaFilter): Promise<DatabaseModel> {
  await client.connect();
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const database = (
    await client.query<{ name: string; version: string; encoding: string; collation: string }>(
      `SELECT current_database() AS name, version() AS version, pg_encoding_to_char(encoding) AS encoding,
              datcollate AS collation
         FROM pg_database WHERE datname = current_database()`,
    )
  ).rows[0];
  const schemaRows = (
    await client.query<{ name: string; owner: string }>(
      `SELECT nspname AS name, pg_get_userbyid(nspowner) AS owner FROM pg_namespace ORDER BY nspname`,
    )
  ).rows.filter((s) => !SYSTEM_SCHEMA.test(s.name) && include(s.name));
  const schemas = schemaRows.map((s) => s.name);
  const tables = (
    await client.query<NameRow & { kind: string; description: string | null; definition: string | null }>(
      `SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind, obj_description(c.oid, 'pg_class') AS description,
              CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS definition
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm') AND n.nspname = ANY($1)
        ORDER BY 1, 2`,
      [schemas],
    )
  ).rows;
  const columns = (
    await client.query<NameRow & { table: string; position: number; data_type: string; nullable: boolean; default_value: string | null }>(
      `SELECT n.nspname AS schema, c.relname AS table, a.attname AS name, a.attnum AS position,
              format_type(a.atttypid, a.atttypmod) AS data_type, NOT a.attnotnull AS nullable,
              pg_get_expr(d.adbin, d.adrelid) AS default_value
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND n.nspname = ANY($1)
        ORDER BY 1, 2, 4`,
      [schemas],
    )
  ).rows;
  const keys = (
    await client.query<
      NameRow & {
        table: string;
        type: 'p' | 'f';
        columns: string[];
        ref_schema: string | null;
        ref_table: string | null;
        ref_columns: string[] | null;
      }
    >(
      `SELECT n.nspname AS schema, c.relname AS table, con.conname AS name, con.contype AS type,
              ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
                      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord)::text[] AS columns,
              fn.nspname AS ref_schema, fc.relname AS ref_table,
              CASE WHEN con.contype = 'f' THEN
                ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
                        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord)::text[]
              END AS ref_columns
         FROM pg_constraint con
         JOIN pg_class c ON c.oid = con.conrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_class fc ON fc.oid = con.confrelid
         LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
        WHERE con.contype IN ('p', 'f') AND n.nspname = ANY($1)
        ORDER BY 1, 2, 3`,
      [schemas],
    )
  ).rows;
  await client.query('COMMIT');

  return {
    catalog: catalogName(url),
    databaseProperties: {
      databaseType: 'PostgreSQL',
      databaseName: database?.name,
      databaseVersion: database?.version,
      encoding: database?.encoding,
      collation: database?.collation,
    },
    schemas: schemaRows.map((s) => ({ name: s.name, properties: { owner: s.owner } })),
    tables: tables.map((t) => ({
      schema: t.schema,
      name: t.name,
      isView: t.kind === 'v' || t.kind === 'm',
      properties: { tableType: TABLE_KINDS[t.kind] ?? t.kind, description: t.description, definition: t.definition },
    })),
    columns: columns.map((c) => ({
      schema: c.schema,
      table: c.table,
      name: c.name,
      dataType: c.data_type,
      nullable: c.nullable,
      position: c.position,
      defaultValue: c.default_value,
    })),
    primaryKeys: keys.filter((k) => k.type === 'p').map((k) => ({ schema: k.schema, table: k.table, name: k.name, columns: k.columns })),
    foreignKeys: keys
      .filter((k) => k.type === 'f' && k.ref_schema !== null && k.ref_table !== null)
      .map((k) => ({
        schema: k.schema,
        table: k.table,
        name: k.name,
        columns: k.columns,
        referencedSchema: k.ref_schema as string,
        referencedTable: k.ref_table as string,
        referencedColumns: k.ref_columns ?? [],
      })),
  };
}

const TABLE_KINDS: Record<string, string> = {
  r: 'BASE TABLE',
  p: 'PARTITIONED TABLE',
  f: 'FOREIGN TABLE',
  v: 'VIEW',
  m: 'MATERIALIZED VIEW',
};

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'EPIPE']);
/** Server states that pass: shutting down, starting up, too many connections. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '08006', '08001', '08004']);

export function postgresError(url: URL, connectorName: string, error: unknown): ConnectorError {
  const code = errorCode(error);
  const detail = errorText(error);
  const where = redacted(url);
  const common = { thirdParty: true, parameters: [where, connectorName], cause: error };
  if (code !== undefined && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code))) {
    return new ConnectorError({
      ...common,
      messageId: `${MESSAGE_PREFIX}-503-001`,
      text: `Connector ${connectorName} cannot reach the PostgreSQL server at ${where}: ${detail}`,
      category: 'network',
      retryable: true,
      systemAction: 'Nothing is catalogued or archived; the refresh is retried.',
      userAction: `Check that the PostgreSQL server at ${url.hostname}:${url.port || '5432'} is running and reachable from the daemon.`,
    });
  }
  if (code === 'ETIMEDOUT' || /timeout/i.test(detail)) {
    return new ConnectorError({
      ...common,
      messageId: `${MESSAGE_PREFIX}-504-001`,
      text: `The PostgreSQL server at ${where} did not answer connector ${connectorName} in time: ${detail}`,
      category: 'timeout',
      retryable: true,
      userAction: 'Check the server load and the network between the daemon and the server.',
    });
  }
  if (code === '28P01' || code === '28000') {
    return new ConnectorError({
      ...common,
      messageId: `${MESSAGE_PREFIX}-401-001`,
      text: `The PostgreSQL server at ${where} refused the credentials of connector ${connectorName}: ${detail}`,
      category: 'security',
      retryable: false,
      userAction: "Correct the user name and password in endpointAddress, or the server's pg_hba.conf entry for the daemon.",
    });
  }
  if (code === '42501') {
    return new ConnectorError({
      ...common,
      messageId: `${MESSAGE_PREFIX}-403-001`,
      text: `Connector ${connectorName} is not allowed to read the catalogue of ${where}: ${detail}`,
      category: 'security',
      retryable: false,
      userAction: "Grant the connector's user CONNECT on the database and USAGE on the schemas to catalogue.",
    });
  }
  if (code === '3D000') {
    return new ConnectorError({
      ...common,
      messageId: `${MESSAGE_PREFIX}-404-001`,
      text: `The database named in the endpoint of connector ${connectorName} (${where}) does not exist`,
      category: 'notFound',
      userAction: 'Create the database, or correct the database name in endpointAddress.',
    });
  }
  return new ConnectorError({
    ...common,
    messageId: `${MESSAGE_PREFIX}-500-001`,
    text: `Connector ${connectorName} could not read the catalogue of ${where}: ${detail}`,
    category: 'generic',
    userAction: 'Check the PostgreSQL server log for this error.',
  });
}

export class PostgresMonitorConnector implements IntegrationConnector {
  private ctx: ConnectorContext | undefined;
  private url: URL | undefined;
  private include: SchemaFilter = () => true;

  constructor(private readonly config: ConnectorInstanceConfig) {}

  async initialize(context: ConnectorContext): Promise<void> {
    const problems = validatePostgresConfig(this.config);
    if (problems.length > 0) throw invalidConfigurationError(MESSAGE_PREFIX, this.config.connectorName, problems);
    this.ctx = context;
    this.url = connectionUrl(this.config.endpointAddress as string);
    this.include = schemaFilter(this.config.configurationProperties);
  }

  /** Like Egeria's PostgreSQL connector, all the work is in refresh; there is nothing to listen to. */
  async start(): Promise<void> {}

  async refresh(signal: AbortSignal): Promise<void> {
    const url = this.requireUrl();
    const model = await this.context.thirdParty(async () => {
      try {
        return await readPostgresModel(url, this.include, signal);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw postgresError(url, this.config.connectorName, error);
      }
    });
    await reconcileDatabase(this.context, model, signal);
  }

  /** Nothing to release: a connection is open only during a refresh. */
  async disconnect(): Promise<void> {}

  private get context(): ConnectorContext {
    if (this.ctx === undefined) throw new Error(`Connector ${this.config.connectorName} was used before initialize()`);
    return this.ctx;
  }

  private requireUrl(): URL {
    if (this.url === undefined) throw new Error(`Connector ${this.config.connectorName} was used before initialize()`);
    return this.url;
  }
}

export const postgresMonitorProvider: ConnectorProvider = {
  providerName: 'postgres-database-monitor',
  aliases: [
    'org.odpi.openmetadata.adapters.connectors.integration.postgres.PostgresDatabaseProvider',
    'org.odpi.openmetadata.adapters.connectors.integration.postgres.PostgresDatabaseConnector',
  ],
  connectorKind: 'database',
  description:
    'Catalogues the schemas, tables, views, columns, primary keys and foreign keys of the PostgreSQL database named ' +
    'by the connection string in endpointAddress; dropped objects are archived.',
  validate: validatePostgresConfig,
  create: (config) => new PostgresMonitorConnector(config),
  // Getters: the declarations module imports this one, so they are read only once both are loaded.
  get endpoint() {
    return POSTGRES_ENDPOINT;
  },
  get configurationProperties() {
    return SCHEMA_FILTER_DECLARATIONS;
  },
  get testChecks() {
    return POSTGRES_TEST_CHECKS;
  },
};
