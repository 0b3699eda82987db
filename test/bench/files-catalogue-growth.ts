// Cataloguing growth: does the data files monitor's first full refresh into the SQLite metadata server keep its
// pace and its memory in check from 100,000 to 1,000,000 files? Not a `.bench.ts`, so `npm run bench` does not run
// it: generating a million files takes minutes and about 5 GB of disk (checked before it starts).
//
//   node --import tsx test/bench/files-catalogue-growth.ts [fileCount...]     (default 100000 1000000)
//   (or node_modules/.bin/tsx test/bench/files-catalogue-growth.ts)
//
// For each count, one tree is generated and used by both sides, then removed. Baseline = `find TREE -type f -printf
// '%s %T@ %p\n'` (output read and parsed) plus a bulk insert of the same rows into a fresh SQLite table (one
// transaction, one prepared statement), in this process. Ours = initialize + start + first refresh of the data
// files monitor into a fresh SqliteMetadataServer file, in a child process of its own so that its resident memory
// peak (the kernel's VmHWM, read by the child when the refresh is done) is the daemon side's alone. Rounds alternate
// the contenders and the best times are compared. Targets: 1,000,000 files within 2.5x the baseline with a peak under
// 1 GB; 100,000 files within 2x. Exit code 1 when a target is missed or the catalogue is wrong.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DataFilesMonitorConnector } from '../../electron/connectors/files/data-files-monitor.js';
import { SqliteMetadataServer } from '../../electron/engine/metadata-server/sqlite.js';
import { instanceConfig, metadataServerClient, neverAborted, RecordingContext } from '../connectors/support/connector-harness.js';
import { findFiles, generateTree, sqliteBaseline } from './catalogue-tree.js';

const METADATA_SOURCE = 'bench-files';
/** A small file takes one 4 KiB block and an inode; the SQLite files and find's output come on top. */
const BYTES_PER_FILE = 5 * 1024;

const OursResult = z.object({ ms: z.number(), peakRssKb: z.number(), correct: z.boolean() });
type OursResult = z.infer<typeof OursResult>;

/** The kernel's peak resident set size of this process, in KiB. */
function peakRssKb(): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (match === null) throw new Error('BENCH-500-005 /proc/self/status has no VmHWM line; this script needs Linux.');
  return Number(match[1]);
}

/** The child's side: one first refresh, reported as one JSON line on stdout. */
async function oursInChild(tree: string, databasePath: string, fileCount: number): Promise<void> {
  const metadataServer = new SqliteMetadataServer('bench', databasePath);
  await metadataServer.open();
  const config = instanceConfig({ connectorId: METADATA_SOURCE, endpointAddress: tree, configurationProperties: { watchChanges: false } });
  const context = new RecordingContext(metadataServerClient(metadataServer, METADATA_SOURCE), config);
  const connector = new DataFilesMonitorConnector(config);
  try {
    const started = performance.now();
    await connector.initialize(context);
    await connector.start();
    await connector.refresh(neverAborted());
    const ms = performance.now() - started;
    const stored = await metadataServer.countElements({ metadataSource: METADATA_SOURCE });
    const { counts } = context;
    const correct = stored === fileCount && counts.discovered === fileCount && counts.created === fileCount && counts.failed === 0;
    if (!correct) console.error(`${stored} elements stored`, counts);
    const result: OursResult = { ms, peakRssKb: peakRssKb(), correct };
    console.log(JSON.stringify(result));
  } finally {
    await connector.disconnect();
    await metadataServer.close();
  }
}

function runOurs(tree: string, databasePath: string, fileCount: number): Promise<OursResult> {
  return new Promise((resolve, reject) => {
    const script = fileURLToPath(import.meta.url);
    // execArgv carries tsx's loader, however this script was started.
    const child = spawn(process.execPath, [...process.execArgv, script, '--ours', tree, databasePath, String(fileCount)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = output.trim().split('\n').at(-1) ?? '';
      if (code !== 0) {
        reject(new Error(`BENCH-500-006 The cataloguing child process exited with ${code}: ${last}`));
        return;
      }
      resolve(OursResult.parse(JSON.parse(last)));
    });
  });
}

interface Measured {
  fileCount: number;
  baseline: number[];
  ours: OursResult[];
}

