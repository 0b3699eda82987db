// REST routes of catalog targets: one connector's targets with their status, and refresh or retry one target now
// without restarting the connector (POST: operator only, like every change). Concatenated with the other routes
// where they are matched (routes.ts).
import type { CatalogTargetsResponse } from '../../../shared/api/catalog-targets.js';
import type { VoidResponse } from '../../../shared/api/types.js';
import { parseJsonBody, readBody } from './body.js';
import type { Route, RouteContext } from './routes.js';

function param(context: RouteContext, name: 'name' | 'target'): string {
  const value = context.params[name];
  if (value === undefined) throw new Error(`route pattern has no :${name}`);
  return value;
}

async function emptyBody(context: RouteContext): Promise<void> {
  parseJsonBody(await readBody(context.request, context.path), context.path);
}

const ok = (): { body: VoidResponse } => ({ body: { class: 'VoidResponse', relatedHTTPCode: 200 } });

export const CATALOG_TARGET_ROUTES: readonly Route[] = [
  {
    methods: ['GET'],
    pattern: 'integration-connectors/:name/catalog-targets',
    responseClass: 'CatalogTargetsResponse',
    action: 'getCatalogTargets',
    handle: async (context) => {
      const connectorName = param(context, 'name');
      const body: CatalogTargetsResponse = {
        class: 'CatalogTargetsResponse',
        relatedHTTPCode: 200,
        connectorName,
        catalogTargets: context.daemon.catalogTargets(connectorName),
      };
      return { body };
    },
  },
  {
    methods: ['POST'],
    pattern: 'integration-connectors/:name/catalog-targets/:target/refresh',
    responseClass: 'VoidResponse',
    action: 'refreshCatalogTarget',
    handle: async (context) => {
      await emptyBody(context);
      await context.daemon.refreshCatalogTarget(param(context, 'name'), param(context, 'target'));
      return ok();
    },
  },
  {
    methods: ['POST'],
    pattern: 'integration-connectors/:name/catalog-targets/:target/retry',
    responseClass: 'VoidResponse',
    action: 'retryCatalogTarget',
    handle: async (context) => {
      await emptyBody(context);
      await context.daemon.retryCatalogTarget(param(context, 'name'), param(context, 'target'));
      return ok();
    },
  },
];
