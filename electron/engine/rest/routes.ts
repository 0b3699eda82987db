// The integration daemon's operations: Egeria's paths (seed + 4.x) and our extensions beside them. Each route
// translates HTTP into one DaemonApi call; errors are rendered by the server.
import type { IncomingMessage } from 'node:http';
import {
  ARCHIVED_FILTERS,
  AUDIT_SEVERITIES,
  type ArchivedFilter,
  type AuditLogResponse,
  type AuditSeverity,
  type ConfigurationResponse,
  type CountResponse,
  type MetadataElementsResponse,
  type ObjectRetriesResponse,
  type PropertiesResponse,
  type RunsResponse,
  type VoidResponse,
} from '../../../shared/api/types.js';
import type { DaemonApi } from '../daemon-api.js';
import {
  configurationBody,
  connectorConfigPropertiesBody,
  connectorNameBody,
  objectKeyBody,
  parseJsonBody,
  readBody,
  stringBody,
  validateBody,
} from './body.js';
import { restError } from './errors.js';
import { redactSecrets } from '../../../shared/api/redact.js';
import { CATALOG_TARGET_ROUTES } from './routes-catalog-targets.js';
import { HELD_ARCHIVE_ROUTES } from './routes-held-archives.js';
import { STATUS_HISTORY_ROUTES } from './routes-status-history.js';
import { WORKBENCH_ROUTES } from './routes-workbench.js';
import { EGERIA5_ROUTES, statusJsonForBase } from './routes-egeria5.js';
import { INTEGRATION_GROUP_ROUTES } from './routes-integration-groups.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteContext {
  daemon: DaemonApi;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The path as requested, for messages. */
  path: string;
  request: IncomingMessage;
  /** Who asked: viewers get the configuration without credentials. */
  role: 'operator' | 'viewer';
  /** Which base the request came under: `…/users/{u}/` (seed, 4.x, 5.x) or Egeria's newest without a user segment. */
  base: 'users' | 'token';
  /** The user the request acts as: the path's {userId}, else delegatingUserId, else the token's role. */
  userId: string;
}

export type Reply =
  | { body: unknown }
  /** A JSON body already serialized, in chunks sent as they are (GET /status keeps its text as things change). */
  | { json: readonly Buffer[] }
  | { eventStream: true }
  /**
   * NDJSON: the server writes each value `write` is given as one line, then the result as the last line. Nothing is
   * sent before the first `write`, so a refusal before it is an ordinary error answer; `signal` fires when the
   * client goes away.
   */
  | { lines: (write: (value: unknown) => void, signal: AbortSignal) => Promise<unknown> };

interface RouteBase {
  methods: readonly Method[];
  /** Segments after the base path; `:x` captures, `a|b` accepts either spelling. */
  pattern: string;
  /** Egeria's response class, also used as the `class` of an error envelope from this route. */
  responseClass: string;
  /** Egeria-style operation name, the envelope's actionDescription. */
  action: string;
  /** GET that changes the daemon (the seed's GET restart): the viewer role is refused it like a POST. */
  getChanges?: true;
}

/**
 * An operation either handles a request (awaiting what it needs, as the request's user so the audit records it
 * writes name them) or answers it from what the daemon keeps, in the same turn and writing nothing: the reads asked
 * most often (GET /status) take no promise or per-request user scope.
 */
export type Route = RouteBase &
  ({ handle(context: RouteContext): Promise<Reply>; answer?: never } | { answer(context: RouteContext): Reply; handle?: never });

const ok = (): { body: VoidResponse } => ({ body: { class: 'VoidResponse', relatedHTTPCode: 200 } });

async function jsonBody(context: RouteContext): Promise<unknown> {
  return parseJsonBody(await readBody(context.request, context.path), context.path);
}

function param(context: RouteContext, name: string): string {
  const value = context.params[name];
  if (value === undefined) throw new Error(`route pattern has no :${name}`);
  return value;
}

/**
 * Configuration as anyone may see it: without credentials, for operators too (a token is no way to obtain a
 * password). An operator writing the document back sends the `***` it read; the daemon keeps the secrets it stands for.
 */
function readable(value: unknown): unknown {
  return redactSecrets(value);
}

function integerQuery(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw restError('invalidQuery', [name, raw, `it must be a whole number of at least ${min}`]);
  }
  return Math.min(value, max);
}

