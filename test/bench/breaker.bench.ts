// Bench: 1,000 connectors parked on one unavailable metadata server (a real PostgreSQL through the real
// repository), one shared circuit breaker. Measures probes per minute during the outage, the most probes ever in
// flight (target 1), and how long after the server's return all 1,000 are running again (target < 5 s + spread).
// Run: npx tsx test/bench/breaker.bench.ts   (BENCH_OUTAGE_MS, BENCH_CONNECTORS, BENCH_SPREAD_MS to vary)
import { MetadataServerBreaker } from '../../electron/engine/recovery/breaker.js';
import { classifyFailure } from '../../electron/engine/recovery/classify.js';
import type { Clock } from '../../electron/engine/recovery/types.js';
import { PostgresMetadataRepository } from '../../electron/engine/repository/index.js';
import { startPostgres } from '../support/postgres.js';

const CONNECTORS = Number(process.env.BENCH_CONNECTORS ?? 1_000);
const OUTAGE_MS = Number(process.env.BENCH_OUTAGE_MS ?? 90_000);
const SPREAD_MS = Number(process.env.BENCH_SPREAD_MS ?? 1_000);

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(timer) };
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const server = await startPostgres();
  const repository = new PostgresMetadataRepository('benchMDS', server.connectionString, { connectTimeoutMs: 2_000 });
  await repository.open();

  let probesInFlight = 0;
  let maxProbesInFlight = 0;
  const probeTimes: number[] = [];
  const breaker = new MetadataServerBreaker({
    metadataServerName: 'benchMDS',
    clock: realClock,
    random: Math.random,
    releaseSpreadMs: SPREAD_MS,
    probe: async () => {
      probeTimes.push(Date.now());
      probesInFlight++;
      maxProbesInFlight = Math.max(maxProbesInFlight, probesInFlight);
      try {
        await repository.ping();
      } finally {
        probesInFlight--;
      }
    },
  });

  const runningAt: number[] = [];
  /** One connector: a refresh against the metadata server; on an outage it parks and refreshes again when released. */
  async function connector(index: number): Promise<void> {
    const source = `bench-connector-${index}`;
    for (;;) {
      try {
        await repository.listElementSummaries(source);
        breaker.reportAvailable();
        runningAt[index] = Date.now();
        return;
      } catch (error) {
        const classified = classifyFailure(error, {
          via: 'metadataServer',
          operation: 'refresh',
          scope: 'refresh',
          connectorName: source,
          metadataServerName: repository.name,
          userId: 'bench',
        });
        breaker.reportUnavailable(classified);
        await breaker.waitUntilClosed(new AbortController().signal);
      }
    }
  }

  await Promise.all(Array.from({ length: CONNECTORS }, (_, i) => repository.upsertElements(`bench-connector-${i}`, [
    { typeName: 'DataFile', qualifiedName: `file-${i}`, properties: { i } },
  ])));

  console.log(`PostgreSQL on port ${server.port}; stopping it for ${seconds(OUTAGE_MS)} with ${CONNECTORS} connectors`);
  await server.stop();
  const outageStart = Date.now();
  const connectors = Array.from({ length: CONNECTORS }, (_, i) => connector(i));
  const parkedBy = Date.now() + 10_000;
  while (breaker.waitingConnectors < CONNECTORS && Date.now() < parkedBy) await sleep(50);
  const parked = breaker.waitingConnectors;
  const parkedAfter = Date.now() - outageStart;
  await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStart)));
  const outageProbes = probeTimes.filter((t) => t >= outageStart).length;
  const outageMs = Date.now() - outageStart;

  await server.start();
  const returnedAt = Date.now();
  while (breaker.state !== 'closed') await sleep(5);
  const closedAt = Date.now();
  await Promise.all(connectors);
  const allRunning = Math.max(...runningAt);

  const minutes = outageMs / 60_000;
  const schedule = probeTimes.filter((t) => t >= outageStart).map((t) => ((t - outageStart) / 1000).toFixed(1));
  console.log(`connectors parked: ${parked}/${CONNECTORS} within ${seconds(parkedAfter)}`);
  console.log(`probes during the outage: ${outageProbes} in ${seconds(outageMs)} = ${(outageProbes / minutes).toFixed(1)} per minute`);
  console.log(`probe times (s after the outage began): ${schedule.join(', ')}`);
  console.log(`max probes in flight: ${maxProbesInFlight} (breaker instrument: ${breaker.maxConcurrentProbes}) — target 1`);
  console.log(`server back → breaker closed (waiting for the next probe): ${seconds(closedAt - returnedAt)}`);
  console.log(`breaker closed → all ${CONNECTORS} running: ${seconds(allRunning - closedAt)} (release spread ${SPREAD_MS} ms; target < 5 s + spread)`);
  console.log(`server back → all ${CONNECTORS} running: ${seconds(allRunning - returnedAt)}`);
  const firstRun = Math.min(...runningAt);
  console.log(`first connector running ${seconds(firstRun - closedAt)} after close, last ${seconds(allRunning - closedAt)}`);

  breaker.dispose();
  await repository.close();
  await server.destroy();
  const ok = maxProbesInFlight === 1 && parked === CONNECTORS && allRunning - closedAt < 5_000 + SPREAD_MS;
  console.log(ok ? 'RESULT: targets met' : 'RESULT: a target was missed');
  process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
