#!/usr/bin/env node
// Compiles the `integration-daemon` command and the daemon it runs into dist/cli, so that nothing is compiled at run
// time, and the public connector SDK's type declarations into dist/types. Run by `npm install` and `npm pack`
// (through scripts/prepare.mjs; prepack adds the console), and by build-electron.mjs, whose app forks this CLI as
// its local daemon.
//
//   dist/cli/integration-daemon.js   the process entry (electron/cli/process.ts) bin/integration-daemon.mjs imports
//   dist/cli/connector-sdk.js        `integration-daemon/connector-sdk` (electron/connector-sdk/index.ts)
//   dist/cli/chunks/*.js             code split off: each command's module is its own chunk, loaded when that
//                                    command runs, so `--help` loads none of the engine
//   dist/types/**.d.ts               declarations of the SDK and the shared API types it names
//
// One build with both entries means one copy of the SDK: the engine and a connector module importing
// `integration-daemon/connector-sdk` share the same chunk, so the daemon recognises that connector's ConnectorError.
// npm packages stay outside the bundles and are loaded from node_modules like any dependency's.
//
// Usage: node scripts/build-cli.mjs [--out DIR] [--no-types]    (DIR defaults to dist; the CLI goes to DIR/cli)
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const SDK_SOURCE = 'electron/connector-sdk/index.ts';

/** Bundles the CLI and the SDK into `<outDir>/cli`. */
export async function buildCli(outDir = join(root, 'dist')) {
  const cliDir = join(outDir, 'cli');
  // Chunk names carry content hashes: a stale chunk of an earlier build must not linger beside the new ones.
  rmSync(cliDir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: { 'integration-daemon': 'electron/cli/process.ts', 'connector-sdk': SDK_SOURCE },
    outdir: cliDir,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // The oldest Node the package supports (engines); Electron's Node 22 runs the same code.
    target: 'node20.19',
    packages: 'external',
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return cliDir;
}

/** Emits the SDK's declarations (and those of the shared API types it imports) into `<outDir>/types`. */
export async function buildSdkTypes(outDir = join(root, 'dist')) {
  const { default: ts } = await import('typescript');
  const typesDir = join(outDir, 'types');
  rmSync(typesDir, { recursive: true, force: true });
  const program = ts.createProgram([join(root, SDK_SOURCE)], {
    declaration: true,
    emitDeclarationOnly: true,
    rootDir: root,
    outDir: typesDir,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts'],
    types: ['node'],
    strict: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: true,
  });
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  if (diagnostics.length > 0) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
    throw new Error(ts.formatDiagnostics(diagnostics, host));
  }
  return typesDir;
}

/** The command line: builds, reports, and exits 1 with the fix when the build fails. */
export async function main(argv) {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' }, 'no-types': { type: 'boolean' } } });
  const outDir = values.out === undefined ? undefined : resolve(values.out);
  try {
    const cliDir = await buildCli(outDir);
    const typesDir = values['no-types'] ? undefined : await buildSdkTypes(outDir);
    console.log(`build-cli: wrote ${cliDir}${typesDir ? ` and ${typesDir}` : ''}`);
  } catch (error) {
    console.error(
      `INTEGRATION-DAEMON-BUILD-500-002 The CLI was not built: ${error.message}\n  fix: correct the errors above (npm run typecheck shows them with types) and run node scripts/build-cli.mjs again.`,
    );
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
