// The add/edit connector form, built from what the provider declares: the values as typed, the connector entry they
// make (typed configuration properties, empty ones left to their defaults), the problems found before sending, and
// the daemon's problems placed next to the field they are about.
import type { ConfigurationProblem, ConfigurationPropertyDeclaration, ConnectorProviderDescription } from '../../shared/api/types.js';
import type { ConnectorEntry } from '../../shared/console-backend.js';

export interface ConnectorFormValues {
  urlMarker: string;
  connectorName: string;
  providerName: string;
  endpointAddress: string;
  /** Minutes, as typed; empty = the daemon's default. */
  refreshTimeInterval: string;
  /** By property name, as typed (booleans as 'true' / 'false' / ''). */
  properties: Record<string, string>;
}

/** Field keys: the entry's own fields, and `configurationProperties.NAME` for each declared property. */
export type FieldProblems = Record<string, string>;

export const CONNECTOR_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function propertyField(name: string): string {
  return `configurationProperties.${name}`;
}

/** The form's values for an existing entry (or an empty one), properties as text. */
export function formValues(urlMarker: string, entry: ConnectorEntry | null, providerName: string): ConnectorFormValues {
  const props = entry?.configurationProperties;
  const properties: Record<string, string> = {};
  if (props && typeof props === 'object') {
    for (const [k, v] of Object.entries(props as Record<string, unknown>)) properties[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  return {
    urlMarker,
    connectorName: text(entry?.connectorName),
    providerName: text(entry?.connectorProvider) || providerName,
    endpointAddress: text(entry?.endpointAddress),
    refreshTimeInterval: text(entry?.refreshTimeInterval),
    properties,
  };
}

function typed(declaration: ConfigurationPropertyDeclaration, raw: string): { value?: unknown; problem?: string } {
  const text = raw.trim();
  switch (declaration.type) {
    case 'integer':
    case 'number': {
      const n = Number(text);
      if (!Number.isFinite(n) || (declaration.type === 'integer' && !Number.isInteger(n)))
        return { problem: `Enter ${declaration.type === 'integer' ? 'a whole number' : 'a number'}.` };
      if (declaration.minimum !== undefined && n < declaration.minimum) return { problem: `Enter at least ${declaration.minimum}.` };
      if (declaration.maximum !== undefined && n > declaration.maximum) return { problem: `Enter at most ${declaration.maximum}.` };
      return { value: n };
    }
    case 'boolean':
      return { value: text === 'true' };
    case 'stringList':
      return {
        value: text
          .split(/[,\n]/)
          .map((s) => s.trim())
          .filter(Boolean),
      };
    default:
      if (declaration.allowedValues && !declaration.allowedValues.includes(text))
        return { problem: `Choose one of ${declaration.allowedValues.join(', ')}.` };
      return { value: text };
  }
}

/**
 * The connector entry the values make, or the problems found before asking the daemon (it checks again and has
 * the last word). Properties left empty are left out, so the provider's default applies.
 */
/** What the form edits; everything else in a configured entry (error handling, connectorId, …) is kept on save. */
const FORM_FIELDS = ['connectorName', 'connectorProvider', 'endpointAddress', 'refreshTimeInterval', 'configurationProperties'];

/** The configured entry's fields the form does not show, to save along with what the form built. */
export function fieldsNotInForm(entry: ConnectorEntry | null | undefined): ConnectorEntry {
  return Object.fromEntries(Object.entries(entry ?? {}).filter(([k]) => !FORM_FIELDS.includes(k)));
}

export function connectorEntry(
  values: ConnectorFormValues,
  provider: ConnectorProviderDescription | undefined,
): { ok: true; entry: ConnectorEntry } | { ok: false; problems: FieldProblems } {
  const problems: FieldProblems = {};
  const name = values.connectorName.trim();
  if (!CONNECTOR_NAME.test(name)) problems.connectorName = 'Enter a name of letters, digits, dots, dashes or underscores.';
  if (!provider) problems.connectorProvider = 'Choose the kind of connector.';
  const entry: ConnectorEntry = { connectorName: name, connectorProvider: values.providerName };
  const endpoint = values.endpointAddress.trim();
  if (endpoint) entry.endpointAddress = endpoint;
  else if (provider?.endpoint.required) problems.endpointAddress = `Enter the endpoint address: ${provider.endpoint.description}`;
  const interval = values.refreshTimeInterval.trim();
  if (interval) {
    const minutes = Number(interval);
    if (!Number.isFinite(minutes) || minutes < 0)
      problems.refreshTimeInterval = 'Enter minutes between refreshes (0 = only at start and on request).';
    else entry.refreshTimeInterval = minutes;
  }
  const properties: Record<string, unknown> = {};
  for (const declaration of provider?.configurationProperties ?? []) {
    const raw = values.properties[declaration.name] ?? '';
    if (raw.trim() === '') {
      if (declaration.required) problems[propertyField(declaration.name)] = 'Enter a value; this property has no default.';
      continue;
    }
    const { value, problem } = typed(declaration, raw);
    if (problem) problems[propertyField(declaration.name)] = problem;
    else properties[declaration.name] = value;
  }
  if (Object.keys(properties).length > 0) entry.configurationProperties = properties;
  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, entry };
}

const FIELDS = ['connectorName', 'connectorProvider', 'endpointAddress', 'refreshTimeInterval'];

/**
 * The field a daemon problem is about. Its path is inside the configuration document
 * (`integrationServices[0].connectors[2].endpointAddress`) or the entry (`configurationProperties.waitForDirectory`);
 * a problem with no field of the form (`errorHandling[0]`) is shown above the buttons.
 */
export function fieldOf(path: string): string | null {
  const inEntry = path
    .replace(/^.*connectors\[\d+\]\.?/, '')
    .replace(/^\//, '')
    .replaceAll('/', '.');
  const property = /^configurationProperties\.([^.[\]]+)/.exec(inEntry);
  if (property?.[1]) return propertyField(property[1]);
  const head = inEntry.split(/[.[]/)[0] ?? '';
  return FIELDS.includes(head) ? head : null;
}

/**
 * The daemon's problems by field, and as lines for the whole form those that belong to no field the form shows
 * (`shown`: a property the provider does not declare, say).
 */
export function placeProblems(
  problems: readonly ConfigurationProblem[],
  shown: ReadonlySet<string>,
): { fields: FieldProblems; general: string[] } {
  const fields: FieldProblems = {};
  const general: string[] = [];
  for (const p of problems) {
    const text = `${p.messageId} ${p.message} ${p.fix}`.trim();
    const field = fieldOf(p.path);
    if (field === null || !shown.has(field)) general.push(p.path ? `${p.path}: ${text}` : text);
    else fields[field] = fields[field] ? `${fields[field]} ${text}` : text;
  }
  return { fields, general };
}

/** A refusal as one line in the daemon's words: its message already starts with the message id, which is not repeated. */
export function refusalText(refusal: { messageId: string; message: string; userAction: string }): string {
  const message = refusal.message.startsWith(refusal.messageId) ? refusal.message : `${refusal.messageId} ${refusal.message}`;
  return `${message} ${refusal.userAction}`.trim();
}
