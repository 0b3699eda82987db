#!/usr/bin/env node
// Bundles the Electron side with esbuild: main → dist/electron/main.js (ESM), the preload → dist/electron/
// preload.cjs (one CommonJS file: a sandboxed preload can require nothing but 'electron'), and the daemon entry the
// app forks with utilityProcess → dist/electron/daemon.mjs. Native and optional modules stay outside the bundle;
// electron-builder rebuilds better-sqlite3 for Electron's ABI when it packages.
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const out = join(root, 'dist', 'electron');
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

const jobs = [
  build({
    ...common,
    entryPoints: ['electron/main.ts'],
    outfile: join(out, 'main.js'),
    format: 'esm',
    external,
    banner: { js: esmRequire },
  }),
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: join(out, 'preload.cjs'), format: 'cjs', external: ['electron'] }),
];
jobs.push(
  build({
    ...common,
    entryPoints: ['electron/desktop/daemon-entry.ts'],
    outfile: join(out, 'daemon.mjs'),
    format: 'esm',
    external,
    banner: { js: esmRequire },
  }),
);
try {
  await Promise.all(jobs);
} catch (error) {
  console.error(
    `INTEGRATION-DAEMON-BUILD-500-001 The Electron bundles were not built: ${error.message}\n  fix: correct the errors above (npm run typecheck shows them with types) and run node scripts/build-electron.mjs again.`,
  );
  process.exit(1);
}
console.log(`build-electron: wrote ${jobs.length} bundles to ${out}`);
