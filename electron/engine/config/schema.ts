// The configuration document: its zod schema (unknown keys are errors, so a typo never passes silently), the
// typed result the daemon runs from, and validation that lists every problem with its JSON path and the fix.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import {
  AUDIT_SEVERITIES,
  ERROR_CATEGORIES,
  ERROR_SCOPES,
  ERROR_SOURCES,
  PERMITTED_SYNCHRONIZATIONS,
  type PermittedSynchronization,
} from '../../../shared/api/types.js';
import type { AuditDestinationConfig } from '../audit/destinations.js';
import { ProviderResolutionError, type ProviderRegistry } from '../providers.js';
import { errorHandlingSchema } from '../recovery/strategy.js';
import type { ErrorHandlingEntry } from '../recovery/types.js';
import type { MetadataServerConfig } from '../repository/types.js';
import type { ConfigProblem as ConnectorConfigProblem } from '../../connector-sdk/index.js';
import { findService, serviceURLMarkers, wrongKindMessage } from '../services.js';
import { didYouMean } from './suggest.js';
import { errorText } from '../../../shared/logic/error-text.js';

// ------------------------------------------------------------------------------------------- result types

export interface ConnectorTimeouts {
  /** Milliseconds each lifecycle call may take before it is abandoned and its abort signal fires. */
  initialize: number;
  start: number;
  refresh: number;
  disconnect: number;
}

export interface ConnectorConfig {
  connectorName: string;
  /** As configured, or derived from serverName + urlMarker + connectorName (stable across restarts). */
  connectorId: string;
  connectorProvider: string;
  endpointAddress?: string;
  /** Minutes between refreshes; 0 = only at start and on request. Fractions allowed. */
  refreshTimeInterval: number;
  permittedSynchronization: PermittedSynchronization;
  configurationProperties: Record<string, unknown>;
  /** Absent = the built-in defaults of the recovery engine. */
  errorHandling?: ErrorHandlingEntry[];
  timeouts: ConnectorTimeouts;
}

export interface IntegrationServiceConfig {
  urlMarker: string;
  defaultPermittedSynchronization: PermittedSynchronization;
  connectors: ConnectorConfig[];
}

export interface DaemonConfig {
  serverName: string;
  localServerUserId: string;
  maxPageSize: number;
  metadataServer: MetadataServerConfig;
  auditLog: { destinations: AuditDestinationConfig[] };
  integrationServices: IntegrationServiceConfig[];
}

/** A problem in the document: where (JSON path), what is wrong, how to fix it, and its message id. */
export interface ConfigProblem extends ConnectorConfigProblem {
  messageId: string;
}

export type ValidationResult =
  { ok: true; config: DaemonConfig; warnings: ConfigProblem[] } | { ok: false; problems: ConfigProblem[]; warnings: ConfigProblem[] };

export interface ValidateOptions {
  providers: ProviderRegistry;
  /** Directory relative module paths of `connectorProvider` resolve against (the config file's directory). */
  baseDirectory?: string;
}

// ------------------------------------------------------------------------------------------- message ids

/** INTEGRATION-DAEMON-CONFIG-400-xxx: one id per kind of problem so operators and tests can tell them apart. */
export const CONFIG_MESSAGE_IDS = {
  notAnObject: 'INTEGRATION-DAEMON-CONFIG-400-001',
  unknownKey: 'INTEGRATION-DAEMON-CONFIG-400-002',
  missing: 'INTEGRATION-DAEMON-CONFIG-400-003',
  wrongType: 'INTEGRATION-DAEMON-CONFIG-400-004',
  invalidValue: 'INTEGRATION-DAEMON-CONFIG-400-005',
  unknownService: 'INTEGRATION-DAEMON-CONFIG-400-010',
  duplicateConnectorName: 'INTEGRATION-DAEMON-CONFIG-400-011',
  duplicateConnectorId: 'INTEGRATION-DAEMON-CONFIG-400-012',
  unknownProvider: 'INTEGRATION-DAEMON-CONFIG-400-013',
  providerProblem: 'INTEGRATION-DAEMON-CONFIG-400-014',
  duplicateService: 'INTEGRATION-DAEMON-CONFIG-400-015',
  providerModuleMissing: 'INTEGRATION-DAEMON-CONFIG-400-016',
  providerModuleInvalid: 'INTEGRATION-DAEMON-CONFIG-400-017',
  duplicateMemoryDestination: 'INTEGRATION-DAEMON-CONFIG-400-018',
  tooDeep: 'INTEGRATION-DAEMON-CONFIG-400-019',
  fileMissing: 'INTEGRATION-DAEMON-CONFIG-400-030',
  malformedJson: 'INTEGRATION-DAEMON-CONFIG-400-031',
  unreadable: 'INTEGRATION-DAEMON-CONFIG-400-032',
  noMemoryDestination: 'INTEGRATION-DAEMON-CONFIG-400-040',
  noServices: 'INTEGRATION-DAEMON-CONFIG-400-041',
  noConnectors: 'INTEGRATION-DAEMON-CONFIG-400-042',
} as const;

