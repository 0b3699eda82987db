// Checks shared by both backends, so a connector that works against the embedded metadata server behaves the same
// against PostgreSQL. Done by hand rather than with a schema library: this runs for every element of every
// batch and must stay cheap next to the write itself.
import type { ElementInput } from '../../connector-sdk/index.js';
import { canonicalJson, fingerprintOfCanonical, storable, textOf, unstorableReason } from './canonical.js';
import type { ArchivedFilter } from '../../../shared/api/types.js';
import { InvalidMetadataRequestError, type ElementFilter, type ElementQuery, type RelationshipInput } from './types.js';

export interface PreparedElement {
  typeName: string;
  qualifiedName: string;
  /** Canonical JSON of the properties, as stored. */
  properties: string;
  fingerprint: string;
}

export interface PreparedRelationship {
  typeName: string;
  end1QualifiedName: string;
  end2QualifiedName: string;
  properties: string;
  fingerprint: string;
}

export interface PreparedFilter {
  typeName?: string;
  qualifiedNamePrefix?: string;
  /** Exclusive upper bound of the prefix range; absent when no string is greater than every match. */
  qualifiedNamePrefixEnd?: string;
  metadataSource?: string;
  /** Also the metadata sources in [metadataSourcePrefix, metadataSourcePrefixEnd), beside metadataSource. */
  metadataSourcePrefix?: string;
  metadataSourcePrefixEnd?: string;
  /** Kept for the older callers; `archived` decides. */
  includeArchived: boolean;
  archived: ArchivedFilter;
  /** Lower-case text to find in the qualified name or the properties. */
  text?: string;
}

const ARRAY_ACTION = 'Pass an array (possibly empty) of elements.';

/**
 * A qualifiedName and its metadata source together form the key of PostgreSQL's unique index, whose entries must
 * stay under about 2,700 bytes; the limits apply on every backend so a connector behaves the same on each.
 */
export const MAX_QUALIFIED_NAME_BYTES = 2_000;
export const MAX_NAME_BYTES = 200;

function requireName(
  value: unknown,
  messageId: string,
  what: string | (() => string),
  userAction: string,
  maxBytes = MAX_NAME_BYTES,
): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidMetadataRequestError(messageId, `${textOf(what)} is ${describe(value)}; it must be a non-empty string.`, userAction);
  }
  if (!storable(value)) {
    throw new InvalidMetadataRequestError(messageId, `${textOf(what)} ${unstorableReason(value)}.`, userAction);
  }
  // A UTF-16 code unit takes at most 3 bytes in UTF-8, so most names need no byte count at all.
  if (value.length * 3 > maxBytes && Buffer.byteLength(value) > maxBytes) {
    throw new InvalidMetadataRequestError(
      messageId,
      `${textOf(what)} is ${Buffer.byteLength(value)} bytes long in UTF-8; the limit is ${maxBytes}.`,
      userAction,
    );
  }
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return value === '' ? 'empty' : `blank (${JSON.stringify(value)})`;
  return `of type ${value === null ? 'null' : typeof value}`;
}

export function checkMetadataSource(metadataSource: unknown): string {
  return requireName(
    metadataSource,
    'INTEGRATION-DAEMON-METADATA-SERVER-400-004',
    'The metadata source',
    'Call the metadata server with the connector id as metadata source.',
  );
}

/**
 * Checks and serializes `elements[from..to)` (all by default); the result holds that range only. A backend that
 * prepares a large batch a part at a time can write one part while it prepares the next.
 */
