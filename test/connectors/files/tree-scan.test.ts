// The tree scan's order: files come back in the order the metadata server's index keeps their qualified names.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NameFilter } from '../../../electron/connectors/files/basic-files.js';
import { scanTree, type ScannedFile } from '../../../electron/connectors/files/tree-scan.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tree(paths: string[]): string {
  const top = mkdtempSync(join(tmpdir(), 'tree-scan-'));
  dirs.push(top);
  for (const path of paths) {
    const parts = path.split('/');
    if (parts.length > 1) mkdirSync(join(top, ...parts.slice(0, -1)), { recursive: true });
    writeFileSync(join(top, ...parts), path);
  }
  return top;
}

/** SQLite's BINARY collation of TEXT: the bytes of UTF-8. */
function byUtf8Bytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function scannedPaths(top: string, batchSize?: number): Promise<string[]> {
  const found: ScannedFile[] = [];
  const scan = await scanTree(top, {
    exclude: new NameFilter([]),
    signal: new AbortController().signal,
    onFiles: (files) => found.push(...files),
    ...(batchSize === undefined ? {} : { batchSize }),
  });
  expect(scan.fileCount).toBe(found.length);
  return found.map((file) => file.path);
}

describe('scanTree order', () => {
  it('reports files in the byte order of their UTF-8 paths, directories ordered as their paths continue', async () => {
    // '-' and '.' sort before the separator and '0' after it: a directory's files come between such siblings.
    const top = tree(['a/x.csv', 'a/b/y.csv', 'a.txt', 'a-b', 'a0', 'b', 'z/a', 'A', 'ab/c']);
    const paths = await scannedPaths(top, 2);
    expect(paths).toHaveLength(9);
    expect(paths).toEqual([...paths].sort(byUtf8Bytes));
  });

  it('orders names above U+FFFF after those from U+E000 to U+FFFF, as their UTF-8 bytes do', async () => {
    const names = ['\u{1F600}.csv', '\uFF21.csv', '\uE000.csv', 'e.csv', '\u00E9.csv', '\u{10000}', '\uFFFD'];
    const top = tree([...names, ...names.map((name) => `\u{1F4C1}/${name}`), ...names.map((name) => `\uFB01/${name}`)]);
    const paths = await scannedPaths(top);
    expect(paths).toHaveLength(names.length * 3);
    expect(paths).toEqual([...paths].sort(byUtf8Bytes));
    // JavaScript's own order would differ, so the test can tell the two apart.
    expect([...paths].sort()).not.toEqual(paths);
  });
});
