// Canonical JSON of element properties: object keys sorted at every level, so the same properties give the same
// text (and fingerprint) whatever order a connector built them in. The text is also what both backends store,
// so one serialization per element serves the hash and the write.
import { hash } from 'node:crypto';
import { InvalidMetadataRequestError } from './types.js';

const NOT_JSON = 'INTEGRATION-DAEMON-METADATA-SERVER-400-003';
const NOT_JSON_ACTION =
  'Give properties as a plain object of strings, finite numbers, booleans, null, arrays and plain objects ' +
  '(Dates are stored as ISO-8601 text); convert other values before sending them.';

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * PostgreSQL text and jsonb cannot hold NUL or half of a surrogate pair (the driver would silently replace it);
 * refusing both on every backend keeps the backends interchangeable.
 */
export function storable(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

export function unstorableReason(text: string): string {
  return text.includes('\u0000') ? 'contains a NUL character' : 'contains half of a UTF-16 surrogate pair';
}

/** Carries the path to the offending value, built while unwinding so the happy path builds no path strings. */
class NotJsonError extends Error {
  readonly path: string[] = [];
  constructor(readonly reason: string) {
    super(reason);
  }
}

function hasToJSON(value: object): value is { toJSON(): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

function serialize(value: unknown, ancestors: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
      if (!storable(value)) throw new NotJsonError(unstorableReason(value));
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new NotJsonError(`is ${value}, which JSON cannot represent`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return undefined;
    case 'bigint':
    case 'function':
    case 'symbol':
      throw new NotJsonError(`is a ${typeof value}`);
    case 'object':
      break;
  }
  if (value === null) return 'null';
  const object = value;
  if (ancestors.has(object)) throw new NotJsonError('refers back to itself (a cycle)');
  if (Array.isArray(object)) {
    ancestors.add(object);
    let text = '[';
    for (let i = 0; i < object.length; i++) {
      try {
        text += `${i === 0 ? '' : ','}${serialize(object[i], ancestors) ?? 'null'}`;
      } catch (error) {
        if (error instanceof NotJsonError) error.path.unshift(`[${i}]`);
        throw error;
      }
    }
    ancestors.delete(object);
    return `${text}]`;
  }
  const prototype: unknown = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    if (hasToJSON(object)) return serialize(object.toJSON(), ancestors);
    const className = (object.constructor as { name?: string } | undefined)?.name ?? 'object';
    throw new NotJsonError(`is a ${className}, not a plain object`);
  }
  ancestors.add(object);
  const record = object as Record<string, unknown>;
  let text = '{';
  for (const key of Object.keys(record).sort()) {
    let member: string | undefined;
    try {
      if (!storable(key)) throw new NotJsonError(`has ${unstorableReason(key).replace('contains ', '')} in its name`);
      member = serialize(record[key], ancestors);
    } catch (error) {
      if (error instanceof NotJsonError) error.path.unshift(`.${key}`);
      throw error;
    }
    if (member !== undefined) text += `${text.length === 1 ? '' : ','}${JSON.stringify(key)}:${member}`;
  }
  ancestors.delete(object);
  return `${text}}`;
}

/**
 * Canonical JSON text of a properties object. Throws InvalidMetadataRequestError naming the offending path when
 * the value is not a plain JSON object (cycles, BigInt, NaN, class instances without toJSON, NUL characters).
 */
export function canonicalJson(properties: unknown, where: string | (() => string) = 'properties'): string {
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
    throw new InvalidMetadataRequestError(NOT_JSON, `${textOf(where)} must be a JSON object.`, NOT_JSON_ACTION);
  }
  if (isFlatSorted(properties)) {
    // JSON.stringify writes a NUL and half of a surrogate pair as \u escapes: text without any `\u` holds neither.
    const text = JSON.stringify(properties);
    if (!text.includes('\\u')) return text;
  }
  try {
    return serialize(properties, new Set()) ?? '{}';
  } catch (error) {
    if (error instanceof NotJsonError) {
      throw new InvalidMetadataRequestError(NOT_JSON, `${textOf(where)}${error.path.join('')} ${error.reason}.`, NOT_JSON_ACTION);
    }
    throw error;
  }
}

/**
 * Callers that check every element of a batch pass where the value came from as a function, so its text is built
 * only for the rare element that is refused (building it for each of 1,000,000 files cost measurable CPU).
 */
export function textOf(where: string | (() => string)): string {
  return typeof where === 'string' ? where : where();
}

/**
 * Most connectors send flat properties built in key order; for those JSON.stringify already gives the canonical
 * text, and checking that costs a fraction of serializing member by member (it matters at 100,000 files).
 */
function isFlatSorted(object: object): boolean {
  if (Object.getPrototypeOf(object) !== Object.prototype) return false;
  let previous = '';
  for (const key in object) {
    if (key < previous) return false;
    previous = key;
    const value = (object as Record<string, unknown>)[key];
    switch (typeof value) {
      case 'number':
        if (!Number.isFinite(value)) return false;
        break;
      case 'string':
      case 'boolean':
        break;
      default:
        if (value !== null) return false;
    }
  }
  return true;
}

/** Equals the SDK's propertiesFingerprint for every properties object the metadata server accepts. */
export function fingerprintOfCanonical(canonical: string): string {
  return hash('sha256', canonical, 'base64url');
}
