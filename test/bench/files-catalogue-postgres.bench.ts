// Cataloguing benchmark on PostgreSQL: how close the data files monitor's first full refresh of a large tree into
// the PostgreSQL metadata server comes to the fastest way to do the same job by hand, and how cheap a refresh is
// when nothing changed. The SQLite twin is files-catalogue.bench.ts.
//
//   npx tsx test/bench/files-catalogue-postgres.bench.ts [fileCount]     (default 100,000)
//
// Baseline = `find TREE -type f -printf '%s %T@ %p\n'` (output read and parsed) plus `COPY ... FROM STDIN` of the
// same rows into a fresh table with the path as primary key, on the same PostgreSQL server, over one pg connection.
// Ours = initialize + start + first refresh of the data files monitor into a fresh PostgresMetadataServer (its own
// database), then a second refresh with nothing changed, against a bare `find`. The server is a real PostgreSQL 15
// on loopback in a temporary data directory, started as the tests start it (test/support/postgres.ts). Three
// alternating rounds; the best times are compared. Targets: first refresh <= 2x baseline, unchanged refresh <= 1.5x
// find. Exit code 1 when a target is missed or the catalogue is wrong.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataFilesMonitorConnector } from '../../electron/connectors/files/data-files-monitor.js';
import { PostgresMetadataServer } from '../../electron/engine/metadata-server/postgres.js';
import { CopyFromStdin } from '../../electron/engine/metadata-server/postgres/copy.js';
import { instanceConfig, metadataServerClient, neverAborted, RecordingContext } from '../connectors/support/connector-harness.js';
import { startPostgres, type PgServer } from '../support/postgres.js';
import { findFiles, generateTree } from './catalogue-tree.js';
import { cpuSince, type CpuSplit } from './postgres-cpu.js';

const fileCount = Number(process.argv[2] ?? 100_000);
if (!Number.isInteger(fileCount) || fileCount < 1) {
  console.error(
    `BENCH-400-002 The file count ${process.argv[2]} is not a positive whole number. Run: npx tsx test/bench/files-catalogue-postgres.bench.ts 100000`,
  );
  process.exit(2);
}

const FIRST_TARGET = 2;
const UNCHANGED_TARGET = 1.5;
const ROUNDS = 3;
const METADATA_SOURCE = 'bench-files';
const work = mkdtempSync(join(tmpdir(), 'files-catalogue-postgres-bench-'));
const tree = join(work, 'tree');

/** COPY's text format: backslash, tab, newline and carriage return are escaped; nothing else is. */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] ?? c)
    : value;
}

async function baseline(server: PgServer, round: number): Promise<{ ms: number; rows: number; cpu: CpuSplit }> {
  const started = performance.now();
  const cpu = cpuSince(server.dataDirectory);
  const rows = await findFiles(tree);
  const client = new pg.Client({ connectionString: server.connectionString });
  await client.connect();
  try {
    const table = `baseline_files_${round}`;
    await client.query(`CREATE TABLE ${table} (path text PRIMARY KEY, size bigint NOT NULL, mtime double precision NOT NULL)`);
    const chunks: Buffer[] = [];
    for (let start = 0; start < rows.length; start += 1_000) {
      let text = '';
      for (const row of rows.slice(start, start + 1_000)) text += `${copyText(row.path)}\t${row.size}\t${row.mtime}\n`;
      chunks.push(Buffer.from(text, 'utf8'));
    }
    const copy = client.query(new CopyFromStdin(`COPY ${table} (path, size, mtime) FROM STDIN`));
    await copy.started;
    for (const chunk of chunks) copy.write(chunk);
    const copied = await copy.end();
    return { ms: performance.now() - started, rows: copied, cpu: cpu() };
  } finally {
    await client.end();
  }
}

interface Round {
  baseline: number;
  find: number;
  first: number;
  second: number;
  correct: boolean;
  baselineCpu: CpuSplit;
  firstCpu: CpuSplit;
}

