// Global set-up of vitest and Playwright: compiles the CLI once before any test runs, because the tests that start
// a daemon process (serve, the desktop wiring, the e2e daemons) run bin/integration-daemon.mjs, which runs the
// compiled dist/cli and never the TypeScript sources.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export default function buildCompiledCli(): void {
  const root = resolve(import.meta.dirname, '../..');
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs'), '--no-types'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the CLI could not be compiled:\n${result.stdout}${result.stderr}`);
}
