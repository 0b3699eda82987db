// Every refusal of a request the daemon itself makes (the REST layer renders them as Egeria's FFDC envelope):
// unknown service or connector, nothing to retry, a configuration change it will not apply, a metadata server that
// does not answer. Kept together so their ids, texts and fixes read as one set and are changed in one place.
import { DaemonRequestError } from '../daemon-api.js';
import type { InvalidMetadataRequestError } from '../metadata-server/types.js';

const UNCHANGED = 'The running configuration and the configuration file are unchanged.';

export function unknownService(serverName: string, urlMarker: string, configuredMarkers: readonly string[]): DaemonRequestError {
  const valid = configuredMarkers.join(', ') || 'none';
  return new DaemonRequestError(
    400,
    'INTEGRATION-DAEMON-SERVICES-400-030',
    `Integration service with URL marker ${urlMarker} is not registered in the integration daemon ${serverName}`,
    [urlMarker, serverName],
    'The system is unable to process the request because the integration service is not running in this daemon.',
    `Correct the integration service URL marker in the request. The integration services running in ${serverName} are: ${valid}.`,
  );
}

/** `serviceName` absent: the request named no integration service, and no service of the daemon runs the connector. */
export function unknownConnector(
  serverName: string,
  connectorName: string,
  serviceName: string | undefined,
  knownConnectors: readonly string[],
): DaemonRequestError {
  const known = knownConnectors.join(', ') || 'none';
  const where =
    serviceName === undefined
      ? `in integration daemon ${serverName}`
      : `in the integration service ${serviceName} in integration daemon ${serverName}`;
  return new DaemonRequestError(
    400,
    'INTEGRATION-DAEMON-SERVICES-400-031',
    `Integration connector named ${connectorName} is not running ${where}`,
    serviceName === undefined ? [connectorName, serverName] : [connectorName, serviceName, serverName],
    'The system is unable to process the request because the integration connector is not configured in this daemon.',
    `Correct the connector name in the request. The integration connectors of ${serverName} are: ${known}.`,
  );
}

export function noRetryToRun(serverName: string, connectorName: string, status: string | undefined): DaemonRequestError {
  return new DaemonRequestError(
    409,
    'INTEGRATION-DAEMON-SERVICES-409-101',
    `Integration connector ${connectorName} in integration daemon ${serverName} has no retry to run: its status is ${status ?? 'unknown'}`,
    [connectorName, serverName, status ?? 'unknown'],
    'Nothing is changed.',
    'Use refresh to make a running connector compare its third-party technology with the metadata server again, or restart to start it afresh.',
    'org.odpi.openmetadata.frameworks.connectors.ffdc.InvalidParameterException',
  );
}

export function metadataServerUnavailable(metadataServerName: string, userId: string, detail: string): DaemonRequestError {
  return new DaemonRequestError(
    503,
    'OMAG-MULTI-TENANT-404-001',
    `The OMAG Server ${metadataServerName} is not available to service a request from user ${userId}`,
    [metadataServerName, userId],
    `The metadata server did not answer: ${detail}`,
    'Start the metadata server or correct metadataServer in the configuration document; the daemon reconnects by itself.',
  );
}

/** The metadata server refused a malformed query: the request is at fault. */
export function invalidQuery(error: InvalidMetadataRequestError): DaemonRequestError {
  return new DaemonRequestError(
    400,
    error.messageId,
    error.message.slice(error.messageId.length + 1),
    [],
    'The query was not run.',
    error.userAction,
  );
}

export function unreadableDocument(serverName: string, detail: string): DaemonRequestError {
  return new DaemonRequestError(
    400,
    'INTEGRATION-DAEMON-CONFIG-400-000',
    `The configuration document for integration daemon ${serverName} could not be read: ${detail}`,
    [serverName],
    UNCHANGED,
    'Send a JSON configuration document of the documented shape; it needs no deep nesting.',
  );
}

export function documentRejected(serverName: string, problemCount: number, summary: string): DaemonRequestError {
  return new DaemonRequestError(
    400,
    'INTEGRATION-DAEMON-CONFIG-400-000',
    `The configuration document for integration daemon ${serverName} was rejected with ${problemCount} problem(s): ${summary}`,
    [serverName, summary],
    UNCHANGED,
    'Correct each problem listed (each names the JSON path and the fix) and send the document again.',
  );
}

export function sectionFixedWhileRunning(serverName: string, section: string): DaemonRequestError {
  return new DaemonRequestError(
    400,
    'INTEGRATION-DAEMON-SERVICES-400-101',
    `The ${section} section of the configuration document of integration daemon ${serverName} cannot be changed while the daemon runs`,
    [section, serverName],
    UNCHANGED,
    `Send a document whose ${section} is unchanged, or stop the daemon, edit the configuration file and start it again.`,
  );
}

export function moduleProvidersRefused(serverName: string, added: readonly string[]): DaemonRequestError {
  return new DaemonRequestError(
    403,
    'INTEGRATION-DAEMON-SERVICES-403-102',
    `The configuration document for integration daemon ${serverName} adds connector provider module(s) ${added.join(', ')}, which cannot be added over the REST API`,
    [serverName, added.join(', ')],
    'The running configuration and the configuration file are unchanged; no module was loaded.',
    'Add connectors implemented by a module by editing the configuration file on the daemon host and restarting the daemon, or use a built-in provider.',
    'org.odpi.openmetadata.frameworks.connectors.ffdc.UserNotAuthorizedException',
  );
}

export function unknownProvider(serverName: string, providerClassName: string, known: readonly string[]): DaemonRequestError {
  return new DaemonRequestError(
    400,
    'INTEGRATION-DAEMON-SERVICES-400-041',
    `The connector provider ${providerClassName} is not registered with integration daemon ${serverName}`,
    [providerClassName, serverName],
    'The request is rejected; nothing is changed.',
    `Use one of the registered providers (${known.join(', ') || 'none'}) or an Egeria provider class name they accept. A module path cannot be validated over REST.`,
  );
}
