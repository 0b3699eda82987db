// Every audit message the daemon itself writes. Where Egeria has the message, id, severity and template are
// Egeria's (the 2.x wording where the seed, test/fixtures/integration-daemon-troubleshooting.txt, shows it); messages
// Egeria lacks use ids of our own: INTEGRATION-DAEMON-SERVICES-01xx (lifecycle, admin),
// INTEGRATION-DAEMON-RECOVERY-00xx (automatic recovery, defined in recovery/messages.ts) and
// INTEGRATION-DAEMON-AUDIT-00xx (the audit log).
// Failures are Exception or Error so the desktop console notifies on them; recovery progress is Information.
import type { AuditSeverity, PermittedSynchronization } from '../../../shared/api/types.js';
import { NO_ACTION, type MessageDefinition } from '../messages.js';
import { RECOVERY_AUDIT_MESSAGES } from '../recovery/messages.js';
import { RUN_AUDIT_MESSAGES } from '../lifecycle/run-messages.js';
import { GROUP_AUDIT_MESSAGES } from '../daemon/integration-group-messages.js';
import { INTEGRATION_SERVICES } from '../services.js';

/** Every audit record has a severity: it decides which destinations take it and whether the console notifies. */
export type AuditMessageDefinition = MessageDefinition & { severity: AuditSeverity };

