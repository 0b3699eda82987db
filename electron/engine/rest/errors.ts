// The REST layer's own refusals, rendered as Egeria's FFDC envelope with the real HTTP status. Daemon-level
// refusals (unknown service marker, unknown connector) arrive as DaemonRequestError and are rendered the same way.
import type { FFDCErrorResponse } from '../../../shared/api/types.js';
import { type DaemonRequestError } from '../daemon-api.js';
import { fillTemplate, type MessageDefinition } from '../messages.js';
import type { InvalidMetadataRequestError } from '../metadata-server/types.js';

const INVALID_PARAMETER = 'org.odpi.openmetadata.frameworks.connectors.ffdc.InvalidParameterException';
const USER_NOT_AUTHORIZED = 'org.odpi.openmetadata.frameworks.connectors.ffdc.UserNotAuthorizedException';
const PROPERTY_SERVER = 'org.odpi.openmetadata.frameworks.connectors.ffdc.PropertyServerException';

/** A refusal also says which HTTP status and which Egeria exception class the client receives. */
type RestMessageDefinition = MessageDefinition & { httpCode: number; exceptionClassName: string };

/** Every refusal the REST layer itself can produce. Parameters fill `{0}`, `{1}`, … as in Egeria's templates. */
export const REST_MESSAGES = {
  unknownServer: {
    httpCode: 404,
    messageId: 'OMAG-MULTI-TENANT-404-001',
    template: 'The OMAG Server {0} is not available to service a request from user {1}',
    systemAction: 'The system is unable to process the request because the server is not running on the called platform.',
    userAction:
      'Verify that the correct server is being called on the correct platform and that this server is running. Retry the request when the server is available.',
    exceptionClassName: INVALID_PARAMETER,
  },
  malformedJson: {
    httpCode: 400,
    messageId: 'INTEGRATION-DAEMON-REST-400-001',
    template: 'The request body sent to {0} is not valid JSON: {1}',
    systemAction: 'The request is rejected and nothing is changed.',
    userAction: 'Send a JSON document (for example {"class":"NameRequestBody","name":"MyConnector"}) or an empty body.',
    exceptionClassName: INVALID_PARAMETER,
  },
  invalidBody: {
    httpCode: 400,
    messageId: 'INTEGRATION-DAEMON-REST-400-002',
    template: 'The request body sent to {0} is not valid: {1}',
    systemAction: 'The request is rejected and nothing is changed.',
    userAction: 'Correct the request body as the message describes and send the request again.',
    exceptionClassName: INVALID_PARAMETER,
  },
  invalidQuery: {
    httpCode: 400,
    messageId: 'INTEGRATION-DAEMON-REST-400-003',
    template: 'The query parameter {0} has the value {1}, which is not valid: {2}',
    systemAction: 'The request is rejected.',
    userAction: 'Correct the query parameter as the message describes and send the request again.',
    exceptionClassName: INVALID_PARAMETER,
  },
  invalidPath: {
    httpCode: 400,
    messageId: 'INTEGRATION-DAEMON-REST-400-004',
    template: 'The request path {0} is not correctly encoded',
    systemAction: 'The request is rejected.',
    userAction: 'Percent-encode the server name, user id, service marker and connector name in the path.',
    exceptionClassName: INVALID_PARAMETER,
  },
  malformedRequest: {
    httpCode: 400,
    messageId: 'INTEGRATION-DAEMON-REST-400-005',
    template: 'The request could not be read as HTTP/1.1: {0}',
    systemAction: 'The daemon stopped reading the request and closes the connection; nothing is changed.',
    userAction:
      'Send a well-formed HTTP/1.1 request: a standard method (GET, POST, PUT), a percent-encoded path without spaces or control characters, and one Content-Length or Transfer-Encoding, not both.',
    exceptionClassName: INVALID_PARAMETER,
  },
  requestAborted: {
    httpCode: 400,
    messageId: 'INTEGRATION-DAEMON-REST-400-006',
    template: 'The request to {0} ended before its body was complete',
    systemAction: 'The request is rejected and nothing is changed.',
    userAction: 'Send the whole body with a Content-Length that matches it, then retry the request.',
    exceptionClassName: INVALID_PARAMETER,
  },
  missingToken: {
    httpCode: 401,
    messageId: 'INTEGRATION-DAEMON-REST-401-001',
    template: 'The request to {0} has no bearer token',
    systemAction: 'The request is rejected; only the health check answers without a token.',
    userAction:
      'Send the header "Authorization: Bearer <token>". The daemon prints where its token file is when it starts, or set INTEGRATION_DAEMON_TOKEN before starting it.',
    exceptionClassName: USER_NOT_AUTHORIZED,
  },
  wrongToken: {
    httpCode: 401,
    messageId: 'INTEGRATION-DAEMON-REST-401-002',
    template: 'The bearer token sent to {0} is not recognized by this integration daemon',
    systemAction: 'The request is rejected.',
    userAction: 'Use the operator or viewer token of this daemon (its token file, or INTEGRATION_DAEMON_TOKEN when it was started).',
    exceptionClassName: USER_NOT_AUTHORIZED,
  },
  viewerForbidden: {
    httpCode: 403,
    messageId: 'INTEGRATION-DAEMON-REST-403-001',
    template: 'The viewer token may only read; {0} {1} changes the integration daemon',
    systemAction: 'The request is rejected and nothing is changed.',
    userAction: 'Use the operator token to restart, refresh, retry or change configuration.',
    exceptionClassName: USER_NOT_AUTHORIZED,
  },
  unknownPath: {
    httpCode: 404,
    messageId: 'INTEGRATION-DAEMON-REST-404-001',
    template: 'There is no integration daemon operation at {0}',
    systemAction: 'The request is rejected.',
    userAction:
      'Check the path: operations live under /servers/{serverName}/open-metadata/integration-daemon/users/{userId}/ (for example .../status).',
    exceptionClassName: INVALID_PARAMETER,
  },
  consoleNotServed: {
    httpCode: 404,
    messageId: 'INTEGRATION-DAEMON-REST-404-002',
    template: 'This integration daemon does not serve the console: {0}',
    systemAction: 'The REST API answers as usual; only the console pages are not served.',
    userAction:
      'Start the daemon without --no-console; in a checkout build the console first (npm run build:console; an installed package ships it), or pass --console-dir DIR to serve a console built elsewhere.',
    exceptionClassName: INVALID_PARAMETER,
  },
  wrongMethod: {
    httpCode: 405,
    messageId: 'INTEGRATION-DAEMON-REST-405-001',
    template: 'The operation at {0} does not accept the method {1}; it accepts {2}',
    systemAction: 'The request is rejected.',
    userAction: 'Send the request again with one of the accepted methods.',
    exceptionClassName: INVALID_PARAMETER,
  },
  requestTimeout: {
    httpCode: 408,
    messageId: 'INTEGRATION-DAEMON-REST-408-001',
    template: 'The request was not received completely in time: {0}',
    systemAction: 'The daemon stopped waiting for the request and closes the connection; nothing is changed.',
    userAction: 'Send the request headers and body without pausing, then retry the request.',
    exceptionClassName: INVALID_PARAMETER,
  },
  bodyTooLarge: {
    httpCode: 413,
    messageId: 'INTEGRATION-DAEMON-REST-413-001',
    template: 'The request body sent to {0} is larger than the limit of {1} bytes',
    systemAction: 'The daemon stopped reading the request and closes the connection; nothing is changed.',
    userAction: 'Send a smaller body. Configuration documents and property maps are far below this limit in normal use.',
    exceptionClassName: INVALID_PARAMETER,
  },
  headersTooLarge: {
    httpCode: 431,
    messageId: 'INTEGRATION-DAEMON-REST-431-001',
    template: 'The request headers are larger than the daemon accepts: {0}',
    systemAction: 'The daemon stopped reading the request and closes the connection; nothing is changed.',
    userAction: 'Send fewer or shorter headers; the bearer token and a Content-Type are all the API needs.',
    exceptionClassName: INVALID_PARAMETER,
  },
  unexpected: {
    httpCode: 500,
    messageId: 'INTEGRATION-DAEMON-REST-500-001',
    template: 'The integration daemon {0} failed unexpectedly while processing {1}; incident {2} has been logged',
    systemAction: 'The request may not have been carried out. The full error is in the daemon log under the incident id.',
    userAction: 'Check the daemon log for the incident id, then retry the request. Report the error if it persists.',
    exceptionClassName: PROPERTY_SERVER,
  },
} satisfies Record<string, RestMessageDefinition>;

