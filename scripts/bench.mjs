#!/usr/bin/env node
// `npm run bench [--readme] [name...]`: runs the benchmarks in test/bench one after another, then prints one summary
// table of every figure they measured with its target and MET / NOT MET. Each benchmark measures its own baseline in
// the same run and prints `figure: <key> <value>` lines; none of them is part of `npm test`. With `--readme` the
// table of a full run replaces the one in README.md, so the README shows what the benchmarks printed, not a summary
// written by hand.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/** What each figure must reach. `at most` / `at least` compare the measured value with `limit`. */
const TARGETS = {
  'cli-start-ratio': { what: 'integration-daemon --help / node -e 0', atMost: 3, unit: 'x' },
  'startup-1000-api-ms': { what: '1,000 connectors: API and event stream answer after "listening on"', atMost: 1000, unit: 'ms' },
  'startup-1000-health-p99-ms': { what: '1,000 connectors: GET /health p99 during start-up', atMost: 50, unit: 'ms' },
  'startup-1000-longest-block-ms': {
    what: "1,000 connectors: the daemon's longest event-loop block during start-up",
    atMost: 50,
    unit: 'ms',
  },
  'startup-1000-settled-s': { what: '1,000 connectors: all settled', atMost: 10, unit: 's' },
  'startup-1000-rss-mb': { what: '1,000 connectors: resident memory', atMost: 250, unit: 'MB' },
  'startup-1000-bytes-per-connector': { what: '1,000 connectors: memory per connector', unit: 'B' },
  'status-1000-connectors-ms': { what: '1,000 connectors: GET /status median', atMost: 5, unit: 'ms' },
  'status-1000-bare-http-ms': { what: "the same answer's bytes from bare node:http (the floor)", unit: 'ms' },
  'startup-10000-api-ms': { what: '10,000 connectors: API and event stream answer after "listening on"', unit: 'ms' },
  'startup-10000-health-p99-ms': { what: '10,000 connectors: GET /health p99 during start-up', atMost: 50, unit: 'ms' },
  'startup-10000-longest-block-ms': {
    what: "10,000 connectors: the daemon's longest event-loop block during start-up",
    atMost: 50,
    unit: 'ms',
  },
  'startup-10000-settled-s': { what: '10,000 connectors: all settled', atMost: 60, unit: 's' },
  'startup-10000-rss-mb': { what: '10,000 connectors: resident memory', atMost: 1024, unit: 'MB' },
  'startup-10000-bytes-per-connector': { what: '10,000 connectors: memory per connector', unit: 'B' },
  'status-10000-connectors-ms': { what: '10,000 connectors: GET /status median', unit: 'ms' },
  'status-10000-bare-http-ms': { what: "the same answer's bytes from bare node:http (the floor)", unit: 'ms' },
  'hello-10000-longest-slice-ms': { what: 'event stream hello of 10,000 connectors: longest slice between turns', atMost: 50, unit: 'ms' },
  'hello-10000-stringify-ms': { what: 'the same hello as one JSON.stringify (the task it was before)', unit: 'ms' },
  'status-throughput-ratio': { what: 'GET /status throughput / bare node:http, same bytes', atLeast: 0.9, unit: 'x' },
  'console-tick-median-ms': { what: 'console, 1,000 connectors: work per 1 s tick, median', atMost: 8, unit: 'ms' },
  'console-ticking-longest-task-ms': { what: 'console, 1,000 connectors: longest task while ticking', atMost: 50, unit: 'ms' },
  'console-snapshot-longest-task-ms': {
    what: 'console, 1,000 connectors: longest task while loading the snapshot',
    atMost: 50,
    unit: 'ms',
  },
  'console-snapshot-longest-task-cpu-ms': { what: 'the same, main-thread CPU time of the longest task (own work)', unit: 'ms' },
  'console-catalogue-longest-task-ms': {
    what: 'console catalogue, 100,000 elements: longest task while scrolling',
    atMost: 50,
    unit: 'ms',
  },
  'console-catalogue-longest-task-cpu-ms': { what: 'the same, main-thread CPU time of the longest task (own work)', unit: 'ms' },
  'console-catalogue-slow-cpu-longest-task-ms': { what: 'the same with the CPU 4x slower (the margin)', unit: 'ms' },
  'catalogue-first-refresh-ratio': { what: '100,000 files: first refresh / (find + bulk SQLite insert)', atMost: 2, unit: 'x' },
  'catalogue-unchanged-refresh-ratio': { what: '100,000 files: unchanged refresh / find', atMost: 1.5, unit: 'x' },
  'catalogue-postgres-first-refresh-ratio': {
    what: '100,000 files, PostgreSQL: first refresh / (find + COPY)',
    atMost: 2,
    unit: 'x',
  },
  'catalogue-postgres-unchanged-refresh-ratio': { what: '100,000 files, PostgreSQL: unchanged refresh / find', atMost: 1.5, unit: 'x' },
  'catalogue-100k-ratio-growth': {
    what: 'growth script, 100,000 files: first refresh (own process) / (find + bulk SQLite insert)',
    atMost: 2,
    unit: 'x',
  },
  'catalogue-1m-ratio': { what: 'growth script, 1,000,000 files: first refresh / (find + bulk SQLite insert)', atMost: 2.5, unit: 'x' },
  'catalogue-1m-rss-mb': {
    what: 'growth script, 1,000,000 files: resident memory peak of the cataloguing process',
    atMost: 1024,
    unit: 'MB',
  },
};

