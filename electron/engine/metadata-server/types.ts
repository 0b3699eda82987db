// The metadata server behind one interface: SQLite (embedded default) and PostgreSQL.
// "Metadata server unavailable" means a call here failed with MetadataServerUnavailableError.
import type { ArchivedFilter, MetadataElement } from '../../../shared/api/types.js';
import type { ElementInput, ElementSummary, UpsertOutcome } from '../../connector-sdk/index.js';
import type { IntegrationGroupStore } from './integration-groups.js';

/** Which elements a catalogue query selects. */
export interface ElementFilter {
  typeName?: string | undefined;
  qualifiedNamePrefix?: string | undefined;
  metadataSource?: string | undefined;
  /** With metadataSource: also the sources starting with this (a connector's catalog targets keep their elements apart). */
  metadataSourcePrefix?: string | undefined;
  /** Archived elements are left out unless asked for (`includeArchived` is the older spelling of 'include'). */
  includeArchived?: boolean | undefined;
  archived?: ArchivedFilter | undefined;
  /** Case-insensitive text in the qualified name or the property values. */
  text?: string | undefined;
}

export interface ElementQuery extends ElementFilter {
  startFrom: number;
  pageSize: number;
}

export interface RelationshipInput {
  typeName: string;
  end1QualifiedName: string;
  end2QualifiedName: string;
  properties?: Record<string, unknown>;
}

/** The catalogue connectors write to, and the integration groups daemons run (integration-groups.ts). */
export interface MetadataServer extends IntegrationGroupStore {
  /** The configured metadata server name (`metadataServer.name`), used in messages such as OMAG-MULTI-TENANT-404-001. */
  readonly name: string;
  readonly kind: 'embedded' | 'postgres';
  /**
   * How many calls it serves at once (SQLite has one writer, PostgreSQL its pool size); more would only queue
   * inside it. The daemon lets no more connector calls through at a time.
   */
  readonly connections: number;
  /** Opens connections and creates the schema if absent. Throws MetadataServerUnavailableError when unreachable. */
  open(): Promise<void>;
  close(): Promise<void>;
  /** Cheap read-only round trip; the circuit breaker's probe. */
  ping(): Promise<void>;
  /** Idempotent by (metadataSource, qualifiedName): re-sending the same element is `unchanged` and never duplicates. */
  upsertElements(metadataSource: string, elements: readonly ElementInput[]): Promise<UpsertOutcome[]>;
  /** Marks elements archived (kept, with archived=true); returns how many changed. */
  archiveElements(metadataSource: string, qualifiedNames: readonly string[]): Promise<number>;
  listElementSummaries(
    metadataSource: string,
    filter?: { typeName?: string; qualifiedNamePrefix?: string; includeArchived?: boolean },
  ): Promise<ElementSummary[]>;
  findElements(query: ElementQuery): Promise<MetadataElement[]>;
  /** How many elements the filter selects (the catalogue's total). */
  countElements(filter: ElementFilter): Promise<number>;
  /** Live (not archived) elements per metadata source, for the given sources (all when absent). */
  countLiveElements(metadataSources?: readonly string[]): Promise<Map<string, number>>;
  upsertRelationships(metadataSource: string, relationships: readonly RelationshipInput[]): Promise<UpsertOutcome[]>;
}

/** Raised by a MetadataServer when it cannot be reached (connection refused, timeout, closed pool). */
export class MetadataServerUnavailableError extends Error {
  readonly metadataServerName: string;
  constructor(metadataServerName: string, detail: string, cause?: unknown) {
    super(`The metadata server ${metadataServerName} is not available: ${detail}`, cause === undefined ? undefined : { cause });
    this.name = 'MetadataServerUnavailableError';
    this.metadataServerName = metadataServerName;
  }
}

/** `metadataServer` in the configuration document. Relative `path` is resolved against the config file's directory. */
export type MetadataServerConfig =
  { name: string; kind: 'embedded'; path: string } | { name: string; kind: 'postgres'; connectionString: string };

/**
 * Raised when a call to the metadata server is malformed (empty qualifiedName, properties that are not JSON, bad paging).
 * Retrying the same call cannot succeed: the caller (normally a connector) has to change what it sends.
 */
export class InvalidMetadataRequestError extends Error {
  /** Egeria-style id, e.g. `INTEGRATION-DAEMON-METADATA-SERVER-400-001`. */
  readonly messageId: string;
  readonly userAction: string;
  constructor(messageId: string, text: string, userAction: string) {
    super(`${messageId} ${text}`);
    this.name = 'InvalidMetadataRequestError';
    this.messageId = messageId;
    this.userAction = userAction;
  }
}

/** A stored relationship, as read back by the backends' `listRelationships`. */
export interface MetadataRelationship {
  guid: string;
  typeName: string;
  metadataSource: string;
  end1QualifiedName: string;
  end2QualifiedName: string;
  properties: Record<string, unknown>;
  createTime: string;
  updateTime: string;
  version: number;
}
