// Bench: how fast a files monitor notices that its monitored directory went, and how fast it is back to work when
// the directory returns. A real daemon (embedded SQLite, state file, REST server) monitors a directory of 100
// files; each round moves the directory away, waits for the connector to report it (RETRYING with
// BASIC-FILES-INTEGRATION-CONNECTORS-404-001), moves it back and writes one new file into it at once, and waits for
// that file's DataFile element. Figures are printed against the targets (2 s to report; the automatic retry's first
// countdown, 10 s, which resuming must not wait for).
//
//   npm run bench files-trust            BENCH_ROUNDS=5 by default
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataFileQualifiedName } from '../../electron/connectors/files/data-files-monitor.js';
import { CONNECTOR, eventually, startFilesDaemon } from '../connectors/files/support/files-daemon.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const FILES = 100;
const REPORT_TARGET_MS = 2_000;
const FIRST_COUNTDOWN_MS = 10_000;

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `median ${median.toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms`;
}

async function main(): Promise<void> {
  const d = await startFilesDaemon();
  try {
    for (let i = 0; i < FILES; i++) writeFileSync(join(d.root, `file-${i}.csv`), `row ${i}\n`);
    await d.client.refreshConnectors(CONNECTOR);
    await eventually('files catalogued', async () => (await d.liveFiles()).length === FILES, 60_000);
    const toReport: number[] = [];
    const toCatalogued: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await eventually('waiting', async () => d.report().connectorStatus === 'WAITING', 60_000, 5);
      const moved = `${d.root}.moved`;
      const gone = performance.now();
      renameSync(d.root, moved);
      await eventually('the loss reported', async () => d.report().failingExceptionMessageId?.endsWith('404-001') === true, 30_000, 5);
      toReport.push(performance.now() - gone);

      const back = performance.now();
      renameSync(moved, d.root);
      const name = join(d.root, `new-${round}.csv`);
      writeFileSync(name, 'new\n');
      const qualifiedName = dataFileQualifiedName(name);
      await eventually('the new file catalogued', async () => (await d.liveFiles()).includes(qualifiedName), 60_000, 5);
      toCatalogued.push(performance.now() - back);
    }
    console.log(`rounds: ${ROUNDS}, files: ${FILES}`);
    console.log(
      `directory gone -> reported (RETRYING, 404-001): ${summary(toReport)}; ` +
        `${(Math.max(...toReport) / REPORT_TARGET_MS).toFixed(2)}x the 2 s target (max)`,
    );
    console.log(
      `directory back -> new file catalogued: ${summary(toCatalogued)}; ` +
        `${(Math.max(...toCatalogued) / FIRST_COUNTDOWN_MS).toFixed(2)}x the first retry countdown (max)`,
    );
  } finally {
    await d.stop();
  }
}

await main();
