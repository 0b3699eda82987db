// What the PostgreSQL monitor declares: its endpoint (a connection string), the schema filter properties, and the
// checks of "test connection" (reach the server, authenticate, list databases, list schemas, list tables). Every
// check opens its own short read-only session.
import { connect as connectTcp } from 'node:net';
import pg from 'pg';
import {
  type ConfigurationPropertyDeclaration,
  type ConnectorInstanceConfig,
  type ConnectorTestCheck,
  type EndpointDeclaration,
} from '../../connector-sdk/index.js';
import { schemaFilter } from './catalogue.js';
import { connectionUrl, postgresError, redacted } from './postgres-monitor.js';

export const SCHEMA_FILTER_DECLARATIONS: readonly ConfigurationPropertyDeclaration[] = [
  {
    name: 'includeSchemaNames',
    type: 'stringList',
    description: 'Only these schemas are catalogued (`*` matches any run of characters); include wins over exclude.',
  },
  {
    name: 'excludeSchemaNames',
    type: 'stringList',
    description: 'Schemas left out (`*` matches any run of characters); the system schemas are never catalogued.',
  },
];

export const POSTGRES_ENDPOINT: EndpointDeclaration = {
  kind: 'connectionString',
  description: 'The connection string of the database to catalogue (postgresql://, postgres:// or jdbc:postgresql://).',
  required: true,
  example: 'postgresql://catalogue:secret@db.example.com:5432/sales',
};

const CONNECT_TIMEOUT_MS = 10_000;

/** Runs `work` on a fresh read-only session; whatever fails is described by the monitor's own error messages. */
async function withPostgres<T>(config: ConnectorInstanceConfig, signal: AbortSignal, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = connectionUrl(config.endpointAddress ?? '');
  const client = new pg.Client({
    connectionString: url.href,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: CONNECT_TIMEOUT_MS,
    application_name: 'integration-daemon connection test',
  });
  client.on('error', () => undefined);
  const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
  try {
    return await Promise.race([client.connect().then(() => work(client)), aborted]);
  } catch (error) {
    if (signal.aborted) throw error;
    throw postgresError(url, config.connectorName, error);
  } finally {
    void client.end().catch(() => undefined);
  }
}

async function visibleSchemas(client: pg.Client, config: ConnectorInstanceConfig): Promise<string[]> {
  const include = schemaFilter(config.configurationProperties);
  const rows = (await client.query<{ name: string }>('SELECT nspname AS name FROM pg_namespace ORDER BY nspname')).rows;
  return rows.map((r) => r.name).filter((name) => !/^(pg_catalog|information_schema|pg_toast.*|pg_temp_.*)$/.test(name) && include(name));
}

export const POSTGRES_TEST_CHECKS: readonly ConnectorTestCheck[] = [
  {
    name: 'reach the server',
    description: 'The PostgreSQL server answers at the host and port of the connection string.',
    run: (config, signal) => {
      const url = connectionUrl(config.endpointAddress ?? '');
      const port = Number(url.port || '5432');
      const host = url.hostname.replace(/^\[|\]$/g, '');
      return new Promise((resolve, reject) => {
        const socket = connectTcp({ host, port, signal, timeout: CONNECT_TIMEOUT_MS });
        socket.once('connect', () => {
          socket.destroy();
          resolve(`${host}:${port} accepts connections.`);
        });
        socket.once('timeout', () => {
          socket.destroy();
          reject(
            postgresError(
              url,
              config.connectorName,
              Object.assign(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' }),
            ),
          );
        });
        socket.once('error', (error) => reject(signal.aborted ? error : postgresError(url, config.connectorName, error)));
      });
    },
  },
  {
    name: 'authenticate',
    description: "The server accepts the connection string's user and password for its database.",
    run: (config, signal) =>
      withPostgres(config, signal, async (client) => {
        const row = (await client.query<{ user: string; database: string }>('SELECT current_user AS user, current_database() AS database'))
          .rows[0];
        return `Signed in as ${row?.user ?? '?'} to database ${row?.database ?? '?'}.`;
      }),
  },
  {
    name: 'list databases',
    description: 'The databases on the server can be listed.',
    run: (config, signal) =>
      withPostgres(config, signal, async (client) => {
        const names = (
          await client.query<{ name: string }>('SELECT datname AS name FROM pg_database WHERE NOT datistemplate ORDER BY datname')
        ).rows.map((r) => r.name);
        return `${names.length} databases: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}.`;
      }),
  },
  {
    name: 'list schemas',
    description: 'The schemas to catalogue (after includeSchemaNames and excludeSchemaNames) can be listed.',
    run: (config, signal) =>
      withPostgres(config, signal, async (client) => {
        const schemas = await visibleSchemas(client, config);
        if (schemas.length === 0) {
          throw new Error(
            `No schema of ${redacted(connectionUrl(config.endpointAddress ?? ''))} passes the schema filter; check includeSchemaNames and excludeSchemaNames.`,
          );
        }
        return `${schemas.length} schemas to catalogue: ${schemas.slice(0, 10).join(', ')}${schemas.length > 10 ? ', …' : ''}.`;
      }),
  },
  {
    name: 'list tables',
    description: 'The tables and views of those schemas can be read.',
    run: (config, signal) =>
      withPostgres(config, signal, async (client) => {
        const schemas = await visibleSchemas(client, config);
        const count = (
          await client.query<{ count: string }>(
            `SELECT count(*) AS count FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'f', 'v', 'm')`,
            [schemas],
          )
        ).rows[0]?.count;
        return `${count ?? 0} tables and views can be read.`;
      }),
  },
];
