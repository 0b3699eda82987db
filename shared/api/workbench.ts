// The API of the operator's workbench: what each connector provider declares (so the console builds its forms and
// the README documents them), connection tests, managing one connector, the catalogue's filters and status history.
import type { ConnectorStatus, ErrorSource } from './types.js';
// ----------------------------------------------------------------------------------------------------------------
// Connector providers: what each declares, so the console builds its forms and the README documents them.

export const CONFIGURATION_PROPERTY_TYPES = ['string', 'integer', 'number', 'boolean', 'stringList', 'secret'] as const;
export type ConfigurationPropertyType = (typeof CONFIGURATION_PROPERTY_TYPES)[number];

/** One configuration property a provider reads from `configurationProperties`. */
export interface ConfigurationPropertyDeclaration {
  name: string;
  type: ConfigurationPropertyType;
  description: string;
  default?: string | number | boolean | string[] | undefined;
  required?: boolean | undefined;
  /** The only values accepted, when the property is a choice. */
  allowedValues?: string[] | undefined;
  minimum?: number | undefined;
  maximum?: number | undefined;
}

/** What the connector's `endpointAddress` is. */
export interface EndpointDeclaration {
  kind: 'directory' | 'file' | 'connectionString' | 'url' | 'none';
  description: string;
  required: boolean;
  example?: string | undefined;
}

/** One step of a provider's connection test, in the order it runs. */
export interface ConnectorTestStepDeclaration {
  name: string;
  description: string;
}

export interface ConnectorProviderDescription {
  providerName: string;
  /** Egeria provider class names accepted for it. */
  aliases: string[];
  connectorKind: string;
  /** URL markers of the integration services that accept this kind of connector. */
  urlMarkers: string[];
  description: string;
  endpoint: EndpointDeclaration;
  configurationProperties: ConfigurationPropertyDeclaration[];
  testSteps: ConnectorTestStepDeclaration[];
}

/** `GET .../connector-providers`. */
export interface ConnectorProvidersResponse {
  class: 'ConnectorProvidersResponse';
  relatedHTTPCode: number;
  providers: ConnectorProviderDescription[];
}

// ----------------------------------------------------------------------------------------------------------------
// Test connection: ordered checks run without starting anything.

export type ConnectorTestStepStatus = 'PASSED' | 'FAILED' | 'SKIPPED';

export interface ConnectorTestStep {
  name: string;
  status: ConnectorTestStepStatus;
  message: string;
  messageId?: string | undefined;
  /** The fix, when the step failed (or was skipped because a step it needs failed). */
  userAction?: string | undefined;
  durationMs: number;
}

/**
 * `POST .../integration-connectors/{name}/test` (a configured connector) and `POST .../connector-test` (a connector
 * document not yet saved). Asked with `Accept: application/x-ndjson`, the daemon streams one ConnectorTestStep per
 * line as each completes and this response as the last line.
 */
export interface ConnectorTestResponse {
  class: 'ConnectorTestResponse';
  relatedHTTPCode: number;
  connectorName: string;
  providerName: string;
  /** Every step passed. */
  passed: boolean;
  steps: ConnectorTestStep[];
}

/** Body of `POST .../connector-test`: the connector entry as it would be written in the configuration document. */
export interface ConnectorTestRequest {
  class?: 'ConnectorTestRequest' | undefined;
  urlMarker: string;
  connector: Record<string, unknown>;
}

// ----------------------------------------------------------------------------------------------------------------
// Managing connectors: one problem per field, so the console shows each next to its field.

/** A problem with a configuration document; `path` is the JSON path inside the document (or the connector entry). */
export interface ConfigurationProblem {
  path: string;
  messageId: string;
  message: string;
  fix: string;
}

/**
 * Managing one connector (ours): `POST .../integration-services/{urlMarker}/integration-connectors` adds and starts
 * it; `PUT .../integration-connectors/{name}/configuration` replaces its entry and restarts only it; `DELETE
 * .../integration-connectors/{name}` stops and removes it. Each validates before saving; a refusal is the 400 error
 * envelope with `problems`, one per field.
 */
export interface ConnectorEntryRequest {
  class?: 'ConnectorEntryRequest' | undefined;
  connector: Record<string, unknown>;
}

// ----------------------------------------------------------------------------------------------------------------
// The catalogue and status history.

/**
 * Query of `GET .../metadata-elements`: `typeName`, `qualifiedNamePrefix`, `connectorName`, `archived`
 * (exclude, the default; include; only), `text` (in the qualified name and property values), `startFrom`,
 * `pageSize`, and `count=true` for `totalCount` in the response.
 */
export const ARCHIVED_FILTERS = ['exclude', 'include', 'only'] as const;
export type ArchivedFilter = (typeof ARCHIVED_FILTERS)[number];

export interface StatusChange {
  connectorName: string;
  urlMarker: string;
  connectorStatus: ConnectorStatus;
  at: string;
  errorSource?: ErrorSource | undefined;
  failingExceptionMessageId?: string | undefined;
}

export interface MetadataServerOutage {
  metadataServerName: string;
  from: string;
  /** Absent while the outage lasts. */
  to?: string | undefined;
  waitingConnectors: number;
}

/** `GET .../status-history?since=ISO`: status changes and metadata server outages, oldest first. */
export interface StatusHistoryResponse {
  class: 'StatusHistoryResponse';
  relatedHTTPCode: number;
  since: string;
  changes: StatusChange[];
  metadataServerOutages: MetadataServerOutage[];
}

/** `GET .../integration-connectors/{name}/configuration`: the connector's entry, secrets shown as `***`. */
export interface ConnectorEntryResponse {
  class: 'ConnectorEntryResponse';
  relatedHTTPCode: number;
  connector: Record<string, unknown>;
}
