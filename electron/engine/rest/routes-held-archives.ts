// REST routes of the mass-archive fail-safe: list the held archives, approve one (archive them) or reject it (keep
// them), a connector's own or one of its catalog targets'. Concatenated with the other routes where they are
// matched (routes.ts).
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

/** The catalog target of the path, when it names one. */
const targetOf = (context: RouteContext): string | undefined => context.params.target;

async function approve(context: RouteContext): Promise<{ body: CountResponse }> {
  await emptyBody(context);
  const count = await context.daemon.approveHeldArchive(connectorName(context), context.userId, targetOf(context));
  return { body: { class: 'CountResponse', relatedHTTPCode: 200, count } };
}

async function reject(context: RouteContext): Promise<{ body: VoidResponse }> {
  await emptyBody(context);
  await context.daemon.rejectHeldArchive(connectorName(context), context.userId, targetOf(context));
  return { body: { class: 'VoidResponse', relatedHTTPCode: 200 } };
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
    handle: approve,
  },
  {
    methods: ['POST'],
    pattern: 'integration-connectors/:name/held-archive/reject',
    responseClass: 'VoidResponse',
    action: 'rejectHeldArchive',
    handle: reject,
  },
  {
    methods: ['POST'],
    pattern: 'integration-connectors/:name/catalog-targets/:target/held-archive/approve',
    responseClass: 'CountResponse',
    action: 'approveHeldArchive',
    handle: approve,
  },
  {
    methods: ['POST'],
    pattern: 'integration-connectors/:name/catalog-targets/:target/held-archive/reject',
    responseClass: 'VoidResponse',
    action: 'rejectHeldArchive',
    handle: reject,
  },
];
