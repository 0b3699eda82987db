// What the catalogue benchmarks share: the generated tree of small files, the `find -printf` listing they race, and
// the SQLite side of the baseline (the same rows inserted in bulk). One copy, so the SQLite, PostgreSQL and growth
// figures are measured against the same shape and the same baseline.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FoundFile {
  size: number;
  mtime: number;
  path: string;
}

/**
 * Writes `fileCount` small CSV files under `tree`, about 330 per directory under 20 top-level directories;
 * `maxLeaves` caps the directories (the 100,000-file benches use 300). Returns the number of leaf directories.
 */
export function generateTree(tree: string, fileCount: number, maxLeaves = Number.POSITIVE_INFINITY): number {
  const leafCount = Math.max(1, Math.min(maxLeaves, Math.ceil(fileCount / 330)));
  const leaves: string[] = [];
  for (let i = 0; i < leafCount; i++) leaves.push(join(tree, `region-${i % 20}`, `batch-${Math.floor(i / 20)}`));
  for (const leaf of leaves) mkdirSync(leaf, { recursive: true });
  for (let i = 0; i < fileCount; i++) {
    writeFileSync(join(leaves[i % leaves.length] as string, `part-${i}.csv`), `id,value\n${i},${i * 7}\n`);
  }
  return leaves.length;
}

/** `find TREE -type f -printf '%s %T@ %p\n'`, its output read and parsed: the walk every baseline starts with. */
export function findFiles(tree: string): Promise<FoundFile[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('find', [tree, '-type', 'f', '-printf', '%s %T@ %p\\n'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`find exited with ${code}`));
        return;
      }
      const rows: FoundFile[] = [];
      // Line by line: one string of a million lines' output would be split into a second copy all at once.
      const output = Buffer.concat(chunks).toString('utf8');
      let start = 0;
      for (let end = output.indexOf('\n'); end !== -1; start = end + 1, end = output.indexOf('\n', start)) {
        const first = output.indexOf(' ', start);
        const second = output.indexOf(' ', first + 1);
        rows.push({
          size: Number(output.slice(start, first)),
          mtime: Number(output.slice(first + 1, second)),
          path: output.slice(second + 1, end),
        });
      }
      resolve(rows);
    });
  });
}

/** The SQLite baseline: `find` plus a bulk insert of its rows into a fresh table (one transaction, one statement). */
export async function sqliteBaseline(tree: string, databasePath: string): Promise<{ ms: number; rows: number }> {
  const started = performance.now();
  const rows = await findFiles(tree);
  const db = new Database(databasePath);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime REAL NOT NULL)');
  const insert = db.prepare('INSERT INTO files (path, size, mtime) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const row of rows) insert.run(row.path, row.size, row.mtime);
  })();
  db.close();
  return { ms: performance.now() - started, rows: rows.length };
}
