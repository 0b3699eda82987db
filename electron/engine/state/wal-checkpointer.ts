// The state file's WAL checkpoints, on a thread of their own rather than inside the commits on the event loop.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** SQLite's own default, which the committing connection goes back to should the thread stop. */
const WAL_AUTOCHECKPOINT_PAGES = 1000;
/** How often the thread moves what the WAL holds into the state file. */
const CHECKPOINT_EVERY_MS = 500;
/** How long closing waits for the thread to close its connection before it is ended and closing goes on. */
const CLOSE_WAIT_MS = 5_000;

/**
 * A connection of its own that checkpoints the WAL (PASSIVE: it waits for no reader or writer), while the committing
 * connection's own checkpoints are off. Asked to close, it closes its connection and says so through `closed`, which
 * the closing thread waits on: the state file is then the committing connection's alone again.
 */
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const closed = new Int32Array(workerData.closed);
let db;
let timer;
try {
  db = new Database(workerData.path);
  db.pragma('busy_timeout = 5000');
  timer = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {}
  }, workerData.everyMs);
} catch {}
parentPort.once('message', () => {
  clearInterval(timer);
  try {
    db?.close();
  } catch {}
  Atomics.store(closed, 0, 1);
  Atomics.notify(closed, 0);
  parentPort.close();
});
`;

export interface WalCheckpointer {
  /**
   * Closes the thread's connection and waits (blocking, at most CLOSE_WAIT_MS) until it has: then the committing
   * connection, closed after it as the last one, moves the WAL into the file and removes it, as it did alone.
   */
  close(): void;
}

/**
 * Starts checkpointing the WAL of the state file at `path` on a thread and turns off `db`'s own checkpoints. Should
 * the thread fail or end by itself while `db` is open, `db` checkpoints itself again.
 */
export function startWalCheckpointer(path: string, db: Database.Database): WalCheckpointer {
  const closed = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(CHECKPOINTER_SOURCE, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      path,
      everyMs: CHECKPOINT_EVERY_MS,
      closed: closed.buffer,
    },
  });
  worker.unref();
  db.pragma('wal_autocheckpoint = 0');
  let ended = false;
  const stopped = (): void => {
    if (ended) return;
    ended = true;
    if (db.open) db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  };
  worker.on('error', stopped);
  worker.on('exit', stopped);
  return {
    close() {
      if (ended) return;
      ended = true;
      worker.postMessage('close');
      if (Atomics.wait(closed, 0, 0, CLOSE_WAIT_MS) === 'timed-out') void worker.terminate();
    },
  };
}