/** The default run: every benchmark file once, the start-up benchmark also with 10,000 connectors. */
const EXTRA_RUNS = { 'startup.bench.ts': [[], ['10000']] };

/**
 * Measurement scripts that are not `.bench.ts` files: they take the better part of an hour (a million files made,
 * catalogued and removed), so they run only when named (`npm run bench files-catalogue-growth`), and a full run lists
 * their figures as measured separately.
 */
const LONG_RUNS = { 'files-catalogue-growth.ts': ['catalogue-100k-ratio-growth', 'catalogue-1m-ratio', 'catalogue-1m-rss-mb'] };
const longRunKeys = new Set(Object.values(LONG_RUNS).flat());

const all = [
  ...readdirSync(join(root, 'test/bench'))
    .filter((f) => f.endsWith('.bench.ts'))
    .sort(),
];
const named = Object.keys(LONG_RUNS).filter((f) => existsSync(join(root, 'test/bench', f)));
const args = process.argv.slice(2);
const writeReadme = args.includes('--readme');
const wanted = args.filter((a) => a !== '--readme');
if (writeReadme && wanted.length > 0) {
  console.error('BENCH-400-002 --readme needs a full run: the README table holds every figure. Run: npm run bench -- --readme');
  process.exit(2);
}
const chosen = wanted.length === 0 ? all : [...all, ...named].filter((f) => wanted.some((w) => f.startsWith(w)));
const loadAtStart = loadavg()[0];
if (chosen.length === 0) {
  console.error(`No benchmark matches ${wanted.join(', ')}; there are: ${all.map((f) => f.replace('.bench.ts', '')).join(', ')}`);
  process.exit(2);
}
// Benchmarks that start daemon processes run the compiled CLI: compile it from the current sources first.
const built = spawnSync(process.execPath, [join(root, 'scripts/build-cli.mjs'), '--no-types'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(1);

/** Runs one benchmark with its output shown as it comes, and returns its exit code and figures. */
function runOne(file, args) {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join('test/bench', file), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const figures = [];
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      process.stdout.write(chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^figure: (\S+) (\S+)$/.exec(line);
        if (m) figures.push({ key: m[1], value: Number(m[2]) });
      }
    });
    child.on('close', (code) => resolveRun({ code: code ?? 1, figures }));
  });
}

let failed = 0;
const figures = [];
for (const file of chosen) {
  for (const args of wanted.length === 0 ? (EXTRA_RUNS[file] ?? [[]]) : [[]]) {
    console.log(`\n== ${file} ${args.join(' ')}`);
    const result = await runOne(file, args);
    if (result.code !== 0) failed++;
    figures.push(...result.figures);
  }
}

// A full run shows every target, measured or not, so a benchmark that stopped early cannot hide a figure.
if (wanted.length === 0) {
  for (const [key, target] of Object.entries(TARGETS)) {
    if ((target.atMost !== undefined || target.atLeast !== undefined) && !figures.some((f) => f.key === key)) {
      figures.push({ key, value: Number.NaN, separately: longRunKeys.has(key) });
    }
  }
}

// In the order of TARGETS, so "the same …" rows follow the figure they qualify whatever order the benchmarks ran in.
const order = Object.keys(TARGETS);
const rank = (key) => (order.includes(key) ? order.indexOf(key) : order.length);
figures.sort((a, b) => rank(a.key) - rank(b.key));

if (figures.length > 0) {
  const rows = figures.map(({ key, value, separately }) => {
    const target = TARGETS[key];
    const unit = target?.unit ?? '';
    const limit =
      target?.atMost !== undefined ? `<= ${target.atMost} ${unit}` : target?.atLeast !== undefined ? `>= ${target.atLeast} ${unit}` : '';
    const verdict =
      target?.atMost !== undefined
        ? value <= target.atMost
          ? 'MET'
          : 'NOT MET'
        : target?.atLeast !== undefined
          ? value >= target.atLeast
            ? 'MET'
            : 'NOT MET'
          : '';
    return [
      target?.what ?? key,
      Number.isFinite(value) ? `${value} ${unit}` : separately ? 'its own run' : 'not measured',
      limit,
      Number.isFinite(value) ? verdict : limit === '' || separately ? '' : 'NOT MET',
    ];
  });
  const header = ['Figure', 'Measured', 'Target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const title = `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, load average ${loadAtStart.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end`;
  const table = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
  console.log(`\n== summary (${title})`);
  for (const row of table) console.log(row);
  if (writeReadme) replaceReadmeTable(title, table);
}
process.exit(failed > 0 ? 1 : 0);

/** Puts the table between the README's bench markers, then lets Prettier lay it out as `npm test` expects. */
function replaceReadmeTable(title, table) {
  const readme = join(root, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) {
    console.error(`BENCH-500-001 README.md has no ${start} … ${end} markers to put the table between. Add them where the table belongs.`);
    process.exit(1);
  }
  const body = [`Measured by \`npm run bench -- --readme\` (${title}):`, '', ...table].join('\n');
  writeFileSync(readme, `${text.slice(0, from + start.length)}\n\n${body}\n\n${text.slice(to)}`);
  spawnSync('npx', ['prettier', '--write', '--log-level', 'warn', 'README.md'], { cwd: root, stdio: 'inherit' });
}
