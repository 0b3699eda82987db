// The PostgreSQL metadata server's tables. The C collation compares UTF-8 bytes (code point order), so pages and prefix
// ranges come out as on SQLite. Several daemons may share one database and start together, hence the advisory lock.
import type pg from 'pg';
import { INTEGRATION_GROUPS_TABLE } from './groups.js';

/** 2 added the integration groups table; 3 dropped the element guids' index (see WITHOUT_GUID_INDEX). */
const SCHEMA_VERSION = 3;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS metadata_repository_schema (version integer NOT NULL);
CREATE TABLE IF NOT EXISTS metadata_elements (
  guid            uuid NOT NULL,
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
-- The catalogue's filters by connector (its live count too) and by type, each in page order.
CREATE INDEX IF NOT EXISTS metadata_elements_by_source ON metadata_elements (metadata_source, archived, qualified_name);
CREATE INDEX IF NOT EXISTS metadata_elements_by_type ON metadata_elements (type_name, qualified_name);
${INTEGRATION_GROUPS_TABLE}`;

/**
 * Version 2 to 3, in the schema transaction. Nothing looks an element up by its guid (every query goes by source, type
 * or qualified name), and keeping an index of 100,000 new guids cost about a tenth of the server's work on a first
 * refresh; SQLite dropped the same index. Time-ordered guids with 74 random bits do not collide in practice. An
 * element's key is its unique (qualified name, source); making that the primary key would rebuild its index.
 */
const WITHOUT_GUID_INDEX = 'ALTER TABLE metadata_elements DROP CONSTRAINT metadata_elements_pkey';

/** Creates the tables if absent and stamps the version; refuses a database written by a newer daemon. */
export async function createSchema(client: pg.PoolClient, metadataServerName: string): Promise<void> {
  await client.query('BEGIN');
  try {
    // Daemons sharing one database may start together; the lock makes them create the schema one at a time.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('integration-daemon metadata schema'))`);
    await client.query(SCHEMA);
    const found = await client.query<{ version: number }>('SELECT max(version) AS version FROM metadata_repository_schema');
    const version = found.rows[0]?.version ?? null;
    if (version === null) {
      await client.query('INSERT INTO metadata_repository_schema (version) VALUES ($1)', [SCHEMA_VERSION]);
    } else if (version < SCHEMA_VERSION) {
      // The tables above are created if absent, so an older database lacks only the later changes to them.
      await client.query(WITHOUT_GUID_INDEX);
      await client.query('UPDATE metadata_repository_schema SET version = $1', [SCHEMA_VERSION]);
    } else if (version > SCHEMA_VERSION) {
      throw new Error(
        `INTEGRATION-DAEMON-METADATA-SERVER-500-002 The database of metadata server ${metadataServerName} has ` +
          `schema version ${version}, newer than this daemon understands (${SCHEMA_VERSION}). Upgrade the daemon ` +
          'or point metadataServer.connectionString at another database.',
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
