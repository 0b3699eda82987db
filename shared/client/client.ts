// The one client of the daemon's REST + SSE API, used by the CLI, the Electron main process and the browser
// console. Only global fetch: no Node-only and no DOM-only imports.
import { z } from 'zod';
import {
  API_BASE,
  AUDIT_SEVERITIES,
  HEALTH_PATH,
  REGISTERED_SERVICES_PATH,
  ROLE_HEADER,
  TOKEN_ROLES,
  type TokenRole,
  type AuditRecord,
  type AuditSeverity,
  type ConnectorRun,
  type DaemonEvent,
  type FFDCErrorResponse,
  type HealthResponse,
  type IntegrationDaemonStatusResponse,
  type MetadataElement,
  type StatusHistoryResponse,
  type ObjectRetry,
  type RegisteredOMAGService,
} from '../api/types.js';
import { abortedError, DaemonClientError, networkError, protocolError, requireHeaderSafeToken, requireWellFormed } from './errors.js';
import { envelopeSchema, type Envelope } from './envelope.js';
import { normalizeStatus, StatusShapeError } from './normalize.js';
import { currentAuditRecord, currentObjectRetry } from './previous-version.js';
import { KNOWN_EVENTS, orderedEvents } from './daemon-events.js';
import { lazily } from '../logic/lazily.js';
import { readEventStream } from './sse.js';
import { WorkbenchCalls, type ElementsPage, type ElementsQuery, type RequestOptions, type StreamAnswer } from './workbench.js';

export type { ElementsPage, ElementsQuery } from './workbench.js';

export interface DaemonClientOptions {
  /** Platform root, e.g. http://127.0.0.1:9443 */
  url: string;
  serverName: string;
  userId: string;
  /** Bearer token (operator or viewer). */
  token?: string;
  /** Defaults to the global fetch; injectable for Electron's net.fetch or tests. */
  fetch?: typeof fetch;
  /** Per-call time limit for ordinary calls (not the event stream); default 30 s. */
  timeoutMs?: number;
  /** `users` (default): `…/integration-daemon/users/{userId}`; `token`: Egeria's newest base, the token names the user. */
  base?: 'users' | 'token';
}

export interface AuditLogQuery {
  severity?: AuditSeverity[] | undefined;
  connectorName?: string | undefined;
  /** ISO-8601 or epoch ms. */
  since?: string | number;
  limit?: number;
}

export interface SubscribeOptions {
  /** Called whenever bytes arrive, heartbeats included. */
  onActivity?: () => void;
}

// Response shapes are checked at the edge only as far as callers depend on them; extra fields pass through. Built
// on first use (see lazily).
const schemas = lazily(() => {
  const record = z.record(z.string(), z.unknown());
  const list = z.array(record);
  return {
    void: z.looseObject({}),
    health: z.looseObject({ status: z.literal('UP'), serverName: z.string() }),
    services: z.looseObject({ services: list }),
    properties: z.looseObject({ properties: record.nullish() }),
    count: z.looseObject({ count: z.number() }),
    audit: z.looseObject({ records: list }),
    runs: z.looseObject({ runs: list }),
    statusHistory: z.looseObject({ since: z.string(), changes: list, metadataServerOutages: list }),
    elements: z.looseObject({ startFrom: z.number(), pageSize: z.number(), elements: list, totalCount: z.number().optional() }),
    retries: z.looseObject({ objectRetries: list }),
    configuration: z.looseObject({ configuration: z.unknown() }),
  };
});

export class DaemonClient extends WorkbenchCalls {
  readonly url: string;
  readonly serverName: string;
  readonly userId: string;
  private readonly token: string | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  readonly base: 'users' | 'token';
  private tokenRole: TokenRole | undefined;

  constructor(options: DaemonClientOptions) {
    super();
    this.url = options.url.replace(/\/+$/, '');
    this.serverName = requireWellFormed(options.serverName, 'server name', this.url);
    this.userId = requireWellFormed(options.userId, 'user id', this.url);
    this.token = options.token;
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.base = options.base ?? 'users';
  }

  /**
   * The role the daemon named for this client's token on its last authenticated answer; undefined until then, and
   * for daemons that do not say (Egeria, or ours before roles were announced).
   */
  get role(): TokenRole | undefined {
    return this.tokenRole;
  }

  /** False only when the daemon said the token is a viewer's: a daemon that does not say is not second-guessed. */
  get mayChange(): boolean {
    return this.tokenRole !== 'viewer';
  }

  /** Remembers the role an answer names; an answer without one (health, a refused token) leaves it as it was. */
  private noteRole(response: Response): void {
    const named = response.headers.get(ROLE_HEADER);
    const role = TOKEN_ROLES.find((r) => r === named);
    if (role !== undefined) this.tokenRole = role;
  }

