// Bench: 1,000 connectors parked on one unavailable metadata server behind the one shared circuit breaker.
// The metadata server is a real PostgreSQL (test/support/postgres.ts) that is stopped and started again.
// Measures probes per minute during the outage, the most probes ever in flight (target 1), and how long after the
// server's return all 1,000 connectors are running again (target < 5 s + release spread once the breaker knows).
//
//   npx tsx test/bench/breaker.bench.ts                      the real Daemon with 1,000 configured connectors
//   BENCH_MODE=breaker npx tsx test/bench/breaker.bench.ts   1,000 waiters on the breaker, metadata server ping as probe
//
// Vary with BENCH_OUTAGE_MS (default 90 s), BENCH_CONNECTORS (1,000), BENCH_SPREAD_MS (breaker mode, 1 s) and
// BENCH_MAX_INTERVAL_MS (breaker mode, the longest wait between probes, default 60 s: it bounds how long a server
// that is back goes unnoticed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtInProviders } from '../../electron/connectors/index.js';
import { validateConfig } from '../../electron/engine/config/validate.js';
import { Daemon } from '../../electron/engine/daemon.js';
import { ProviderRegistry } from '../../electron/engine/providers.js';
import { MetadataServerBreaker } from '../../electron/engine/recovery/breaker.js';
import { classifyFailure } from '../../electron/engine/recovery/classify.js';
import { systemClock } from '../../shared/logic/clock.js';
import { PostgresMetadataServer } from '../../electron/engine/metadata-server/index.js';
import type { ConnectorContext, ConnectorProvider, IntegrationConnector } from '../../electron/connector-sdk/index.js';
import { type PgServer, startPostgres } from '../support/postgres.js';

const MODE = process.env.BENCH_MODE === 'breaker' ? 'breaker' : 'daemon';
const CONNECTORS = Number(process.env.BENCH_CONNECTORS ?? 1_000);
const OUTAGE_MS = Number(process.env.BENCH_OUTAGE_MS ?? 90_000);
const SPREAD_MS = Number(process.env.BENCH_SPREAD_MS ?? 1_000);
const MAX_INTERVAL_MS = Number(process.env.BENCH_MAX_INTERVAL_MS ?? 60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function waitUntil(what: string, condition: () => boolean, timeoutMs: number, pollMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`BENCH-500-001 Gave up waiting for ${what} after ${seconds(timeoutMs)}.`);
    await sleep(pollMs);
  }
}

interface Figures {
  parked: number;
  parkedAfterMs: number;
  outageMs: number;
  outageProbes: number;
  probeOffsetsMs: number[];
  maxProbesInFlight: number;
  returnedAt: number;
  closedAt: number;
  firstRunningAt: number;
  allRunningAt: number;
  spreadMs: number;
}

function print(figures: Figures): boolean {
  const f = figures;
  const perMinute = f.outageProbes / (f.outageMs / 60_000);
  console.log(`connectors parked: ${f.parked}/${CONNECTORS} within ${seconds(f.parkedAfterMs)}`);
  console.log(`probes during the outage: ${f.outageProbes} in ${seconds(f.outageMs)} = ${perMinute.toFixed(1)} per minute`);
  console.log(`probe times (s after the outage began): ${f.probeOffsetsMs.map((t) => (t / 1000).toFixed(1)).join(', ')}`);
  console.log(`max probes in flight: ${f.maxProbesInFlight} (target 1)`);
  console.log(`server back → breaker closed (the next scheduled probe): ${seconds(f.closedAt - f.returnedAt)}`);
  console.log(
    `breaker closed → all ${CONNECTORS} running: ${seconds(f.allRunningAt - f.closedAt)} (first ${seconds(f.firstRunningAt - f.closedAt)}; release spread ${f.spreadMs} ms; target < 5 s + spread)`,
  );
  console.log(`server back → all ${CONNECTORS} running: ${seconds(f.allRunningAt - f.returnedAt)}`);
  const ok = f.maxProbesInFlight === 1 && f.parked === CONNECTORS && f.allRunningAt - f.closedAt < 5_000 + f.spreadMs;
  console.log(ok ? 'RESULT: targets met' : 'RESULT: a target was missed');
  return ok;
}

