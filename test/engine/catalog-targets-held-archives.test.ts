// The mass-archive fail-safe for catalog targets, on the real daemon (embedded SQLite, real directories, the data
// files monitor, real HTTP, the CLI's main()): a files monitor with two directory targets, 20 files in one. Deleting
// 15 of them archives nothing: the connector's run ends PARTIAL, one audit record says how many and why, and the held
// archive is listed under the target's name (REST, the target's and the connector's reports, the CLI). Approving it
// archives them in the target's metadata source; rejecting one keeps them. The other target is never touched.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.js';
import type { FFDCErrorResponse, HeldArchive, HeldArchivesResponse, MetadataElementsResponse } from '../../shared/api/types.js';
import { startTargetsDaemon, TARGETS_CONNECTOR, type TargetsDaemon } from '../support/catalog-targets-daemon.js';
import { until } from '../support/until.js';

const TOKEN = 'catalog-targets-held-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };
const CONNECTOR = TARGETS_CONNECTOR;
let real: TargetsDaemon;

/** The 20 files of target a: a.csv (written by the fixture) and these 19. */
const extra = (first: number, n: number) => Array.from({ length: n }, (_, i) => `file-${String(first + i).padStart(2, '0')}.csv`);

beforeAll(async () => {
  real = await startTargetsDaemon({ token: TOKEN }, ['a', 'b'], []);
  await until('both targets refreshed', () =>
    real.daemon.catalogTargets(CONNECTOR).every((t) => t.lastSuccessfulRefreshTime !== undefined) ? true : undefined,
  );
  for (const name of extra(1, 19)) writeFileSync(join(real.root('a'), name), `${name}\n1\n`);
  expect((await post('catalog-targets/a/refresh')).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await real?.stop();
});

const post = (path: string) => fetch(`${real.base}/integration-connectors/${CONNECTOR}/${path}`, { method: 'POST', headers: auth });

async function liveFiles(): Promise<string[]> {
  const response = await fetch(`${real.base}/metadata-elements?connectorName=${CONNECTOR}&typeName=DataFile&pageSize=1000`, {
    headers: auth,
  });
  const body = (await response.json()) as MetadataElementsResponse;
  return body.elements.map((e) => String(e.properties.name ?? e.qualifiedName.split(/[\\/]/).pop())).sort();
}

async function heldArchives(): Promise<HeldArchive[]> {
  const response = await fetch(`${real.base}/held-archives`, { headers: auth });
  return ((await response.json()) as HeldArchivesResponse).heldArchives;
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const env = { INTEGRATION_DAEMON_TOKEN: TOKEN, INTEGRATION_DAEMON_URL: real.server.url };
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env, stop: new AbortController().signal });
  return { code, out, err };
}

const connectorReport = () =>
  real.daemon.status().integrationServiceSummaries[0]?.integrationConnectorReports.find((r) => r.connectorName === CONNECTOR);
const targetReport = (name: string) => real.daemon.catalogTargets(CONNECTOR).find((t) => t.catalogTargetName === name);

/** Deletes these files of target a and refreshes the connector (every target): more than 50 % of a's live files. */
async function deleteAndRefresh(names: readonly string[]): Promise<HeldArchive> {
  for (const name of names) rmSync(join(real.root('a'), name));
  const before = real.daemon.runs({ connectorName: CONNECTOR, limit: 50 }).length;
  await real.daemon.refreshConnectors(CONNECTOR);
  await until('the refresh run over', () => {
    const runs = real.daemon.runs({ connectorName: CONNECTOR, limit: 50 });
    return runs.length > before && runs.every((r) => r.state !== 'RUNNING') ? true : undefined;
  });
  const held = (await heldArchives())[0];
  if (held === undefined) throw new Error(`nothing held; the files are now ${(await liveFiles()).join(', ')}`);
  return held;
}

describe('the mass-archive fail-safe for a catalog target', () => {
  it('holds the archive of 15 of the target’s 20 files, lists it under the target, and archives them on approve', async () => {
    expect(await liveFiles()).toHaveLength(21);
    const gone = ['a.csv', ...extra(1, 14)];
    const held = await deleteAndRefresh(gone);

    expect(await liveFiles()).toHaveLength(21);
    expect(await heldArchives()).toHaveLength(1);
    expect(held).toMatchObject({ connectorName: CONNECTOR, catalogTargetName: 'a', count: 15, liveCount: 20, thresholdPercent: 50 });
    expect(held.sample).toHaveLength(15);
    expect(targetReport('a')?.heldArchive?.count).toBe(15);
    expect(targetReport('b')?.heldArchive).toBeUndefined();
    expect(connectorReport()?.heldArchive?.count).toBe(15);
    const run = real.daemon.runs({ connectorName: CONNECTOR, limit: 50 }).find((r) => r.runId === held.runId);
    expect(run).toMatchObject({ state: 'PARTIAL', counts: { archived: 0 } });
    const records = real.daemon
      .auditLog({ connectorName: CONNECTOR, limit: 1000 })
      .filter((r) => r.messageId === 'INTEGRATION-DAEMON-SERVICES-0135');
    expect(records).toHaveLength(1);
    expect(records[0]?.messageText).toMatch(
      new RegExp(`^Catalog target a of integration connector ${CONNECTOR} would have archived 15 of its 20 live elements`),
    );

    const listed = await cli('held-archives');
    expect(listed.out.split('\n')[0]).toMatch(/^CONNECTOR\s+CATALOG TARGET\s+HELD\s+TO ARCHIVE/);
    expect(listed.out.split('\n')[1]).toMatch(new RegExp(`^${CONNECTOR}\\s+a\\s+\\S+ \\S+\\s+15 of 20\\s+50 %`));

    // The connector's own held archive is not the target's.
    const own = await post('held-archive/approve');
    expect(own.status).toBe(404);
    expect(((await own.json()) as FFDCErrorResponse).exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-SERVICES-404-130');

    expect(await cli('approve-archive', CONNECTOR, '--target', 'a')).toMatchObject({
      code: 0,
      out: `15 element(s) of ${CONNECTOR} (catalog target a) archived.\n`,
    });
    expect(await liveFiles()).toEqual([...extra(15, 5), 'b.csv'].sort());
    expect(await heldArchives()).toEqual([]);
    expect(targetReport('a')?.heldArchive).toBeUndefined();
    expect(connectorReport()?.heldArchive).toBeUndefined();
  });

  it('keeps the target’s files when its held archive is rejected over REST', async () => {
    const added = extra(20, 15);
    for (const name of added) writeFileSync(join(real.root('a'), name), `${name}\n1\n`);
    expect((await post('catalog-targets/a/refresh')).status).toBe(200);
    expect(await liveFiles()).toHaveLength(21);

    const held = await deleteAndRefresh(added.slice(0, 12));
    expect(held).toMatchObject({ catalogTargetName: 'a', count: 12, liveCount: 20 });
    const rejected = await post('catalog-targets/a/held-archive/reject');
    expect(rejected.status).toBe(200);
    expect(await heldArchives()).toEqual([]);
    expect(await liveFiles()).toHaveLength(21);
    const again = await post('catalog-targets/a/held-archive/reject');
    expect(again.status).toBe(404);
    expect(((await again.json()) as FFDCErrorResponse).exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-SERVICES-404-130');
  });
});
