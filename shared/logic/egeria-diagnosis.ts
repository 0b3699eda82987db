// One table of Egeria message ids: from the message id (and text) of a foreign daemon's report it tells the error
// source, the category and what the operator should do, as our own daemon's reports say themselves. The ids,
// texts and user actions are Egeria's published message definitions (odpi/egeria *ErrorCode.java), quoted.
import type { ErrorCategory, ErrorSource } from '../api/types.js';

export interface EgeriaDiagnosis {
  messageId: string;
  errorSource: ErrorSource;
  errorCategory: ErrorCategory;
  userAction: string;
}

interface ExactEntry {
  errorSource: ErrorSource;
  errorCategory: ErrorCategory;
  userAction: string;
}

/** Exact message ids, with Egeria's own user action (and, where Egeria's is vague, what to do in our words). */
export const EGERIA_MESSAGES: Readonly<Record<string, ExactEntry>> = {
  // MultiTenantErrorCode: the partner metadata server (an OMAG Server running the OMAS) is not up.
  'OMAG-MULTI-TENANT-404-001': {
    errorSource: 'metadataServer',
    errorCategory: 'network',
    userAction:
      'Verify that the correct server is being called on the correct platform and that this server is running. Retry the request when the server is available. ' +
      'The integration daemon re-initializes the connector on its next refresh once the metadata server is running.',
  },
  // The Files Integrator OMIS and Database Integrator OMIS refuse a connector of the wrong kind (ErrorCode 400-001).
  'OMIS-FILES-INTEGRATOR-400-001': {
    errorSource: 'connector',
    errorCategory: 'configuration',
    userAction:
      'Change the connector provider class name in the connection of this connector to one whose connector inherits from the interface the message names, ' +
      'or configure the connector under the integration service it was written for; then restart the connector.',
  },
  'OMIS-DATABASE-INTEGRATOR-400-001': {
    errorSource: 'connector',
    errorCategory: 'configuration',
    userAction:
      'Change the connector provider class name in the connection of this connector to one whose connector inherits from the interface the message names, ' +
      'or configure the connector under the integration service it was written for; then restart the connector.',
  },
  // BasicFilesIntegrationConnectorsErrorCode.
  'BASIC-FILES-INTEGRATION-CONNECTORS-400-001': {
    errorSource: 'connector',
    errorCategory: 'configuration',
    userAction:
      "The name of the directory should be set up in the address property of the connection's Endpoint object. Correct this in the configuration for this connector.",
  },
  'BASIC-FILES-INTEGRATION-CONNECTORS-400-002': {
    errorSource: 'thirdParty',
    errorCategory: 'configuration',
    userAction: 'Ensure a valid directory name is passed in the address property in the Endpoint object of the Connection object.',
  },
  'BASIC-FILES-INTEGRATION-CONNECTORS-400-003': {
    errorSource: 'thirdParty',
    errorCategory: 'security',
    userAction: 'Ensure the name of a readable file is passed in the address property in the Endpoint object of the Connection object.',
  },
  'BASIC-FILES-INTEGRATION-CONNECTORS-400-004': {
    errorSource: 'metadataServer',
    errorCategory: 'generic',
    userAction:
      'Use the message in the nested exception to determine the root cause of the error. Once this is resolved, follow the instructions in the messages produced by the integration daemon to restart the connector.',
  },
  'BASIC-FILES-INTEGRATION-CONNECTORS-400-005': {
    errorSource: 'metadataServer',
    errorCategory: 'generic',
    userAction: 'Use the message in the unexpected exception to determine the root cause of the error and fix it.',
  },
  'BASIC-FILES-INTEGRATION-CONNECTORS-404-001': {
    errorSource: 'thirdParty',
    errorCategory: 'notFound',
    userAction:
      "Ensure that the name of the file in the address property of the connection's Endpoint object matches the location of the file that the connector is to access. " +
      'Create the directory (or correct the address), then restart the connector.',
  },
  'BASIC-FILES-INTEGRATION-CONNECTORS-500-001': {
    errorSource: 'thirdParty',
    errorCategory: 'security',
    userAction: 'Use details from the error message to determine the cause of the error and retry the request once it is resolved.',
  },
  'BASIC-FILES-INTEGRATION-CONNECTORS-500-002': {
    errorSource: 'thirdParty',
    errorCategory: 'generic',
    userAction: 'Use the details from the error message to determine the cause of the error and retry the request once it is resolved.',
  },
};

