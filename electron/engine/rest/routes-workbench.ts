// The operator's workbench over REST (ours, beside Egeria's paths): the providers and what they declare, connection
// tests (answered whole, or streamed as NDJSON one step per line when asked with Accept: application/x-ndjson), and
// adding, replacing and removing one connector. Each route is one DaemonApi call; errors are rendered by the server.
import { z } from 'zod';
import { redactSecrets } from '../../../shared/api/redact.js';
import type {
  ConnectorEntryResponse,
  ConnectorProvidersResponse,
  ConnectorTestResponse,
  ConnectorTestStep,
  VoidResponse,
} from '../../../shared/api/types.js';
import { DEFAULT_CONNECTOR_TEST_TIMEOUT_MS, MAX_CONNECTOR_TEST_TIMEOUT_MS } from '../workbench/connection-test.js';
import { parseJsonBody, readBody, validateBody } from './body.js';
import { restError } from './errors.js';
import type { Reply, Route, RouteContext } from './routes.js';

const entry = z.record(z.string(), z.unknown(), { error: 'the connector entry must be a JSON object' });

/** `{class?: "ConnectorEntryRequest", connector: {...}}`. */
const connectorEntryBody = z.looseObject({ class: z.string().optional(), connector: entry }).transform((body) => body.connector);

/** `{class?: "ConnectorTestRequest", urlMarker, connector: {...}}`. */
const connectorTestBody = z.looseObject({
  class: z.string().optional(),
  urlMarker: z.string({ error: 'urlMarker is missing: name the integration service, e.g. "files-integrator"' }).min(1),
  connector: entry,
});

async function jsonBody(context: RouteContext): Promise<unknown> {
  return parseJsonBody(await readBody(context.request, context.path), context.path);
}

function param(context: RouteContext, name: string): string {
  const value = context.params[name];
  if (value === undefined) throw new Error(`route pattern has no :${name}`);
  return value;
}

/** `?timeoutMs=` bounds the whole test: default 30 s, at most 120 s. */
function testTimeout(query: URLSearchParams): number {
  const raw = query.get('timeoutMs');
  if (raw === null || raw === '') return DEFAULT_CONNECTOR_TEST_TIMEOUT_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 100 || value > MAX_CONNECTOR_TEST_TIMEOUT_MS) {
    throw restError('invalidQuery', [
      'timeoutMs',
      raw,
      `it must be a whole number of milliseconds from 100 to ${MAX_CONNECTOR_TEST_TIMEOUT_MS}`,
    ]);
  }
  return value;
}

function wantsLines(context: RouteContext): boolean {
  return (context.request.headers.accept ?? '').includes('application/x-ndjson');
}

/** The test's answer: whole, or a stream of steps ending with the whole answer. */
function testReply(
  context: RouteContext,
  run: (onStep: ((step: ConnectorTestStep) => void) | undefined, signal: AbortSignal | undefined) => Promise<ConnectorTestResponse>,
): Promise<Reply> | Reply {
  if (wantsLines(context)) return { lines: (write, signal) => run(write, signal) };
  return run(undefined, undefined).then((body) => ({ body }));
}

const ok = (): { body: VoidResponse } => ({ body: { class: 'VoidResponse', relatedHTTPCode: 200 } });

export const WORKBENCH_ROUTES: readonly Route[] = [
  {
    methods: ['GET'],
    pattern: 'connector-providers',
    responseClass: 'ConnectorProvidersResponse',
    action: 'getConnectorProviders',
    handle: async ({ daemon }) => {
      const body: ConnectorProvidersResponse = {
        class: 'ConnectorProvidersResponse',
        relatedHTTPCode: 200,
        providers: daemon.listProviders(),
      };
      return { body };
    },
  },
  {
    methods: ['POST'],
    pattern: 'integration-connectors/:name/test',
    responseClass: 'ConnectorTestResponse',
    action: 'testConnector',
    handle: async (context) => {
      await jsonBody(context);
      const name = param(context, 'name');
      const timeoutMs = testTimeout(context.query);
      return testReply(context, (onStep, signal) => context.daemon.testConnector(name, { timeoutMs, onStep, signal }));
    },
  },
  {
    methods: ['POST'],
    pattern: 'connector-test',
    responseClass: 'ConnectorTestResponse',
    action: 'testConnectorEntry',
    handle: async (context) => {
      const body = validateBody(connectorTestBody, await jsonBody(context), context.path);
      const timeoutMs = testTimeout(context.query);
      return testReply(context, (onStep, signal) =>
        context.daemon.testConnectorEntry(body.urlMarker, body.connector, { timeoutMs, onStep, signal }),
      );
    },
  },
  {
    methods: ['POST'],
    pattern: 'integration-service|integration-services/:marker/integration-connectors',
    responseClass: 'VoidResponse',
    action: 'addIntegrationConnector',
    handle: async (context) => {
      const connector = validateBody(connectorEntryBody, await jsonBody(context), context.path);
      await context.daemon.addConnector(param(context, 'marker'), connector);
      return ok();
    },
  },
  {
    methods: ['GET'],
    pattern: 'integration-connectors/:name/configuration',
    responseClass: 'ConnectorEntryResponse',
    action: 'getIntegrationConnectorConfiguration',
    handle: async (context) => {
      // Redacted as GET /configuration is; a PUT of it back keeps the stored secrets.
      const connector = redactSecrets(context.daemon.connectorEntry(param(context, 'name'))) as Record<string, unknown>;
      const body: ConnectorEntryResponse = { class: 'ConnectorEntryResponse', relatedHTTPCode: 200, connector };
      return { body };
    },
  },
  {
    methods: ['PUT'],
    pattern: 'integration-connectors/:name/configuration',
    responseClass: 'VoidResponse',
    action: 'updateIntegrationConnector',
    handle: async (context) => {
      const connector = validateBody(connectorEntryBody, await jsonBody(context), context.path);
      await context.daemon.updateConnector(param(context, 'name'), connector);
      return ok();
    },
  },
  {
    methods: ['DELETE'],
    pattern: 'integration-connectors/:name',
    responseClass: 'VoidResponse',
    action: 'removeIntegrationConnector',
    handle: async (context) => {
      await jsonBody(context);
      await context.daemon.removeConnector(param(context, 'name'));
      return ok();
    },
  },
];
