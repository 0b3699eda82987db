#!/usr/bin/env node
// Builds what the desktop app runs: main → electron/main.js (ESM), the preload → electron/preload.cjs (one
// CommonJS file: a sandboxed preload can require nothing but 'electron'), both bundled with esbuild, and the
// compiled CLI → cli/ (scripts/build-cli.mjs), which the app forks with utilityProcess as its local daemon. Native
// and optional modules stay outside the bundles; electron-builder rebuilds better-sqlite3 for Electron's ABI and
// packs the CLI's npm dependencies when it packages.
//
// Usage: node scripts/build-electron.mjs [--out DIR]    (DIR defaults to dist)
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { buildCli } from './build-cli.mjs';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const outDir = values.out === undefined ? join(root, 'dist') : resolve(values.out);
const out = join(outDir, 'electron');
const external = ['electron', 'better-sqlite3', 'pg-native'];
// Bundled CommonJS dependencies call require(); an ESM bundle has to provide it.
const esmRequire = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
  legalComments: 'none',
};

try {
  await Promise.all([
    build({
      ...common,
      entryPoints: ['electron/main.ts'],
      outfile: join(out, 'main.js'),
      format: 'esm',
      external,
      banner: { js: esmRequire },
    }),
    build({ ...common, entryPoints: ['electron/preload.ts'], outfile: join(out, 'preload.cjs'), format: 'cjs', external: ['electron'] }),
    buildCli(outDir),
  ]);
} catch (error) {
  console.error(
    `INTEGRATION-DAEMON-BUILD-500-001 The Electron bundles were not built: ${error.message}\n  fix: correct the errors above (npm run typecheck shows them with types) and run node scripts/build-electron.mjs again.`,
  );
  process.exit(1);
}
console.log(`build-electron: wrote main and preload to ${out}, the CLI to ${join(outDir, 'cli')}`);
