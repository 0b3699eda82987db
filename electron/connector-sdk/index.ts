// The public connector SDK, published as `integration-daemon/connector-sdk`. Built-in connectors are written
// against it alone, so a third-party connector module can do exactly what they do. It imports nothing of the
// project but the wire types in shared/api, so it can be published and versioned on its own.
export type {
  ConfigProblem,
  ConnectorAuditMessage,
  ConnectorContext,
  ConnectorInstanceConfig,
  ConnectorKind,
  ConnectorProvider,
  ConnectorTestCheck,
  ElementInput,
  ElementRelationshipInput,
  ElementSummary,
  IntegrationConnector,
  MetadataServerClient,
  UpsertOutcome,
} from './connector.js';
export { ConnectorError, ERROR_CATEGORIES, errorCode, errorText, type ErrorCategory } from './errors.js';
export { propertiesFingerprint } from './fingerprint.js';
export type { ConfigurationPropertyDeclaration, ConfigurationPropertyType, EndpointDeclaration } from '../../shared/api/types.js';