// ------------------------------------------------------------------------------------------- schema

/** setTimeout's ceiling; longer delays would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;
const MAX_REFRESH_MINUTES = Math.floor(MAX_TIMER_MS / 60_000);

export const DEFAULT_TIMEOUTS: ConnectorTimeouts = Object.freeze({
  initialize: 30_000,
  start: 30_000,
  refresh: 600_000,
  disconnect: 10_000,
});
export const DEFAULT_REFRESH_MINUTES = 60;
export const DEFAULT_MAX_PAGE_SIZE = 1000;
export const DEFAULT_MEMORY_CAPACITY = 10_000;
export const DEFAULT_JSONL_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_JSONL_MAX_FILES = 5;

const severities = z.array(z.enum(AUDIT_SEVERITIES)).optional();
const timeoutMs = (name: keyof ConnectorTimeouts) => z.int().min(1).max(MAX_TIMER_MS).default(DEFAULT_TIMEOUTS[name]);
const connectorSchema = z.strictObject({
  connectorName: z.string().trim().min(1),
  connectorId: z.string().trim().min(1).optional(),
  connectorProvider: z.string().trim().min(1),
  endpointAddress: z.string().optional(),
  refreshTimeInterval: z.number().min(0).max(MAX_REFRESH_MINUTES).default(DEFAULT_REFRESH_MINUTES),
  permittedSynchronization: z.enum(PERMITTED_SYNCHRONIZATIONS).optional(),
  configurationProperties: z.record(z.string(), z.unknown()).default({}),
  errorHandling: errorHandlingSchema.optional(),
  timeouts: z
    .strictObject({
      initialize: timeoutMs('initialize'),
      start: timeoutMs('start'),
      refresh: timeoutMs('refresh'),
      disconnect: timeoutMs('disconnect'),
    })
    .prefault({}),
});

const serviceSchema = z.strictObject({
  urlMarker: z.string().min(1),
  defaultPermittedSynchronization: z.enum(PERMITTED_SYNCHRONIZATIONS).optional(),
  connectors: z.array(connectorSchema).default([]),
});

const destinationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('console'), severities }),
  z.strictObject({
    kind: z.literal('jsonl'),
    path: z.string().min(1),
    maxBytes: z.int().min(1024).default(DEFAULT_JSONL_MAX_BYTES),
    maxFiles: z.int().min(0).max(1000).default(DEFAULT_JSONL_MAX_FILES),
    severities,
  }),
  z.strictObject({ kind: z.literal('memory'), capacity: z.int().min(1).max(10_000_000).default(DEFAULT_MEMORY_CAPACITY), severities }),
]);

const metadataServerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ name: z.string().min(1).optional(), kind: z.literal('embedded'), path: z.string().min(1) }),
  z.strictObject({ name: z.string().min(1).optional(), kind: z.literal('postgres'), connectionString: z.string().min(1) }),
]);

/** Server names appear in URLs and console lines: no spaces or slashes. */
const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const configDocumentSchema = z.strictObject({
  $schema: z.string().optional(),
  serverName: z.string().regex(SERVER_NAME),
  localServerUserId: z.string().min(1).optional(),
  maxPageSize: z.int().min(1).max(100_000).default(DEFAULT_MAX_PAGE_SIZE),
  metadataServer: metadataServerSchema.optional(),
  auditLog: z
    .strictObject({
      destinations: z.array(destinationSchema).default([{ kind: 'console' }, { kind: 'memory', capacity: DEFAULT_MEMORY_CAPACITY }]),
    })
    .prefault({}),
  integrationServices: z.array(serviceSchema).default([]),
});

