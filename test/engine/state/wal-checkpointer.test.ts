// The state file's WAL checkpoints on a thread of their own: the committing connection makes none, the thread moves
// the WAL into the file, and closing leaves the file as the committing connection alone would have.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startWalCheckpointer } from '../../../electron/engine/state/wal-checkpointer.js';

const directories: string[] = [];
function walDatabase(): { path: string; db: Database.Database } {
  const directory = mkdtempSync(join(tmpdir(), 'wal-checkpointer-'));
  directories.push(directory);
  const path = join(directory, 'state.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT)');
  return { path, db };
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('WAL checkpointer', () => {
  it('turns off the committing connection’s checkpoints and moves the WAL into the file on its thread', async () => {
    const { path, db } = walDatabase();
    const checkpointer = startWalCheckpointer(path, db);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = statSync(path).size;
    // Far fewer pages than SQLite's own checkpoint threshold: only the thread moves them into the file.
    const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 50; i++) insert.run('x'.repeat(4000));
    })();
    const deadline = Date.now() + 10_000;
    while (statSync(path).size <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(path).size).toBeGreaterThan(before + 50 * 4000);
    checkpointer.close();
    db.close();
  });

  it('has closed its connection when close returns, so the committing connection closes last and removes the WAL', () => {
    const { path, db } = walDatabase();
    const checkpointer = startWalCheckpointer(path, db);
    db.prepare('INSERT INTO rows (body) VALUES (?)').run('kept');
    checkpointer.close();
    db.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    const reopened = new Database(path, { readonly: true });
    expect(reopened.prepare('SELECT body FROM rows').pluck().all()).toEqual(['kept']);
    reopened.close();
  });
});
