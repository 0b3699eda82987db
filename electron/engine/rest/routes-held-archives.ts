// REST routes of the mass-archive fail-safe: list the held archives, approve one (archive them) or reject it (keep
// them). Concatenated with the other routes where they are matched (routes.ts).
import type { CountResponse, HeldArchivesResponse, VoidResponse } from '../../../shared/api/types.js';
import { parseJsonBody, readBody } from './body.js';
import type { Route, RouteContext } from './routes.js';

async function emptyBody(context: RouteContext): Promise<void> {
  parseJsonBody(await readBody(context.request, context.path), context.path);
}

function connectorName(context: RouteContext): string {
  const name = context.params.name;
  if (name === undefined) throw new Error('route pattern has no :name');
  return name;
}

export const HELD_ARCHIVE_ROUTES: readonly Route[] = [
  {
    methods: ['GET'],
    pattern: 'held-archives',
    responseClass: 'HeldArchivesResponse',
    action: 'getHeldArchives',
    handle: async ({ daemon }) => {
      const body: HeldArchivesResponse = { class: 'HeldArchivesResponse', relatedHTTPCode: 200, heldArchives: daemon.heldArchives() };
      return { body };
    },
  },
  {
    methods: ['POST'],
    pattern: 'integration-connectors/:name/held-archive/approve',
    responseClass: 'CountResponse',
    action: 'approveHeldArchive',
    handle: async (context) => {
      await emptyBody(context);
      const count = await context.daemon.approveHeldArchive(connectorName(context), context.userId);
      const body: CountResponse = { class: 'CountResponse', relatedHTTPCode: 200, count };
      return { body };
    },
  },
  {
    methods: ['POST'],
    pattern: 'integration-connectors/:name/held-archive/reject',
    responseClass: 'VoidResponse',
    action: 'rejectHeldArchive',
    handle: async (context) => {
      await emptyBody(context);
      await context.daemon.rejectHeldArchive(connectorName(context), context.userId);
      const body: VoidResponse = { class: 'VoidResponse', relatedHTTPCode: 200 };
      return { body };
    },
  },
];