export type ConfigDocument = z.input<typeof configDocumentSchema>;

let jsonSchemaCache: Record<string, unknown> | undefined;
/** JSON Schema of the document (input side), e.g. for editors; also where "did you mean" finds allowed keys. */
export function configJsonSchema(): Record<string, unknown> {
  jsonSchemaCache ??= z.toJSONSchema(configDocumentSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return jsonSchemaCache;
}

// ------------------------------------------------------------------------------------------- connector ids

/** RFC 4122 name-based (v5) namespace of this daemon's connector ids. */
const CONNECTOR_ID_NAMESPACE = '23f59b19-1e5f-471b-9e97-33ba45536653';

/** Deterministic UUID v5 of serverName + urlMarker + connectorName: the same connector keeps its id across restarts. */
export function connectorIdFor(serverName: string, urlMarker: string, connectorName: string): string {
  const namespace = Buffer.from(CONNECTOR_ID_NAMESPACE.replace(/-/g, ''), 'hex');
  const name = Buffer.from(JSON.stringify([serverName, urlMarker, connectorName]), 'utf8');
  const hash = createHash('sha1').update(namespace).update(name).digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

// ------------------------------------------------------------------------------------------- paths

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      out += /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? (out === '' ? key : `.${key}`) : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** Deeper than any real configuration; copying and writing the document recurse, so deeper is a problem. */
export const MAX_CONFIG_DEPTH = 64;

/** The path of the first object or list nested deeper than `limit`, found without recursion; undefined if none. */
function tooDeepAt(doc: unknown, limit: number): PropertyKey[] | undefined {
  const pending: Array<{ value: unknown; path: PropertyKey[] }> = [{ value: doc, path: [] }];
  while (pending.length > 0) {
    const { value, path } = pending.pop() as { value: unknown; path: PropertyKey[] };
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= limit) return path;
    for (const [key, child] of Object.entries(value))
      pending.push({ value: child, path: [...path, Array.isArray(value) ? Number(key) : key] });
  }
  return undefined;
}

function valueAt(doc: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current: unknown = doc;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment as string];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  return `${typeof value} ${errorText(value)}`;
}

type JsonSchemaNode = {
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  allOf?: JsonSchemaNode[];
  additionalProperties?: unknown;
};

/** Keys the schema allows at `path` (every branch of a union), for "did you mean". */
function allowedKeysAt(path: ReadonlyArray<PropertyKey>): string[] {
  let nodes: JsonSchemaNode[] = [configJsonSchema()];
  const expand = (list: JsonSchemaNode[]): JsonSchemaNode[] =>
    list.flatMap((n) => [n, ...expand([...(n.anyOf ?? []), ...(n.oneOf ?? []), ...(n.allOf ?? [])])]);
  for (const segment of path) {
    nodes = expand(nodes).flatMap((n) => {
      if (typeof segment === 'number') return n.items ? [n.items] : [];
      const child = n.properties?.[String(segment)];
      return child ? [child] : [];
    });
  }
  return [...new Set(expand(nodes).flatMap((n) => Object.keys(n.properties ?? {})))];
}

// ------------------------------------------------------------------------------------------- fixes

