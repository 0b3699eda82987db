// The embedded metadata server's tables, and the steps that bring an older file up to them: ensureSchema runs the
// step named after each version the file has, in order, each in a transaction of its own.
import type { Migrations } from '../sqlite-schema.js';
import { INTEGRATION_GROUPS_TABLE } from './sqlite-groups.js';

/** 4 dropped the element guids' index; 3 and earlier are brought up by SCHEMA_MIGRATIONS. */
export const SCHEMA_VERSION = 4;

/** The catalogue's filters by connector (its live count too) and by type, each in page order. */
const CATALOGUE_INDEXES = `
CREATE INDEX IF NOT EXISTS elements_by_source ON elements (metadata_source, archived, qualified_name);
CREATE INDEX IF NOT EXISTS elements_by_type ON elements (type_name, qualified_name);
`;

/**
 * The guid has no index: nothing looks an element up by it (every query goes by source, type or qualified name),
 * and newGuid's 74 random bits make a repeat out of reach, so an index would only be kept up to date on every
 * insert. At 1,000,000 files that index was 50 MB of the file and 8% of the CPU of a first refresh's writes.
 */
function elementsTable(name: string): string {
  return `
CREATE TABLE ${name} (
  element_id      INTEGER PRIMARY KEY,
  guid            TEXT NOT NULL,
  metadata_source TEXT NOT NULL,
  qualified_name  TEXT NOT NULL,
  type_name       TEXT NOT NULL,
  properties      TEXT NOT NULL,
  fingerprint     TEXT NOT NULL,
  create_time     INTEGER NOT NULL,
  update_time     INTEGER NOT NULL,
  archived        INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  version         INTEGER NOT NULL DEFAULT 1,
  -- qualified_name first: the one index serves the per-source key, the page order and prefix ranges.
  UNIQUE (qualified_name, metadata_source)
);`;
}

const ELEMENT_COLUMNS =
  'element_id, guid, metadata_source, qualified_name, type_name, properties, fingerprint, create_time, update_time, archived, version';

/**
 * Version 3 to 4: the elements table without its guid index. SQLite cannot drop a column's UNIQUE, so the table is
 * copied (element ids kept) and its indexes built again after the copy by one sort each: a one-off 8.5 s at open for
 * 1,000,000 elements (measured under load); the old pages stay in the file, free for the rows that come next.
 */
const WITHOUT_GUID_INDEX = `${elementsTable('elements_without_guid_index')}
INSERT INTO elements_without_guid_index (${ELEMENT_COLUMNS}) SELECT ${ELEMENT_COLUMNS} FROM elements ORDER BY element_id;
DROP TABLE elements;
ALTER TABLE elements_without_guid_index RENAME TO elements;
${CATALOGUE_INDEXES}`;

export const SCHEMA = `${elementsTable('elements')}
CREATE TABLE relationships (
  relationship_id     INTEGER PRIMARY KEY,
  guid                TEXT NOT NULL UNIQUE,
  metadata_source     TEXT NOT NULL,
  type_name           TEXT NOT NULL,
  end1_qualified_name TEXT NOT NULL,
  end2_qualified_name TEXT NOT NULL,
  properties          TEXT NOT NULL,
  fingerprint         TEXT NOT NULL,
  create_time         INTEGER NOT NULL,
  update_time         INTEGER NOT NULL,
  version             INTEGER NOT NULL DEFAULT 1,
  UNIQUE (metadata_source, type_name, end1_qualified_name, end2_qualified_name)
);
${CATALOGUE_INDEXES}${INTEGRATION_GROUPS_TABLE}`;

/** The step from each older version to the next. */
export const SCHEMA_MIGRATIONS: Migrations = {
  1: CATALOGUE_INDEXES,
  2: INTEGRATION_GROUPS_TABLE,
  3: WITHOUT_GUID_INDEX,
};
