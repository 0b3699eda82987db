// The daemon's start-up and shutdown sequences, with their audit records in the order of Egeria's trace: the
// metadata server first (a server that does not answer is an outage the breaker waits out, not a start-up
// error), then every connector's initialize and start service by service, then their first refresh; on shutdown
// every connector disconnects under its timeout before the stores close.
import { resolve } from 'node:path';
import { errorText } from '../../../shared/api/error-text.js';
import { serviceMessageId } from '../audit/catalogue.js';
import { classifyFailure } from '../recovery/classify.js';
import { MetadataServerUnavailableError, type MetadataServerConfig } from '../metadata-server/types.js';
import type { DaemonParts } from './assembly.js';
import { StartPool } from './start-pool.js';

const EVENTS_DRAIN_MS = 1_000;
/** Connectors' shutdowns begun in one turn of the loop for at most this long; the rest on the next turns. */
const SHUTDOWN_TURN_MS = 5;

/** Opens the metadata server, loads the connector and object retries and starts every connector. */
export async function startDaemon(parts: DaemonParts, startupWaitMs: number): Promise<void> {
  const { breaker, config, queue, pending } = parts;
  if (breaker.state === 'CLOSED') {
    try {
      await parts.openOrPing();
    } catch (error) {
      // Unreachable is an outage the breaker waits out; anything else (a corrupt file) is a start-up error.
      if (!(error instanceof MetadataServerUnavailableError)) throw error;
      breaker.reportUnavailable(
        classifyFailure(error, {
          via: 'metadataServer',
          operation: 'initialize',
          scope: 'connector',
          connectorName: config.serverName,
          metadataServerName: config.metadataServer.name,
          userId: config.localServerUserId,
        }),
      );
    }
  }
  queue.start();
  for (const row of queue.list()) pending.update(row, false);
  await startConnectors(parts, startupWaitMs);
}

/** Connectors initializing at once after start-up's wait; see StartPool. Most of them begin before "listening on". */
const INITIALIZE_CONCURRENCY = 64;
/**
 * Connectors beginning their first refresh at once; see StartPool. The refreshes run while the API answers and keep
 * the loop busy, so each turn does the work of every connector whose last step (a stat, a walk, a metadata server
 * call) finished meanwhile: with 64 at once, turns of 60-160 ms at 1,000 connectors on two cores; with 8, about
 * 40 ms, and all settle as soon (the loop, not the waiting, is what takes the time).
 */
const REFRESH_CONCURRENCY = 8;
/**
 * First refreshes wait while the loop has been busy more than this share of its time (see StartPool), so the loop
 * thread has time to spare for requests while connectors start. Busy all the time, it answered GET /health in turns
 * of its start-up work and, on a shared machine, waited for a core behind everyone else at each of them. Half busy,
 * start-up takes longer and answers sooner: at 10,000 connectors (load 2-5) the /health median during start-up was
 * 1.0-1.3 ms rather than 2.5-3.4 and all settled in 14-20 s rather than 10-18 (of the 60 s allowed).
 */
const REFRESH_BUSY_SHARE = 0.5;
/** A connector slower than this to begin gives its place to the next one. */
const START_HOLD_MS = 200;