/** How to fix a bad value, per field name; the generic text covers the rest. */
const FIELD_FIXES: Record<string, string> = {
  serverName:
    'Set serverName to the daemon\'s name: letters, digits, ".", "_" or "-", starting with a letter or digit, e.g. "exchangeDL01".',
  localServerUserId: 'Set localServerUserId to the user id the daemon acts as, e.g. "exchangeDL01npa".',
  maxPageSize: 'Set maxPageSize to a whole number between 1 and 100000, e.g. 1000.',
  connectorName: 'Give every connector a connectorName, unique across the daemon, e.g. "OakDeneLandingAreaFilesMonitor".',
  connectorId: 'Remove connectorId to have a stable one generated, or give a non-empty text such as a UUID.',
  connectorProvider:
    'Set connectorProvider to a built-in provider name, an Egeria provider class name, or the path of a module that exports a provider.',
  endpointAddress: 'Set endpointAddress to the text address of the third party technology (a directory, a connection string, a URL).',
  refreshTimeInterval: `Set refreshTimeInterval to the minutes between refreshes, a number from 0 to ${MAX_REFRESH_MINUTES} (fractions allowed); 0 refreshes only at start-up and on request.`,
  permittedSynchronization: `Set it to one of ${PERMITTED_SYNCHRONIZATIONS.join(', ')}, or leave it out to use the integration service's default.`,
  defaultPermittedSynchronization: `Set it to one of ${PERMITTED_SYNCHRONIZATIONS.join(', ')}, or leave it out to use the integration service's own default.`,
  configurationProperties: 'Set configurationProperties to an object of property names and values, e.g. {"waitForDirectory": true}.',
  errorHandling:
    'Set errorHandling to a list of {"situation": {...}, "reaction": {...}} entries, or leave it out for the built-in defaults.',
  timeouts: 'Set timeouts to an object with any of initialize, start, refresh, disconnect in milliseconds.',
  initialize: `Set the timeout to whole milliseconds between 1 and ${MAX_TIMER_MS}, e.g. 30000.`,
  start: `Set the timeout to whole milliseconds between 1 and ${MAX_TIMER_MS}, e.g. 30000.`,
  refresh: `Set the timeout to whole milliseconds between 1 and ${MAX_TIMER_MS}, e.g. 600000.`,
  disconnect: `Set the timeout to whole milliseconds between 1 and ${MAX_TIMER_MS}, e.g. 10000.`,
  urlMarker: `Set urlMarker to one of ${serviceURLMarkers().join(', ')}.`,
  connectors: 'Set connectors to a list of connector objects.',
  integrationServices: 'Set integrationServices to a list of {"urlMarker": ..., "connectors": [...]} objects.',
  metadataServer:
    'Set metadataServer to {"kind": "embedded", "path": "metadata.db"} or {"kind": "postgres", "connectionString": "postgres://..."}, or leave it out for the embedded default.',
  path: "Set path to a file path; relative paths are resolved against the configuration file's directory.",
  connectionString: 'Set connectionString to a PostgreSQL URL such as "postgres://user:password@host:5432/database".',
  destinations:
    'Set destinations to a list of {"kind": "console"}, {"kind": "jsonl", "path": ...} or {"kind": "memory", "capacity": ...} objects.',
  maxBytes: 'Set maxBytes to a whole number of bytes, at least 1024, e.g. 10485760 (10 MiB).',
  maxFiles: 'Set maxFiles to the number of rotated files to keep, a whole number from 0 to 1000, e.g. 5.',
  capacity: 'Set capacity to the number of records to keep in memory, a whole number from 1 to 10000000, e.g. 10000.',
  severities: `List severities from ${AUDIT_SEVERITIES.join(', ')}; an empty list or none means all.`,
  initialInterval: 'Give an ISO-8601 duration such as "PT30M" (30 minutes) or "PT10S".',
  nextInterval: 'Give an ISO-8601 duration such as "PT1H".',
  maxInterval: 'Give an ISO-8601 duration such as "PT6H".',
  retryLimit: 'Give a whole number of retries ≥ 0, or leave retryLimit out for unlimited.',
  stopAfter: 'Give a whole number ≥ 1, or leave stopAfter out.',
  multiplier: 'Give a number ≥ 1, e.g. 2 (1 = the same interval every time).',
  jitter: 'Give a number between 0 and 1, e.g. 0.2.',
  errorSource: `List error sources from ${ERROR_SOURCES.join(', ')}, e.g. ["thirdParty"].`,
  errorCategory: `List error categories from ${ERROR_CATEGORIES.join(', ')}, e.g. ["network", "timeout"].`,
  scope: `List scopes from ${ERROR_SCOPES.join(', ')}, e.g. ["object"].`,
  status: 'List operation statuses from PARTIAL_ERROR, FATAL_ERROR.',
  situation: 'Give a situation such as {"errorSource": ["thirdParty"]}, or leave it out to match every failure.',
  ignore: 'Write {"ignore": {}} (or true).',
  stop: 'Write {"stop": {}} (or true).',
  reaction: 'Give exactly one of {"ignore": {}}, {"stop": {}} or {"retryLater": {"initialInterval": "PT30M"}}.',
};

function fixFor(path: ReadonlyArray<PropertyKey>, fallback: string): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const segment = path[i];
    if (typeof segment === 'string' && FIELD_FIXES[segment]) return FIELD_FIXES[segment];
  }
  return fallback;
}

// ------------------------------------------------------------------------------------------- zod issues

const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too small|Too big|Unrecognized key)/;

