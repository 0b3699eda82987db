// How a problem in the configuration document is told: one message id per kind of problem, its JSON path, what is
// wrong in words an operator reads (not zod's), and the fix, with "did you mean" for a mistyped key.
import type { z } from 'zod';
import { AUDIT_SEVERITIES, ERROR_CATEGORIES, ERROR_SCOPES, ERROR_SOURCES, PERMITTED_SYNCHRONIZATIONS } from '../../../shared/api/types.js';
import { errorText } from '../../../shared/api/error-text.js';
import { urlMarkers } from '../services.js';
import { REST_LIMIT_FIXES } from './rest-limits.js';
import { configJsonSchema, MAX_REFRESH_MINUTES, MAX_TIMER_MS, MIN_REFRESH_MINUTES } from './schema.js';
import { didYouMean } from './suggest.js';
import type { ConfigProblem } from './types.js';

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

function valueAt(doc: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current: unknown = doc;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment as string];
  }
  return current;
}

export function describeValue(value: unknown): string {
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
  refreshTimeInterval: `Set refreshTimeInterval to the minutes between refreshes, 0 (refresh only at start-up and on request) or a number from ${MIN_REFRESH_MINUTES} to ${MAX_REFRESH_MINUTES} (fractions allowed, e.g. 0.5 for 30 seconds).`,
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
  urlMarker: `Set urlMarker to one of ${urlMarkers().join(', ')}.`,
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
  ...REST_LIMIT_FIXES,
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

export function problemsFromIssues(doc: unknown, issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
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
