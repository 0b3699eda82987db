// Test harness for connectors: a ConnectorContext that records what the connector tells the daemon, an in-memory
// MetadataServerClient for unit tests of reconciliation logic, and an adapter from a real MetadataServer.
import type { RunCounts } from '../../../shared/api/types.js';
import { NODE_SCAN_FILE_SYSTEM, type ScanFileSystem } from '../../../electron/connectors/files/tree-scan.js';
import type { MetadataServer } from '../../../electron/engine/metadata-server/types.js';
import {
  propertiesFingerprint,
  type ConnectorAuditMessage,
  type ConnectorContext,
  type ConnectorInstanceConfig,
  type ElementInput,
  type ElementRelationshipInput,
  type ElementSummary,
  type MetadataServerClient,
  type UpsertOutcome,
} from '../../../electron/connector-sdk/index.js';

export interface StoredElement {
  typeName: string;
  qualifiedName: string;
  properties: Record<string, unknown>;
  archived: boolean;
}

export class MemoryMetadataServerClient implements MetadataServerClient {
  readonly elements = new Map<string, StoredElement>();
  readonly relationships = new Map<string, ElementRelationshipInput>();
  upsertCalls = 0;
  archiveCalls = 0;

  async upsertElements(elements: readonly ElementInput[]): Promise<UpsertOutcome[]> {
    this.upsertCalls++;
    return elements.map((e) => {
      const existing = this.elements.get(e.qualifiedName);
      const stored = { typeName: e.typeName, qualifiedName: e.qualifiedName, properties: structuredClone(e.properties), archived: false };
      this.elements.set(e.qualifiedName, stored);
      if (existing === undefined) return 'created';
      const same =
        !existing.archived &&
        existing.typeName === e.typeName &&
        propertiesFingerprint(existing.properties) === propertiesFingerprint(e.properties);
      return same ? 'unchanged' : 'updated';
    });
  }

  async archiveElements(qualifiedNames: readonly string[]): Promise<number> {
    this.archiveCalls++;
    let n = 0;
    for (const q of qualifiedNames) {
      const e = this.elements.get(q);
      if (e !== undefined && !e.archived) {
        e.archived = true;
        n++;
      }
    }
    return n;
  }

  async listElements(
    filter: { typeName?: string; qualifiedNamePrefix?: string; includeArchived?: boolean } = {},
  ): Promise<ElementSummary[]> {
    return [...this.elements.values()]
      .filter((e) => filter.typeName === undefined || e.typeName === filter.typeName)
      .filter((e) => filter.qualifiedNamePrefix === undefined || e.qualifiedName.startsWith(filter.qualifiedNamePrefix))
      .filter((e) => filter.includeArchived === true || !e.archived)
      .map((e) => ({
        qualifiedName: e.qualifiedName,
        typeName: e.typeName,
        fingerprint: propertiesFingerprint(e.properties),
        archived: e.archived,
      }));
  }

  async upsertRelationships(relationships: readonly ElementRelationshipInput[]): Promise<UpsertOutcome[]> {
    return relationships.map((r) => {
      const key = `${r.typeName}|${r.end1QualifiedName}|${r.end2QualifiedName}`;
      const existed = this.relationships.has(key);
      this.relationships.set(key, r);
      return existed ? 'unchanged' : 'created';
    });
  }

  active(typeName?: string): StoredElement[] {
    return [...this.elements.values()].filter((e) => !e.archived && (typeName === undefined || e.typeName === typeName));
  }

  get(qualifiedName: string): StoredElement | undefined {
    return this.elements.get(qualifiedName);
  }
}

/** The connector-facing view of a real metadata server, scoped to one metadata source (as the daemon scopes it). */
export function metadataServerClient(metadataServer: MetadataServer, metadataSource: string): MetadataServerClient {
  return {
    upsertElements: (elements) => metadataServer.upsertElements(metadataSource, elements),
    archiveElements: (names) => metadataServer.archiveElements(metadataSource, names),
    listElements: (filter) => metadataServer.listElementSummaries(metadataSource, filter),
    upsertRelationships: (relationships) => metadataServer.upsertRelationships(metadataSource, relationships),
  };
}