function problemsFromIssues(doc: unknown, issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = issue.path;
    const value = valueAt(doc, path);
    const custom = ZOD_DEFAULT_MESSAGE.test(issue.message) ? undefined : sentence(issue.message);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = allowedKeysAt(path);
        for (const key of issue.keys) {
          const suggestion = didYouMean(key, allowed);
          problems.push({
            messageId: CONFIG_MESSAGE_IDS.unknownKey,
            path: formatPath([...path, key]),
            message: `"${key}" is not a known setting here${suggestion ? `; did you mean "${suggestion}"?` : '.'}`,
            fix: suggestion
              ? `Rename "${key}" to "${suggestion}".`
              : `Remove "${key}". Allowed here: ${allowed.filter((k) => k !== '$schema').join(', ')}.`,
          });
        }
        break;
      }
      case 'invalid_type': {
        const missing = value === undefined;
        problems.push({
          messageId: missing ? CONFIG_MESSAGE_IDS.missing : CONFIG_MESSAGE_IDS.wrongType,
          path: formatPath(path),
          message: missing ? 'is required but missing.' : (custom ?? `must be ${article(issue.expected)}, not ${describeValue(value)}.`),
          fix: fixFor(path, `Give ${article(issue.expected)} value.`),
        });
        break;
      }
      case 'invalid_union': {
        const options = (issue as { options?: unknown[] }).options;
        problems.push({
          messageId: value === undefined ? CONFIG_MESSAGE_IDS.missing : CONFIG_MESSAGE_IDS.invalidValue,
          path: formatPath(path),
          message: options
            ? `must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}, not ${describeValue(value)}.`
            : (custom ?? `is not in any of the accepted forms: ${describeValue(value)}.`),
          fix: fixFor(options ? path.slice(0, -1) : path, 'Use one of the forms described in the documentation.'),
        });
        break;
      }
      case 'invalid_value':
        problems.push({
          messageId: CONFIG_MESSAGE_IDS.invalidValue,
          path: formatPath(path),
          message: custom ?? `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, not ${describeValue(value)}.`,
          fix: fixFor(path, `Use one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`),
        });
        break;
      case 'too_small':
      case 'too_big': {
        const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
        const word =
          issue.origin === 'string' || issue.origin === 'array'
            ? issue.code === 'too_small'
              ? Number(bound) <= 1
                ? 'must not be empty'
                : `must have at least ${bound} ${issue.origin === 'string' ? 'characters' : 'entries'}`
              : `must have at most ${bound} ${issue.origin === 'string' ? 'characters' : 'entries'}`
            : `must be ${issue.code === 'too_small' ? (issue.inclusive === false ? 'greater than' : 'at least') : issue.inclusive === false ? 'less than' : 'at most'} ${bound}`;
        problems.push({
          messageId: CONFIG_MESSAGE_IDS.invalidValue,
          path: formatPath(path),
          message: custom ?? `${word}, not ${describeValue(value)}.`,
          fix: fixFor(path, 'Change the value to fit the limit.'),
        });
        break;
      }
      case 'invalid_format':
        problems.push({
          messageId: CONFIG_MESSAGE_IDS.invalidValue,
          path: formatPath(path),
          message: custom ?? `is not a valid ${issue.format === 'regex' ? 'value' : issue.format}: ${describeValue(value)}.`,
          fix: fixFor(path, `Give a valid ${issue.format}.`),
        });
        break;
      default:
        problems.push({
          messageId: CONFIG_MESSAGE_IDS.invalidValue,
          path: formatPath(path),
          message: sentence(issue.message),
          fix: fixFor(path, 'Correct the value as the message says.'),
        });
    }
  }
  return problems;
}

