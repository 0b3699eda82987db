// The done test for integration groups: two real daemon processes on one real PostgreSQL run the same
// group; a connector added to the group over REST (to the first daemon) starts on both within 10 seconds, and
// removed, it stops on both. The measured times are printed so the lead can quote them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationConnectorReport, IntegrationDaemonStatusResponse } from '../../../shared/api/types.js';
import { eventually, startDaemonProcess, type DaemonProcess } from '../../support/daemon-process.js';
import { startPostgres, type PgServer } from '../../support/postgres.js';

const PICKUP_LIMIT_MS = 10_000;
let dir: string;
let postgres: PgServer;
const daemons: DaemonProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'groups-two-daemons-'));
  postgres = await startPostgres();
  const connectionString = await postgres.createDatabase('shared_groups');
  for (const serverName of ['groupsDaemonA', 'groupsDaemonB']) {
    const home = join(dir, serverName);
    mkdirSync(home, { recursive: true });
    daemons.push(
      await startDaemonProcess({
        dir: home,
        config: {
          serverName,
          localServerUserId: `${serverName}npa`,
          metadataServer: { kind: 'postgres', connectionString },
          auditLog: { destinations: [{ kind: 'memory', capacity: 1000 }] },
          integrationServices: [],
          integrationGroups: [{ groupName: 'shared' }],
        },
      }),
    );
  }
}, 90_000);

afterAll(async () => {
  await Promise.all(daemons.map((d) => d.stop()));
  await postgres?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function report(daemon: DaemonProcess, connectorName: string): Promise<IntegrationConnectorReport | undefined> {
  const { json } = (await daemon.api('/status')) as { json: IntegrationDaemonStatusResponse };
  return json.integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports).find((r) => r.connectorName === connectorName);
}

const started = new Set(['WAITING', 'REFRESHING', 'RUNNING']);

describe('two daemons on one PostgreSQL run the same integration group', () => {
  it('a connector added over REST starts on both within 10 seconds; removed, it stops on both', async () => {
    const [a, b] = daemons as [DaemonProcess, DaemonProcess];
    const landing = join(dir, 'landing');
    mkdirSync(landing);
    writeFileSync(join(landing, 'orders.csv'), 'id\n1\n');
    for (const daemon of daemons) {
      await eventually(
        async () => {
          const { json } = (await daemon.api('/status')) as { json: IntegrationDaemonStatusResponse };
          return json.integrationGroupSummaries?.[0]?.integrationGroupStatus === 'ASSIGNED' ? true : undefined;
        },
        PICKUP_LIMIT_MS,
        'the undefined group to be ASSIGNED',
      );
    }
    expect((await a.api('/integration-groups', { method: 'POST', body: { groupName: 'shared' } })).status).toBe(200);

    const addedAt = Date.now();
    const added = await a.api('/integration-groups/shared/connectors', {
      method: 'POST',
      body: { connectorName: 'SharedLandingMonitor', connectorProvider: 'data-files-monitor', endpointAddress: landing },
    });
    expect(added.status).toBe(200);
    const startTimes = await Promise.all(
      daemons.map((daemon) =>
        eventually(
          async () => {
            const found = await report(daemon, 'SharedLandingMonitor');
            return found !== undefined && started.has(found.connectorStatus) ? Date.now() - addedAt : undefined;
          },
          PICKUP_LIMIT_MS,
          'the added connector to start',
        ),
      ),
    );
    for (const ms of startTimes) expect(ms).toBeLessThan(PICKUP_LIMIT_MS);
    expect((await report(b, 'SharedLandingMonitor'))?.integrationGroupName).toBe('shared');

    const removedAt = Date.now();
    expect((await a.api('/integration-groups/shared/connectors/SharedLandingMonitor', { method: 'DELETE' })).status).toBe(200);
    const stopTimes = await Promise.all(
      daemons.map((daemon) =>
        eventually(
          async () => ((await report(daemon, 'SharedLandingMonitor')) === undefined ? Date.now() - removedAt : undefined),
          PICKUP_LIMIT_MS,
          'the removed connector to stop',
        ),
      ),
    );
    for (const ms of stopTimes) expect(ms).toBeLessThan(PICKUP_LIMIT_MS);
    process.stdout.write(
      `integration group pickup: started on A after ${startTimes[0]} ms, on B after ${startTimes[1]} ms; ` +
        `stopped on A after ${stopTimes[0]} ms, on B after ${stopTimes[1]} ms\n`,
    );
  });

  it('pauses pickup while PostgreSQL is down (and says so), keeps the running connectors, and resumes after', async () => {
    const [a, b] = daemons as [DaemonProcess, DaemonProcess];
    const entry = { connectorName: 'KeptMonitor', connectorProvider: 'data-files-monitor', endpointAddress: join(dir, 'landing') };
    expect((await a.api('/integration-groups/shared/connectors', { method: 'POST', body: entry })).status).toBe(200);
    await eventually(async () => ((await report(b, 'KeptMonitor')) ? true : undefined), PICKUP_LIMIT_MS, 'KeptMonitor on B');

    await postgres.stop();
    try {
      for (const daemon of daemons) {
        await eventually(
          async () => {
            const { json } = (await daemon.api('/status')) as { json: IntegrationDaemonStatusResponse };
            return json.integrationGroupSummaries?.[0]?.pickupPausedSince;
          },
          PICKUP_LIMIT_MS,
          'pickup to pause',
        );
        expect(await report(daemon, 'KeptMonitor')).toBeDefined();
        const { json } = (await daemon.api('/audit-log?limit=1000')) as { json: { records: { messageId: string }[] } };
        expect(json.records.map((r) => r.messageId)).toContain('INTEGRATION-DAEMON-GROUPS-0003');
      }
      const refused = await a.api('/integration-groups/shared/connectors/KeptMonitor', { method: 'DELETE' });
      expect(refused.status).toBe(503);
      expect(refused.json.exceptionErrorMessageId).toBe('OMAG-MULTI-TENANT-404-001');
    } finally {
      await postgres.start();
    }
    await eventually(
      async () =>
        (await a.api('/integration-groups/shared/connectors/KeptMonitor', { method: 'DELETE' })).status === 200 ? true : undefined,
      20_000,
      'the metadata server to take changes again',
    );
    for (const daemon of daemons) {
      await eventually(async () => ((await report(daemon, 'KeptMonitor')) === undefined ? true : undefined), 20_000, 'KeptMonitor to stop');
      const { json } = (await daemon.api('/status')) as { json: IntegrationDaemonStatusResponse };
      expect(json.integrationGroupSummaries?.[0]?.pickupPausedSince).toBeUndefined();
    }
  });
});