function optionalText(query: URLSearchParams, name: string): string | undefined {
  const raw = query.get(name);
  return raw === null || raw === '' ? undefined : raw;
}

function severities(query: URLSearchParams): AuditSeverity[] | undefined {
  const values = query
    .getAll('severity')
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (values.length === 0) return undefined;
  const known = new Map(AUDIT_SEVERITIES.map((s) => [s.toLowerCase(), s]));
  return values.map((value) => {
    const severity = known.get(value.toLowerCase());
    if (severity === undefined) {
      throw restError('invalidQuery', ['severity', value, `it must be one of ${AUDIT_SEVERITIES.join(', ')}`]);
    }
    return severity;
  });
}

function sinceQuery(query: URLSearchParams): number | undefined {
  const raw = optionalText(query, 'since');
  if (raw === undefined) return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(value)) {
    throw restError('invalidQuery', ['since', raw, 'it must be an ISO-8601 time (2021-02-02T20:57:50Z) or epoch milliseconds']);
  }
  return value;
}

/** The catalogue's own filters: `connectorName`, `archived` (exclude, include, only) and `text`. */
function catalogueFilters(query: URLSearchParams): { connectorName?: string; archived?: ArchivedFilter; text?: string } {
  const connectorName = optionalText(query, 'connectorName');
  const archived = optionalText(query, 'archived');
  const text = optionalText(query, 'text');
  if (archived !== undefined && !(ARCHIVED_FILTERS as readonly string[]).includes(archived)) {
    throw restError('invalidQuery', ['archived', archived, `it must be one of ${ARCHIVED_FILTERS.join(', ')}`]);
  }
  if (text !== undefined && text.length > 500)
    throw restError('invalidQuery', ['text', `${text.slice(0, 20)}…`, 'it must be at most 500 characters']);
  return {
    ...(connectorName !== undefined ? { connectorName } : {}),
    ...(archived !== undefined ? { archived: archived as ArchivedFilter } : {}),
    ...(text !== undefined ? { text } : {}),
  };
}

function countQuery(query: URLSearchParams): boolean {
  const raw = optionalText(query, 'count');
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  throw restError('invalidQuery', ['count', raw, 'it must be true or false']);
}

const MAX_AUDIT_RECORDS = 10_000;
const MAX_RUNS = 1_000;