async function ours(server: PgServer, round: number): Promise<Omit<Round, 'baseline' | 'find' | 'baselineCpu'>> {
  const metadataServer = new PostgresMetadataServer('bench', await server.createDatabase(`bench_metadata_${round}`));
  await metadataServer.open();
  const config = instanceConfig({ connectorId: METADATA_SOURCE, endpointAddress: tree, configurationProperties: { watchChanges: false } });
  const context = new RecordingContext(metadataServerClient(metadataServer, METADATA_SOURCE), config);
  const connector = new DataFilesMonitorConnector(config);
  try {
    const firstStarted = performance.now();
    const cpu = cpuSince(server.dataDirectory);
    await connector.initialize(context);
    await connector.start();
    await connector.refresh(neverAborted());
    const first = performance.now() - firstStarted;
    const firstCpu = cpu();
    const firstCounts = { ...context.counts };
    const stored = await metadataServer.countElements({ metadataSource: METADATA_SOURCE });

    context.resetCounts();
    const secondStarted = performance.now();
    await connector.refresh(neverAborted());
    const second = performance.now() - secondStarted;
    const secondCounts = { ...context.counts };
    const correct =
      stored === fileCount &&
      firstCounts.discovered === fileCount &&
      firstCounts.created === fileCount &&
      firstCounts.failed === 0 &&
      secondCounts.unchanged === fileCount &&
      secondCounts.created + secondCounts.updated + secondCounts.archived === 0;
    if (!correct) console.error(`round ${round}: ${stored} elements stored`, firstCounts, secondCounts);
    return { first, second, correct, firstCpu };
  } finally {
    await connector.disconnect();
    await metadataServer.close();
  }
}

async function main(server: PgServer): Promise<void> {
  let generated = performance.now();
  const directories = generateTree(tree, fileCount, 300);
  generated = performance.now() - generated;
  console.log(`tree: ${fileCount} files in ${directories} leaf directories, generated in ${(generated / 1000).toFixed(1)} s`);

  // Flush the generated files to disk so write-back does not land in either measurement, then warm the
  // directory cache for both contenders alike.
  execFileSync('sync');
  await findFiles(tree);

  // Rounds alternate the contenders; the best of each is compared, which keeps other load on the machine from
  // deciding the ratio.
  const rounds: Round[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const base = await baseline(server, round);
    if (base.rows !== fileCount) throw new Error(`COPY stored ${base.rows} rows, expected ${fileCount}`);
    const findStarted = performance.now();
    await findFiles(tree);
    const find = performance.now() - findStarted;
    rounds.push({ baseline: base.ms, find, baselineCpu: base.cpu, ...(await ours(server, round)) });
  }

  type Key = 'baseline' | 'find' | 'first' | 'second';
  const best = (key: Key) => Math.min(...rounds.map((r) => r[key]));
  const all = (key: Key) => rounds.map((r) => (r[key] / 1000).toFixed(3)).join(' ');
  const line = (label: string, key: Key) =>
    console.log(`${label.padEnd(68)} best ${(best(key) / 1000).toFixed(3)} s   (rounds: ${all(key)})`);
  line('baseline: find + COPY FROM STDIN into PostgreSQL', 'baseline');
  line('baseline: find alone', 'find');
  line('data files monitor: first full refresh (fresh PostgreSQL database)', 'first');
  line('data files monitor: second refresh, nothing changed', 'second');
  // Where the time went: wall time falls only if the CPU of both sides together falls or they overlap better.
  const cpuLine = (label: string, key: 'baselineCpu' | 'firstCpu') =>
    console.log(
      `${label.padEnd(68)} CPU s node + server: ${rounds.map((r) => `${r[key].node.toFixed(2)} + ${r[key].server.toFixed(2)}`).join(', ')}`,
    );
  cpuLine('baseline: find + COPY', 'baselineCpu');
  cpuLine('data files monitor: first full refresh', 'firstCpu');
  const ratio = best('first') / best('baseline');
  const unchanged = best('second') / best('find');
  const verdict = (value: number, target: number) => `(target <= ${target}x) ${value <= target ? 'MET' : 'MISSED'}`;
  console.log(`ratio first refresh / baseline: ${ratio.toFixed(2)}x ${verdict(ratio, FIRST_TARGET)}`);
  console.log(`ratio unchanged refresh / find: ${unchanged.toFixed(2)}x ${verdict(unchanged, UNCHANGED_TARGET)}`);
  console.log(`figure: catalogue-postgres-first-refresh-ratio ${ratio.toFixed(2)}`);
  console.log(`figure: catalogue-postgres-unchanged-refresh-ratio ${unchanged.toFixed(2)}`);
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores`,
  );

  const correct = rounds.every((r) => r.correct);
  if (!correct) console.error('BENCH-500-002 The catalogue does not match the tree; the figures above are not valid.');
  if (!correct || ratio > FIRST_TARGET || unchanged > UNCHANGED_TARGET) process.exitCode = 1;
}

const server = await startPostgres();
try {
  await main(server);
} finally {
  await server.destroy();
  // The same removal as the growth script's: rm, outside the event loop's walk.
  execFileSync('rm', ['-rf', work]);
}
