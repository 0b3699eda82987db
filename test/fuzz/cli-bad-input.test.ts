// Hostile command lines for the client and config commands (main() in-process, against a real REST server over
// the in-memory daemon and on real files): every run ends with exit 0, 1 or 2, a refusal names its message id and
// its fix, nothing prints a stack or a token, and no run ends in the catch-all "failed" (an unexpected error).
// FUZZ_SEED=<n> reproduces a failing run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.js';
import { OPERATOR_TOKEN, SERVER_NAME, startFixture, type Fixture } from '../engine/rest/fixture.js';
import { deepJsonText, fuzzSeed, malformedJsonBytes, nastyString, seededRandom, type Random } from './generate.js';

const SEED = fuzzSeed(424_242);
const CASES = 250;

let dir: string;
let f: Fixture;
let tokenFile: string;
const files: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fuzz-cli-'));
  f = await startFixture();
  tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, `${OPERATOR_TOKEN}\n`);
  files.token = tokenFile;
  files.empty = join(dir, 'empty');
  writeFileSync(files.empty, '');
  files.directory = join(dir, 'a-directory');
  mkdirSync(files.directory);
  files.deep = join(dir, 'deep.json');
  writeFileSync(files.deep, deepJsonText(100_000, 'object'));
  files.malformed = join(dir, 'malformed.json');
  writeFileSync(files.malformed, malformedJsonBytes(seededRandom(SEED)));
  files.binary = join(dir, 'binary.json');
  writeFileSync(files.binary, Buffer.from([0xff, 0xfe, 0, 1, 2, 0x7b]));
  files.missing = join(dir, 'missing', 'nothing.json');
});

afterAll(async () => {
  await f?.server.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const COMMANDS = [
  'status',
  'restart',
  'refresh',
  'retry-now',
  'retry-objects-now',
  'audit-log',
  'metadata-elements',
  'runs',
  'object-retries',
  'config',
  'nope',
  '',
  '--nope',
];

function value(random: Random): string {
  return random.pick<() => string>([
    () => nastyString(random),
    () => random.pick(['-1', '0', 'abc', '1e999', '1.5', '', '--json', '-h=x']),
    () => random.pick(['files-integrator', 'OakDeneLandingAreaFilesMonitor', SERVER_NAME]),
  ])();
}

function randomArgs(random: Random): string[] {
  const command = random.pick(COMMANDS);
  const args = command === '' ? [] : [command];
  if (command === 'config') {
    args.push(random.pick(['validate', 'show', 'schema', nastyString(random)]));
    if (random.chance(0.8)) args.push(random.pick(Object.values(files)));
  }
  // Most runs reach the daemon, so the options get past parsing to the requests themselves.
  if (random.chance(0.8))
    args.push(
      '--url',
      random.chance(0.8)
        ? f.server.url
        : random.pick(['http://127.0.0.1:1', 'file:///etc/passwd', 'ftp://x', 'not a url', 'http://[::1', nastyString(random)]),
    );
  if (random.chance(0.6)) args.push('--token-file', random.chance(0.6) ? tokenFile : random.pick(Object.values(files)));
  const options = [
    '--server',
    '--user',
    '--connector',
    '--service',
    '--severity',
    '--limit',
    '--type',
    '--prefix',
    '--object',
    '--nope',
    '--json',
    '--objects',
    '--follow',
  ];
  const count = random.int(0, 4);
  for (let i = 0; i < count; i++) {
    const option = random.pick(options);
    args.push(option);
    if (!['--json', '--objects', '--follow'].includes(option) || random.chance(0.2)) args.push(value(random));
  }
  if (random.chance(0.1)) args.push(nastyString(random));
  return args;
}

describe(`hostile command lines (seed ${SEED})`, () => {
  it(`${CASES} generated command lines: exit 0/1/2, message ids and fixes, no stack, no token, no unexpected failure`, async () => {
    const random = seededRandom(SEED);
    const failures: string[] = [];
    const codes = new Map<number, number>();
    // --follow stops as soon as it starts, so a generated `audit-log --follow` cannot hold the run.
    const stopped = AbortSignal.abort();
    for (let index = 0; index < CASES; index++) {
      const args = randomArgs(random);
      let out = '';
      let err = '';
      const env = random.chance(0.3)
        ? { INTEGRATION_DAEMON_TOKEN: random.chance(0.5) ? OPERATOR_TOKEN : `junk-${nastyString(random)}` }
        : {};
      let code: number;
      try {
        code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env, stop: stopped });
      } catch (error) {
        failures.push(`seed ${SEED} case ${index} ${JSON.stringify(args)} threw ${String(error)}`);
        continue;
      }
      codes.set(code, (codes.get(code) ?? 0) + 1);
      const where = `seed ${SEED} case ${index} ${JSON.stringify(args).slice(0, 300)} → ${code}\n${err.slice(0, 400)}`;
      if (![0, 1, 2].includes(code)) failures.push(`exit code: ${where}`);
      if (/\n\s+at /.test(out + err)) failures.push(`stack trace: ${where}`);
      const envToken = env.INTEGRATION_DAEMON_TOKEN ?? '';
      if ((out + err).includes(OPERATOR_TOKEN) || (envToken.length >= 12 && (out + err).includes(envToken)))
        failures.push(`token printed: ${where}`);
      if (err.includes('INTEGRATION-DAEMON-CLI-500-000')) failures.push(`unexpected failure: ${where}`);
      // The usage text (no command) is the one refusal without an id: it is the fix.
      if (code !== 0 && args.length > 0 && !/[A-Z][A-Z0-9-]*-\d{3}-\d{3}/.test(err)) failures.push(`no message id: ${where}`);
      if (code !== 0 && args.length > 0 && !/fix|Usage/i.test(err)) failures.push(`no fix: ${where}`);
    }
    expect(failures.slice(0, 5), `${failures.length} failures`).toEqual([]);
    expect(codes.get(0) ?? 0, 'some generated runs succeed').toBeGreaterThan(0);
    expect((codes.get(1) ?? 0) + (codes.get(2) ?? 0), 'some generated runs are refused').toBeGreaterThan(0);
  }, 120_000);
});
