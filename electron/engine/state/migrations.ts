// How a state file written by an earlier daemon version is brought up to this one (see ensureSchema). SQLite
// cannot change a CHECK constraint in place, so a table whose allowed values change is rebuilt: a new table with
// the new constraint, the rows copied with their values renamed, the old table dropped, the new one renamed.
import type { Migrations } from '../sqlite-schema.js';

export const STATE_MIGRATIONS: Migrations = {
  // 1 → 2: states are UPPER_SNAKE like the connector statuses and run states (pending → PENDING,
  // gaveUp → GAVE_UP; closed → CLOSED, open → OPEN, halfOpen → HALF_OPEN). Retries and breakers are kept.
  1: `
CREATE TABLE object_retries_2 (
  connector_id          TEXT NOT NULL,
  object_key            TEXT NOT NULL,
  state                 TEXT NOT NULL CHECK (state IN ('PENDING', 'GAVE_UP')),
  attempt               INTEGER NOT NULL,
  retry_limit           INTEGER,
  next_retry_at         INTEGER,
  first_failed_at       INTEGER NOT NULL,
  last_failed_at        INTEGER NOT NULL,
  last_error_message_id TEXT NOT NULL,
  last_error_message    TEXT NOT NULL,
  error_source          TEXT NOT NULL,
  error_category        TEXT NOT NULL,
  PRIMARY KEY (connector_id, object_key)
);
INSERT INTO object_retries_2
  SELECT connector_id, object_key, CASE state WHEN 'gaveUp' THEN 'GAVE_UP' ELSE 'PENDING' END, attempt, retry_limit,
    next_retry_at, first_failed_at, last_failed_at, last_error_message_id, last_error_message, error_source, error_category
  FROM object_retries;
DROP TABLE object_retries;
ALTER TABLE object_retries_2 RENAME TO object_retries;
CREATE TABLE breakers_2 (
  metadata_server_name TEXT PRIMARY KEY,
  state                TEXT NOT NULL CHECK (state IN ('CLOSED', 'OPEN', 'HALF_OPEN')),
  since                INTEGER NOT NULL,
  next_probe_at        INTEGER,
  open_count           INTEGER NOT NULL,
  last_error_message   TEXT
);
INSERT INTO breakers_2
  SELECT metadata_server_name, CASE state WHEN 'closed' THEN 'CLOSED' WHEN 'halfOpen' THEN 'HALF_OPEN' ELSE 'OPEN' END,
    since, next_probe_at, open_count, last_error_message
  FROM breakers;
DROP TABLE breakers;
ALTER TABLE breakers_2 RENAME TO breakers;
`,
  // 2 → 3: archives held by the mass-archive fail-safe survive a restart (one row per connector).
  2: `
CREATE TABLE held_archives (
  connector_id TEXT PRIMARY KEY,
  held         TEXT NOT NULL
);
`,
};