export function prepareElements(
  metadataSource: string,
  elements: readonly ElementInput[],
  from = 0,
  to = elements.length,
): PreparedElement[] {
  if (!Array.isArray(elements)) {
    throw new InvalidMetadataRequestError(
      'INTEGRATION-DAEMON-METADATA-SERVER-400-007',
      `The elements from metadata source ${metadataSource} are not an array.`,
      ARRAY_ACTION,
    );
  }
  const prepared: PreparedElement[] = new Array<PreparedElement>(to - from);
  for (let i = from; i < to; i++) {
    const element: unknown = elements[i];
    if (typeof element !== 'object' || element === null) {
      throw new InvalidMetadataRequestError(
        'INTEGRATION-DAEMON-METADATA-SERVER-400-007',
        `The ${batchPlace('element', i, metadataSource)} is not an object.`,
        'Send elements as {typeName, qualifiedName, properties}.',
      );
    }
    const { typeName, qualifiedName, properties } = element as Record<string, unknown>;
    const q = requireName(
      qualifiedName,
      'INTEGRATION-DAEMON-METADATA-SERVER-400-001',
      () => `The qualifiedName of ${batchPlace('element', i, metadataSource)}`,
      'Give every element a non-empty qualifiedName that is unique within its metadata source.',
      MAX_QUALIFIED_NAME_BYTES,
    );
    const t = requireName(
      typeName,
      'INTEGRATION-DAEMON-METADATA-SERVER-400-002',
      () => `The typeName of element ${JSON.stringify(q)}`,
      'Give every element its open metadata type name, for example DataFile.',
    );
    const canonical = canonicalJson(properties, () => `properties of element ${JSON.stringify(q)}`);
    prepared[i - from] = { typeName: t, qualifiedName: q, properties: canonical, fingerprint: fingerprintOfCanonical(canonical) };
  }
  return prepared;
}

// Error texts are built by this (and by arrow functions passed inline) rather than by closures held in locals:
// tsx, which runs the benchmarks, names every such local closure with a defineProperty call per element.
function batchPlace(what: 'element' | 'relationship', i: number, metadataSource: string): string {
  return `${what} ${i} of the batch from metadata source ${metadataSource}`;
}

export function prepareRelationships(metadataSource: string, relationships: readonly RelationshipInput[]): PreparedRelationship[] {
  if (!Array.isArray(relationships)) {
    throw new InvalidMetadataRequestError(
      'INTEGRATION-DAEMON-METADATA-SERVER-400-007',
      `The relationships from metadata source ${metadataSource} are not an array.`,
      'Pass an array (possibly empty) of relationships.',
    );
  }
  const action = 'Give every relationship a typeName and the qualifiedNames of both of its ends.';
  return relationships.map((relationship: unknown, i) => {
    if (typeof relationship !== 'object' || relationship === null) {
      throw new InvalidMetadataRequestError(
        'INTEGRATION-DAEMON-METADATA-SERVER-400-006',
        `The ${batchPlace('relationship', i, metadataSource)} is not an object.`,
        action,
      );
    }
    const r = relationship as Record<string, unknown>;
    const typeName = requireName(
      r.typeName,
      'INTEGRATION-DAEMON-METADATA-SERVER-400-006',
      () => `The typeName of ${batchPlace('relationship', i, metadataSource)}`,
      action,
    );
    const end1QualifiedName = requireName(
      r.end1QualifiedName,
      'INTEGRATION-DAEMON-METADATA-SERVER-400-006',
      () => `The end1QualifiedName of ${batchPlace('relationship', i, metadataSource)}`,
      action,
      MAX_QUALIFIED_NAME_BYTES,
    );
    const end2QualifiedName = requireName(
      r.end2QualifiedName,
      'INTEGRATION-DAEMON-METADATA-SERVER-400-006',
      () => `The end2QualifiedName of ${batchPlace('relationship', i, metadataSource)}`,
      action,
      MAX_QUALIFIED_NAME_BYTES,
    );
    const canonical = canonicalJson(r.properties ?? {}, () => `properties of ${batchPlace('relationship', i, metadataSource)}`);
    return { typeName, end1QualifiedName, end2QualifiedName, properties: canonical, fingerprint: fingerprintOfCanonical(canonical) };
  });
}

