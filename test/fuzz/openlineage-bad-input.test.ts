// Hostile OpenLineage events against a real daemon running the lineage connector, over real HTTP on both lineage
// endpoints: mutations of the OpenLineage project's example events (fields dropped, wrong types, nasty text, huge
// and deep values, broken JSON and bytes). Every answer is either a catalogued event or a refusal in Egeria's
// envelope with a message id and a fix; no incident (500), the daemon and the connector keep going, and the refused
// ones are counted. FUZZ_SEED=<n> reproduces a failing run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FFDCErrorResponse } from '../../shared/api/types.js';
import { REAL_SERVER_NAME, type RealDaemon } from '../support/real-daemon.js';
import { until } from '../support/until.js';
import { exampleEvents, LINEAGE_CONNECTOR, LINEAGE_TOKEN, startLineageDaemon } from '../engine/lineage/lineage-daemon.js';
import { deepValue, fuzzSeed, malformedJsonBytes, nastyString, randomJson, seededRandom, type Random } from './generate.js';

const SEED = fuzzSeed(20_260_210);
const CASES = 2_000;
const PARALLEL = 8;

let real: RealDaemon;

beforeAll(async () => {
  real = await startLineageDaemon();
  await until('the lineage connector to wait for events', () => lineageStatus() === 'WAITING', 30_000);
}, 60_000);

afterAll(async () => {
  await real?.stop();
});

function lineageStatus(): string | undefined {
  return real.daemon
    .status()
    .integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports)
    .find((r) => r.connectorName === LINEAGE_CONNECTOR)?.connectorStatus;
}

type Json = Record<string, unknown>;
const PATHS: readonly (readonly string[])[] = [
  ['eventTime'],
  ['eventType'],
  ['producer'],
  ['schemaURL'],
  ['run'],
  ['run', 'runId'],
  ['run', 'facets'],
  ['run', 'facets', 'parent'],
  ['run', 'facets', 'parent', 'run', 'runId'],
  ['job'],
  ['job', 'namespace'],
  ['job', 'name'],
  ['job', 'facets'],
  ['job', 'facets', 'sql', 'query'],
  ['job', 'facets', 'documentation'],
  ['job', 'facets', 'ownership', 'owners'],
  ['inputs'],
  ['outputs'],
  ['inputs', '0'],
  ['inputs', '0', 'name'],
  ['outputs', '0', 'namespace'],
  ['outputs', '0', 'facets', 'schema', 'fields'],
  ['__proto__'],
  ['constructor', 'prototype'],
];

function hostileValue(random: Random): unknown {
  switch (random.int(0, 11)) {
    case 0:
      return undefined;
    case 1:
      return null;
    case 2:
      return random.int(-5, 5) * 1e308;
    case 3:
      return nastyString(random);
    case 4:
      return 'x'.repeat(random.int(900, 5_000));
    case 5:
      return deepValue(random.int(10, 200), random.chance(0.5) ? 'array' : 'object');
    case 6:
      return Array.from({ length: random.int(0, 1_200) }, () => ({ namespace: 'ns', name: nastyString(random) }));
    case 7:
      return '00000000-0000-0000-0000-00000000000g';
    case 8:
      return 'NOT-A-TIME';
    case 9:
      return [];
    case 10:
      return { __proto__: { polluted: true } };
    default:
      return randomJson(random);
  }
}

function setPath(target: Json, path: readonly string[], value: unknown): void {
  let node: Json = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Json;
  }
  const last = path.at(-1) as string;
  if (value === undefined) Reflect.deleteProperty(node, last);
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
}

function hostileBody(random: Random, examples: readonly string[]): string | Uint8Array<ArrayBuffer> {
  const roll = random.next();
  if (roll < 0.08) return new Uint8Array(malformedJsonBytes(random));
  if (roll < 0.12) return JSON.stringify(randomJson(random));
  const base = random.pick(examples);
  if (roll < 0.18) return base.slice(0, random.int(0, base.length - 1));
  const event = JSON.parse(base) as Json;
  for (let i = random.int(1, 3); i > 0; i--) setPath(event, random.pick(PATHS), hostileValue(random));
  return JSON.stringify(event);
}

describe(`hostile OpenLineage events (seed ${SEED})`, () => {
  it(`${CASES} events: each catalogued or refused in the envelope, nothing crashes, refusals counted`, async () => {
    const random = seededRandom(SEED);
    const examples = exampleEvents('valid').map((e) => e.text);
    const urls = [
      `${real.base}/api/v1/lineage`,
      `${real.server.url}/servers/${REAL_SERVER_NAME}/open-metadata/integration-daemon/publish-open-lineage-event`,
    ];
    const bodies = Array.from({ length: CASES }, (_, i) => ({ i, url: urls[i % 2] as string, body: hostileBody(random, examples) }));
    const before = real.daemon.status().openLineageStatistics;
    let refused = 0;
    let accepted = 0;
    const failures: string[] = [];
    for (let start = 0; start < bodies.length; start += PARALLEL) {
      await Promise.all(
        bodies.slice(start, start + PARALLEL).map(async ({ i, url, body }) => {
          const response = await fetch(url, {
            method: 'POST',
            headers: { Authorization: `Bearer ${LINEAGE_TOKEN}`, 'Content-Type': 'application/json' },
            body,
          });
          const json = (await response.json()) as Partial<FFDCErrorResponse> & { class?: string };
          if (response.status === 200 && json.class === 'VoidResponse') {
            accepted++;
            return;
          }
          refused++;
          const inEnvelope =
            response.status >= 400 &&
            response.status < 500 &&
            json.relatedHTTPCode === response.status &&
            typeof json.exceptionErrorMessageId === 'string' &&
            typeof json.exceptionUserAction === 'string' &&
            json.exceptionUserAction.length > 0 &&
            !/\n\s+at /.test(json.exceptionErrorMessage ?? '');
          if (!inEnvelope) failures.push(`case ${i} (seed ${SEED}): HTTP ${response.status} ${JSON.stringify(json).slice(0, 300)}`);
        }),
      );
    }
    expect(failures, failures.slice(0, 5).join('\n')).toEqual([]);
    expect(real.logged, 'no incident was logged').toEqual([]);
    const after = real.daemon.status().openLineageStatistics;
    // Bodies over the size limit are refused by the REST layer, and counted like the others.
    expect((after?.eventsRefused ?? 0) - (before?.eventsRefused ?? 0)).toBe(refused);
    expect((after?.eventsCatalogued ?? 0) - (before?.eventsCatalogued ?? 0)).toBe(accepted);
    expect(refused).toBeGreaterThan(CASES / 2);
    expect(lineageStatus()).toBe('WAITING');
    const status = await fetch(`${real.base}/status`, { headers: { Authorization: `Bearer ${LINEAGE_TOKEN}` } });
    expect(status.status).toBe(200);
  }, 300_000);
});