/**
 * A ConnectorContext that records what the connector tells the daemon. Like the daemon's, its metadata server client
 * counts upsert outcomes (created, updated, unchanged) and archives into the run's counts.
 */
export class RecordingContext implements ConnectorContext {
  readonly metadataServer: MetadataServerClient;
  readonly connectorName: string;
  readonly connectorId: string;
  readonly connectorInstanceId: string;
  readonly audits: ConnectorAuditMessage[] = [];
  readonly objectFailures: { objectKey: string; error: unknown }[] = [];
  readonly objectSuccesses: string[] = [];
  readonly refreshRequests: string[] = [];
  /** How many change runs the connector ran (each runs at once here; the daemon takes turns with refreshes). */
  changeRuns = 0;
  readonly counts: RunCounts = { discovered: 0, created: 0, updated: 0, unchanged: 0, archived: 0, failed: 0 };

  constructor(
    client: MetadataServerClient,
    config: Pick<ConnectorInstanceConfig, 'connectorName' | 'connectorId' | 'connectorInstanceId'>,
  ) {
    this.metadataServer = {
      upsertElements: async (elements) => {
        const outcomes = await client.upsertElements(elements);
        for (const outcome of outcomes) this.counts[outcome]++;
        return outcomes;
      },
      archiveElements: async (names) => {
        const archived = await client.archiveElements(names);
        this.counts.archived += archived;
        return archived;
      },
      listElements: (filter) => client.listElements(filter),
      ...(client.upsertRelationships === undefined ? {} : { upsertRelationships: client.upsertRelationships.bind(client) }),
    };
    this.connectorName = config.connectorName;
    this.connectorId = config.connectorId;
    this.connectorInstanceId = config.connectorInstanceId;
  }

  thirdParty<T>(operation: () => Promise<T>): Promise<T> {
    return operation();
  }

  requestRefresh(reason: string): void {
    this.refreshRequests.push(reason);
  }

  async changeRun(work: (signal: AbortSignal) => Promise<void>): Promise<boolean> {
    this.changeRuns++;
    try {
      await work(new AbortController().signal);
    } catch (error) {
      this.refreshRequests.push(`change run failed: ${String(error)}`);
      return false;
    }
    return true;
  }

  reportObjectFailure(objectKey: string, error: unknown): void {
    this.objectFailures.push({ objectKey, error });
  }

  reportObjectSuccess(objectKey: string): void {
    this.objectSuccesses.push(objectKey);
  }

  count(counts: Partial<RunCounts>): void {
    for (const [key, value] of Object.entries(counts) as [keyof RunCounts, number][]) this.counts[key] += value;
  }

  audit(message: ConnectorAuditMessage): void {
    this.audits.push(message);
  }

  /** The invariant the daemon checks on every run. */
  get countsBalance(): boolean {
    const c = this.counts;
    return c.discovered === c.created + c.updated + c.unchanged + c.failed;
  }

  resetCounts(): void {
    for (const key of Object.keys(this.counts) as (keyof RunCounts)[]) this.counts[key] = 0;
  }
}

export function instanceConfig(overrides: Partial<ConnectorInstanceConfig> = {}): ConnectorInstanceConfig {
  return {
    connectorName: 'TestConnector',
    connectorId: 'test-connector-id',
    connectorInstanceId: 'instance-1',
    configurationProperties: {},
    permittedSynchronization: 'FROM_THIRD_PARTY',
    baseDirectory: process.cwd(),
    ...overrides,
  };
}

export function neverAborted(): AbortSignal {
  return new AbortController().signal;
}

/** Polls until the check passes or the time is up; returns how long it took. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The real file system calls, with a hook run before each directory is read: it may change the tree for real
 * (delete the directory) or throw the error the OS would give a non-root user (EACCES).
 */
export function hookedFileSystem(beforeReaddir: (path: string) => void): ScanFileSystem {
  return {
    ...NODE_SCAN_FILE_SYSTEM,
    readdirSync(path, options) {
      beforeReaddir(path.toString());
      return NODE_SCAN_FILE_SYSTEM.readdirSync(path, options);
    },
  };
}

export function permissionDenied(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), { code: 'EACCES' });
}
