// Egeria 5's integration daemon operations, beside the seed's and 4.x's in routes.ts: the daemon-wide status
// wrapper, a connector's connection, integration groups, validate-connector and the two OpenLineage endpoints
// (5.x `api/v1/lineage`, newest `publish-open-lineage-event`). They answer under both bases, with `/users/{u}`
// and without (the bearer token names the user), like every other route.
import type {
  ConnectorReportResponse,
  IntegrationGroupSummariesResponse,
  IntegrationGroupSummary,
  IntegrationGroupSummaryResponse,
} from '../../../shared/api/egeria5.js';
import type { VoidResponse } from '../../../shared/api/types.js';
import { z } from 'zod';
import { DaemonRequestError } from '../daemon-api.js';
import { parseJsonBody, readBody, validateBody } from './body.js';
import type { Route, RouteContext } from './routes.js';

const ok = (): { body: VoidResponse } => ({ body: { class: 'VoidResponse', relatedHTTPCode: 200 } });

function param(context: RouteContext, name: string): string {
  const value = context.params[name];
  if (value === undefined) throw new Error(`route pattern has no :${name}`);
  return value;
}

/**
 * `GET status`. Under `/users/{u}` the seed's answer field for field, with Egeria 5's `integrationDaemonStatus` after
 * it (Egeria's clients ignore fields they do not know, so each era reads its own); without `/users/` Egeria's newest
 * shape, the wrapper alone, plus our extensions (server time, metadata servers, OpenLineage statistics). The daemon
 * keeps both texts (daemon/status-cache.ts).
 */
export function statusJsonForBase(context: RouteContext): readonly Buffer[] {
  return context.daemon.statusJson(context.base);
}

function unknownGroup(serverName: string, groupName: string, known: readonly string[]): DaemonRequestError {
  return new DaemonRequestError(
    404,
    'INTEGRATION-DAEMON-GROUPS-404-001',
    `Integration group ${groupName} is not running in integration daemon ${serverName}`,
    [groupName, serverName],
    'The request is rejected; nothing is changed.',
    known.length === 0
      ? `Integration daemon ${serverName} runs no integration groups: its connectors are listed in its configuration document.`
      : `Use one of the integration groups ${serverName} runs: ${known.join(', ')}.`,
  );
}

function group(context: RouteContext): IntegrationGroupSummary {
  const name = param(context, 'group');
  const groups = context.daemon.integrationGroups?.() ?? [];
  const found = groups.find((g) => g.integrationGroupName === name);
  if (found === undefined)
    throw unknownGroup(
      context.daemon.serverName,
      name,
      groups.map((g) => g.integrationGroupName),
    );
  return found;
}

/** Egeria 5 sends a Connection bean; older clients wrap it in a ConnectionRequestBody. */
const connectionShape = z.looseObject({
  endpoint: z.looseObject({ address: z.string().nullish() }).nullish(),
  configurationProperties: z.record(z.string(), z.unknown()).nullish(),
});
type ConnectionShape = z.infer<typeof connectionShape>;
const wrapped = z.looseObject({ class: z.literal('ConnectionRequestBody'), connection: connectionShape });
const connectionBody = z
  .union([wrapped, connectionShape])
  .transform((body): ConnectionShape => {
    const request = wrapped.safeParse(body);
    return request.success ? request.data.connection : body;
  })
  .refine((c) => typeof c.endpoint?.address === 'string' || c.configurationProperties != null, {
    message: 'the connection has neither endpoint.address nor configurationProperties to apply',
  });

async function lineage(context: RouteContext): Promise<{ body: VoidResponse }> {
  let raw: Buffer;
  try {
    raw = await readBody(context.request, context.path);
  } catch (error) {
    // Too large or cut short: refused here in the envelope, and counted like every other malformed event.
    await context.daemon.publishOpenLineageEvent(undefined);
    throw error;
  }
  await context.daemon.publishOpenLineageEvent(raw.toString('utf8'));
  return ok();
}

export const EGERIA5_ROUTES: readonly Route[] = [
  {
    methods: ['POST'],
    pattern: 'integration-connectors/:name/connection',
    responseClass: 'VoidResponse',
    action: 'updateConnectorConnection',
    handle: async (context) => {
      const raw = parseJsonBody(await readBody(context.request, context.path), context.path);
      const connection = validateBody(connectionBody, raw, context.path);
      const name = param(context, 'name');
      if (connection.configurationProperties != null) {
        await context.daemon.updateConfigurationProperties(name, connection.configurationProperties, false);
      }
      if (typeof connection.endpoint?.address === 'string') await context.daemon.updateEndpointAddress(name, connection.endpoint.address);
      return ok();
    },
  },
  {
    methods: ['GET'],
    pattern: 'integration-groups/summary',
    responseClass: 'IntegrationGroupSummariesResponse',
    action: 'getIntegrationGroupSummaries',
    handle: async ({ daemon }) => {
      const body: IntegrationGroupSummariesResponse = {
        class: 'IntegrationGroupSummariesResponse',
        relatedHTTPCode: 200,
        integrationGroupSummaries: daemon.integrationGroups?.() ?? [],
      };
      return { body };
    },
  },
  {
    methods: ['GET'],
    pattern: 'integration-groups/:group/summary',
    responseClass: 'IntegrationGroupSummaryResponse',
    action: 'getIntegrationGroupSummary',
    handle: async (context) => {
      const body: IntegrationGroupSummaryResponse = {
        class: 'IntegrationGroupSummaryResponse',
        relatedHTTPCode: 200,
        integrationGroupSummary: group(context),
      };
      return { body };
    },
  },
  {
    // Egeria exposes it as GET although it makes the daemon reload the group: the viewer role is refused it.
    methods: ['GET'],
    pattern: 'integration-groups/:group/refresh-config',
    responseClass: 'VoidResponse',
    action: 'refreshIntegrationGroupConfig',
    getChanges: true,
    handle: async (context) => {
      const found = group(context);
      await context.daemon.refreshIntegrationGroupConfig?.(found.integrationGroupName);
      return ok();
    },
  },
  {
    methods: ['GET'],
    pattern: 'validate-connector/:providerClass',
    responseClass: 'ConnectorReportResponse',
    action: 'validateConnector',
    handle: async (context) => {
      const body: ConnectorReportResponse = {
        class: 'ConnectorReportResponse',
        relatedHTTPCode: 200,
        connectorReport: context.daemon.validateConnector(param(context, 'providerClass')),
      };
      return { body };
    },
  },
  {
    methods: ['POST'],
    pattern: 'api/v1/lineage',
    responseClass: 'VoidResponse',
    action: 'publishOpenLineageEvent',
    handle: lineage,
  },
  {
    methods: ['POST'],
    pattern: 'publish-open-lineage-event',
    responseClass: 'VoidResponse',
    action: 'publishOpenLineageEvent',
    handle: lineage,
  },
];