async function measure(work: string, fileCount: number): Promise<Measured> {
  const tree = join(work, `tree-${fileCount}`);
  const free = statfsSync(work);
  const needed = fileCount * BYTES_PER_FILE;
  if (free.bavail * free.bsize < needed || free.ffree < fileCount * 1.1) {
    throw new Error(
      `BENCH-507-001 ${fileCount} files need about ${(needed / 2 ** 30).toFixed(1)} GiB and ${fileCount} inodes free in ${work}; ` +
        `there are ${((free.bavail * free.bsize) / 2 ** 30).toFixed(1)} GiB and ${free.ffree}.`,
    );
  }
  let generated = performance.now();
  const directories = generateTree(tree, fileCount);
  generated = performance.now() - generated;
  console.log(`tree: ${fileCount} files in ${directories} leaf directories, generated in ${(generated / 1000).toFixed(1)} s`);
  // Flush the generated files so write-back lands in neither measurement, then warm the directory cache for both.
  execFileSync('sync');
  await findFiles(tree);

  const rounds = fileCount >= 1_000_000 ? 2 : 3;
  const measured: Measured = { fileCount, baseline: [], ours: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      const base = await sqliteBaseline(tree, join(work, `baseline-${fileCount}-${round}.db`));
      if (base.rows !== fileCount) throw new Error(`find saw ${base.rows} files, expected ${fileCount}`);
      measured.baseline.push(base.ms);
      const ours = await runOurs(tree, join(work, `metadata-${fileCount}-${round}.db`), fileCount);
      measured.ours.push(ours);
      // The peak too: the summary below comes only after the tree is removed, which at a million files takes long.
      console.log(
        `  round ${round + 1}: baseline ${(base.ms / 1000).toFixed(2)} s, first refresh ${(ours.ms / 1000).toFixed(2)} s, ` +
          `peak RSS ${(ours.peakRssKb / 1024).toFixed(0)} MB${ours.correct ? '' : ' (catalogue wrong)'}`,
      );
    }
  } finally {
    // A million files take many minutes to remove on this disk; rm does it outside the event loop's walk.
    execFileSync('rm', ['-rf', tree]);
    for (let round = 0; round < rounds; round++) {
      for (const name of [`baseline-${fileCount}-${round}.db`, `metadata-${fileCount}-${round}.db`]) {
        for (const suffix of ['', '-wal', '-shm']) rmSync(join(work, name + suffix), { force: true });
      }
    }
  }
  return measured;
}

/** The best of the rounds on each side, and the cataloguing process's highest peak. */
function bestOf(measured: Measured): { bestBase: number; bestOurs: number; ratio: number; peakMb: number } {
  const bestBase = Math.min(...measured.baseline);
  const bestOurs = Math.min(...measured.ours.map((o) => o.ms));
  return { bestBase, bestOurs, ratio: bestOurs / bestBase, peakMb: Math.max(...measured.ours.map((o) => o.peakRssKb)) / 1024 };
}

async function main(counts: number[]): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'files-catalogue-growth-'));
  const results: Measured[] = [];
  try {
    for (const fileCount of counts) {
      const measured = await measure(work, fileCount);
      results.push(measured);
      // Shown as soon as they are known: a later, larger count can take many minutes.
      const { ratio, peakMb } = bestOf(measured);
      console.log(`  ${fileCount} files: ratio ${ratio.toFixed(2)}x, peak RSS ${peakMb.toFixed(0)} MB`);
    }
  } finally {
    execFileSync('rm', ['-rf', work]);
  }

  console.log(`\n${'files'.padStart(10)}  ${'baseline'.padStart(10)}  ${'ours'.padStart(10)}  ${'ratio'.padStart(7)}  peak RSS (ours)`);
  let failed = false;
  for (const measured of results) {
    const { fileCount, ours } = measured;
    const { bestBase, bestOurs, ratio, peakMb } = bestOf(measured);
    console.log(
      `${String(fileCount).padStart(10)}  ${(bestBase / 1000).toFixed(2).padStart(8)} s  ${(bestOurs / 1000).toFixed(2).padStart(8)} s  ` +
        `${ratio.toFixed(2).padStart(6)}x  ${peakMb.toFixed(0)} MB`,
    );
    if (!ours.every((o) => o.correct)) {
      console.error(`BENCH-500-004 The catalogue of ${fileCount} files does not match the tree; its figures are not valid.`);
      failed = true;
    }
    if (fileCount === 100_000) {
      console.log(`figure: catalogue-100k-ratio-growth ${ratio.toFixed(2)}`);
      failed ||= ratio > 2;
    }
    if (fileCount === 1_000_000) {
      console.log(`figure: catalogue-1m-ratio ${ratio.toFixed(2)}`);
      console.log(`figure: catalogue-1m-rss-mb ${peakMb.toFixed(0)}`);
      failed ||= ratio > 2.5 || peakMb >= 1024;
    }
  }
  const [smallest, largest] = [results[0], results.at(-1)];
  if (smallest !== undefined && largest !== undefined && largest.fileCount > smallest.fileCount) {
    // What each further file costs the cataloguing process at its peak: the growth, so the process's fixed memory
    // (Node, the code, SQLite's caches) does not count.
    const perFile = ((bestOf(largest).peakMb - bestOf(smallest).peakMb) * 1024 * 1024) / (largest.fileCount - smallest.fileCount);
    console.log(
      `memory per catalogued file: ${perFile.toFixed(0)} B (peak RSS growth from ${smallest.fileCount} to ${largest.fileCount} files)`,
    );
    console.log(`figure: catalogue-bytes-per-file ${perFile.toFixed(0)}`);
  }
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores`,
  );
  if (failed) process.exitCode = 1;
}

if (process.argv[2] === '--ours') {
  const [tree, databasePath, count] = process.argv.slice(3);
  if (tree === undefined || databasePath === undefined)
    throw new Error('BENCH-400-004 --ours needs a tree, a database path and a file count.');
  await oursInChild(tree, databasePath, Number(count));
} else {
  const counts = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [100_000, 1_000_000];
  if (!counts.every((n) => Number.isInteger(n) && n > 0)) {
    console.error(
      'BENCH-400-003 File counts must be positive whole numbers. Run: node --import tsx test/bench/files-catalogue-growth.ts 100000 1000000',
    );
    process.exit(2);
  }
  await main(counts);
}