  /** One percent-encoded path segment; text that cannot be encoded is refused before anything is sent. */
  protected segment(text: string, what: string): string {
    return encodeURIComponent(requireWellFormed(text, what, this.url));
  }

  /** Where the daemon-level operations live. */
  get baseUrl(): string {
    const users = API_BASE(this.serverName, this.userId);
    return `${this.url}${this.base === 'users' ? users : users.slice(0, users.lastIndexOf('/users/'))}`;
  }

  private headers(target: string, extra: Record<string, string> = {}): Record<string, string> {
    if (this.token !== undefined) requireHeaderSafeToken(this.token, target);
    return { Accept: 'application/json', ...(this.token !== undefined ? { Authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  private target(path: string, options: RequestOptions): string {
    const url = new URL(options.absolutePath ? `${this.url}${path}` : `${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  /** One call: network errors, error statuses, Egeria's HTTP-200 errors and bad shapes all become DaemonClientError. */
  protected async call<S extends z.ZodType>(path: string, schema: S, options: RequestOptions = {}): Promise<z.infer<S>> {
    const target = this.target(path, options);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const headers = this.headers(target, options.body !== undefined ? { 'Content-Type': 'application/json' } : {});
    let response: Response;
    try {
      response = await this.fetchImpl(target, {
        method: options.method ?? 'GET',
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw abortedError(target);
      throw networkError(target, error, timeout.aborted);
    }
    this.noteRole(response);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (options.signal?.aborted) throw abortedError(target);
      throw networkError(target, error, timeout.aborted);
    }
    const json = this.checkedJson(target, response, text);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw protocolError(
        target,
        response.status,
        parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
      );
    }
    return parsed.data;
  }

  /** A JSON answer, or the DaemonClientError its status (or Egeria's relatedHTTPCode) says. */
  private checkedJson(target: string, response: Response, text: string): unknown {
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      if (!response.ok) throw this.statusError(target, response.status, undefined);
      throw protocolError(target, response.status, 'the body is not JSON');
    }
    const envelope = envelopeSchema().safeParse(json);
    const related = envelope.success ? envelope.data.relatedHTTPCode : undefined;
    if (!response.ok || (related !== undefined && related >= 400)) {
      throw this.statusError(
        target,
        related !== undefined && related >= 400 ? related : response.status,
        envelope.success ? envelope.data : undefined,
      );
    }
    return json;
  }

  protected async postForLines(path: string, body: unknown, signal?: AbortSignal): Promise<StreamAnswer> {
    const target = this.target(path, {});
    const headers = this.headers(target, { Accept: 'application/x-ndjson, application/json', 'Content-Type': 'application/json' });
    try {
      const response = await this.fetchImpl(target, { method: 'POST', headers, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
      this.noteRole(response);
      if (response.ok && response.body !== null && (response.headers.get('content-type') ?? '').startsWith('application/x-ndjson')) {
        return { kind: 'lines', target, body: response.body };
      }
      return { kind: 'json', target, json: this.checkedJson(target, response, await response.text()) };
    } catch (error) {
      if (error instanceof DaemonClientError) throw error;
      if (signal?.aborted) throw abortedError(target);
      throw networkError(target, error, false);
    }
  }

  private statusError(url: string, status: number, envelope: Envelope | undefined): DaemonClientError {
    if (envelope?.exceptionErrorMessageId !== undefined) {
      const full: FFDCErrorResponse = {
        class: envelope.class ?? 'FFDCResponseBase',
        relatedHTTPCode: envelope.relatedHTTPCode,
        exceptionClassName: envelope.exceptionClassName ?? '',
        actionDescription: envelope.actionDescription ?? '',
        exceptionErrorMessage: envelope.exceptionErrorMessage ?? envelope.exceptionErrorMessageId,
        exceptionErrorMessageId: envelope.exceptionErrorMessageId,
        exceptionErrorMessageParameters: envelope.exceptionErrorMessageParameters ?? [],
        exceptionSystemAction: envelope.exceptionSystemAction ?? '',
        exceptionUserAction: envelope.exceptionUserAction ?? '',
        ...(envelope.exceptionProperties ? { exceptionProperties: envelope.exceptionProperties } : {}),
        ...(envelope.problems ? { problems: envelope.problems } : {}),
      };
      return new DaemonClientError(
        'http',
        full.exceptionErrorMessageId,
        full.exceptionErrorMessage,
        full.exceptionUserAction,
        url,
        status,
        full,
        full.exceptionSystemAction,
      );
    }
    const id = `INTEGRATION-DAEMON-CLIENT-${status}-001`;
    return new DaemonClientError(
      'http',
      id,
      `${id} The daemon at ${url} answered HTTP ${status} without an error description`,
      status === 404
        ? 'Check the URL, server name and user id; a daemon without this operation (an older Egeria) also answers 404.'
        : 'Check the daemon log for the cause.',
      url,
      status,
    );
  }

  // ---- Egeria operations -------------------------------------------------------------------------------------

  async health(signal?: AbortSignal): Promise<HealthResponse> {
    const body = await this.call(HEALTH_PATH, schemas().health, { absolutePath: true, ...(signal ? { signal } : {}) });
    return { status: body.status, serverName: body.serverName };
  }

  async status(signal?: AbortSignal): Promise<IntegrationDaemonStatusResponse> {
    const target = `${this.baseUrl}/status`;
    const body = await this.call('/status', z.unknown(), signal ? { signal } : {});
    try {
      return normalizeStatus(body);
    } catch (error) {
      if (error instanceof StatusShapeError) throw protocolError(target, 200, error.problems);
      throw error;
    }
  }

  async registeredServices(): Promise<RegisteredOMAGService[]> {
    const body = await this.call(REGISTERED_SERVICES_PATH(this.userId), schemas().services, { absolutePath: true });
    return body.services as unknown as RegisteredOMAGService[];
  }

  async refreshAll(): Promise<void> {
    await this.call('/refresh', schemas().void, { method: 'POST' });
  }

  async refreshService(urlMarker: string, connectorName?: string): Promise<void> {
    await this.call(`/integration-services/${this.segment(urlMarker, 'integration service marker')}/refresh`, schemas().void, {
      method: 'POST',
      body: nameBody(connectorName),
    });
  }

  async restartService(urlMarker: string, connectorName?: string): Promise<void> {
    await this.call(`/integration-services/${this.segment(urlMarker, 'integration service marker')}/restart`, schemas().void, {
      method: 'POST',
      body: nameBody(connectorName),
    });
  }

  /** Egeria 4.x: by connector name across the daemon; no name = all connectors. */
  async refreshConnectors(connectorName?: string): Promise<void> {
    await this.call('/integration-connectors/refresh', schemas().void, { method: 'POST', body: nameBody(connectorName) });
  }

  async restartConnectors(connectorName?: string): Promise<void> {
    await this.call('/integration-connectors/restart', schemas().void, { method: 'POST', body: nameBody(connectorName) });
  }

  async getConfigurationProperties(connectorName: string): Promise<Record<string, unknown>> {
    const body = await this.call(
      `/integration-connectors/${this.segment(connectorName, 'connector name')}/configuration-properties`,
      schemas().properties,
    );
    return body.properties ?? {};
  }

  /** connectorName absent = every connector; mergeUpdate false replaces the properties. */
  async updateConfigurationProperties(request: {
    connectorName?: string;
    mergeUpdate: boolean;
    configurationProperties: Record<string, unknown>;
  }): Promise<void> {
    await this.call('/integration-connectors/configuration-properties', schemas().void, {
      method: 'POST',
      body: { class: 'ConnectorConfigPropertiesRequestBody', ...request },
    });
  }

  async updateEndpointAddress(connectorName: string, address: string): Promise<void> {
    await this.call(`/integration-connectors/${this.segment(connectorName, 'connector name')}/endpoint-network-address`, schemas().void, {
      method: 'POST',
      body: { class: 'StringRequestBody', string: address },
    });
  }

  // ---- our extensions ----------------------------------------------------------------------------------------

  async retryNow(connectorName: string): Promise<void> {
    await this.call(`/integration-connectors/${this.segment(connectorName, 'connector name')}/retry-now`, schemas().void, {
      method: 'POST',
    });
  }

  async auditLog(query: AuditLogQuery = {}, signal?: AbortSignal): Promise<AuditRecord[]> {
    for (const severity of query.severity ?? []) {
      if (!(AUDIT_SEVERITIES as readonly string[]).includes(severity)) throw new RangeError(`Unknown audit severity ${severity}`);
    }
    const body = await this.call('/audit-log', schemas().audit, {
      query: {
        severity: query.severity?.join(','),
        connector: query.connectorName,
        since: query.since,
        limit: query.limit,
      },
      ...(signal ? { signal } : {}),
    });
    return body.records.map(currentAuditRecord);
  }

  async runs(query: { connectorName?: string | undefined; limit?: number | undefined } = {}): Promise<ConnectorRun[]> {
    const body = await this.call('/runs', schemas().runs, { query: { connector: query.connectorName, limit: query.limit } });
    return body.runs as unknown as ConnectorRun[];
  }

  /** Status changes and metadata server outages since `since` (ISO-8601; the whole bounded history when absent). */
  async statusHistory(since?: string): Promise<StatusHistoryResponse> {
    const body = await this.call('/status-history', schemas().statusHistory, { query: { since } });
    return body as unknown as StatusHistoryResponse;
  }

  async findElements(query: ElementsQuery = {}, signal?: AbortSignal): Promise<ElementsPage> {
    const { count, ...filters } = query;
    const body = await this.call('/metadata-elements', schemas().elements, {
      query: { ...filters, ...(count ? { count: 'true' } : {}) },
      ...(signal ? { signal } : {}),
    });
    return {
      startFrom: body.startFrom,
      pageSize: body.pageSize,
      elements: body.elements as unknown as MetadataElement[],
      ...(body.totalCount !== undefined ? { totalCount: body.totalCount } : {}),
    };
  }

  /** Every element matching the query, page after page (a short page ends it). */
  async *allElements(query: Omit<ElementsQuery, 'startFrom'> = {}): AsyncGenerator<MetadataElement> {
    let startFrom = 0;
    for (;;) {
      const page = await this.findElements({ ...query, startFrom });
      yield* page.elements;
      if (page.elements.length < page.pageSize || page.elements.length === 0) return;
      startFrom += page.elements.length;
    }
  }

  async objectRetries(connectorName?: string): Promise<ObjectRetry[]> {
    const body = await this.call('/object-retries', schemas().retries, { query: { connector: connectorName } });
    return body.objectRetries.map(currentObjectRetry);
  }

  /** Returns how many object retries were started. */
  async retryObjectsNow(connectorName: string, objectKey?: string): Promise<number> {
    const body = await this.call(
      `/integration-connectors/${this.segment(connectorName, 'connector name')}/object-retries/retry-now`,
      schemas().count,
      {
        method: 'POST',
        ...(objectKey !== undefined ? { body: { objectKey } } : {}),
      },
    );
    return body.count;
  }

  async getConfiguration(): Promise<unknown> {
    return (await this.call('/configuration', schemas().configuration)).configuration;
  }

  async replaceConfiguration(document: unknown): Promise<unknown> {
    return (await this.call('/configuration', schemas().configuration, { method: 'PUT', body: document })).configuration;
  }

  /**
   * Reads the event stream until it ends (resolves), fails (rejects with a DaemonClientError) or `signal` aborts
   * (resolves). A daemon without an event stream (a real Egeria) rejects with kind 'http' and httpStatus 404.
   */
  async subscribe(onEvent: (event: DaemonEvent) => void, signal: AbortSignal, options: SubscribeOptions = {}): Promise<void> {
    const target = `${this.baseUrl}/events`;
    // Aborted from inside when the stream carries something that is not a daemon event.
    const inner = new AbortController();
    const headers = this.headers(target, { Accept: 'text/event-stream' });
    let response: Response;
    try {
      response = await this.fetchImpl(target, {
        headers,
        signal: AbortSignal.any([signal, inner.signal]),
      });
    } catch (error) {
      if (signal.aborted) return;
      throw networkError(target, error, false);
    }
    this.noteRole(response);
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let envelope: Envelope | undefined;
      try {
        const parsed = envelopeSchema().safeParse(JSON.parse(text));
        envelope = parsed.success ? parsed.data : undefined;
      } catch {
        envelope = undefined;
      }
      throw this.statusError(target, response.status, envelope);
    }
    if (response.body === null || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      await response.body?.cancel();
      throw protocolError(target, response.status, 'the answer is not an event stream');
    }
    let failure: DaemonClientError | undefined;
    const deliver = (name: string, event: DaemonEvent | undefined) => {
      if (failure !== undefined) return;
      if (event === undefined) {
        failure = protocolError(target, 200, `event ${name} is not valid JSON of a daemon event`);
        inner.abort();
        return;
      }
      onEvent(event);
    };
    const events = orderedEvents(deliver);
    try {
      await readEventStream(response.body, {
        onActivity: () => options.onActivity?.(),
        onMessage: (message) => {
          if (failure === undefined && KNOWN_EVENTS.has(message.event)) events.read(message.event, message.data);
        },
      });
      await events.drained();
    } catch (error) {
      if (failure !== undefined) throw failure;
      if (signal.aborted) return;
      throw networkError(target, error, false);
    }
    if (failure !== undefined) throw failure;
  }
}

function nameBody(connectorName: string | undefined): { class: 'NameRequestBody'; name: string } | undefined {
  return connectorName === undefined ? undefined : { class: 'NameRequestBody', name: connectorName };
}
