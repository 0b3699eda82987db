// The client's calls for the operator's workbench: the providers a daemon offers, connection tests (streamed step
// by step as NDJSON), adding, changing and removing one connector, and the archives the fail-safe held back. Kept
// apart from client.ts, which supplies the three primitives below, so each file stays readable.
import { z } from 'zod';
import type {
  ArchivedFilter,
  ConnectorProviderDescription,
  ConnectorProvidersResponse,
  ConnectorTestResponse,
  ConnectorTestStep,
  HeldArchive,
  MetadataElement,
} from '../api/types.js';
import type { CatalogTargetReport } from '../api/catalog-targets.js';
import type { ConnectorSaveResult } from '../console-backend.js';
import { abortedError, DaemonClientError, networkError, protocolError } from './errors.js';
import { IntegrationGroupCalls } from './integration-groups.js';
import { lazily } from '../logic/lazily.js';

export interface ElementsQuery {
  typeName?: string | undefined;
  qualifiedNamePrefix?: string | undefined;
  connectorName?: string | undefined;
  /** Archived elements: left out (the default), included, or the only ones. */
  archived?: ArchivedFilter | undefined;
  /** In the qualified name and the property values. */
  text?: string | undefined;
  startFrom?: number | undefined;
  pageSize?: number | undefined;
  /** Ask for `totalCount`, all elements matching the filter. */
  count?: boolean | undefined;
}

export interface ElementsPage {
  startFrom: number;
  pageSize: number;
  elements: MetadataElement[];
  totalCount?: number | undefined;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** Platform-level path instead of one under the daemon base. */
  absolutePath?: boolean;
}

/** A POST answered either as a stream of lines (the daemon streams) or as one JSON body already checked. */
export type StreamAnswer =
  { kind: 'lines'; target: string; body: ReadableStream<Uint8Array> } | { kind: 'json'; target: string; json: unknown };

export interface ConnectorTestOptions {
  /** Called with each step as the daemon completes it (all at once at the end from a daemon that does not stream). */
  onStep?: ((step: ConnectorTestStep) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** The daemon's time limit for the whole test (default 30 s, at most 120 s). */
  timeoutMs?: number | undefined;
}

/** Built on first use (see lazily). */
const schemas = lazily(() => {
  const record = z.record(z.string(), z.unknown());
  const stepSchema = z.looseObject({
    name: z.string(),
    status: z.enum(['PASSED', 'FAILED', 'SKIPPED']),
    message: z.string(),
    messageId: z.string().optional(),
    userAction: z.string().optional(),
    durationMs: z.number(),
  });
  const testResponseSchema = z.looseObject({
    class: z.literal('ConnectorTestResponse'),
    relatedHTTPCode: z.number(),
    connectorName: z.string(),
    providerName: z.string(),
    passed: z.boolean(),
    steps: z.array(stepSchema),
  });
  const providersSchema = z.looseObject({ providers: z.array(record) });
  const voidSchema = z.looseObject({});
  const heldArchivesSchema = z.looseObject({ heldArchives: z.array(record) });
  const countSchema = z.looseObject({ count: z.number() });
  const catalogTargetsSchema = z.looseObject({
    catalogTargets: z.array(z.looseObject({ catalogTargetName: z.string(), catalogTargetStatus: z.string() })),
  });
  const entryResponseSchema = z.looseObject({ connector: record });
  return {
    stepSchema,
    testResponseSchema,
    providersSchema,
    voidSchema,
    heldArchivesSchema,
    countSchema,
    catalogTargetsSchema,
    entryResponseSchema,
  };
});

export abstract class WorkbenchCalls extends IntegrationGroupCalls {
  /** A POST asking for `application/x-ndjson`; refusals are thrown as in `call`. */
  protected abstract postForLines(path: string, body: unknown, signal?: AbortSignal): Promise<StreamAnswer>;

  /** `GET .../connector-providers`: what each provider declares (endpoint, configuration properties, test steps). */
  async listProviders(signal?: AbortSignal): Promise<ConnectorProviderDescription[]> {
    const body = await this.call('/connector-providers', schemas().providersSchema, signal ? { signal } : {});
    return (body as unknown as ConnectorProvidersResponse).providers;
  }

  /** Tests a configured connector's connection step by step, without starting anything. */
  testConnector(connectorName: string, options: ConnectorTestOptions = {}): Promise<ConnectorTestResponse> {
    const path = `/integration-connectors/${this.segment(connectorName, 'connector name')}/test`;
    return this.runTest(path, {}, options);
  }

  /** Tests a connector entry that is not saved yet (as it would be written under `urlMarker`'s connectors). */
  testConnectorEntry(
    urlMarker: string,
    connector: Record<string, unknown>,
    options: ConnectorTestOptions = {},
  ): Promise<ConnectorTestResponse> {
    return this.runTest('/connector-test', { class: 'ConnectorTestRequest', urlMarker, connector }, options);
  }

  /** Adds a connector to an integration service and starts it; a refusal carries `envelope.problems`. */
  async addConnector(urlMarker: string, connector: Record<string, unknown>): Promise<void> {
    await this.call(
      `/integration-services/${this.segment(urlMarker, 'integration service marker')}/integration-connectors`,
      schemas().voidSchema,
      {
        method: 'POST',
        body: { class: 'ConnectorEntryRequest', connector },
      },
    );
  }

  /** A connector's entry as configured, secrets shown as `***` (sending it back unchanged keeps them). */
  async connectorEntry(connectorName: string): Promise<Record<string, unknown>> {
    const path = `/integration-connectors/${this.segment(connectorName, 'connector name')}/configuration`;
    return (await this.call(path, schemas().entryResponseSchema)).connector;
  }