export function prepareQualifiedNames(metadataSource: string, qualifiedNames: readonly string[]): string[] {
  if (!Array.isArray(qualifiedNames)) {
    throw new InvalidMetadataRequestError(
      'INTEGRATION-DAEMON-METADATA-SERVER-400-007',
      `The qualifiedNames to archive for metadata source ${metadataSource} are not an array.`,
      'Pass an array of qualifiedNames.',
    );
  }
  return qualifiedNames.map((q: unknown, i) =>
    requireName(
      q,
      'INTEGRATION-DAEMON-METADATA-SERVER-400-001',
      `QualifiedName ${i} to archive for metadata source ${metadataSource}`,
      'Pass the qualifiedNames of elements to archive.',
      MAX_QUALIFIED_NAME_BYTES,
    ),
  );
}

export function checkPaging(query: ElementQuery): { startFrom: number; pageSize: number } {
  const { startFrom, pageSize } = query;
  if (!Number.isSafeInteger(startFrom) || startFrom < 0 || !Number.isSafeInteger(pageSize) || pageSize < 1) {
    throw new InvalidMetadataRequestError(
      'INTEGRATION-DAEMON-METADATA-SERVER-400-005',
      `Paging startFrom=${String(startFrom)} pageSize=${String(pageSize)} is not valid.`,
      'Use a whole startFrom of 0 or more and a whole pageSize of 1 or more.',
    );
  }
  return { startFrom, pageSize };
}

export function prepareFilter(filter: ElementFilter): PreparedFilter {
  for (const field of ['typeName', 'qualifiedNamePrefix', 'metadataSource', 'metadataSourcePrefix', 'text'] as const) {
    const value: unknown = filter[field];
    if (value !== undefined && (typeof value !== 'string' || !storable(value))) {
      throw new InvalidMetadataRequestError(
        'INTEGRATION-DAEMON-METADATA-SERVER-400-009',
        `The ${field} filter ${typeof value === 'string' ? unstorableReason(value) : `is of type ${typeof value}`}.`,
        `Filter by ${field} with a plain string.`,
      );
    }
  }
  const archived = filter.archived ?? (filter.includeArchived === true ? 'include' : 'exclude');
  const prepared: PreparedFilter = { includeArchived: archived !== 'exclude', archived };
  if (filter.text !== undefined && filter.text.trim() !== '') prepared.text = filter.text.trim().toLowerCase();
  if (filter.typeName !== undefined) prepared.typeName = filter.typeName;
  if (filter.metadataSource !== undefined) prepared.metadataSource = filter.metadataSource;
  const sourcePrefix = filter.metadataSource === undefined ? undefined : filter.metadataSourcePrefix;
  const sourcePrefixEnd = sourcePrefix ? prefixUpperBound(sourcePrefix) : undefined;
  if (sourcePrefix && sourcePrefixEnd !== undefined) {
    prepared.metadataSourcePrefix = sourcePrefix;
    prepared.metadataSourcePrefixEnd = sourcePrefixEnd;
  }
  if (filter.qualifiedNamePrefix !== undefined && filter.qualifiedNamePrefix !== '') {
    prepared.qualifiedNamePrefix = filter.qualifiedNamePrefix;
    const end = prefixUpperBound(filter.qualifiedNamePrefix);
    if (end !== undefined) prepared.qualifiedNamePrefixEnd = end;
  }
  return prepared;
}

/**
 * The smallest string greater than every string that starts with `prefix`, in code point order (which is how
 * SQLite's BINARY collation and PostgreSQL's "C" collation compare UTF-8). A range query on the qualifiedName
 * index then matches the prefix exactly, with `%` and `_` as ordinary characters and without scanning past it.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const codePoints = Array.from(prefix, (c) => c.codePointAt(0) ?? 0);
  while (codePoints.length > 0) {
    const last = codePoints.pop() ?? 0;
    if (last < 0x10ffff) {
      // Surrogate code points cannot appear in well-formed text, so the successor of U+D7FF is U+E000.
      const next = last === 0xd7ff ? 0xe000 : last + 1;
      return String.fromCodePoint(...codePoints, next);
    }
  }
  return undefined;
}