export const ROUTES: readonly Route[] = [
  {
    methods: ['GET'],
    pattern: 'status',
    responseClass: 'IntegrationDaemonStatusResponse',
    action: 'getIntegrationDaemonStatus',
    answer: (context) => ({ json: statusJsonForBase(context) }),
  },
  {
    methods: ['POST'],
    pattern: 'refresh',
    responseClass: 'VoidResponse',
    action: 'refreshAllServices',
    handle: async (context) => {
      await jsonBody(context);
      await context.daemon.refreshAll();
      return ok();
    },
  },
  {
    methods: ['POST'],
    pattern: 'integration-service|integration-services/:marker/refresh',
    responseClass: 'VoidResponse',
    action: 'refreshService',
    handle: async (context) => {
      const name = validateBody(connectorNameBody, await jsonBody(context), context.path);
      await context.daemon.refreshService(param(context, 'marker'), name);
      return ok();
    },
  },
  {
    // The seed documents GET with a body; Egeria's server exposes POST. Both are accepted.
    methods: ['GET', 'POST'],
    pattern: 'integration-service|integration-services/:marker/restart',
    responseClass: 'VoidResponse',
    action: 'restartService',
    getChanges: true,
    handle: async (context) => {
      const name = validateBody(connectorNameBody, await jsonBody(context), context.path);
      await context.daemon.restartService(param(context, 'marker'), name);
      return ok();
    },
  },
  {
    methods: ['POST'],
    pattern: 'integration-connectors/refresh',
    responseClass: 'VoidResponse',
    action: 'refreshConnectors',
    handle: async (context) => {
      const name = validateBody(connectorNameBody, await jsonBody(context), context.path);
      await context.daemon.refreshConnectors(name);
      return ok();
    },
  },
  {
    methods: ['POST'],
    pattern: 'integration-connectors/restart',
    responseClass: 'VoidResponse',
    action: 'restartConnectors',
    handle: async (context) => {
      const name = validateBody(connectorNameBody, await jsonBody(context), context.path);
      await context.daemon.restartConnectors(name);
      return ok();
    },
  },
  {
    methods: ['GET'],
    pattern: 'integration-connectors/:name/configuration-properties',
    responseClass: 'PropertiesResponse',
    action: 'getConfigurationProperties',
    handle: async (context) => {
      const body: PropertiesResponse = {
        class: 'PropertiesResponse',
        relatedHTTPCode: 200,
        properties: readable(context.daemon.getConfigurationProperties(param(context, 'name'))) as Record<string, unknown>,
      };
      return { body };
    },
  },
  {
    methods: ['POST'],
    pattern: 'integration-connectors/configuration-properties',
    responseClass: 'VoidResponse',
    action: 'updateConfigurationProperties',
    handle: async (context) => {
      const body = validateBody(connectorConfigPropertiesBody, await jsonBody(context), context.path);
      await context.daemon.updateConfigurationProperties(
        body.connectorName ?? undefined,
        body.configurationProperties ?? {},
        body.mergeUpdate ?? false,
      );
      return ok();
    },
  },
  {
    methods: ['POST'],
    pattern: 'integration-connectors/:name/endpoint-network-address',
    responseClass: 'VoidResponse',
    action: 'updateEndpointNetworkAddress',
    handle: async (context) => {
      const address = validateBody(stringBody, await jsonBody(context), context.path);
      await context.daemon.updateEndpointAddress(param(context, 'name'), address);
      return ok();
    },
  },
  {
    methods: ['POST'],
    pattern: 'integration-connectors/:name/retry-now',
    responseClass: 'VoidResponse',
    action: 'retryNow',
    handle: async (context) => {
      await jsonBody(context);
      await context.daemon.retryNow(param(context, 'name'));
      return ok();
    },
  },
  {
    methods: ['POST'],
    pattern: 'integration-connectors/:name/object-retries/retry-now',
    responseClass: 'CountResponse',
    action: 'retryObjectsNow',
    handle: async (context) => {
      const objectKey = validateBody(objectKeyBody, await jsonBody(context), context.path);
      const count = await context.daemon.retryObjectsNow(param(context, 'name'), objectKey);
      const body: CountResponse = { class: 'CountResponse', relatedHTTPCode: 200, count };
      return { body };
    },
  },
  {
    methods: ['GET'],
    pattern: 'audit-log',
    responseClass: 'AuditLogResponse',
    action: 'getAuditLog',
    handle: async ({ daemon, query }) => {
      const severity = severities(query);
      const connectorName = optionalText(query, 'connector');
      const since = sinceQuery(query);
      const limit = integerQuery(query, 'limit', 100, 1, MAX_AUDIT_RECORDS);
      const body: AuditLogResponse = {
        class: 'AuditLogResponse',
        relatedHTTPCode: 200,
        records: daemon.auditLog({
          limit,
          ...(severity ? { severity } : {}),
          ...(connectorName !== undefined ? { connectorName } : {}),
          ...(since !== undefined ? { since } : {}),
        }),
      };
      return { body };
    },
  },
  {
    methods: ['GET'],
    pattern: 'events',
    responseClass: 'FFDCResponseBase',
    action: 'getEvents',
    // Answered, not handled: the first request handled as a user turns on Node's promise tracking for the whole
    // process (AsyncLocalStorage, see request-user.ts), and every client opens the event stream first; at 10,000
    // connectors the tracking of start-up's promises and async resources then took about 1.5 s of CPU. The stream
    // writes no audit record.
    answer: () => ({ eventStream: true }),
  },
  {
    methods: ['GET'],
    pattern: 'runs',
    responseClass: 'ConnectorRunsResponse',
    action: 'getRuns',
    handle: async ({ daemon, query }) => {
      const connectorName = optionalText(query, 'connector');
      const limit = integerQuery(query, 'limit', 50, 1, MAX_RUNS);
      const body: RunsResponse = {
        class: 'ConnectorRunsResponse',
        relatedHTTPCode: 200,
        runs: daemon.runs({ limit, ...(connectorName !== undefined ? { connectorName } : {}) }),
      };
      return { body };
    },
  },
  {
    methods: ['GET'],
    pattern: 'metadata-elements',
    responseClass: 'MetadataElementsResponse',
    action: 'findMetadataElements',
    handle: async ({ daemon, query }) => {
      const typeName = optionalText(query, 'typeName');
      const qualifiedNamePrefix = optionalText(query, 'qualifiedNamePrefix');
      const filter = {
        ...(typeName !== undefined ? { typeName } : {}),
        ...(qualifiedNamePrefix !== undefined ? { qualifiedNamePrefix } : {}),
        ...catalogueFilters(query),
      };
      const startFrom = integerQuery(query, 'startFrom', 0, 0, Number.MAX_SAFE_INTEGER);
      // Egeria's convention: pageSize 0 (or absent) means "as many as the server allows".
      const requested = integerQuery(query, 'pageSize', 0, 0, Number.MAX_SAFE_INTEGER);
      const pageSize = requested === 0 ? daemon.maxPageSize : Math.min(requested, daemon.maxPageSize);
      const elements = await daemon.findElements({ startFrom, pageSize, ...filter });
      const totalCount = countQuery(query) ? await daemon.countElements(filter) : undefined;
      const body: MetadataElementsResponse = {
        class: 'MetadataElementsResponse',
        relatedHTTPCode: 200,
        startFrom,
        pageSize,
        elements,
        ...(totalCount !== undefined ? { totalCount } : {}),
      };
      return { body };
    },
  },
  {
    methods: ['GET'],
    pattern: 'object-retries',
    responseClass: 'ObjectRetriesResponse',
    action: 'getObjectRetries',
    handle: async ({ daemon, query }) => {
      const body: ObjectRetriesResponse = {
        class: 'ObjectRetriesResponse',
        relatedHTTPCode: 200,
        objectRetries: daemon.objectRetries(optionalText(query, 'connector')),
      };
      return { body };
    },
  },
  {
    methods: ['GET', 'PUT'],
    pattern: 'configuration',
    responseClass: 'ConfigurationResponse',
    action: 'configuration',
    handle: async (context) => {
      if (context.request.method === 'PUT') {
        const document = validateBody(configurationBody, await jsonBody(context), context.path);
        await context.daemon.replaceConfiguration(document);
      }
      const body: ConfigurationResponse = {
        class: 'ConfigurationResponse',
        relatedHTTPCode: 200,
        configuration: readable(context.daemon.getConfiguration()),
      };
      return { body };
    },
  },
  ...STATUS_HISTORY_ROUTES,
];

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export type MatchResult = { kind: 'match'; match: RouteMatch } | { kind: 'wrongMethod'; allowed: Method[] } | { kind: 'none' };

