#!/usr/bin/env node
// `npm run bench [name...]`: runs the benchmarks in test/bench one after another. Each prints its own figures as
// ratios against a baseline measured in the same run; none of them is part of `npm test`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const all = readdirSync(join(root, 'test/bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const wanted = process.argv.slice(2);
const chosen = wanted.length === 0 ? all : all.filter((f) => wanted.some((w) => f.startsWith(w)));
if (chosen.length === 0) {
  console.error(`No benchmark matches ${wanted.join(', ')}; there are: ${all.map((f) => f.replace('.bench.ts', '')).join(', ')}`);
  process.exit(2);
}
// Benchmarks that start daemon processes run the compiled CLI: compile it from the current sources first.
const built = spawnSync(process.execPath, [join(root, 'scripts/build-cli.mjs'), '--no-types'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(1);
let failed = 0;
for (const file of chosen) {
  console.log(`\n== ${file}`);
  const r = spawnSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join('test/bench', file)], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