const daemonMessages = [
  // Server start-up and shutdown (OMRS / OMAG admin lines of the seed's start-up trace).
  {
    messageId: 'OMRS-AUDIT-0064',
    severity: 'Startup',
    template: 'The Open Metadata Repository Services (OMRS) has initialized the audit log for the {0} called {1}',
    systemAction: 'The audit log is ready to receive records; earlier messages went to standard error only.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'OMAG-ADMIN-0001',
    severity: 'Startup',
    template: 'The {0} server is configured with a max page size of {1}',
    systemAction: 'Requests for pages of metadata larger than this are refused.',
    userAction:
      'If the page size is too small or too large for your clients, change maxPageSize in the configuration document and restart the daemon.',
  },
  {
    messageId: 'OMAG-ADMIN-0100',
    severity: 'Startup',
    template: 'The governance services subsystem for the {0} called {1} is about to start',
    systemAction: 'The integration services and their connectors are being started.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'OMAG-ADMIN-0101',
    severity: 'Startup',
    template: 'The governance services subsystem for the {0} called {1} has completed start up',
    systemAction: 'The integration services are running.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'OMAG-ADMIN-0004',
    severity: 'Startup',
    template: 'The {0} server has successfully completed start up.  The following services are running: {1}',
    systemAction: 'The request to start the server returns with a list of the services that were started.',
    userAction: 'Review the start up messages to ensure that all the correct services have been started and are operating without errors.',
  },
  {
    messageId: 'OMAG-ADMIN-0005',
    severity: 'Shutdown',
    template: 'The {0} server has begun the shutdown process',
    systemAction: 'Each connector is disconnected, then the metadata server and the state store are closed.',
    userAction: 'Review the shutdown messages to ensure that every connector shut down cleanly.',
  },
  {
    messageId: 'OMAG-ADMIN-0006',
    severity: 'Shutdown',
    template: 'The {0} server has completed shutdown',
    systemAction: 'The daemon process exits after this message.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'OMAG-ADMIN-0007',
    severity: 'Exception',
    template: 'The {0} server has detected an {1} exception during server shutdown.  The error message was {2}',
    systemAction: 'The shutdown continues with the remaining components.',
    userAction: 'Use the error message to find out which component failed to close; its data may need checking when the daemon restarts.',
  },

  // INTEGRATION-DAEMON-SERVICES (Egeria's ids and templates).
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0001',
    severity: 'Startup',
    template: 'The integration daemon services are initializing in server {0}',
    systemAction:
      'A new server has been started that is configured to run as an integration daemon. The integration services are started one after another.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0007',
    severity: 'Error',
    template: 'The {0} integration service is configured without any integration connectors',
    systemAction: 'The integration service runs but has nothing to do.',
    userAction: 'Add connectors to the integration service in the configuration document, or remove the integration service.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0008',
    severity: 'Startup',
    template:
      'A new integration connector named {0} is initializing in integration service {1} running in integration daemon {2}, permitted synchronization is: {3}',
    systemAction: 'The integration service is initializing an integration connector using the information in the configured connection.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0011',
    severity: 'Startup',
    template:
      'The {0} integration service has completed its initialization in integration daemon {1}.  It is running {2} integration connector(s)',
    systemAction: 'The integration service has started all of its connectors.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0013',
    severity: 'Startup',
    template: 'The integration daemon {0} has initialized',
    systemAction: 'The integration daemon has completed initialization and the connectors are running.',
    userAction:
      'Verify that all the configured integration services, and their connectors within have successfully started and are able to connect both to their third party technology and their partner OMAS.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0015',
    severity: 'Information',
    template:
      'User {0} has updated the following configuration properties for the integration connector {1} in integration daemon {2}: {3}',
    systemAction: 'The connector will be restarted once the new properties are in place.',
    userAction:
      'Ensure that the connector does not report any errors during the restart processing as it operates using its new properties.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0016',
    severity: 'Information',
    template: 'User {0} has cleared all the configuration properties for the integration connector {1} in integration daemon {2}',
    systemAction: 'The connector will be restarted once the properties are cleared.',
    userAction:
      'Ensure that the connector does not report any errors during the restart processing as it operates without configuration properties.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0017',
    severity: 'Information',
    template: 'Integration daemon {0} is not configured with any integration services',
    systemAction: 'The integration daemon runs with nothing to do until integration services are added to its configuration.',
    userAction: 'Add integration services and connectors to the configuration document.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0020',
    severity: 'Shutdown',
    template: 'The integration daemon {0} is shutting down',
    systemAction: 'The integration services are shutting down their connectors.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0021',
    severity: 'Shutdown',
    template: 'The integration service {0} in integration daemon {1} is shutting down',
    systemAction: 'The integration service is disconnecting its connectors.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0022',
    severity: 'Shutdown',
    template: 'The integration connector {0} is shutting down',
    systemAction: "The integration daemon is calling the connector's disconnect method.",
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0023',
    severity: 'Shutdown',
    template: 'The integration connector {0} reported an error on disconnect.  The exception was {1} with message {2}',
    systemAction: 'The integration service moves on to shut down its other connectors.',
    userAction: 'Use the exception message to check whether the connector left anything behind in its third party technology.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0024',
    severity: 'Shutdown',
    template: 'The integration connector {0} in integration service {1} has shutdown.  Statistics recorded were: {2}',
    systemAction: 'The connector is no longer running.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0025',
    severity: 'Shutdown',
    template: 'The integration service {0} in integration daemon {1} has completed shutdown',
    systemAction: "All of the integration service's connectors are disconnected.",
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0026',
    severity: 'Shutdown',
    template: 'The integration daemon {0} has completed shutdown',
    systemAction: 'All integration services are shut down.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0031',
    severity: 'Exception',
    template: 'The integration connector {0} method {1} has returned with a {2} exception containing message {3}',
    systemAction:
      "The integration daemon applies the connector's error handling: it retries later, waits for the metadata server, or changes the connector's status to failed.",
    userAction:
      "Use the message from the exception and knowledge of the integration connector's behavior to track down and resolve the cause of the error and then restart the connector.",
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0036',
    severity: 'Error',
    template:
      'The integration service {0} method {1} has returned with a {2} exception containing message {3} when attempting to connect to the associated metadata access server',
    systemAction: 'The connectors of this service that need the metadata server wait until it answers again.',
    userAction: 'Start the metadata server, or correct metadataServer in the configuration document.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0037',
    severity: 'Error',
    template:
      'The integration service {0} method {1} has returned with a {2} exception containing message {3} when attempting to create and initialize a connector',
    systemAction:
      "The server changes the integration connector's status to CONFIG_FAILED. It is not called again until it is restarted with workable configuration.",
    userAction: "Correct the connector's configuration using the message, then restart the connector.",
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0040',
    severity: 'Startup',
    template: 'The integration daemon thread for integration daemon {0} has started',
    systemAction: 'The daemon will periodically call refresh() on each connector according to its refresh time interval.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0041',
    severity: 'Information',
    template:
      'The integration daemon thread is refreshing integration connector {0} for the first time in the {1} integration daemon instance',
    systemAction: 'The connector is reconciling its third party technology with the metadata server.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0042',
    severity: 'Information',
    template: 'The integration daemon thread is refreshing integration connector {0} in integration daemon {1}',
    systemAction: 'The connector is reconciling its third party technology with the metadata server.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0043',
    severity: 'Information',
    template: 'The integration connector {0} in integration daemon {1} has completed refresh processing in {2} millisecond(s)',
    systemAction: 'The connector waits for its next refresh.',
    userAction: 'Verify that the time between refresh calls is appropriate for the connector.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0044',
    severity: 'Shutdown',
    template: 'The integration daemon thread for integration daemon {0} is shutting down',
    systemAction: 'No more refreshes are scheduled.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0057',
    severity: 'Information',
    template: 'User {0} has updated the endpoint network address for the integration connector {1} in integration daemon {2} to: {3}',
    systemAction: 'The connector will be restarted once the new endpoint address is in place.',
    userAction:
      'Ensure that the connector does not report any errors during the restart processing as it operates using its new endpoint address.',
  },

  // Lifecycle and admin messages Egeria does not have.
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0100',
    severity: 'Information',
    template: 'User {0} has requested a restart of integration connector {1} in integration daemon {2}',
    systemAction:
      'The connector is disconnected and a new instance is created, initialized and started. Any scheduled automatic retry is cancelled.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0101',
    severity: 'Information',
    template: 'User {0} has requested a refresh of integration connector {1} in integration daemon {2}',
    systemAction: 'A refresh of the connector is queued; a refresh already running is not interrupted.',
    userAction: 'Refresh is expensive for large third party technologies; request it after an outage rather than routinely.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0102',
    severity: 'Exception',
    template: 'The integration connector {0} method {1} did not return within {2} millisecond(s)',
    systemAction: 'The call is abandoned and its abort signal fired; the failure is handled like any other exception from the connector.',
    userAction:
      'Check whether the third party technology is slow or hanging. If the work legitimately takes longer, raise timeouts.{1} for the connector in the configuration document.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0103',
    severity: 'Error',
    template: 'The integration connector {0} completed refresh processing in integration daemon {1} with {2} failed object(s) out of {3}',
    systemAction:
      "The other objects were synchronized. Each failed object has an object retry according to the connector's error handling.",
    userAction: 'Look at the pending object retries of the connector to see which objects failed and why.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0104',
    severity: 'Information',
    template:
      'User {0} has replaced the configuration document of integration daemon {1}; connectors restarted: {2}; started: {3}; stopped: {4}',
    systemAction: 'The new document was validated and written atomically. Only the connectors whose configuration changed were restarted.',
    userAction: 'Check the status of the restarted connectors.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0105',
    severity: 'Error',
    template: 'The configuration document for integration daemon {0} was rejected: {1}',
    systemAction: 'The daemon keeps running with its previous configuration.',
    userAction: 'Correct the listed problems (each names the JSON path and the fix) and submit the document again.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0106',
    severity: 'Information',
    template: '{0} audit message(s) of integration connector {1} were not recorded because it wrote more than {2}',
    systemAction: 'A connector that floods the audit log is limited so that the records of the other connectors are kept.',
    userAction: 'Look at the connector: a flood of messages usually means many objects are failing in the same way.',
  },

  // The audit log itself.
  {
    messageId: 'INTEGRATION-DAEMON-AUDIT-0001',
    severity: 'Error',
    template: 'The audit log destination {0} failed to store a record: {1}',
    systemAction: 'The other destinations keep receiving every record. Records are not stored in this destination until it works again.',
    userAction: 'Fix the cause (for example free disk space or correct the file permissions); the destination resumes on its own.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-AUDIT-0002',
    severity: 'Information',
    template: 'The audit log destination {0} is storing records again; {1} record(s) were not stored in it',
    systemAction: 'The destination receives every record again.',
    userAction: 'The missing records can be found in the other destinations.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-AUDIT-0005',
    severity: 'Error',
    template: 'Integration connector {0} wrote an audit message that is not valid ({1}); what it wrote was: {2}',
    systemAction: 'The message is recorded as written, under this message id.',
    userAction:
      'Correct the connector so that each audit message has a messageId, a severity of Information, Error, Exception, Activity or Action, and a messageText.',
  },
] as const satisfies readonly AuditMessageDefinition[];

