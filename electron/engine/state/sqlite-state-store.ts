// The daemon's durable state in its own SQLite file. synchronous=FULL: every put is on disk when it returns, so a
// daemon killed with SIGKILL (or a machine losing power) comes back with its retries due at the same times. The one
// exception is batchSyncedLater (the run records), which is on disk when its promise resolves and before any read.
// Rows are read back through zod: the file outlives daemon versions and can be edited by hand, and a bad row
// must produce a clear message rather than a wrong retry time.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { ConnectorRun } from '../../../shared/api/types.js';
import {
  heldArchiveKey,
  type StateStore,
  type StoredBreaker,
  type StoredConnectorRetry,
  type StoredHeldArchive,
  type StoredObjectRetry,
} from './types.js';
import { ensureSchema } from '../sqlite-schema.js';
import { startWalCheckpointer, type WalCheckpointer } from '../sqlite-wal-checkpointer.js';
import { STATE_MIGRATIONS } from './migrations.js';
import { WalSync } from './wal-sync.js';
import { breakerRow, connectorRetryRow, connectorRun, heldArchive, objectRetryRow } from './state-rows.js';
import { errorCode } from '../../connector-sdk/index.js';
import { errorText } from '../../../shared/api/error-text.js';

const SCHEMA_VERSION = 3;
/** SQLite's own default, which the committing connection goes back to should the checkpoint thread stop. */
const WAL_AUTOCHECKPOINT_PAGES = 1000;

const SCHEMA = `
CREATE TABLE object_retries (
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
CREATE TABLE connector_retries (
  connector_id    TEXT PRIMARY KEY,
  attempt         INTEGER NOT NULL,
  retry_limit     INTEGER,
  next_retry_at   INTEGER NOT NULL,
  reason          TEXT NOT NULL,
  message_id      TEXT NOT NULL,
  error_source    TEXT NOT NULL,
  error_category  TEXT NOT NULL,
  error_count     INTEGER NOT NULL,
  first_failed_at INTEGER NOT NULL
);
CREATE TABLE breakers (
  metadata_server_name TEXT PRIMARY KEY,
  state                TEXT NOT NULL CHECK (state IN ('CLOSED', 'OPEN', 'HALF_OPEN')),
  since                INTEGER NOT NULL,
  next_probe_at        INTEGER,
  open_count           INTEGER NOT NULL,
  last_error_message   TEXT
);
CREATE TABLE runs (
  run_id         TEXT PRIMARY KEY,
  connector_id   TEXT NOT NULL,
  connector_name TEXT NOT NULL,
  started_at     INTEGER NOT NULL,
  run            TEXT NOT NULL
);
CREATE INDEX runs_by_connector_id ON runs (connector_id, started_at);
CREATE INDEX runs_by_connector_name ON runs (connector_name, started_at);
CREATE INDEX runs_by_start ON runs (started_at);
CREATE TABLE held_archives (
  connector_id TEXT PRIMARY KEY,
  held         TEXT NOT NULL
);
`;

export class StateStoreError extends Error {
  readonly messageId: string;
  readonly userAction: string;
  constructor(messageId: string, text: string, userAction: string, cause?: unknown) {
    super(`${messageId} ${text} ${userAction}`, cause === undefined ? undefined : { cause });
    this.name = 'StateStoreError';
    this.messageId = messageId;
    this.userAction = userAction;
  }
}

function parseRow<T>(schema: z.ZodType<T>, row: unknown, path: string, table: string): T {
  const parsed = schema.safeParse(row);
  if (!parsed.success) {
    throw new StateStoreError(
      'INTEGRATION-DAEMON-STATE-500-004',
      `A row of ${table} in the state file ${path} is not valid: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}.`,
      'Stop the daemon and move the state file aside; the daemon starts with no pending retries.',
    );
  }
  return parsed.data;
}

interface Statements {
  putObjectRetry: Database.Statement<unknown[]>;
  getObjectRetry: Database.Statement<[string, string]>;
  deleteObjectRetry: Database.Statement<[string, string]>;
  listObjectRetries: Database.Statement<[]>;
  listObjectRetriesOf: Database.Statement<[string]>;
  putConnectorRetry: Database.Statement<unknown[]>;
  getConnectorRetry: Database.Statement<[string]>;
  deleteConnectorRetry: Database.Statement<[string]>;
  listConnectorRetries: Database.Statement<[]>;
  putBreaker: Database.Statement<unknown[]>;
  getBreaker: Database.Statement<[string]>;
  putRun: Database.Statement<[string, string, string, number, string]>;
  trimRuns: Database.Statement<[string, string, number]>;
  listRuns: Database.Statement<[number]>;
  listRunsOf: Database.Statement<[string, number]>;
  putHeldArchive: Database.Statement<[string, string]>;
  deleteHeldArchive: Database.Statement<[string]>;
  listHeldArchives: Database.Statement<[]>;
}

