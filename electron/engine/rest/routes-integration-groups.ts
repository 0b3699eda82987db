// REST routes of integration group definitions (our extension beside Egeria 5's integration-groups/summary and
// refresh-config in routes-egeria5.ts): list, read, create, replace and delete a group, and add or remove one of
// its connectors. Writes are for operators (the server refuses viewers); connector entries come back redacted.
// Concatenated after Egeria's routes, so `integration-groups/summary` keeps its meaning.
import { z } from 'zod';
import type {
  IntegrationGroupDefinition,
  IntegrationGroupDefinitionResponse,
  IntegrationGroupDefinitionsResponse,
} from '../../../shared/api/integration-groups.js';
import type { VoidResponse } from '../../../shared/api/types.js';
import { redactSecrets } from '../../../shared/api/redact.js';
import { groupNameSchema } from '../config/schema.js';
import { DaemonRequestError, type DaemonApi, type IntegrationGroupAdmin } from '../daemon-api.js';
import { parseJsonBody, readBody, validateBody } from './body.js';
import type { Route, RouteContext } from './routes.js';

const MAX_GROUP_CONNECTORS = 1_000;
const connectorEntry = z.record(z.string(), z.unknown(), { error: 'a connector entry must be a JSON object' });
const description = z.string().max(2_000).optional();
const connectors = z.array(connectorEntry).max(MAX_GROUP_CONNECTORS);

const createBody = z.strictObject({ groupName: groupNameSchema, description, connectors: connectors.default([]) });
const updateBody = z.strictObject({
  description,
  connectors,
  /** The version read: the change is refused if the group changed since. */
  version: z.int().min(1).optional(),
});

/** The daemon's group admin, or the refusal of a daemon that keeps no groups. */
function groupAdmin(daemon: DaemonApi): IntegrationGroupAdmin {
  const admin = daemon.integrationGroupAdmin;
  if (admin !== undefined) return admin;
  throw new DaemonRequestError(
    404,
    'INTEGRATION-DAEMON-GROUPS-404-004',
    `Integration daemon ${daemon.serverName} keeps no integration group definitions`,
    [daemon.serverName],
    'The request is rejected; nothing is changed.',
    'Send the request to an integration daemon with a metadata server.',
  );
}

function param(context: RouteContext, name: string): string {
  const value = context.params[name];
  if (value === undefined) throw new Error(`route pattern has no :${name}`);
  return value;
}

async function body(context: RouteContext): Promise<unknown> {
  return parseJsonBody(await readBody(context.request, context.path), context.path);
}

/** Connector entries as anyone may see them: without credentials, as the configuration is shown. */
function readable(group: IntegrationGroupDefinition): IntegrationGroupDefinition {
  return { ...group, connectors: redactSecrets(group.connectors) as Record<string, unknown>[] };
}

function one(group: IntegrationGroupDefinition): { body: IntegrationGroupDefinitionResponse } {
  return { body: { class: 'IntegrationGroupDefinitionResponse', relatedHTTPCode: 200, integrationGroup: readable(group) } };
}

export const INTEGRATION_GROUP_ROUTES: readonly Route[] = [
  {
    methods: ['GET'],
    pattern: 'integration-groups',
    responseClass: 'IntegrationGroupDefinitionsResponse',
    action: 'getIntegrationGroupDefinitions',
    handle: async ({ daemon }) => {
      const groups = await groupAdmin(daemon).list();
      const response: IntegrationGroupDefinitionsResponse = {
        class: 'IntegrationGroupDefinitionsResponse',
        relatedHTTPCode: 200,
        integrationGroups: groups.map(readable),
      };
      return { body: response };
    },
  },
  {
    methods: ['POST'],
    pattern: 'integration-groups',
    responseClass: 'IntegrationGroupDefinitionResponse',
    action: 'createIntegrationGroup',
    handle: async (context) => {
      const sent = validateBody(createBody, await body(context), context.path);
      return one(
        await groupAdmin(context.daemon).create(sent.groupName, {
          description: sent.description,
          connectors: sent.connectors,
        }),
      );
    },
  },
  {
    methods: ['GET'],
    pattern: 'integration-groups/:group',
    responseClass: 'IntegrationGroupDefinitionResponse',
    action: 'getIntegrationGroupDefinition',
    handle: async (context) => one(await groupAdmin(context.daemon).get(param(context, 'group'))),
  },
  {
    methods: ['PUT'],
    pattern: 'integration-groups/:group',
    responseClass: 'IntegrationGroupDefinitionResponse',
    action: 'updateIntegrationGroup',
    handle: async (context) => {
      const sent = validateBody(updateBody, await body(context), context.path);
      const content = { description: sent.description, connectors: sent.connectors };
      return one(await groupAdmin(context.daemon).update(param(context, 'group'), content, sent.version));
    },
  },
  {
    methods: ['DELETE'],
    pattern: 'integration-groups/:group',
    responseClass: 'VoidResponse',
    action: 'deleteIntegrationGroup',
    handle: async (context) => {
      await body(context);
      await groupAdmin(context.daemon).delete(param(context, 'group'));
      const response: VoidResponse = { class: 'VoidResponse', relatedHTTPCode: 200 };
      return { body: response };
    },
  },
  {
    methods: ['POST'],
    pattern: 'integration-groups/:group/connectors',
    responseClass: 'IntegrationGroupDefinitionResponse',
    action: 'addIntegrationGroupConnector',
    handle: async (context) => {
      const entry = validateBody(connectorEntry, await body(context), context.path);
      return one(await groupAdmin(context.daemon).addConnector(param(context, 'group'), entry));
    },
  },
  {
    methods: ['DELETE'],
    pattern: 'integration-groups/:group/connectors/:name',
    responseClass: 'IntegrationGroupDefinitionResponse',
    action: 'removeIntegrationGroupConnector',
    handle: async (context) => {
      await body(context);
      return one(await groupAdmin(context.daemon).removeConnector(param(context, 'group'), param(context, 'name')));
    },
  },
];
