// What a metadata server outage leaves in the audit log and the status: a real daemon whose metadata server is a
// real PostgreSQL, stopped for 20 seconds under three data files monitors with files arriving. The status keeps the
// outage's start however often the breaker probes; the audit log gets one record when the server goes and one when
// it returns (its length, how many connectors waited), not one per probe; the status history (over REST, through
// the client) holds the outage and the connectors' status changes. Prints the audit records per minute of outage.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonClient } from '../../shared/client/client.js';
import { startRestServer, type RestServer } from '../../electron/engine/rest/server.js';
import { type Harness, document, harness, report, waitFor } from '../engine/lifecycle/fixtures/daemon-harness.js';
import { type PgServer, startPostgres } from '../support/postgres.js';

const OUTAGE_MS = 20_000;
const MONITORS = ['OakDene', 'OldMarket', 'DropFoot'];
const TOKEN = 'outage-records-token-0123456789';

let pg: PgServer;
let h: Harness;
let rest: RestServer | undefined;
beforeAll(async () => {
  pg = await startPostgres();
  h = harness();
}, 120_000);
afterAll(async () => {
  await rest?.close();
  await h?.cleanup();
  await pg?.destroy();
});

describe('a metadata server outage in the audit log, the status and the status history', () => {
  it('one record when it goes, one when it returns; unavailableSince stays put; the history holds it', { timeout: 180_000 }, async () => {
    const connectionString = await pg.createDatabase('metadata');
    const dirs = MONITORS.map((name) => {
      const dir = join(h.dir, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'before.csv'), `${name}\n`);
      return dir;
    });
    const names = MONITORS.map((n) => `${n}FilesMonitor`);
    const daemon = await h.start(
      document(
        h.dir,
        [
          {
            urlMarker: 'files-integrator',
            connectors: names.map((connectorName, i) => ({
              connectorName,
              connectorProvider: 'data-files-monitor',
              endpointAddress: dirs[i],
              refreshTimeInterval: 0,
            })),
          },
        ],
        { metadataServer: { name: 'cocoMDS1', kind: 'postgres', connectionString } },
      ),
    );
    rest = await startRestServer({ daemon, port: 0, token: TOKEN, log: () => undefined });
    const client = new DaemonClient({ url: rest.url, serverName: 'exchangeDL01', userId: 'exchangeDL01npa', token: TOKEN });
    await waitFor(
      () => names.every((n) => report(daemon, n).lastSuccessfulRefreshTime !== undefined),
      () => JSON.stringify(daemon.status()),
      30_000,
    );

    const stopped = Date.now();
    await pg.stop();
    dirs.forEach((dir, i) => writeFileSync(join(dir, 'during-outage.csv'), `${MONITORS[i]}\n`));
    await waitFor(
      () => names.every((n) => report(daemon, n).retry?.waitingFor === 'metadataServer'),
      () => JSON.stringify(daemon.status()),
      30_000,
    );
    const allWaiting = Date.now();
    // Sample the status while the breaker probes: the outage's start never moves.
    const seen = new Set<string>();
    const states = new Set<string>();
    while (Date.now() - stopped < OUTAGE_MS) {
      const server = daemon.status().metadataServers?.[0];
      if (server?.unavailableSince) seen.add(server.unavailableSince);
      if (server) states.add(server.breakerState);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(seen.size).toBe(1);
    expect(states.has('CLOSED')).toBe(false);
    const unavailableSince = [...seen][0]!;
    expect(daemon.status().metadataServers?.[0]?.since).toBe(unavailableSince);

    // The outage ends when the restart begins: the breaker's probe may reach the server, and the connectors resume,
    // before pg.start() has seen it ready and returned.
    const restarting = Date.now();
    await pg.start();
    await waitFor(
      () =>
        names.every(
          (n) =>
            report(daemon, n).connectorStatus === 'WAITING' && Date.parse(report(daemon, n).lastSuccessfulRefreshTime ?? '0') > restarting,
        ),
      () => JSON.stringify(daemon.status()),
      90_000,
    );
    const resumed = Date.now();
    const outageMinutes = (restarting - stopped) / 60_000;
    const records = daemon.auditLog({ limit: 100_000, since: stopped }).filter((r) => Date.parse(r.timeStamp) < resumed);
    const during = records.filter((r) => Date.parse(r.timeStamp) < restarting);
    const byId = new Map<string, number>();
    for (const r of during) byId.set(r.messageId, (byId.get(r.messageId) ?? 0) + 1);
    // Once every connector waits, the outage goes on in silence: the probes write nothing.
    const quietFrom = allWaiting + 1_000;
    const whileWaiting = during.filter((r) => Date.parse(r.timeStamp) >= quietFrom);
    console.log(
      `audit records during a ${(outageMinutes * 60).toFixed(1)} s outage with ${names.length} waiting connectors: ${during.length} ` +
        `(${(during.length / outageMinutes).toFixed(1)} per minute of outage, all as it began); ` +
        `${whileWaiting.length} in the ${((restarting - quietFrom) / 1000).toFixed(1)} s while they waited ` +
        `(${(whileWaiting.length / ((restarting - quietFrom) / 60_000)).toFixed(1)} per minute); by message id: ${JSON.stringify(Object.fromEntries(byId))}`,
    );
    expect(whileWaiting.map((r) => `${r.messageId} ${r.messageText}`)).toEqual([]);

    const went = records.filter((r) => r.messageId === 'INTEGRATION-DAEMON-RECOVERY-0004');
    const back = records.filter((r) => r.messageId === 'INTEGRATION-DAEMON-RECOVERY-0006');
    expect(went).toHaveLength(1);
    expect(back).toHaveLength(1);
    expect(went[0]!.messageText).not.toMatch(/not available: The metadata server/);
    expect(back[0]!.messageText).toMatch(
      /available again after an outage of \d+(\.\d)? s\. Integration connectors that waited for it: 3, resuming now$/,
    );
    // Each connector tells of its own failure and wait once; the breaker's probes tell nothing each.
    for (const n of names) expect(during.filter((r) => r.connectorName === n).length, n).toBeLessThanOrEqual(4);
    expect(during.length).toBeLessThanOrEqual(2 + 4 * names.length);

    const history = await client.statusHistory(new Date(stopped - 1_000).toISOString());
    expect(history.metadataServerOutages).toEqual([
      { metadataServerName: 'cocoMDS1', from: unavailableSince, to: expect.any(String), waitingConnectors: 3 },
    ]);
    expect(Date.parse(history.metadataServerOutages[0]!.to!)).toBeGreaterThanOrEqual(restarting - 1_000);
    for (const n of names) {
      const statuses = history.changes.filter((c) => c.connectorName === n).map((c) => c.connectorStatus);
      expect(statuses, n).toContain('RETRYING');
      expect(statuses.at(-1), n).toBe('WAITING');
    }
    const retrying = history.changes.find((c) => c.connectorStatus === 'RETRYING');
    expect(retrying).toMatchObject({
      urlMarker: 'files-integrator',
      errorSource: 'metadataServer',
      failingExceptionMessageId: 'OMAG-MULTI-TENANT-404-001',
    });
    expect((await client.statusHistory(new Date(Date.now() + 60_000).toISOString())).changes).toEqual([]);
  });
});