/** Component part of each integration service's own message ids (`OMIS-FILES-INTEGRATOR-0001`). */
type ServiceComponent =
  | 'FILES-INTEGRATOR'
  | 'SECURITY-INTEGRATOR'
  | 'DATABASE-INTEGRATOR'
  | 'LINEAGE-INTEGRATOR'
  | 'CATALOG-INTEGRATOR'
  | 'ORGANIZATION-INTEGRATOR';

export type AuditMessageId =
  | (typeof daemonMessages)[number]['messageId']
  | (typeof RECOVERY_AUDIT_MESSAGES)[number]['messageId']
  | (typeof RUN_AUDIT_MESSAGES)[number]['messageId']
  | (typeof GROUP_AUDIT_MESSAGES)[number]['messageId']
  | `OMIS-${ServiceComponent}-0001`
  | `OMIS-${ServiceComponent}-0002`;

/** The context manager messages every OMIS writes (seed: OMIS-FILES-INTEGRATOR-0001 and -0002). */
const serviceMessages: AuditMessageDefinition[] = INTEGRATION_SERVICES.flatMap((service) => [
  {
    messageId: `${service.messageComponent}-0001`,
    severity: 'Startup' as const,
    template: `The ${service.contextManagerPhrase} context manager is being initialized for calls to server {0} on platform {1}`,
    systemAction: `The ${service.integrationServiceFullName} is preparing the contexts its connectors use to reach the metadata server.`,
    userAction: NO_ACTION,
  },
  {
    messageId: `${service.messageComponent}-0002`,
    severity: 'Startup' as const,
    template:
      'Creating context for integration connector {0} ({1}) connecting to third party technology {2} with permitted synchronization of {3} and service options of {4}',
    systemAction: 'The connector receives the context through which it reaches the metadata server.',
    userAction: NO_ACTION,
  },
]);