function sentence(text: string): string {
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

function article(expected: string): string {
  const words: Record<string, string> = {
    string: 'a text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    object: 'an object',
    array: 'a list',
    record: 'an object',
  };
  return words[expected] ?? `a ${expected}`;
}

// ------------------------------------------------------------------------------------------- semantic checks

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function semanticChecks(
  doc: Record<string, unknown>,
  options: ValidateOptions,
  problems: ConfigProblem[],
  warnings: ConfigProblem[],
): void {
  const markers = serviceURLMarkers();
  const seenMarkers = new Map<string, number>();
  const seenNames = new Map<string, string>();
  const seenIds = new Map<string, string>();
  const services = asArray(doc.integrationServices);

  if (Array.isArray(doc.integrationServices) && services.length === 0) {
    warnings.push({
      messageId: CONFIG_MESSAGE_IDS.noServices,
      path: 'integrationServices',
      message: 'no integration services are configured, so the daemon has nothing to do.',
      fix: `Add an integration service, e.g. {"urlMarker": "files-integrator", "connectors": [...]}.`,
    });
  }

  services.forEach((service, s) => {
    if (!isRecord(service)) return;
    const servicePath = `integrationServices[${s}]`;
    const marker = service.urlMarker;
    const definition = typeof marker === 'string' ? findService(marker) : undefined;
    if (typeof marker === 'string' && marker.length > 0) {
      if (!definition) {
        const suggestion = didYouMean(marker, markers);
        problems.push({
          messageId: CONFIG_MESSAGE_IDS.unknownService,
          path: `${servicePath}.urlMarker`,
          message: `The integration service URL marker ${marker} is not recognized${suggestion ? `; did you mean "${suggestion}"?` : '.'}`,
          fix: `Use one of the valid service URL markers: ${markers.join(', ')}.`,
        });
      } else if (seenMarkers.has(marker)) {
        problems.push({
          messageId: CONFIG_MESSAGE_IDS.duplicateService,
          path: `${servicePath}.urlMarker`,
          message: `integration service ${marker} is already configured at integrationServices[${seenMarkers.get(marker)}].`,
          fix: `Move these connectors into the first ${marker} entry and remove this one.`,
        });
      } else seenMarkers.set(marker, s);
    }

    const connectors = asArray(service.connectors);
    if (Array.isArray(service.connectors) && connectors.length === 0 && definition) {
      warnings.push({
        messageId: CONFIG_MESSAGE_IDS.noConnectors,
        path: `${servicePath}.connectors`,
        message: `The ${definition.integrationServiceFullName} integration service is configured without any integration connectors.`,
        fix: 'Add connectors to the integration service, or remove the integration service.',
      });
    }

    connectors.forEach((connector, c) => {
      if (!isRecord(connector)) return;
      const connectorPath = `${servicePath}.connectors[${c}]`;
      const name = typeof connector.connectorName === 'string' ? connector.connectorName.trim() : undefined;
      if (name) {
        const first = seenNames.get(name);
        if (first !== undefined) {
          problems.push({
            messageId: CONFIG_MESSAGE_IDS.duplicateConnectorName,
            path: `${connectorPath}.connectorName`,
            message: `connector name ${name} is already used by ${first}; names must be unique across the daemon because restart, refresh and the audit log address connectors by name.`,
            fix: `Rename one of the two connectors, e.g. "${name}2".`,
          });
        } else seenNames.set(name, connectorPath);
      }
      if (typeof connector.connectorId === 'string' && connector.connectorId.trim()) {
        const id = connector.connectorId.trim();
        const first = seenIds.get(id);
        if (first !== undefined) {
          problems.push({
            messageId: CONFIG_MESSAGE_IDS.duplicateConnectorId,
            path: `${connectorPath}.connectorId`,
            message: `connectorId ${id} is already used by ${first}; two connectors would share their retry state and metadata source.`,
            fix: 'Remove connectorId from one of them (a stable id is then generated) or give each its own.',
          });
        } else seenIds.set(id, connectorPath);
      }
      checkProvider(connector, connectorPath, name, definition, options, problems, warnings);
    });
  });

  const destinations = isRecord(doc.auditLog) ? doc.auditLog.destinations : undefined;
  if (Array.isArray(destinations)) {
    const memory = destinations.map((d, i) => [d, i] as const).filter(([d]) => isRecord(d) && d.kind === 'memory');
    for (const [, i] of memory.slice(1)) {
      problems.push({
        messageId: CONFIG_MESSAGE_IDS.duplicateMemoryDestination,
        path: `auditLog.destinations[${i}]`,
        message: 'only one memory destination can be configured; the console and REST API read from it.',
        fix: 'Remove this entry, or raise the capacity of the first memory destination instead.',
      });
    }
    if (memory.length === 0) {
      warnings.push({
        messageId: CONFIG_MESSAGE_IDS.noMemoryDestination,
        path: 'auditLog.destinations',
        message: "no memory destination is configured, so the console's audit log view and the REST audit-log query will be empty.",
        fix: 'Add {"kind": "memory", "capacity": 10000} to auditLog.destinations.',
      });
    }
  }
}

function checkProvider(
  connector: Record<string, unknown>,
  connectorPath: string,
  connectorName: string | undefined,
  definition: ReturnType<typeof findService>,
  options: ValidateOptions,
  problems: ConfigProblem[],
  warnings: ConfigProblem[],
): void {
  const spec = typeof connector.connectorProvider === 'string' ? connector.connectorProvider.trim() : '';
  if (!spec) return;
  const registry = options.providers;
  const provider = registry.resolveSync(spec, options.baseDirectory);
  if (!provider) {
    if (registry.isModulePath(spec)) {
      const file = registry.modulePath(spec, options.baseDirectory ?? process.cwd());
      if (!existsSync(file)) {
        problems.push({
          messageId: CONFIG_MESSAGE_IDS.providerModuleMissing,
          path: `${connectorPath}.connectorProvider`,
          message: `the connector provider module ${file} does not exist.`,
          fix: "Correct the path (relative paths are resolved against the configuration file's directory) or install the module there.",
        });
      }
      // An existing module not loaded yet is checked by validateConfigWithModules, which imports it first.
      return;
    }
    const suggestion = didYouMean(spec, registry.names());
    problems.push({
      messageId: CONFIG_MESSAGE_IDS.unknownProvider,
      path: `${connectorPath}.connectorProvider`,
      message: `${spec} is not a known connector provider${suggestion ? `; did you mean "${suggestion}"?` : '.'}`,
      fix:
        registry.providerNames().length > 0
          ? `Use one of the built-in providers (${registry.providerNames().join(', ')}), an Egeria provider class name they accept, or the path of a module (starting with ./ or /) that exports a provider.`
          : 'No built-in providers are registered: give the path of a module (starting with ./ or /) that exports a provider.',
    });
    return;
  }

  if (definition && provider.connectorKind !== definition.connectorKind && connectorName) {
    const wrong = wrongKindMessage(definition, connectorName, provider.connectorKind);
    warnings.push({ messageId: wrong.messageId, path: `${connectorPath}.connectorProvider`, message: wrong.text, fix: wrong.userAction });
  }

  const endpointAddress = typeof connector.endpointAddress === 'string' ? connector.endpointAddress : undefined;
  const configurationProperties = connector.configurationProperties === undefined ? {} : connector.configurationProperties;
  if (!isRecord(configurationProperties)) return;
  let providerProblems: ConnectorConfigProblem[];
  try {
    providerProblems = provider.validate({ endpointAddress, configurationProperties });
  } catch (error) {
    problems.push({
      messageId: CONFIG_MESSAGE_IDS.providerProblem,
      path: connectorPath,
      message: `the ${provider.providerName} provider failed while checking this connector: ${error instanceof Error ? error.message : String(error)}`,
      fix: "Check the connector's endpointAddress and configurationProperties; if they look right, report the failure to the connector's author.",
    });
    return;
  }
  for (const p of providerProblems) {
    problems.push({
      messageId: CONFIG_MESSAGE_IDS.providerProblem,
      path: p.path ? `${connectorPath}.${p.path}` : connectorPath,
      message: p.message,
      fix: p.fix,
    });
  }
}

// ------------------------------------------------------------------------------------------- build

type ParsedDocument = z.output<typeof configDocumentSchema>;

function build(parsed: ParsedDocument): DaemonConfig {
  const serverName = parsed.serverName;
  const metadataServer: MetadataServerConfig = parsed.metadataServer
    ? parsed.metadataServer.kind === 'embedded'
      ? { name: parsed.metadataServer.name ?? `${serverName}-metadata`, kind: 'embedded', path: parsed.metadataServer.path }
      : {
          name: parsed.metadataServer.name ?? `${serverName}-metadata`,
          kind: 'postgres',
          connectionString: parsed.metadataServer.connectionString,
        }
    : { name: `${serverName}-metadata`, kind: 'embedded', path: 'metadata.db' };

  return {
    serverName,
    localServerUserId: parsed.localServerUserId ?? `${serverName}npa`,
    maxPageSize: parsed.maxPageSize,
    metadataServer,
    auditLog: { destinations: parsed.auditLog.destinations.map((d) => ({ ...d })) },
    integrationServices: parsed.integrationServices.map((service) => {
      const definition = findService(service.urlMarker);
      const defaultPermittedSynchronization =
        service.defaultPermittedSynchronization ?? definition?.defaultPermittedSynchronization ?? 'FROM_THIRD_PARTY';
      return {
        urlMarker: service.urlMarker,
        defaultPermittedSynchronization,
        connectors: service.connectors.map((c): ConnectorConfig => {
          const connector: ConnectorConfig = {
            connectorName: c.connectorName,
            connectorId: c.connectorId ?? connectorIdFor(serverName, service.urlMarker, c.connectorName),
            connectorProvider: c.connectorProvider,
            refreshTimeInterval: c.refreshTimeInterval,
            permittedSynchronization: c.permittedSynchronization ?? defaultPermittedSynchronization,
            configurationProperties: structuredClone(c.configurationProperties),
            timeouts: { ...c.timeouts },
          };
          if (c.endpointAddress !== undefined) connector.endpointAddress = c.endpointAddress;
          if (c.errorHandling !== undefined) connector.errorHandling = c.errorHandling;
          return connector;
        }),
      };
    }),
  };
}

/**
 * Validates a parsed JSON document. Lists every problem (schema, unknown service, duplicate names, unknown or
 * unhappy provider), not just the first. Module-path providers are only checked this deeply once loaded:
 * use validateConfigWithModules (or loadConfigFile) to import them first.
 */
export function validateConfig(doc: unknown, options: ValidateOptions): ValidationResult {
  const warnings: ConfigProblem[] = [];
  if (!isRecord(doc)) {
    return {
      ok: false,
      warnings,
      problems: [
        {
          messageId: CONFIG_MESSAGE_IDS.notAnObject,
          path: '',
          message: `the configuration document must be a JSON object, not ${describeValue(doc)}.`,
          fix: 'Start from {"serverName": "myDaemon", "integrationServices": []} and add to it.',
        },
      ],
    };
  }
  const deep = tooDeepAt(doc, MAX_CONFIG_DEPTH);
  if (deep !== undefined) {
    return {
      ok: false,
      warnings,
      problems: [
        {
          messageId: CONFIG_MESSAGE_IDS.tooDeep,
          path: formatPath(deep.slice(0, 8)),
          message: `the document is nested more than ${MAX_CONFIG_DEPTH} levels deep below this place.`,
          fix: 'Flatten the value: configuration properties are plain settings, not deep structures.',
        },
      ],
    };
  }
  const parsed = configDocumentSchema.safeParse(doc);
  const problems = parsed.success ? [] : problemsFromIssues(doc, parsed.error.issues);
  semanticChecks(doc, options, problems, warnings);
  if (!parsed.success || problems.length > 0) return { ok: false, problems, warnings };
  return { ok: true, config: build(parsed.data), warnings };
}

/** Like validateConfig, after importing every module-path provider the document names (load errors become problems). */
export async function validateConfigWithModules(doc: unknown, options: ValidateOptions): Promise<ValidationResult> {
  const loadProblems: ConfigProblem[] = [];
  if (isRecord(doc)) {
    const baseDirectory = options.baseDirectory ?? process.cwd();
    for (const [s, service] of asArray(doc.integrationServices).entries()) {
      if (!isRecord(service)) continue;
      for (const [c, connector] of asArray(service.connectors).entries()) {
        if (!isRecord(connector) || typeof connector.connectorProvider !== 'string') continue;
        const spec = connector.connectorProvider.trim();
        if (!options.providers.isModulePath(spec) || !existsSync(options.providers.modulePath(spec, baseDirectory))) continue;
        try {
          await options.providers.resolve(spec, baseDirectory);
        } catch (error) {
          loadProblems.push({
            messageId: CONFIG_MESSAGE_IDS.providerModuleInvalid,
            path: `integrationServices[${s}].connectors[${c}].connectorProvider`,
            message: errorText(error),
            fix:
              error instanceof ProviderResolutionError
                ? error.userAction
                : 'The module must export (as default or as `provider`) an object with providerName, aliases, connectorKind, description, validate() and create().',
          });
        }
      }
    }
  }
  const result = validateConfig(doc, { ...options, baseDirectory: options.baseDirectory ?? process.cwd() });
  if (loadProblems.length === 0) return result;
  return { ok: false, problems: [...loadProblems, ...(result.ok ? [] : result.problems)], warnings: result.warnings };
}