export type RestMessageKey = keyof typeof REST_MESSAGES;

/** A refusal on its way to the client: the HTTP status plus the FFDC body. */
export class RestError extends Error {
  constructor(
    readonly httpCode: number,
    readonly envelope: Omit<FFDCErrorResponse, 'class' | 'actionDescription'>,
    readonly headers: Record<string, string> = {},
  ) {
    super(envelope.exceptionErrorMessage);
    this.name = 'RestError';
  }
}

export function restError(key: RestMessageKey, parameters: string[], headers: Record<string, string> = {}): RestError {
  const definition: RestMessageDefinition = REST_MESSAGES[key];
  return new RestError(
    definition.httpCode,
    {
      relatedHTTPCode: definition.httpCode,
      exceptionClassName: definition.exceptionClassName,
      exceptionErrorMessage: `${definition.messageId} ${fillTemplate(definition.template, parameters)}`,
      exceptionErrorMessageId: definition.messageId,
      exceptionErrorMessageParameters: parameters,
      exceptionSystemAction: definition.systemAction,
      exceptionUserAction: definition.userAction,
    },
    headers,
  );
}

export function fromDaemonRequestError(error: DaemonRequestError): RestError {
  return new RestError(error.httpCode, {
    relatedHTTPCode: error.httpCode,
    exceptionClassName: error.exceptionClassName,
    exceptionErrorMessage: error.message,
    exceptionErrorMessageId: error.messageId,
    exceptionErrorMessageParameters: error.parameters,
    exceptionSystemAction: error.systemAction,
    exceptionUserAction: error.userAction,
    ...(error.problems !== undefined ? { problems: error.problems } : {}),
  });
}

/** The metadata server refusing a malformed query (a NUL in a filter, …): the request is at fault, not the daemon. */
export function fromInvalidMetadataRequest(error: InvalidMetadataRequestError): RestError {
  const text = error.message.startsWith(`${error.messageId} `) ? error.message.slice(error.messageId.length + 1) : error.message;
  return new RestError(400, {
    relatedHTTPCode: 400,
    exceptionClassName: INVALID_PARAMETER,
    exceptionErrorMessage: error.message,
    exceptionErrorMessageId: error.messageId,
    exceptionErrorMessageParameters: [text],
    exceptionSystemAction: 'The metadata server refused the query; nothing is changed.',
    exceptionUserAction: error.userAction,
  });
}

export function envelopeFor(error: RestError, responseClass: string, actionDescription: string): FFDCErrorResponse {
  return { class: responseClass, actionDescription, ...error.envelope };
}