export const AUDIT_MESSAGES: readonly AuditMessageDefinition[] = Object.freeze([
  ...daemonMessages,
  ...RECOVERY_AUDIT_MESSAGES,
  ...RUN_AUDIT_MESSAGES,
  ...GROUP_AUDIT_MESSAGES,
  ...serviceMessages,
]);

const byId = new Map(AUDIT_MESSAGES.map((m) => [m.messageId, m]));

export function findAuditMessage(messageId: string): AuditMessageDefinition | undefined {
  return byId.get(messageId);
}

/** Id of a service's context manager message: `initializing` = -0001, `creatingContext` = -0002. */
export function serviceMessageId(messageComponent: string, message: 'initializing' | 'creatingContext'): AuditMessageId {
  const id = `${messageComponent}-${message === 'initializing' ? '0001' : '0002'}`;
  if (!byId.has(id))
    throw new Error(
      `INTEGRATION-DAEMON-AUDIT-0003 No audit message ${id} exists; ${messageComponent} is not an integration service's message component.`,
    );
  return id as AuditMessageId;
}

/** A message parameter as callers hold it; rendered the way Java renders it (`null` for absent values). */
export type AuditParameter = string | number | boolean | bigint | null | undefined;

export function renderParameter(value: AuditParameter): string {
  return value === null || value === undefined ? 'null' : String(value);
}

/** A retry limit as the recovery messages print it. */
export function retryLimitText(retryLimit: number | null): string {
  return retryLimit === null ? 'unlimited' : String(retryLimit);
}

/** Egeria's display names of permitted synchronization, as messages 0008 and OMIS-*-0002 print them. */
const PERMITTED_SYNCHRONIZATION_WORDS: Record<PermittedSynchronization, string> = {
  FROM_THIRD_PARTY: 'From Third Party',
  TO_THIRD_PARTY: 'To Third Party',
  BOTH_DIRECTIONS: 'Both Directions',
};

/** Egeria prints permitted synchronization in words in its messages: `From Third Party`. */
export function permittedSynchronizationWords(value: PermittedSynchronization): string {
  return PERMITTED_SYNCHRONIZATION_WORDS[value];
}