class SqliteStateStore implements StateStore {
  private readonly statements: Statements;
  /** The disk syncs of batchSyncedLater's commits. */
  private readonly walSync: WalSync;
  /**
   * Made by the committing connection, the WAL's checkpoints ran on the event loop inside a commit every few hundred
   * runs, each syncing the WAL and the file: at start-up with 1,000 connectors about one every half second, the
   * longest 240 ms on a disk other work kept busy.
   */
  private readonly checkpointer: WalCheckpointer;

  constructor(
    readonly path: string,
    private readonly db: Database.Database,
  ) {
    this.walSync = new WalSync(
      `${path}-wal`,
      (error) =>
        new StateStoreError(
          'INTEGRATION-DAEMON-STATE-500-007',
          `Writing the state file ${path} failed (syncing its WAL: ${errorText(error)}).`,
          'Check that the state directory is writable and its disk is not full.',
          error,
        ),
    );
    this.statements = {
      putObjectRetry: db.prepare(`INSERT INTO object_retries (connector_id, object_key, state, attempt, retry_limit,
        next_retry_at, first_failed_at, last_failed_at, last_error_message_id, last_error_message, error_source, error_category)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (connector_id, object_key) DO UPDATE SET state = excluded.state, attempt = excluded.attempt,
        retry_limit = excluded.retry_limit, next_retry_at = excluded.next_retry_at, first_failed_at = excluded.first_failed_at,
        last_failed_at = excluded.last_failed_at, last_error_message_id = excluded.last_error_message_id,
        last_error_message = excluded.last_error_message, error_source = excluded.error_source,
        error_category = excluded.error_category`),
      getObjectRetry: db.prepare('SELECT * FROM object_retries WHERE connector_id = ? AND object_key = ?'),
      deleteObjectRetry: db.prepare('DELETE FROM object_retries WHERE connector_id = ? AND object_key = ?'),
      listObjectRetries: db.prepare('SELECT * FROM object_retries ORDER BY connector_id, next_retry_at IS NULL, next_retry_at, object_key'),
      listObjectRetriesOf: db.prepare(`SELECT * FROM object_retries WHERE connector_id = ?
        ORDER BY next_retry_at IS NULL, next_retry_at, object_key`),
      putConnectorRetry: db.prepare(`INSERT OR REPLACE INTO connector_retries (connector_id, attempt, retry_limit,
        next_retry_at, reason, message_id, error_source, error_category, error_count, first_failed_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      getConnectorRetry: db.prepare('SELECT * FROM connector_retries WHERE connector_id = ?'),
      deleteConnectorRetry: db.prepare('DELETE FROM connector_retries WHERE connector_id = ?'),
      listConnectorRetries: db.prepare('SELECT * FROM connector_retries ORDER BY next_retry_at, connector_id'),
      putBreaker: db.prepare(`INSERT OR REPLACE INTO breakers (metadata_server_name, state, since, next_probe_at, open_count,
        last_error_message) VALUES (?, ?, ?, ?, ?, ?)`),
      getBreaker: db.prepare('SELECT * FROM breakers WHERE metadata_server_name = ?'),
      // Upsert keeps the rowid, which breaks ties between runs started in the same millisecond.
      putRun: db.prepare(`INSERT INTO runs (run_id, connector_id, connector_name, started_at, run) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (run_id) DO UPDATE SET connector_id = excluded.connector_id, connector_name = excluded.connector_name,
        started_at = excluded.started_at, run = excluded.run`),
      trimRuns: db.prepare(`DELETE FROM runs WHERE connector_id = ? AND rowid NOT IN (
        SELECT rowid FROM runs WHERE connector_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?)`),
      listRuns: db.prepare('SELECT run FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?'),
      listRunsOf: db.prepare('SELECT run FROM runs WHERE connector_name = ? ORDER BY started_at DESC, rowid DESC LIMIT ?'),
      putHeldArchive: db.prepare('INSERT OR REPLACE INTO held_archives (connector_id, held) VALUES (?, ?)'),
      deleteHeldArchive: db.prepare('DELETE FROM held_archives WHERE connector_id = ?'),
      listHeldArchives: db.prepare('SELECT held FROM held_archives ORDER BY connector_id'),
    };
    // Last: a store that failed to open leaves no thread behind.
    this.checkpointer = startWalCheckpointer(path, db, WAL_AUTOCHECKPOINT_PAGES);
  }

  close(): void {
    this.walSync.syncNow();
    this.checkpointer.close();
    if (this.db.open) this.db.close();
    this.walSync.close();
  }

  putObjectRetry(retry: StoredObjectRetry): void {
    this.write(() =>
      this.statements.putObjectRetry.run(
        retry.connectorId,
        retry.objectKey,
        retry.state,
        retry.attempt,
        retry.retryLimit,
        retry.nextRetryAt,
        retry.firstFailedAt,
        retry.lastFailedAt,
        retry.lastErrorMessageId,
        retry.lastErrorMessage,
        retry.errorSource,
        retry.errorCategory,
      ),
    );
  }

  getObjectRetry(connectorId: string, objectKey: string): StoredObjectRetry | undefined {
    const row: unknown = this.statements.getObjectRetry.get(connectorId, objectKey);
    return row === undefined ? undefined : this.objectRetry(row);
  }

  deleteObjectRetry(connectorId: string, objectKey: string): void {
    this.write(() => this.statements.deleteObjectRetry.run(connectorId, objectKey));
  }

  listObjectRetries(connectorId?: string): StoredObjectRetry[] {
    const rows: unknown[] =
      connectorId === undefined ? this.statements.listObjectRetries.all() : this.statements.listObjectRetriesOf.all(connectorId);
    return rows.map((row) => this.objectRetry(row));
  }

  putConnectorRetry(retry: StoredConnectorRetry): void {
    this.write(() =>
      this.statements.putConnectorRetry.run(
        retry.connectorId,
        retry.attempt,
        retry.retryLimit,
        retry.nextRetryAt,
        retry.reason,
        retry.messageId,
        retry.errorSource,
        retry.errorCategory,
        retry.errorCount,
        retry.firstFailedAt,
      ),
    );
  }

  getConnectorRetry(connectorId: string): StoredConnectorRetry | undefined {
    const row: unknown = this.statements.getConnectorRetry.get(connectorId);
    return row === undefined ? undefined : this.connectorRetry(row);
  }

  deleteConnectorRetry(connectorId: string): void {
    this.write(() => this.statements.deleteConnectorRetry.run(connectorId));
  }

  listConnectorRetries(): StoredConnectorRetry[] {
    return this.statements.listConnectorRetries.all().map((row: unknown) => this.connectorRetry(row));
  }

  putBreaker(breaker: StoredBreaker): void {
    this.write(() =>
      this.statements.putBreaker.run(
        breaker.metadataServerName,
        breaker.state,
        breaker.since,
        breaker.nextProbeAt,
        breaker.openCount,
        breaker.lastErrorMessage,
      ),
    );
  }

  getBreaker(metadataServerName: string): StoredBreaker | undefined {
    const row: unknown = this.statements.getBreaker.get(metadataServerName);
    if (row === undefined) return undefined;
    const r = parseRow(breakerRow, row, this.path, 'breakers');
    return {
      metadataServerName: r.metadata_server_name,
      state: r.state,
      since: r.since,
      nextProbeAt: r.next_probe_at,
      openCount: r.open_count,
      lastErrorMessage: r.last_error_message,
    };
  }

  putRun(run: ConnectorRun, keepPerConnector: number): void {
    if (!Number.isSafeInteger(keepPerConnector) || keepPerConnector < 1) {
      throw new StateStoreError(
        'INTEGRATION-DAEMON-STATE-400-005',
        `keepPerConnector is ${keepPerConnector}.`,
        'Keep at least one run per connector.',
      );
    }
    const startedAt = Date.parse(run.startedAt);
    if (Number.isNaN(startedAt)) {
      throw new StateStoreError(
        'INTEGRATION-DAEMON-STATE-400-006',
        `Run ${run.runId} has startedAt ${JSON.stringify(run.startedAt)}.`,
        'Record runs with an ISO-8601 startedAt.',
      );
    }
    this.write(() =>
      this.db
        .transaction(() => {
          this.statements.putRun.run(run.runId, run.connectorId, run.connectorName, startedAt, JSON.stringify(run));
          this.statements.trimRuns.run(run.connectorId, run.connectorId, keepPerConnector);
        })
        .immediate(),
    );
  }

  listRuns(filter: { connectorName?: string | undefined; limit: number }): ConnectorRun[] {
    // What is shown is on disk: a batch committed a moment ago is synced first (rarely more than a few milliseconds).
    this.walSync.syncNow();
    const limit = Math.max(0, Math.floor(filter.limit));
    const rows = (
      filter.connectorName === undefined ? this.statements.listRuns.all(limit) : this.statements.listRunsOf.all(filter.connectorName, limit)
    ) as { run: string }[];
    return rows.map((row) => parseRow(connectorRun, JSON.parse(row.run), this.path, 'runs'));
  }

  putHeldArchive(held: StoredHeldArchive): void {
    this.write(() => this.statements.putHeldArchive.run(heldArchiveKey(held), JSON.stringify(held)));
  }

  deleteHeldArchive(key: string): void {
    this.write(() => this.statements.deleteHeldArchive.run(key));
  }

  listHeldArchives(): StoredHeldArchive[] {
    const rows = this.statements.listHeldArchives.all() as { held: string }[];
    return rows.map((row) => parseRow(heldArchive, JSON.parse(row.held), this.path, 'held_archives'));
  }

  private objectRetry(row: unknown): StoredObjectRetry {
    const r = parseRow(objectRetryRow, row, this.path, 'object_retries');
    return {
      connectorId: r.connector_id,
      objectKey: r.object_key,
      state: r.state,
      attempt: r.attempt,
      retryLimit: r.retry_limit,
      nextRetryAt: r.next_retry_at,
      firstFailedAt: r.first_failed_at,
      lastFailedAt: r.last_failed_at,
      lastErrorMessageId: r.last_error_message_id,
      lastErrorMessage: r.last_error_message,
      errorSource: r.error_source,
      errorCategory: r.error_category,
    };
  }

  private connectorRetry(row: unknown): StoredConnectorRetry {
    const r = parseRow(connectorRetryRow, row, this.path, 'connector_retries');
    return {
      connectorId: r.connector_id,
      attempt: r.attempt,
      retryLimit: r.retry_limit,
      nextRetryAt: r.next_retry_at,
      reason: r.reason,
      messageId: r.message_id,
      errorSource: r.error_source,
      errorCategory: r.error_category,
      errorCount: r.error_count,
      firstFailedAt: r.first_failed_at,
    };
  }

  /** Several puts as one transaction: one disk sync instead of one per row (nested writes become savepoints). */
  batch(work: () => void): void {
    this.write(() => this.db.transaction(work).immediate());
  }

  /**
   * Several puts as one transaction, visible at once, whose disk sync runs off the event loop (WalSync): the promise
   * resolves once they are on disk. The sync of a thousand runs' commit held the loop for up to 100 ms on a busy disk.
   */
  batchSyncedLater(work: () => void): Promise<void> {
    if (!this.walSync.available) {
      this.batch(work);
      return Promise.resolve();
    }
    this.write(() => {
      this.db.pragma('synchronous = NORMAL');
      try {
        this.db.transaction(work).immediate();
      } finally {
        this.db.pragma('synchronous = FULL');
      }
    });
    return this.walSync.committed();
  }

  private write(work: () => unknown): void {
    try {
      work();
    } catch (error) {
      const code = errorCode(error);
      if (code !== undefined && code.startsWith('SQLITE_')) {
        throw new StateStoreError(
          'INTEGRATION-DAEMON-STATE-500-007',
          `Writing the state file ${this.path} failed (${code}: ` + `${errorText(error)}).`,
          'Check that the state directory is writable and its disk is not full.',
          error,
        );
      }
      throw error;
    }
  }
}

/** Opens (creating if needed) the state file at `path`; its directory is created too. */
export function openStateStore(path: string): StateStore {
  let db: Database.Database;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
  } catch (error) {
    throw new StateStoreError(
      'INTEGRATION-DAEMON-STATE-500-001',
      `The state file ${path} cannot be opened (${errorText(error)}).`,
      'Give the daemon a state directory it may write.',
      error,
    );
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    const version = ensureSchema(db, SCHEMA, SCHEMA_VERSION, STATE_MIGRATIONS);
    if (version > SCHEMA_VERSION) {
      throw new StateStoreError(
        'INTEGRATION-DAEMON-STATE-500-003',
        `The state file ${path} has schema version ${version}, ` + `newer than this daemon understands (${SCHEMA_VERSION}).`,
        'Upgrade the daemon or give it another state directory.',
      );
    }
    return new SqliteStateStore(path, db);
  } catch (error) {
    db.close();
    if (error instanceof StateStoreError) throw error;
    const code = errorCode(error);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new StateStoreError(
        'INTEGRATION-DAEMON-STATE-500-002',
        `The state file ${path} is damaged (${code}).`,
        'Stop the daemon and move the file aside; the daemon starts with no pending retries and no run history.',
        error,
      );
    }
    throw error;
  }
}
