// The ConnectorContext handed to one connector instance. The error source is known from the client a call went
// through: whatever is thrown out of `metadataServer` is the metadata server's, out of `thirdParty(...)` the third party's.
import type { RunCounts } from '../../../shared/api/types.js';
import { MetadataServerUnavailableError, type MetadataServer } from '../metadata-server/types.js';
import type {
  ConnectorAuditMessage,
  ConnectorContext,
  ElementInput,
  ElementRelationshipInput,
  MetadataServerClient,
  UpsertOutcome,
} from '../../connector-sdk/index.js';
import type { ErrorSource } from '../../../shared/api/types.js';
import type { ConcurrencyLimit } from '../metadata-server/concurrency-limit.js';
import type { MetadataServerGate } from './ports.js';
import { errorText } from '../../../shared/api/error-text.js';

const metadataServerErrors = new WeakSet<object>();
const thirdPartyErrors = new WeakSet<object>();

export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(errorText(value));
}

/** The client an error came through; a connector that wraps an error keeps its source via `cause`. */
export function errorSource(error: unknown): ErrorSource {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === 'object'; depth++) {
    if (current instanceof MetadataServerUnavailableError || metadataServerErrors.has(current)) return 'metadataServer';
    if (thirdPartyErrors.has(current)) return 'thirdParty';
    current = (current as { cause?: unknown }).cause;
  }
  return 'connector';
}

export interface ContextHooks {
  /** False once the instance was restarted or shut down: late calls of an abandoned instance are refused. */
  isCurrent(): boolean;
  /** The metadata server client noticed the server is gone (first to notice opens the breaker). */
  metadataServerUnavailable(error: MetadataServerUnavailableError): void;
  counted(counts: Partial<RunCounts>): void;
  requestRefresh(reason: string): void;
  /** Work of a change the connector noticed, run as a run of its own (see ConnectorContext.changeRun). */
  changeRun(work: (signal: AbortSignal) => Promise<void>): Promise<boolean>;
  /** A run is collecting archives: takes these and returns how many, or undefined to archive them at once. */
  archiveRequested(qualifiedNames: readonly string[]): number | undefined;
  /** The metadata server took these elements (created, updated or unchanged). */
  catalogued(qualifiedNames: readonly string[]): void;
  reportObjectFailure(objectKey: string, error: unknown, source: ErrorSource): void;
  reportObjectSuccess(objectKey: string): void;
  audit(message: ConnectorAuditMessage): void;
}

export interface ContextIdentity {
  connectorName: string;
  connectorId: string;
  connectorInstanceId: string;
  /** Where its elements are kept; the connector's id unless it is one of its catalog targets. */
  metadataSource?: string | undefined;
}

export function createConnectorContext(
  identity: ContextIdentity,
  metadataServer: MetadataServer,
  breaker: MetadataServerGate,
  limit: ConcurrencyLimit,
  hooks: ContextHooks,
): ConnectorContext {
  const source = identity.metadataSource ?? identity.connectorId;

  async function throughMetadataServer<T>(call: () => Promise<T>): Promise<T> {
    if (!hooks.isCurrent()) {
      throw new Error(
        `The integration connector ${identity.connectorName} instance ${identity.connectorInstanceId} has been stopped; its call to the metadata server was refused`,
      );
    }
    const failFast = () => {
      const error = new MetadataServerUnavailableError(
        metadataServer.name,
        breaker.status().lastErrorMessage ?? 'it did not answer the last check',
      );
      metadataServerErrors.add(error);
      return error;
    };
    if (breaker.state !== 'CLOSED') throw failFast();
    try {
      return await limit.run(() => {
        // The breaker may have opened while this call waited for its turn.
        if (breaker.state !== 'CLOSED') throw failFast();
        return call();
      });
    } catch (thrown) {
      const error = asError(thrown);
      metadataServerErrors.add(error);
      if (error instanceof MetadataServerUnavailableError) hooks.metadataServerUnavailable(error);
      throw error;
    }
  }

  const metadataServerClient: MetadataServerClient = {
    async upsertElements(elements: readonly ElementInput[]): Promise<UpsertOutcome[]> {
      const outcomes = await throughMetadataServer(() => metadataServer.upsertElements(source, elements));
      hooks.catalogued(elements.map((e) => e.qualifiedName));
      const counts = { created: 0, updated: 0, unchanged: 0 };
      for (const outcome of outcomes) counts[outcome]++;
      hooks.counted(counts);
      return outcomes;
    },
    async archiveElements(qualifiedNames: readonly string[]): Promise<number> {
      const accepted = hooks.isCurrent() ? hooks.archiveRequested(qualifiedNames) : undefined;
      if (accepted !== undefined) return accepted;
      const archived = await throughMetadataServer(() => metadataServer.archiveElements(source, qualifiedNames));
      hooks.counted({ archived });
      return archived;
    },
    listElements(filter) {
      return throughMetadataServer(() => metadataServer.listElementSummaries(source, filter));
    },
    upsertRelationships(relationships: readonly ElementRelationshipInput[]): Promise<UpsertOutcome[]> {
      return throughMetadataServer(() => metadataServer.upsertRelationships(source, relationships));
    },
  };

  return {
    connectorName: identity.connectorName,
    connectorId: identity.connectorId,
    connectorInstanceId: identity.connectorInstanceId,
    metadataServer: metadataServerClient,
    async thirdParty<T>(operation: () => Promise<T>): Promise<T> {
      try {
        return await operation();
      } catch (thrown) {
        const error = asError(thrown);
        // An error that already came through the metadata server client keeps that source.
        if (!metadataServerErrors.has(error)) thirdPartyErrors.add(error);
        throw error;
      }
    },
    requestRefresh(reason: string) {
      if (hooks.isCurrent()) hooks.requestRefresh(reason);
    },
    changeRun(work: (signal: AbortSignal) => Promise<void>) {
      return hooks.isCurrent() ? hooks.changeRun(work) : Promise.resolve(false);
    },
    reportObjectFailure(objectKey: string, error: unknown) {
      if (hooks.isCurrent()) hooks.reportObjectFailure(objectKey, error, errorSource(error));
    },
    reportObjectSuccess(objectKey: string) {
      if (hooks.isCurrent()) hooks.reportObjectSuccess(objectKey);
    },
    count(counts: Partial<RunCounts>) {
      if (hooks.isCurrent()) hooks.counted(counts);
    },
    audit(message: ConnectorAuditMessage) {
      if (hooks.isCurrent()) hooks.audit(message);
    },
  };
}