  /** Replaces a connector's entry and restarts only it. */
  async updateConnector(connectorName: string, connector: Record<string, unknown>): Promise<void> {
    await this.call(`/integration-connectors/${this.segment(connectorName, 'connector name')}/configuration`, schemas().voidSchema, {
      method: 'PUT',
      body: { class: 'ConnectorEntryRequest', connector },
    });
  }

  /** Stops a connector and removes it from the configuration document. */
  async removeConnector(connectorName: string): Promise<void> {
    await this.call(`/integration-connectors/${this.segment(connectorName, 'connector name')}`, schemas().voidSchema, { method: 'DELETE' });
  }

  private async runTest(path: string, body: unknown, options: ConnectorTestOptions): Promise<ConnectorTestResponse> {
    const limited = options.timeoutMs === undefined ? path : `${path}?timeoutMs=${Math.round(options.timeoutMs)}`;
    const answer = await this.postForLines(limited, body, options.signal);
    if (answer.kind === 'json') {
      const response = parseTestResponse(answer.target, answer.json);
      for (const step of response.steps) options.onStep?.(step);
      return response;
    }
    let final: ConnectorTestResponse | undefined;
    const onLine = (line: string): void => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw protocolError(answer.target, 200, 'a line of the test stream is not JSON');
      }
      if (typeof json === 'object' && json !== null && (json as { class?: unknown }).class === 'ConnectorTestResponse') {
        final = parseTestResponse(answer.target, json);
        return;
      }
      const step = schemas().stepSchema.safeParse(json);
      if (!step.success) throw protocolError(answer.target, 200, 'a line of the test stream is not a test step');
      options.onStep?.(step.data);
    };
    try {
      await readLines(answer.body, onLine);
    } catch (error) {
      if (error instanceof DaemonClientError) throw error;
      if (options.signal?.aborted) throw abortedError(answer.target);
      throw networkError(answer.target, error, false);
    }
    if (final === undefined) throw protocolError(answer.target, 200, 'the test stream ended before its result');
    return final;
  }

  /** Archives held by the mass-archive fail-safe, each waiting for approve or reject. */
  async heldArchives(): Promise<HeldArchive[]> {
    return (await this.call('/held-archives', schemas().heldArchivesSchema)).heldArchives as unknown as HeldArchive[];
  }

  /** Archives what the connector's run (or its catalog target's) held back; returns how many elements were archived. */
  async approveHeldArchive(connectorName: string, catalogTargetName?: string): Promise<number> {
    const path = `${this.heldArchivePath(connectorName, catalogTargetName)}/approve`;
    return (await this.call(path, schemas().countSchema, { method: 'POST' })).count;
  }

  /** Keeps the elements the connector's run (or its catalog target's) would have archived. */
  async rejectHeldArchive(connectorName: string, catalogTargetName?: string): Promise<void> {
    await this.call(`${this.heldArchivePath(connectorName, catalogTargetName)}/reject`, schemas().voidSchema, { method: 'POST' });
  }

  private heldArchivePath(connectorName: string, catalogTargetName: string | undefined): string {
    const connector = `/integration-connectors/${this.segment(connectorName, 'connector name')}`;
    return catalogTargetName === undefined
      ? `${connector}/held-archive`
      : `${connector}/catalog-targets/${this.segment(catalogTargetName, 'catalog target name')}/held-archive`;
  }

  /** A connector's catalog targets (its directories, its schemas), each with its status, last run and error. */
  async catalogTargets(connectorName: string): Promise<CatalogTargetReport[]> {
    const path = `/integration-connectors/${this.segment(connectorName, 'connector name')}/catalog-targets`;
    return (await this.call(path, schemas().catalogTargetsSchema)).catalogTargets as unknown as CatalogTargetReport[];
  }

  /** Refreshes one catalog target now (`refresh`), or retries a failed one now (`retry`), without restarting the connector. */
  async catalogTargetAction(connectorName: string, catalogTargetName: string, action: 'refresh' | 'retry'): Promise<void> {
    const connector = this.segment(connectorName, 'connector name');
    const target = this.segment(catalogTargetName, 'catalog target name');
    await this.call(`/integration-connectors/${connector}/catalog-targets/${target}/${action}`, schemas().voidSchema, { method: 'POST' });
  }
}

function parseTestResponse(target: string, json: unknown): ConnectorTestResponse {
  const parsed = schemas().testResponseSchema.safeParse(json);
  if (!parsed.success) throw protocolError(target, 200, 'the answer is not a ConnectorTestResponse');
  return parsed.data;
}

/** Calls `onLine` with each non-empty line of a UTF-8 stream. */
async function readLines(body: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffered = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
      const lines = buffered.split('\n');
      buffered = done ? '' : (lines.pop() ?? '');
      for (const line of lines) if (line.trim() !== '') onLine(line);
      if (done) return;
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
}

/**
 * Runs an add, change or remove of a connector: a refusal the operator can fix (HTTP 400/404/409 with a message
 * id) resolves with its problems instead of rejecting, so the form shows each next to its field.
 */
export async function connectorSaveResult(operation: () => Promise<void>): Promise<ConnectorSaveResult> {
  try {
    await operation();
    return { saved: true };
  } catch (error) {
    const refusal = error instanceof DaemonClientError && error.kind === 'http' && [400, 404, 409].includes(error.httpStatus ?? 0);
    if (!refusal) throw error;
    return {
      saved: false,
      messageId: error.messageId,
      message: error.message,
      userAction: error.userAction,
      problems: error.envelope?.problems ?? [],
    };
  }
}