/** Breaker mode: the breaker alone, 1,000 waiters, the real metadata server's ping as the probe. */
async function benchBreaker(server: PgServer): Promise<Figures> {
  const metadataServer = new PostgresMetadataServer('benchMDS', server.connectionString, { connectTimeoutMs: 2_000 });
  await metadataServer.open();
  let probesInFlight = 0;
  let maxProbesInFlight = 0;
  const probeTimes: number[] = [];
  const breaker = new MetadataServerBreaker({
    metadataServerName: 'benchMDS',
    clock: systemClock,
    random: Math.random,
    releaseSpreadMs: SPREAD_MS,
    openIntervalMs: { initial: 2_000, max: MAX_INTERVAL_MS },
    probe: async () => {
      probeTimes.push(Date.now());
      probesInFlight++;
      maxProbesInFlight = Math.max(maxProbesInFlight, probesInFlight);
      try {
        await metadataServer.ping();
      } finally {
        probesInFlight--;
      }
    },
  });
  const runningAt: number[] = [];
  const connector = async (index: number): Promise<void> => {
    const source = `bench-connector-${index}`;
    for (;;) {
      try {
        await metadataServer.listElementSummaries(source);
        breaker.reportAvailable();
        runningAt[index] = Date.now();
        return;
      } catch (error) {
        const classified = classifyFailure(error, {
          via: 'metadataServer',
          operation: 'refresh',
          scope: 'refresh',
          connectorName: source,
          metadataServerName: metadataServer.name,
          userId: 'bench',
        });
        breaker.reportUnavailable(classified);
        await breaker.waitUntilClosed(new AbortController().signal);
      }
    }
  };
  try {
    await server.stop();
    const outageStart = Date.now();
    const connectors = Array.from({ length: CONNECTORS }, (_, i) => connector(i));
    await waitUntil('every connector to park', () => breaker.waitingConnectors === CONNECTORS, 30_000);
    const parkedAfterMs = Date.now() - outageStart;
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStart)));
    const outageMs = Date.now() - outageStart;
    const outageProbes = probeTimes.filter((t) => t >= outageStart).length;
    await server.start();
    const returnedAt = Date.now();
    await waitUntil('the breaker to close', () => breaker.state === 'CLOSED', 10 * MAX_INTERVAL_MS);
    const closedAt = Date.now();
    await Promise.all(connectors);
    return {
      parked: CONNECTORS,
      parkedAfterMs,
      outageMs,
      outageProbes,
      probeOffsetsMs: probeTimes.filter((t) => t >= outageStart).map((t) => t - outageStart),
      maxProbesInFlight: Math.max(maxProbesInFlight, breaker.maxConcurrentProbes),
      returnedAt,
      closedAt,
      firstRunningAt: Math.min(...runningAt),
      allRunningAt: Math.max(...runningAt),
      spreadMs: SPREAD_MS,
    };
  } finally {
    breaker.dispose();
    await metadataServer.close();
  }
}

