// The WAL checkpoints of the daemon's two SQLite files (the embedded metadata server and the state store), on a
// thread of their own rather than inside the commits on the event loop.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** How often the thread moves what the WAL holds into the database file. */
const CHECKPOINT_EVERY_MS = 500;
/** How long closing waits for the thread to close its connection before it is ended and closing goes on. */
const CLOSE_WAIT_MS = 5_000;

/**
 * A connection of its own that checkpoints the WAL (PASSIVE: it waits for no reader or writer), while the writing
 * connection's own checkpoints are off: those run inside the commit that crosses wal_autocheckpoint, syncing the WAL
 * and the database file on the event loop (100-240 ms each on a busy disk). A checkpoint that fails here is tried
 * again at the next interval. `closed` says the thread holds no connection to the files: set once it has closed its
 * connection, or at once when it could not open one (it then fails, and the writer checkpoints itself again), so a
 * closing thread never waits on a connection that does not exist.
 */
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const closed = new Int32Array(workerData.closed);
function sayClosed() {
  Atomics.store(closed, 0, 1);
  Atomics.notify(closed, 0);
}
let db;
try {
  db = new Database(workerData.path);
  db.pragma('busy_timeout = 5000');
} catch (error) {
  sayClosed();
  throw error;
}
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {}
}, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  try {
    db.close();
  } finally {
    sayClosed();
    parentPort.close();
  }
});
`;

export interface WalCheckpointer {
  /**
   * Closes the thread's connection and waits (blocking, at most CLOSE_WAIT_MS) until it has, so the caller may move
   * or remove the files at once. Whichever of the two connections closes last moves the WAL into the file and removes
   * it, as the writing connection alone would have.
   */
  close(): void;
}

/**
 * Starts checkpointing the WAL of the database at `path` on a thread and turns off `db`'s own checkpoints. Should the
 * thread fail or end by itself while `db` is open, `db` checkpoints itself again once the WAL holds
 * `autocheckpointPages` pages.
 */
export function startWalCheckpointer(path: string, db: Database.Database, autocheckpointPages: number): WalCheckpointer {
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
    if (db.open) db.pragma(`wal_autocheckpoint = ${autocheckpointPages}`);
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
