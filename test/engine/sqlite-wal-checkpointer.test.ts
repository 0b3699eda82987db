// The WAL checkpoints on a thread of their own: the writing connection makes none while the thread runs, makes its own
// again once the thread has failed, and closing leaves the files as the writing connection alone would have.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startWalCheckpointer } from '../../electron/engine/sqlite-wal-checkpointer.js';

const directories: string[] = [];
function walDatabase(): { directory: string; path: string; db: Database.Database } {
  const directory = mkdtempSync(join(tmpdir(), 'sqlite-wal-checkpointer-'));
  directories.push(directory);
  const path = join(directory, 'state.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT)');
  return { directory, path, db };
}
/** Commits 50 rows of 4 KB and waits until they are in the file itself: only the thread can have moved them there. */
async function writeAndAwaitCheckpoint(path: string, db: Database.Database): Promise<void> {
  const before = statSync(path).size;
  // Far fewer pages than SQLite's own checkpoint threshold: only the thread moves them into the file.
  const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 50; i++) insert.run('x'.repeat(4000));
  })();
  const deadline = Date.now() + 10_000;
  while (statSync(path).size <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(statSync(path).size).toBeGreaterThan(before + 50 * 4000);
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('SQLite WAL checkpointer', () => {
  it('turns off the writing connection’s checkpoints and moves the WAL into the file on its thread', async () => {
    const { path, db } = walDatabase();
    const checkpointer = startWalCheckpointer(path, db, 1000);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await writeAndAwaitCheckpoint(path, db);
    checkpointer.close();
    db.close();
  });

  it('has closed its connection when close returns, so the writing connection closes last and removes the WAL', async () => {
    const { path, db } = walDatabase();
    const checkpointer = startWalCheckpointer(path, db, 1000);
    await writeAndAwaitCheckpoint(path, db);
    db.prepare('INSERT INTO rows (body) VALUES (?)').run('kept');
    checkpointer.close();
    db.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    const reopened = new Database(path, { readonly: true });
    expect(reopened.prepare('SELECT body FROM rows ORDER BY id DESC LIMIT 1').pluck().get()).toBe('kept');
    reopened.close();
  });

  it('closes last after the writing connection, leaving no file open: the folder can be removed at once', async () => {
    const { directory, path, db } = walDatabase();
    const checkpointer = startWalCheckpointer(path, db, 10_000);
    await writeAndAwaitCheckpoint(path, db);
    db.prepare('INSERT INTO rows (body) VALUES (?)').run('kept');
    db.close();
    // The thread's connection still holds the WAL: the writing one was not the last to close.
    expect(existsSync(`${path}-wal`)).toBe(true);
    checkpointer.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(existsSync(`${path}-shm`)).toBe(false);
    rmSync(directory, { recursive: true });
    expect(existsSync(directory)).toBe(false);
  });

  it('gives the writing connection its checkpoints back, at the given size, when the thread cannot open the file', async () => {
    const { directory, db } = walDatabase();
    const checkpointer = startWalCheckpointer(join(directory, 'missing', 'state.db'), db, 1234);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const deadline = Date.now() + 10_000;
    while (db.pragma('wal_autocheckpoint', { simple: true }) === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1234);
    checkpointer.close();
    db.close();
  });

  it('does not wait on a thread that could not open the file, even when closed before it is known to have failed', async () => {
    const { directory, db } = walDatabase();
    const checkpointer = startWalCheckpointer(join(directory, 'missing', 'state.db'), db, 1000);
    // Long enough for the thread to have tried and failed, with no turn of the loop to learn of it.
    const until = Date.now() + 1_000;
    while (Date.now() < until);
    const began = Date.now();
    checkpointer.close();
    expect(Date.now() - began).toBeLessThan(1_000);
    db.close();
  });
});