async function startConnectors(parts: DaemonParts, startupWaitMs: number): Promise<void> {
  const { audit, config, registry, serverName } = parts;
  const location = metadataServerLocation(config.metadataServer, parts.baseDirectory);
  const deadline = Date.now() + startupWaitMs;
  const initializing = new StartPool(INITIALIZE_CONCURRENCY, START_HOLD_MS);
  const refreshing = new StartPool(REFRESH_CONCURRENCY, START_HOLD_MS, REFRESH_BUSY_SHARE);
  // Set once the refresh phase has begun: connectors that finish initializing later refresh as soon as they can.
  let refreshPhase = false;
  if (config.integrationServices.length === 0) audit.log('INTEGRATION-DAEMON-SERVICES-0017', [serverName]);
  for (const serviceConfig of config.integrationServices) {
    const service = registry.service(serviceConfig.urlMarker);
    audit.log(serviceMessageId(service.messageComponent, 'initializing'), [config.metadataServer.name, location]);
    if (serviceConfig.connectors.length === 0) {
      audit.log('INTEGRATION-DAEMON-SERVICES-0007', [service.integrationServiceFullName], {
        urlMarker: service.urlMarker,
      });
    }
    for (const connector of serviceConfig.connectors) {
      const handler = registry.add(connector, service);
      const prepare = () =>
        handler.prepare().then(() => {
          if (refreshPhase) void refreshing.begin(() => handler.beginRefreshing());
        });
      // Connectors initialize one after another, as in Egeria's trace, but a slow one only holds start-up
      // until the deadline; it finishes on its own and refreshes as soon as it is ready. Past the deadline the
      // rest begin a few at a time rather than all in one go.
      const wait = deadline - Date.now();
      if (wait > 0) await waitAtMost(prepare(), wait);
      else await initializing.begin(prepare);
    }
  }
  audit.log('INTEGRATION-DAEMON-SERVICES-0040', [serverName]);
  refreshPhase = true;
  // The first few begin now, in the seed's order; the rest as places free, after start-up has finished.
  for (const handler of registry.all()) void refreshing.begin(() => handler.beginRefreshing());
  audit.log('INTEGRATION-DAEMON-SERVICES-0013', [serverName]);
  audit.log('OMAG-ADMIN-0101', ['Integration Daemon', serverName]);
  const running = [
    'Open Metadata Repository Services (OMRS)',
    ...config.integrationServices.map((s) => registry.service(s.urlMarker).integrationServiceFullName),
    'Integration Daemon Services',
  ];
  audit.log('OMAG-ADMIN-0004', [serverName, `[${running.join(', ')}]`]);
}

/** Disconnects every connector (each under its timeout), writes the Shutdown records and closes the stores. */
export async function shutDownDaemon(parts: DaemonParts): Promise<void> {
  const { audit, registry, serverName, metadataServer } = parts;
  audit.log('INTEGRATION-DAEMON-SERVICES-0020', [serverName]);
  audit.log('INTEGRATION-DAEMON-SERVICES-0044', [serverName]);
  parts.scheduler.cancelAll();
  for (const serviceConfig of parts.config.integrationServices) {
    const service = registry.service(serviceConfig.urlMarker);
    audit.log('INTEGRATION-DAEMON-SERVICES-0021', [service.integrationServiceFullName, serverName]);
    await inTurns(registry.ofService(service.urlMarker), (h) => h.shutdown());
    audit.log('INTEGRATION-DAEMON-SERVICES-0025', [service.integrationServiceFullName, serverName]);
  }
  // Integration groups' connectors of services the document does not run.
  const configured = new Set(parts.config.integrationServices.map((s) => s.urlMarker));
  await inTurns(
    registry.all().filter((h) => !configured.has(h.service.urlMarker)),
    (h) => h.shutdown(),
  );
  await parts.queue.stop();
  parts.breaker.dispose();
  try {
    await metadataServer.close();
  } catch (error) {
    parts.log(
      `INTEGRATION-DAEMON-SERVICES-500-100 The integration daemon ${serverName} failed while closing metadata server ${metadataServer.name}: ${errorText(error)}`,
    );
  }
  audit.log('INTEGRATION-DAEMON-SERVICES-0026', [serverName]);
  // Let listeners (SSE clients, the desktop) see the Shutdown records, but never wait on a stalled one.
  await waitAtMost(parts.events.idle(), EVENTS_DRAIN_MS);
  parts.history.dispose();
  parts.store.close();
  audit.close();
}

/** Egeria's "platform" in the context manager messages: where the metadata server is, without any password. */
function metadataServerLocation(config: MetadataServerConfig, baseDirectory: string): string {
  if (config.kind === 'embedded') return resolve(baseDirectory, config.path);
  try {
    const url = new URL(config.connectionString);
    url.password = '';
    return url.toString();
  } catch {
    return 'postgres';
  }
}

/**
 * Begins `each` for every item, for at most SHUTDOWN_TURN_MS a turn of the loop, and resolves once all have
 * settled: ten thousand connectors' shutdowns (audit records, status events, watchers closed) begun in one task
 * held the loop for seconds, with /health and the event stream waiting behind them.
 */
async function inTurns<T>(items: readonly T[], each: (item: T) => Promise<void>): Promise<void> {
  const begun: Promise<void>[] = [];
  let began = performance.now();
  for (const item of items) {
    if (performance.now() - began >= SHUTDOWN_TURN_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      began = performance.now();
    }
    begun.push(each(item));
  }
  await Promise.all(begun);
}

/** Resolves when the promise settles or after `ms`, whichever is first; never rejects. */
function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}
