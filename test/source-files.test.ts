// The house rules a reader relies on when opening any source file: it says in its first lines what it is for, and
// it is short enough to read in one sitting (500 lines; tests may be longer).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const SOURCE_DIRS = ['electron', 'shared', 'renderer', 'scripts'];
const MAX_LINES = 500;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') out.push(...sources(full));
    } else if (/\.(ts|tsx|mts|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(full);
    }
  }
  return out;
}

const files = SOURCE_DIRS.flatMap((dir) => sources(join(root, dir))).map((file) => relative(root, file));

describe('source files', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it(`stay under ${MAX_LINES} lines`, () => {
    const long = files
      .map((file) => ({ file, lines: readFileSync(join(root, file), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('open with a comment saying what they are for', () => {
    const silent = files.filter((file) => {
      const lines = readFileSync(join(root, file), 'utf8').split('\n');
      const first = lines[0]?.startsWith('#!') ? lines[1] : lines[0];
      return !/^\s*(\/\/|\/\*)/.test(first ?? '');
    });
    expect(silent).toEqual([]);
  });
});
