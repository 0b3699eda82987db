// The integration services the daemon hosts. Ids, names, URL markers, descriptions and wikis are Egeria's
// (2.x era ids, as the seed's status responses show: files-integrator 4005, database-integrator 4004), listed
// in the order of the seed's registered-services response so clients can compare them directly.
import type {
  IntegrationConnectorReport,
  IntegrationServiceSummary,
  PermittedSynchronization,
  RegisteredOMAGService,
} from '../../shared/api/types.js';
import type { ConnectorKind } from '../connector-sdk/index.js';

export interface IntegrationServiceDefinition {
  integrationServiceId: number;
  /** Short name, e.g. `Files Integrator`. */
  integrationServiceName: string;
  /** e.g. `Files Integrator OMIS`: the name in messages and in `GET /status`. */
  integrationServiceFullName: string;
  urlMarker: string;
  integrationServiceDescription: string;
  integrationServiceWiki: string;
  /** The only connector kind this service can run. */
  connectorKind: ConnectorKind;
  /** The Egeria interface a connector of this service implements; quoted in the wrong-kind message. */
  connectorInterfaceClassName: string;
  defaultPermittedSynchronization: PermittedSynchronization;
  /** Component of this service's own message ids, e.g. `OMIS-FILES-INTEGRATOR`. */
  messageComponent: string;
  /** Lower-case phrase of the context manager messages: `The files integrator context manager is ...`. */
  contextManagerPhrase: string;
}

const WIKI_ROOT = 'https://odpi.github.io/services/omis';

function service(
  id: number,
  marker: string,
  shortName: string,
  description: string,
  kind: ConnectorKind,
  javaPackage: string,
  interfaceName: string,
  defaultPermittedSynchronization: PermittedSynchronization,
): IntegrationServiceDefinition {
  return {
    integrationServiceId: id,
    integrationServiceName: shortName,
    integrationServiceFullName: `${shortName} OMIS`,
    urlMarker: marker,
    integrationServiceDescription: description,
    integrationServiceWiki: `${WIKI_ROOT}/${marker}/overview/`,
    connectorKind: kind,
    connectorInterfaceClassName: `org.odpi.openmetadata.integrationservices.${javaPackage}.connector.${interfaceName}`,
    defaultPermittedSynchronization,
    messageComponent: `OMIS-${marker.toUpperCase()}`,
    contextManagerPhrase: shortName.toLowerCase(),
  };
}

export const INTEGRATION_SERVICES: readonly IntegrationServiceDefinition[] = Object.freeze([
  service(
    4005,
    'files-integrator',
    'Files Integrator',
    'Extract metadata about files stored in a file system or file manager.',
    'files',
    'files',
    'FilesIntegratorConnector',
    'FROM_THIRD_PARTY',
  ),
  service(
    4008,
    'security-integrator',
    'Security Integrator',
    'Distribute security properties to security enforcement points.',
    'security',
    'security',
    'SecurityIntegratorConnector',
    'TO_THIRD_PARTY',
  ),
  service(
    4004,
    'database-integrator',
    'Database Integrator',
    'Extract metadata such as schema, tables and columns from database managers.',
    'database',
    'database',
    'DatabaseIntegratorConnector',
    'FROM_THIRD_PARTY',
  ),
  service(
    4006,
    'lineage-integrator',
    'Lineage Integrator',
    'Manage capture of lineage from a third party tool.',
    'lineage',
    'lineage',
    'LineageIntegratorConnector',
    'FROM_THIRD_PARTY',
  ),
  service(
    4000,
    'catalog-integrator',
    'Catalog Integrator',
    'Exchange metadata with third party data catalogs.',
    'catalog',
    'catalog',
    'CatalogIntegratorConnector',
    'BOTH_DIRECTIONS',
  ),
  service(
    4007,
    'organization-integrator',
    'Organization Integrator',
    'Load information about the teams and people in an organization and return collaboration activity.',
    'organization',
    'organization',
    'OrganizationIntegratorConnector',
    'FROM_THIRD_PARTY',
  ),
]);

const byMarker = new Map(INTEGRATION_SERVICES.map((s) => [s.urlMarker, s]));

export function findService(urlMarker: string): IntegrationServiceDefinition | undefined {
  return byMarker.get(urlMarker);
}

export function urlMarkers(): string[] {
  return INTEGRATION_SERVICES.map((s) => s.urlMarker);
}

/** The platform's `registered-services/integration-services` list, in the seed's order. */
export function registeredServices(): RegisteredOMAGService[] {
  return INTEGRATION_SERVICES.map((s) => ({
    serviceId: s.integrationServiceId,
    serviceName: s.integrationServiceFullName,
    serviceURLMarker: s.urlMarker,
    serviceDescription: s.integrationServiceDescription,
    serviceWiki: s.integrationServiceWiki,
  }));
}

/** One entry of `integrationServiceSummaries` in `GET /status`. */
export function serviceSummary(
  definition: IntegrationServiceDefinition,
  integrationConnectorReports: IntegrationConnectorReport[],
): IntegrationServiceSummary {
  return {
    integrationServiceId: definition.integrationServiceId,
    integrationServiceFullName: definition.integrationServiceFullName,
    integrationServiceURLMarker: definition.urlMarker,
    integrationServiceDescription: definition.integrationServiceDescription,
    integrationServiceWiki: definition.integrationServiceWiki,
    integrationConnectorReports,
  };
}

/** An Egeria exception message definition filled with its parameters. */
export interface ServiceErrorMessage {
  httpCode: number;
  messageId: string;
  /** Text without the id. */
  text: string;
  /** `<messageId> <text>`: what `failingExceptionMessage` shows. */
  message: string;
  parameters: string[];
  systemAction: string;
  userAction: string;
  exceptionClassName: string;
}

/**
 * Egeria's INVALID_CONNECTOR error of each OMIS (`OMIS-DATABASE-INTEGRATOR-400-001 ...`), word for word,
 * including the two spaces before "It must inherit".
 */
export function wrongKindMessage(
  definition: IntegrationServiceDefinition,
  connectorName: string,
  connectorKind?: ConnectorKind,
): ServiceErrorMessage {
  const messageId = `${definition.messageComponent}-400-001`;
  const parameters = [connectorName, definition.integrationServiceFullName, definition.connectorInterfaceClassName];
  const text = `Integration connector ${parameters[0]} is not of the correct type to run in the ${parameters[1]} integration service.  It must inherit from ${parameters[2]}`;
  const home = connectorKind === undefined ? undefined : serviceForKind(connectorKind);
  const moveTo = home
    ? `move it to the ${home.urlMarker} integration service (it is a ${connectorKind} connector)`
    : 'move it to an appropriate integration service';
  return {
    httpCode: 400,
    messageId,
    text,
    message: `${messageId} ${text}`,
    parameters,
    // Egeria fails the whole service here; this daemon only refuses the one connector.
    systemAction: `The integration daemon does not start connector ${connectorName}; its status is CONFIG_FAILED. The other connectors keep running.`,
    userAction: `Either ${moveTo} in the configuration document, or configure a connector provider that implements the ${definition.connectorInterfaceClassName} interface.`,
    exceptionClassName: 'org.odpi.openmetadata.frameworks.connectors.ffdc.InvalidParameterException',
  };
}

/** The service whose connector kind matches, for "move it to ..." hints. */
export function serviceForKind(kind: ConnectorKind): IntegrationServiceDefinition | undefined {
  return INTEGRATION_SERVICES.find((s) => s.connectorKind === kind);
}
