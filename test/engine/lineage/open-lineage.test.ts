// OpenLineage in: the OpenLineage project's published example events, posted to a real daemon on both lineage
// endpoints, are catalogued by the built-in lineage connector (jobs, runs, datasets and their data flows); its
// published malformed examples are refused in the error envelope and counted, and nothing stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FFDCErrorResponse, IntegrationDaemonStatusResponse, MetadataElementsResponse } from '../../../shared/api/types.js';
import { lineageQualifiedName } from '../../../electron/connectors/lineage/open-lineage-cataloguer.js';
import { REAL_SERVER_NAME, type RealDaemon } from '../../support/real-daemon.js';
import { until } from '../../support/until.js';
import { exampleEvents, LINEAGE_CONNECTOR, LINEAGE_TOKEN, startLineageDaemon, storedRelationships } from './lineage-daemon.js';

let real: RealDaemon;
const auth = { Authorization: `Bearer ${LINEAGE_TOKEN}`, 'Content-Type': 'application/json' };

beforeAll(async () => {
  real = await startLineageDaemon();
  await until('the lineage connector to wait for events', () => lineageReport()?.connectorStatus === 'WAITING', 30_000);
}, 60_000);

afterAll(async () => {
  await real?.stop();
});

function lineageReport() {
  return real.daemon
    .status()
    .integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports)
    .find((r) => r.connectorName === LINEAGE_CONNECTOR);
}

/** The two endpoints: Egeria 5.x's under /users/{u}, the newest without it. */
const endpoints = () => [
  `${real.base}/api/v1/lineage`,
  `${real.server.url}/servers/${REAL_SERVER_NAME}/open-metadata/integration-daemon/publish-open-lineage-event`,
];

async function post(url: string, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: auth, body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function elements(typeName: string): Promise<MetadataElementsResponse['elements']> {
  const response = await fetch(`${real.base}/metadata-elements?typeName=${typeName}&qualifiedNamePrefix=OpenLineage::`, { headers: auth });
  return ((await response.json()) as MetadataElementsResponse).elements;
}

interface ExampleEvent {
  run: { runId: string };
  job: { namespace: string; name: string };
  inputs?: { namespace: string; name: string }[];
  outputs?: { namespace: string; name: string }[];
}

describe('OpenLineage example events', () => {
  it('are catalogued: a Process per job, a ProcessInstance per run, a DataSet per dataset, DataFlows between them', async () => {
    const examples = exampleEvents('valid');
    expect(examples.length).toBeGreaterThanOrEqual(4);
    for (const [i, example] of examples.entries()) {
      const url = endpoints()[i % 2] as string;
      const answer = await post(url, example.text);
      expect(answer, example.file).toMatchObject({ status: 200, json: { class: 'VoidResponse', relatedHTTPCode: 200 } });
    }
    const processes = (await elements('Process')).map((e) => e.qualifiedName);
    const runs = (await elements('ProcessInstance')).map((e) => e.qualifiedName);
    const datasets = (await elements('DataSet')).map((e) => e.qualifiedName);
    const connectorId = lineageReport()?.connectorId as string;
    const relationships = await storedRelationships(real, connectorId);
    for (const example of examples) {
      const event = JSON.parse(example.text) as ExampleEvent;
      const job = lineageQualifiedName.job(event.job.namespace, event.job.name);
      expect(processes, example.file).toContain(job);
      expect(runs, example.file).toContain(lineageQualifiedName.run(event.run.runId));
      for (const input of event.inputs ?? []) {
        const dataset = lineageQualifiedName.dataset(input.namespace, input.name);
        expect(datasets).toContain(dataset);
        expect(relationships).toContainEqual(
          expect.objectContaining({ typeName: 'DataFlow', end1QualifiedName: dataset, end2QualifiedName: job }),
        );
      }
      for (const output of event.outputs ?? []) {
        const dataset = lineageQualifiedName.dataset(output.namespace, output.name);
        expect(relationships).toContainEqual(
          expect.objectContaining({ typeName: 'DataFlow', end1QualifiedName: job, end2QualifiedName: dataset }),
        );
      }
      expect(relationships).toContainEqual(
        expect.objectContaining({
          typeName: 'ProcessHierarchy',
          end1QualifiedName: job,
          end2QualifiedName: lineageQualifiedName.run(event.run.runId),
        }),
      );
    }
  });

  it('a repeated event adds nothing; the latest event of a job sets what is catalogued of it', async () => {
    const full = exampleEvents('valid').find((e) => e.file === 'fluentd-event_full.json');
    const before = (await elements('DataSet')).length + (await elements('Process')).length;
    expect((await post(endpoints()[0] as string, full?.text as string)).status).toBe(200);
    expect((await elements('DataSet')).length + (await elements('Process')).length).toBe(before);
    const job = (await elements('Process')).find(
      (e) => e.qualifiedName === lineageQualifiedName.job('my-scheduler-namespace', 'myjob.mytask'),
    );
    expect(job?.properties).toMatchObject({
      formula: 'SELECT * FROM foo',
      sourceCodeLocation: 'http://example.com',
      description: 'string',
    });
  });

  it('malformed examples are refused in the envelope and counted; the connector keeps waiting for events', async () => {
    const before = real.daemon.status().openLineageStatistics?.eventsRefused ?? 0;
    const invalid = exampleEvents('invalid');
    for (const example of invalid) {
      for (const url of endpoints()) {
        const answer = await post(url, example.text);
        expect(answer.status, example.file).toBe(400);
        const envelope = answer.json as unknown as FFDCErrorResponse;
        expect(envelope).toMatchObject({
          relatedHTTPCode: 400,
          exceptionErrorMessageId: 'INTEGRATION-DAEMON-LINEAGE-400-001',
          class: 'VoidResponse',
        });
        expect(envelope.exceptionUserAction).toContain('RunEvent');
      }
    }
    const status = (await (await fetch(`${real.base}/status`, { headers: auth })).json()) as IntegrationDaemonStatusResponse;
    expect(status.openLineageStatistics?.eventsRefused).toBe(before + invalid.length * 2);
    expect(status.openLineageStatistics?.eventsCatalogued).toBeGreaterThanOrEqual(5);
    expect(lineageReport()?.connectorStatus).toBe('WAITING');
  });

  it('a request without a token is refused as on every route', async () => {
    const [example] = exampleEvents('valid');
    const noToken = await fetch(endpoints()[1] as string, { method: 'POST', body: example?.text ?? '' });
    expect(noToken.status).toBe(401);
    expect(((await noToken.json()) as FFDCErrorResponse).exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-REST-401-001');
  });
});
