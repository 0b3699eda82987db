// Bench: upsert throughput of the metadata server, 100,000 DataFile-like elements in batches (the size a files
// connector sends), on the embedded SQLite file and on a real PostgreSQL from the test harness. Three passes:
// all new (created), the same again (unchanged), every element changed (updated). For PostgreSQL the CPU figure
// is the daemon's side only.
// Run: npx tsx test/engine/metadata-server/throughput.bench.ts   (BENCH_ELEMENTS, BENCH_BATCH, BENCH_BACKENDS=sqlite,postgres)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresMetadataServer } from '../../../electron/engine/metadata-server/postgres.js';
import { SqliteMetadataServer } from '../../../electron/engine/metadata-server/sqlite.js';
import type { MetadataServer } from '../../../electron/engine/metadata-server/types.js';
import type { ElementInput, UpsertOutcome } from '../../../electron/connector-sdk/index.js';
import { startPostgres } from '../../support/postgres.js';

const ELEMENTS = Number(process.env.BENCH_ELEMENTS ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1_000);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'sqlite,postgres').split(',');

function element(i: number, revision: number): ElementInput {
  const directory = `/data/landing/dir-${i % 100}`;
  return {
    typeName: 'DataFile',
    qualifiedName: `${directory}/file-${i}.csv`,
    properties: {
      name: `file-${i}.csv`,
      pathName: `${directory}/file-${i}.csv`,
      fileType: 'csv',
      fileExtension: 'csv',
      size: 1_000 + i + revision,
      modifiedTime: new Date(1_700_000_000_000 + i * 1_000 + revision).toISOString(),
      encoding: 'UTF-8',
    },
  };
}

async function pass(metadataServer: MetadataServer, revision: number, expected: UpsertOutcome): Promise<string> {
  // Built before the clock starts: making the elements is the connector's cost, not the metadata server's.
  const batches: ElementInput[][] = [];
  for (let start = 0; start < ELEMENTS; start += BATCH) {
    batches.push(Array.from({ length: Math.min(BATCH, ELEMENTS - start) }, (_, k) => element(start + k, revision)));
  }
  const started = performance.now();
  const cpu = process.cpuUsage();
  let matching = 0;
  for (const batch of batches) {
    for (const outcome of await metadataServer.upsertElements('bench-connector', batch)) if (outcome === expected) matching++;
  }
  const ms = performance.now() - started;
  // CPU time of this process (user + system) next to wall time: on a shared machine the wall time mostly measures
  // the neighbours, while for SQLite, which works in-process, CPU time is the cost of the work itself.
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1_000;
  if (matching !== ELEMENTS) throw new Error(`expected ${ELEMENTS} ${expected}, got ${matching}`);
  const rate = (elapsed: number) => String(Math.round((ELEMENTS / elapsed) * 1_000)).padStart(7);
  return (
    `${expected.padEnd(9)} ${String(Math.round(ms)).padStart(6)} ms wall ${rate(ms)} rows/s | ` +
    `${String(Math.round(cpuMs)).padStart(6)} ms cpu ${rate(cpuMs)} rows/cpu-s`
  );
}

async function measure(label: string, metadataServer: MetadataServer): Promise<void> {
  await metadataServer.open();
  console.log(`${label}: ${ELEMENTS} elements in batches of ${BATCH}`);
  console.log(`  ${await pass(metadataServer, 0, 'created')}`);
  console.log(`  ${await pass(metadataServer, 0, 'unchanged')}`);
  console.log(`  ${await pass(metadataServer, 1, 'updated')}`);
  const started = performance.now();
  const summaries = await metadataServer.listElementSummaries('bench-connector');
  console.log(`  listElementSummaries: ${summaries.length} in ${Math.round(performance.now() - started)} ms`);
  await metadataServer.close();
}

async function main(): Promise<void> {
  if (BACKENDS.includes('sqlite')) {
    const directory = mkdtempSync(join(tmpdir(), 'bench-metadata-server-'));
    try {
      await measure('SQLite (WAL)', new SqliteMetadataServer('bench', join(directory, 'metadata.db')));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }
  if (BACKENDS.includes('postgres')) {
    const server = await startPostgres();
    try {
      await measure('PostgreSQL 15 (test harness: fsync off)', new PostgresMetadataServer('bench', await server.createDatabase('bench')));
    } finally {
      await server.destroy();
    }
  }
}

await main();
