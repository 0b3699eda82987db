// `GET .../status-history?since=ISO`: the daemon's bounded history of connector status changes and metadata server
// outages, oldest first. Its own file so the route list grows by concatenation (routes.ts spreads it in).
import type { StatusHistoryResponse } from '../../../shared/api/types.js';
import { restError } from './errors.js';
import type { Route } from './routes.js';

/** `since` as an ISO-8601 time (or epoch milliseconds); absent means the whole history kept. */
function sinceParameter(query: URLSearchParams): number | undefined {
  const raw = query.get('since');
  if (raw === null || raw === '') return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(value)) {
    throw restError('invalidQuery', ['since', raw, 'it must be an ISO-8601 time (2021-02-02T20:57:50Z) or epoch milliseconds']);
  }
  return value;
}

export const STATUS_HISTORY_ROUTES: readonly Route[] = [
  {
    methods: ['GET'],
    pattern: 'status-history',
    responseClass: 'StatusHistoryResponse',
    action: 'getStatusHistory',
    handle: async ({ daemon, query }) => {
      const body: StatusHistoryResponse = daemon.statusHistory(sinceParameter(query));
      return { body };
    },
  },
];