/** One part of a route's pattern: a parameter to capture, or the spellings the segment may have. */
type PatternPart = { param: string } | { spellings: readonly string[] };

interface CompiledRoute {
  route: Route;
  parts: readonly PatternPart[];
}

/** Every route, split once into its parts and filed by how many segments it has, in the order of the tables. */
const byLength = new Map<number, CompiledRoute[]>();
for (const route of [
  ...ROUTES,
  ...HELD_ARCHIVE_ROUTES,
  ...CATALOG_TARGET_ROUTES,
  ...WORKBENCH_ROUTES,
  ...EGERIA5_ROUTES,
  ...INTEGRATION_GROUP_ROUTES,
]) {
  const parts = route.pattern
    .split('/')
    .map((part): PatternPart => (part.startsWith(':') ? { param: part.slice(1) } : { spellings: part.split('|') }));
  const ofLength = byLength.get(parts.length) ?? [];
  ofLength.push({ route, parts });
  byLength.set(parts.length, ofLength);
}

function fits(parts: readonly PatternPart[], segments: readonly string[]): boolean {
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] as PatternPart;
    const actual = segments[index] as string;
    if ('param' in part ? actual === '' : !part.spellings.includes(actual)) return false;
  }
  return true;
}

/** Matches decoded path segments (after the base) and a method against the routes. */
export function matchRoute(segments: readonly string[], method: string): MatchResult {
  let allowed: Set<Method> | undefined;
  for (const { route, parts } of byLength.get(segments.length) ?? []) {
    if (!fits(parts, segments)) continue;
    if ((route.methods as readonly string[]).includes(method)) {
      const params: Record<string, string> = {};
      parts.forEach((part, index) => {
        if ('param' in part) params[part.param] = segments[index] as string;
      });
      return { kind: 'match', match: { route, params } };
    }
    allowed ??= new Set<Method>();
    for (const m of route.methods) allowed.add(m);
  }
  return allowed !== undefined ? { kind: 'wrongMethod', allowed: [...allowed] } : { kind: 'none' };
}
