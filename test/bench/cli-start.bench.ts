// Start-up of the command: `integration-daemon --help` (bin/integration-daemon.mjs running the compiled CLI) against a
// bare `node -e 0` on the same Node, measured in the same run with the two interleaved, so a busy shared machine
// slows both alike. Prints the median wall time of each and their ratio (target: under 3x).
// Run: npm run bench cli-start    or    npx tsx test/bench/cli-start.bench.ts [runs]   (the CLI must be compiled:
// npm run build:cli; npm run bench does that first)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const RUNS = Number(process.argv[2] ?? 21);
const WARMUP = 3;
const TARGET = 3;
const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin', 'integration-daemon.mjs');

if (!existsSync(join(root, 'dist', 'cli', 'integration-daemon.js'))) {
  console.error('The CLI is not compiled: run npm run build:cli first.');
  process.exit(2);
}

/** Wall time of one run of `node ...args` in ms; the run must succeed. */
function once(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}: ${result.stderr.toString()}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const bare = ['-e', '0'];
const help = [bin, '--help'];
// The first runs fill the file-system cache for both.
for (let i = 0; i < WARMUP; i++) {
  once(bare);
  once(help);
}
const times = { bare: [] as number[], help: [] as number[] };
for (let i = 0; i < RUNS; i++) {
  times.bare.push(once(bare));
  times.help.push(once(help));
}
const bareMs = median(times.bare);
const helpMs = median(times.help);
const ratio = helpMs / bareMs;
const row = (name: string, values: number[]): string =>
  `${name.padEnd(32)} median ${median(values).toFixed(1).padStart(6)} ms   min ${Math.min(...values).toFixed(1)} ms   max ${Math.max(...values).toFixed(1)} ms`;
console.log(`${RUNS} runs each, interleaved, Node ${process.version}`);
console.log(row('node -e 0', times.bare));
console.log(row('integration-daemon --help', times.help));
console.log(`ratio --help / node -e 0: ${ratio.toFixed(2)}x (target < ${TARGET}x)`);
console.log(`figure: cli-start-ratio ${ratio.toFixed(2)}`);
process.exitCode = ratio < TARGET ? 0 : 1;
