#!/usr/bin/env node
// Runs every test suite the project has and prints one closing line `N passed, N failed, N skipped`
// added up over vitest and Playwright, so CI and people read the same figure.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';

const results = 'test-results';
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

let failedSteps = 0;
// One tsconfig per place code runs: the compiler refuses DOM code in the engine and Node code in the console.
for (const project of ['electron', 'shared', 'renderer', 'test', '.']) {
  console.log(`== type check ${project}/tsconfig.json`);
  if (run('npx', ['tsc', '--noEmit', '-p', `${project}/tsconfig.json`]) !== 0) failedSteps++;
}

console.log('== lint (eslint)');
if (run('npx', ['eslint', '--max-warnings', '0', '.']) !== 0) failedSteps++;

console.log('== format (prettier --check)');
if (run('npx', ['prettier', '--check', '--log-level', 'warn', '.']) !== 0) failedSteps++;

if (existsSync('renderer/vite.config.ts')) {
  console.log('== building the console (vite)');
  if (run('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']) !== 0) failedSteps++;
}

console.log('== unit, integration and fault tests (vitest)');
const vitestExit = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}/vitest.json`]);

console.log('== browser end-to-end tests (Playwright in Debian Chromium)');
const playwrightExit = run('npx', ['playwright', 'test', '--pass-with-no-tests', '--reporter=list,json'], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: `${results}/playwright.json`,
});

let passed = 0;
let failed = 0;
let skipped = 0;
const vitestFile = `${results}/vitest.json`;
if (existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  // A suite that fails to load has no tests to count; count it as a failure so it cannot hide.
  failed += (v.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
} else if (vitestExit !== 0) {
  failed++;
}
const pwFile = `${results}/playwright.json`;
if (existsSync(pwFile)) {
  const p = JSON.parse(readFileSync(pwFile, 'utf8'));
  passed += p.stats?.expected ?? 0;
  failed += (p.stats?.unexpected ?? 0) + (p.stats?.flaky ?? 0);
  skipped += p.stats?.skipped ?? 0;
  if ((p.errors ?? []).length > 0 && playwrightExit !== 0) failed++;
} else if (playwrightExit !== 0) {
  failed++;
}
failed += failedSteps;
if (vitestExit !== 0 && failed === 0) failed++;
if (playwrightExit !== 0 && failed === 0) failed++;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