/** Daemon mode: the real Daemon, 1,000 configured connectors whose refresh writes one element to the metadata server. */
async function benchDaemon(server: PgServer): Promise<Figures> {
  const refreshedAt = new Map<string, number>();
  const provider: ConnectorProvider = {
    providerName: 'bench-metadata-writer',
    aliases: [],
    connectorKind: 'files',
    description: 'Bench connector: each refresh upserts one element into the metadata server.',
    validate: () => [],
    create(config): IntegrationConnector {
      let context: ConnectorContext | undefined;
      let refreshes = 0;
      return {
        async initialize(c) {
          context = c;
        },
        async start() {},
        async refresh() {
          refreshes++;
          await context?.metadataServer.upsertElements([
            { typeName: 'DataFile', qualifiedName: `bench://${config.connectorName}`, properties: { refreshes } },
          ]);
          refreshedAt.set(config.connectorName, Date.now());
        },
        async disconnect() {},
      };
    },
  };
  const providers = new ProviderRegistry([...builtInProviders, provider]);
  const dir = mkdtempSync(join(tmpdir(), 'breaker-bench-'));
  const names = Array.from({ length: CONNECTORS }, (_, i) => `BenchConnector${String(i).padStart(4, '0')}`);
  const document = {
    serverName: 'benchDaemon',
    localServerUserId: 'benchnpa',
    maxPageSize: 100,
    metadataServer: { name: 'benchMDS', kind: 'postgres', connectionString: server.connectionString },
    auditLog: { destinations: [{ kind: 'memory', capacity: 200_000 }] },
    integrationServices: [
      {
        urlMarker: 'files-integrator',
        connectors: names.map((connectorName) => ({ connectorName, connectorProvider: 'bench-metadata-writer', refreshTimeInterval: 0 })),
      },
    ],
  };
  const validated = validateConfig(document, { providers, baseDirectory: dir });
  if (!validated.ok) throw new Error(`BENCH-400-001 The bench configuration is invalid: ${JSON.stringify(validated.problems)}`);
  const daemon = await Daemon.start({
    config: validated.config,
    document,
    stateDir: join(dir, 'state'),
    providers,
    log: () => undefined,
    startupWaitMs: 60_000,
  });
  // The breaker is one of the daemon's parts; the bench reads its instruments (probeCount, maxConcurrentProbes).
  const parts: unknown = Reflect.get(daemon, 'parts');
  const breaker: unknown = typeof parts === 'object' && parts !== null ? Reflect.get(parts, 'breaker') : undefined;
  if (!(breaker instanceof MetadataServerBreaker)) throw new Error('BENCH-500-002 The daemon has no MetadataServerBreaker to measure.');
  const reports = () => daemon.status().integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports);
  try {
    await waitUntil('the first refresh of every connector', () => refreshedAt.size === CONNECTORS, 120_000);
    console.log(`daemon running ${CONNECTORS} connectors; stopping PostgreSQL for ${seconds(OUTAGE_MS)}`);
    await server.stop();
    const outageStart = Date.now();
    const probesBefore = breaker.probeCount;
    const probeTimes: number[] = [];
    let seenProbes = probesBefore;
    const sampler = setInterval(() => {
      if (breaker.probeCount !== seenProbes) {
        seenProbes = breaker.probeCount;
        probeTimes.push(Date.now() - outageStart);
      }
    }, 10);
    await daemon.refreshAll();
    const parkedCount = () => reports().filter((r) => r.connectorStatus === 'RETRYING' && r.retry?.waitingFor === 'metadataServer').length;
    // Status reports are built for 1,000 connectors on each look, so look every 100 ms.
    await waitUntil('every connector to park behind the breaker', () => parkedCount() === CONNECTORS, 60_000, 100);
    const parkedAfterMs = Date.now() - outageStart;
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStart)));
    clearInterval(sampler);
    const outageMs = Date.now() - outageStart;
    const outageProbes = breaker.probeCount - probesBefore;
    await server.start();
    const returnedAt = Date.now();
    await waitUntil('the breaker to close', () => breaker.state === 'CLOSED', 180_000);
    const closedAt = Date.now();
    const resumed = () => names.filter((n) => (refreshedAt.get(n) ?? 0) >= returnedAt).length;
    await waitUntil(`all ${CONNECTORS} connectors to refresh again`, () => resumed() === CONNECTORS, 120_000, 1).catch((error: unknown) => {
      const statuses = new Map<string, number>();
      for (const r of reports()) statuses.set(r.connectorStatus, (statuses.get(r.connectorStatus) ?? 0) + 1);
      console.log(`${resumed()} of ${CONNECTORS} refreshed again; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
      console.log(JSON.stringify(reports().find((r) => (refreshedAt.get(r.connectorName) ?? 0) < returnedAt)));
      throw error;
    });
    const times = names.map((n) => refreshedAt.get(n) ?? 0);
    const notRunning = reports().filter((r) => r.connectorStatus === 'RETRYING' || r.connectorStatus === 'FAILED').length;
    if (notRunning > 0) console.log(`warning: ${notRunning} connectors are still RETRYING or FAILED`);
    return {
      parked: CONNECTORS,
      parkedAfterMs,
      outageMs,
      outageProbes,
      probeOffsetsMs: probeTimes,
      maxProbesInFlight: breaker.maxConcurrentProbes,
      returnedAt,
      closedAt,
      firstRunningAt: Math.min(...times),
      allRunningAt: Math.max(...times),
      spreadMs: 1_000,
    };
  } finally {
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const server = await startPostgres();
  try {
    console.log(`mode ${MODE}, PostgreSQL on port ${server.port}, ${CONNECTORS} connectors, outage ${seconds(OUTAGE_MS)}`);
    const figures = MODE === 'daemon' ? await benchDaemon(server) : await benchBreaker(server);
    process.exitCode = print(figures) ? 0 : 1;
  } finally {
    await server.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
