// Catalog targets on the real daemon (embedded SQLite, real directories, the data files monitor, real HTTP): three
// directory targets of one connector, one missing. The missing one is FAILED with 404-001 while the other two
// catalogue their files; the connector says so instead of looking healthy; the directory created, it recovers on
// its own; a refresh of one target over REST runs only that target; unknown names are refused with message ids.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogTargetReport, CatalogTargetsResponse } from '../../shared/api/catalog-targets.js';
import type { FFDCErrorResponse, IntegrationConnectorReport, MetadataElementsResponse } from '../../shared/api/types.js';
import { startTargetsDaemon, TARGETS_CONNECTOR, type TargetsDaemon } from '../support/catalog-targets-daemon.js';
import { until } from '../support/until.js';

const TOKEN = 'catalog-targets-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };
const CONNECTOR = TARGETS_CONNECTOR;
let real: TargetsDaemon;

beforeAll(async () => {
  real = await startTargetsDaemon({ token: TOKEN }, ['a', 'b', 'c'], ['c']);
}, 60_000);

afterAll(async () => {
  await real?.stop();
});

async function targets(): Promise<Map<string, CatalogTargetReport>> {
  const response = await fetch(`${real.base}/integration-connectors/${CONNECTOR}/catalog-targets`, { headers: auth });
  expect(response.status).toBe(200);
  const body = (await response.json()) as CatalogTargetsResponse;
  return new Map(body.catalogTargets.map((t) => [t.catalogTargetName, t]));
}

async function report(): Promise<IntegrationConnectorReport | undefined> {
  return real.daemon.status().integrationServiceSummaries[0]?.integrationConnectorReports.find((r) => r.connectorName === CONNECTOR);
}

/** The count a catalog target's writes make stale is read again within a second. */
function elementCount(): number | undefined {
  return real.daemon.status().integrationServiceSummaries[0]?.integrationConnectorReports[0]?.elementCount;
}

async function fileNames(): Promise<string[]> {
  const response = await fetch(`${real.base}/metadata-elements?connectorName=${CONNECTOR}&typeName=DataFile`, { headers: auth });
  const body = (await response.json()) as MetadataElementsResponse;
  for (const element of body.elements) expect(element.connectorName).toBe(CONNECTOR);
  return body.elements.map((e) => String(e.properties.name ?? e.qualifiedName.split(/[\\/]/).pop())).sort();
}

async function waitForTargets(what: string, probe: (t: Map<string, CatalogTargetReport>) => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  for (let last = await targets(); !probe(last); last = await targets()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}: ${JSON.stringify([...last.values()])}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const post = (path: string) => fetch(`${real.base}/integration-connectors/${path}`, { method: 'POST', headers: auth });

describe('catalog targets of a files monitor', () => {
  it('a missing directory fails its own target with 404-001 while the other two catalogue their files', async () => {
    await waitForTargets(
      'a and b refreshed, c failed',
      (t) =>
        t.get('a')?.lastSuccessfulRefreshTime !== undefined &&
        t.get('b')?.lastSuccessfulRefreshTime !== undefined &&
        t.get('c')?.catalogTargetStatus === 'FAILED',
    );
    const all = await targets();
    const c = all.get('c');
    expect(c?.failingExceptionMessageId).toBe('BASIC-FILES-INTEGRATION-CONNECTORS-404-001');
    expect(c?.errorSource).toBe('thirdParty');
    expect(c?.retry?.nextRetryAt).toBeDefined();
    expect(all.get('a')).toMatchObject({ catalogTargetStatus: 'WAITING', lastRunCounts: { created: 1 } });
    expect(await fileNames()).toEqual(['a.csv', 'b.csv']);

    const connector = await report();
    expect(connector?.connectorStatus).toBe('WAITING');
    expect(connector?.failingExceptionMessage).toMatch(/^1 of 3 catalog targets failing; c: The directory named /);
    expect(connector?.failingExceptionMessageId).toBe('BASIC-FILES-INTEGRATION-CONNECTORS-404-001');
    expect(connector?.errorSource).toBe('thirdParty');
    expect(connector?.catalogTargets).toHaveLength(3);
    await until('element count of two', () => elementCount() === 2);
  });

  it('the directory created, the failed target recovers on its own and catalogues its file', async () => {
    mkdirSync(real.root('c'));
    writeFileSync(join(real.root('c'), 'c.csv'), 'z\n3\n');
    await waitForTargets(
      'c recovered',
      (t) => t.get('c')?.catalogTargetStatus === 'WAITING' && t.get('c')?.lastSuccessfulRefreshTime !== undefined,
    );
    expect(await fileNames()).toEqual(['a.csv', 'b.csv', 'c.csv']);
    const connector = await report();
    expect(connector?.failingExceptionMessage).toBeUndefined();
    await until('element count of three', () => elementCount() === 3);
  });

  it('a refresh of one target over REST runs only that target', async () => {
    const before = await targets();
    writeFileSync(join(real.root('a'), 'four.csv'), 'w\n4\n');
    writeFileSync(join(real.root('b'), 'five.csv'), 'v\n5\n');
    const response = await post(`${CONNECTOR}/catalog-targets/a/refresh`);
    expect(response.status).toBe(200);
    const after = await targets();
    expect(after.get('a')?.lastRefreshTime).not.toBe(before.get('a')?.lastRefreshTime);
    expect(after.get('a')?.lastRunCounts?.created).toBe(1);
    expect(after.get('b')?.lastRefreshTime).toBe(before.get('b')?.lastRefreshTime);
    expect(await fileNames()).toEqual(['a.csv', 'b.csv', 'c.csv', 'four.csv']);
  });

  it('refuses an unknown target, a retry of a target that has not failed, and an unknown connector, with message ids', async () => {
    const unknown = await post(`${CONNECTOR}/catalog-targets/nope/refresh`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as FFDCErrorResponse).exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-SERVICES-404-140');
    const notFailed = await post(`${CONNECTOR}/catalog-targets/a/retry`);
    expect(notFailed.status).toBe(409);
    expect(((await notFailed.json()) as FFDCErrorResponse).exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-SERVICES-409-141');
    const noConnector = await fetch(`${real.base}/integration-connectors/Nobody/catalog-targets`, { headers: auth });
    expect(((await noConnector.json()) as FFDCErrorResponse).exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-SERVICES-400-031');
  });
});
