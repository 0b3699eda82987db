// Fixture servers that answer as an Egeria integration daemon of one era does, from Egeria's documented JSON (the
// seed's examples for 2.x/3.x, test/fixtures/egeria for 4.x and 5.x): real HTTP on a free loopback port, the
// era's paths only (anything else is Spring's bare 404), and every call recorded so tests see which path a client took.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { DaemonEra } from '../../shared/client/era.js';
import { seedExamples } from '../engine/rest/seed.js';

export type EgeriaEra = Exclude<DaemonEra, 'integration-daemon'>;
export const EGERIA_ERAS: readonly EgeriaEra[] = ['egeria-seed', 'egeria-4', 'egeria-5', 'egeria-5-token'];
export const EGERIA_SERVER = 'exchangeDL01';
export const EGERIA_USER = 'garygeeke';

export interface RecordedCall {
  method: string;
  /** The path after the daemon base (`integration-connectors/restart`). */
  operation: string;
  body: string;
}

export interface EgeriaFixture {
  era: EgeriaEra;
  url: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
const FIXTURES = resolve(import.meta.dirname, '../fixtures/egeria');
const json = (file: string): Json => JSON.parse(readFileSync(resolve(FIXTURES, file), 'utf8')) as Json;

function statusOf(era: EgeriaEra): Json {
  if (era === 'egeria-seed') return seedExamples().statusFailed;
  return era === 'egeria-4' ? json('egeria-4-status.json') : json('egeria-5-status.json');
}

function connectorNames(status: Json): string[] {
  const wrapper = status.integrationDaemonStatus as Json | undefined;
  const summaries = (status.integrationServiceSummaries ?? []) as Json[];
  return [
    ...summaries.flatMap((s) => (s.integrationConnectorReports as Json[]).map((r) => r.connectorName as string)),
    ...((wrapper?.integrationConnectorReports ?? []) as Json[]).map((r) => r.connectorName as string),
  ];
}

function envelope(responseClass: string, httpCode: number, messageId: string, text: string, userAction: string): Json {
  return {
    class: responseClass,
    relatedHTTPCode: httpCode,
    exceptionClassName: 'org.odpi.openmetadata.frameworks.connectors.ffdc.InvalidParameterException',
    actionDescription: responseClass,
    exceptionErrorMessage: `${messageId} ${text}`,
    exceptionErrorMessageId: messageId,
    exceptionErrorMessageParameters: [],
    exceptionSystemAction: 'The system is unable to process the request.',
    exceptionUserAction: userAction,
  };
}

const VOID = { class: 'VoidResponse', relatedHTTPCode: 200 };

/** The era's operations: `null` = not there (Spring 404). */
function answer(era: EgeriaEra, method: string, operation: string, body: string): { status: number; body: Json } | null {
  const status = statusOf(era);
  const names = connectorNames(status);
  const named = (): string | undefined => {
    if (body.trim() === '') return undefined;
    const parsed = JSON.parse(body) as Json | string;
    return typeof parsed === 'string' ? parsed : (parsed.name as string | undefined);
  };
  const unknownConnector = (name: string) =>
    envelope(
      'VoidResponse',
      400,
      'INTEGRATION-DAEMON-SERVICES-400-031',
      `Integration connector named ${name} is not running`,
      'Check the name.',
    );
  const perService = era === 'egeria-seed' || era === 'egeria-4';
  if (method === 'GET' && operation === 'status') return { status: 200, body: status };
  if (perService) {
    const service = /^integration-services?\/([^/]+)\/(restart|refresh)$/.exec(operation);
    if (service && (method === 'POST' || (method === 'GET' && service[2] === 'restart'))) {
      const name = named();
      return name !== undefined && !names.includes(name) ? { status: 400, body: unknownConnector(name) } : { status: 200, body: VOID };
    }
    if (method === 'POST' && operation === 'refresh') return { status: 200, body: VOID };
    if (era === 'egeria-4' && method === 'GET' && /^integration-connectors\/[^/]+\/configuration-properties$/.test(operation)) {
      return { status: 200, body: { class: 'PropertiesResponse', relatedHTTPCode: 200, properties: {} } };
    }
    return null;
  }
  if (method === 'POST' && /^integration-connectors\/(restart|refresh)$/.test(operation)) {
    const name = named();
    return name !== undefined && !names.includes(name) ? { status: 400, body: unknownConnector(name) } : { status: 200, body: VOID };
  }
  const groups = ((status.integrationDaemonStatus as Json).integrationGroupSummaries ?? []) as Json[];
  if (method === 'GET' && operation === 'integration-groups/summary') {
    return { status: 200, body: { class: 'IntegrationGroupSummariesResponse', relatedHTTPCode: 200, integrationGroupSummaries: groups } };
  }
  const group = /^integration-groups\/([^/]+)\/(summary|refresh-config)$/.exec(operation);
  if (method === 'GET' && group) {
    const found = groups.find((g) => g.integrationGroupName === decodeURIComponent(group[1] as string));
    if (!found) {
      return {
        status: 404,
        body: envelope('VoidResponse', 404, 'INTEGRATION-DAEMON-SERVICES-404-001', 'Unknown integration group', 'Use a configured group.'),
      };
    }
    return {
      status: 200,
      body:
        group[2] === 'summary' ? { class: 'IntegrationGroupSummaryResponse', relatedHTTPCode: 200, integrationGroupSummary: found } : VOID,
    };
  }
  if (method === 'POST' && /^integration-connectors\/[^/]+\/connection$/.test(operation)) return { status: 200, body: VOID };
  const lineagePath = era === 'egeria-5' ? 'api/v1/lineage' : 'publish-open-lineage-event';
  if (method === 'POST' && operation === lineagePath) return { status: 200, body: VOID };
  const validate = /^validate-connector\/(.+)$/.exec(operation);
  if (era === 'egeria-5-token' && method === 'GET' && validate) {
    const className = decodeURIComponent(validate[1] as string);
    return {
      status: 200,
      body: {
        class: 'ConnectorReportResponse',
        relatedHTTPCode: 200,
        connectorReport: { connectorType: { class: 'ConnectorType', connectorProviderClassName: className, displayName: className } },
      },
    };
  }
  return null;
}

function readAll(request: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    request.on('error', fail);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  response.end(text);
}

export async function startEgeriaFixture(era: EgeriaEra): Promise<EgeriaFixture> {
  const calls: RecordedCall[] = [];
  const usersBase = `/servers/${EGERIA_SERVER}/open-metadata/integration-daemon/users/${EGERIA_USER}/`;
  const tokenBase = `/servers/${EGERIA_SERVER}/open-metadata/integration-daemon/`;
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readAll(request);
      const path = new URL(request.url ?? '/', 'http://fixture.invalid').pathname;
      const method = request.method ?? 'GET';
      const base = era === 'egeria-5-token' ? tokenBase : usersBase;
      const notFound = { timestamp: '2024-11-06T21:48:38.898+00:00', status: 404, error: 'Not Found', path };
      if (!path.startsWith(base) || (era === 'egeria-5-token' && path.startsWith(`${tokenBase}users/`))) {
        send(response, 404, notFound);
        return;
      }
      if (era === 'egeria-5-token' && !/^Bearer \S+$/.test(request.headers.authorization ?? '')) {
        send(response, 401, { timestamp: '2024-11-06T21:48:38.898+00:00', status: 401, error: 'Unauthorized', path });
        return;
      }
      const operation = path.slice(base.length);
      calls.push({ method, operation, body });
      const result = answer(era, method, operation, body);
      if (result === null) send(response, 404, notFound);
      else send(response, result.status, result.body);
    })();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  return {
    era,
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