/** Egeria's message ids: COMPONENT-HTTP-NNN for exceptions, COMPONENT-NNNN for audit messages. */
const MESSAGE_ID = /\b([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*?)-(\d{3})-(\d{3})\b|\b([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)-(\d{4})\b/g;

interface FoundId {
  id: string;
  component: string;
  httpCode?: number;
}

function idsIn(text: string): FoundId[] {
  return [...text.matchAll(MESSAGE_ID)].map((m) =>
    m[1] !== undefined ? { id: m[0], component: m[1], httpCode: Number(m[2]) } : { id: m[0], component: m[4] as string },
  );
}

function categoryOf(httpCode: number | undefined): ErrorCategory {
  if (httpCode === 400) return 'configuration';
  if (httpCode === 401 || httpCode === 403) return 'security';
  if (httpCode === 404) return 'notFound';
  if (httpCode === 409) return 'conflict';
  if (httpCode === 504) return 'timeout';
  return 'generic';
}

/** Components of Egeria's own services on the metadata server side: its failures are the metadata server's. */
const METADATA_SERVER_COMPONENTS = /^(OMAG-MULTI-TENANT|OMRS|OMAS|OMAG-REPOSITORY|OPEN-METADATA-STORE|OMF|OMAG-COMMON)\b/;
/** The integration daemon and its services wrap what a connector returned: look past them. */
const WRAPPER_COMPONENTS = /^(INTEGRATION-DAEMON-SERVICES|OMAG-ADMIN)$/;

/** The diagnosis for one id by family, when the exact table has no row for it. */
function byFamily(found: FoundId): EgeriaDiagnosis {
  const { id, component, httpCode } = found;
  const category = categoryOf(httpCode);
  if (METADATA_SERVER_COMPONENTS.test(component)) {
    return {
      messageId: id,
      errorSource: 'metadataServer',
      errorCategory: category === 'notFound' ? 'network' : category,
      userAction: 'Check that the metadata server the integration service calls is running and reachable, then restart the connector.',
    };
  }
  if (component.startsWith('OMIS-') || component.startsWith('OCF-')) {
    return {
      messageId: id,
      errorSource: 'connector',
      errorCategory: category,
      userAction:
        category === 'configuration'
          ? "Correct the connector's configuration (its connection: provider class name, endpoint and configuration properties) as the message describes, then restart the connector."
          : 'Check the daemon audit log around this message for the cause, then restart the connector.',
    };
  }
  // A connector's own id (BASIC-FILES-INTEGRATION-CONNECTORS-…): it reports trouble with its third-party technology.
  return {
    messageId: id,
    errorSource: 'thirdParty',
    errorCategory: category,
    userAction:
      'Fix the third-party technology (or the endpoint the connector is given) as the message describes, then restart the connector.',
  };
}

/**
 * Tells error source, category and user action from a foreign report's message id and/or message text. An id of the
 * daemon that only wraps another (INTEGRATION-DAEMON-SERVICES-0031 "… containing message OMAG-MULTI-TENANT-404-001 …")
 * is looked past. Undefined when the text carries no Egeria message id.
 */
export function diagnoseEgeriaMessage(messageId: string | undefined, message: string | undefined): EgeriaDiagnosis | undefined {
  const found = idsIn([messageId ?? '', message ?? ''].join(' '));
  const exact = found.find((f) => EGERIA_MESSAGES[f.id] !== undefined);
  if (exact !== undefined) return { messageId: exact.id, ...(EGERIA_MESSAGES[exact.id] as ExactEntry) };
  if (message !== undefined && /is not of the correct type to run in the .+ integration service/.test(message)) {
    const id = found.find((f) => f.httpCode !== undefined)?.id ?? messageId ?? '';
    return {
      messageId: id,
      errorSource: 'connector',
      errorCategory: 'configuration',
      userAction: (EGERIA_MESSAGES['OMIS-FILES-INTEGRATOR-400-001'] as ExactEntry).userAction,
    };
  }
  const inner = found.filter((f) => !WRAPPER_COMPONENTS.test(f.component) && f.httpCode !== undefined);
  const chosen = inner.at(-1);
  return chosen === undefined ? undefined : byFamily(chosen);
}
