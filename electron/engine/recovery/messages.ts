// Message definitions of recovery: the failures a classified error is told with, in Egeria's style
// (`<COMPONENT>-<HTTP>-<NNN>`, numbers outside the ranges Egeria's IntegrationDaemonServicesErrorCode already uses, so
// an id never means two things), and the audit records automatic recovery writes.
import type { AuditMessageDefinition, AuditMessageId } from '../audit/catalogue.js';
import { NO_ACTION, type MessageDefinition } from '../messages.js';

export const RECOVERY_MESSAGES = {
  metadataServerUnavailable: {
    messageId: 'OMAG-MULTI-TENANT-404-001',
    severity: 'Exception',
    template: 'The OMAG Server {0} is not available to service a request from user {1}',
    systemAction:
      'The system is unable to process the request because the server is not running on the called platform. Every connector that needs it waits behind one shared circuit breaker.',
    userAction:
      'Start the metadata server {0} or correct metadataServer in the configuration document. No action is needed on the connectors: they resume on their own once the server answers a probe.',
  },
  connectorException: {
    messageId: 'INTEGRATION-DAEMON-SERVICES-500-031',
    severity: 'Exception',
    template: 'The integration connector {0} method {1} has returned with a {2} exception containing message {3}',
    systemAction: 'The integration daemon records the failure and applies the connector’s error-handling strategy.',
    userAction:
      "Use the message from the exception and knowledge of the integration connector's behavior to track down and resolve the cause of the error and then restart the connector.",
  },
  connectorHung: {
    messageId: 'INTEGRATION-DAEMON-SERVICES-503-031',
    severity: 'Exception',
    template: 'The integration connector {0} method {1} did not return within {2} ms',
    systemAction: 'The integration daemon aborted the call and applies the connector’s error-handling strategy.',
    userAction:
      'Check that the technology the connector {0} talks to answers promptly; if the work is simply large, raise the connector timeout. Restart the connector once the cause is fixed.',
  },
  unreachable: {
    messageId: 'INTEGRATION-DAEMON-SERVICES-503-032',
    severity: 'Exception',
    template: 'The integration connector {0} could not reach {4} during {1}: {2} exception containing message {3}',
    systemAction: 'The integration daemon retries automatically with a growing delay.',
    userAction:
      'Check that {4} is running and reachable from this machine (host, port, firewall, DNS). The connector {0} retries on its own; use retry now once it is back.',
  },
  timedOut: {
    messageId: 'INTEGRATION-DAEMON-SERVICES-504-032',
    severity: 'Exception',
    template: 'The integration connector {0} did not get an answer from {4} in time during {1}: {2} exception containing message {3}',
    systemAction: 'The integration daemon retries automatically with a growing delay.',
    userAction: 'Check the load on {4} and the network between it and this machine. The connector {0} retries on its own.',
  },
  refused: {
    messageId: 'INTEGRATION-DAEMON-SERVICES-403-032',
    severity: 'Exception',
    template: 'The integration connector {0} was refused access by {4} during {1}: {2} exception containing message {3}',
    systemAction: 'The integration daemon retries a few times in case the refusal was transient, then stops the connector.',
    userAction:
      'Check the credentials and permissions the connector {0} uses for {4} (user, password, file permissions), then restart the connector.',
  },
  notFound: {
    messageId: 'INTEGRATION-DAEMON-SERVICES-404-032',
    severity: 'Exception',
    template: 'The integration connector {0} could not find a resource of {4} during {1}: {2} exception containing message {3}',
    systemAction: 'The integration daemon retries automatically in case the resource appears.',
    userAction: 'Create the missing resource or correct the endpoint address of the connector {0}.',
  },
  conflict: {
    messageId: 'INTEGRATION-DAEMON-SERVICES-409-032',
    severity: 'Exception',
    template: 'The integration connector {0} met a conflicting change in {4} during {1}: {2} exception containing message {3}',
    systemAction: 'The integration daemon retries automatically; the retry re-reads the current state.',
    userAction: 'Usually none: the retry resolves it. If it repeats, look for another process changing the same objects.',
  },
  badConfiguration: {
    messageId: 'INTEGRATION-DAEMON-SERVICES-400-032',
    severity: 'Error',
    template: 'The integration connector {0} is not configured correctly ({1}): {3}',
    systemAction: 'The integration daemon stops the connector with status CONFIG_FAILED; retrying cannot help.',
    userAction:
      'Correct the configurationProperties or endpointAddress of the connector {0} in the configuration document; the connector restarts when its configuration changes.',
  },
  metadataServerRejected: {
    messageId: 'INTEGRATION-DAEMON-SERVICES-500-033',
    severity: 'Exception',
    template: 'The metadata server {4} rejected a request from integration connector {0} during {1}: {2} exception containing message {3}',
    systemAction: 'The integration daemon applies the connector’s error-handling strategy.',
    userAction: 'Check the metadata server {4} log and its schema; restart the connector once the cause is fixed.',
  },
} satisfies Record<string, MessageDefinition>;

/**
 * The audit records of automatic recovery (INTEGRATION-DAEMON-RECOVERY-00xx): restarts, the metadata server's
 * breaker, object retries. Part of the daemon's audit catalogue, kept here beside the recovery they tell about.
 */
export const RECOVERY_AUDIT_MESSAGES = [
  {
    messageId: 'INTEGRATION-DAEMON-RECOVERY-0001',
    severity: 'Information',
    template: 'Integration connector {0} will be restarted automatically at {1} (retry {2} of {3}) because of: {4}',
    systemAction: "The connector's status is RETRYING until the retry time; then a new instance is initialized, started and refreshed.",
    userAction:
      "No action is required if the cause is temporary. To retry at once use retry-now; to stop retrying, fix the cause or change the connector's errorHandling.",
  },
  {
    messageId: 'INTEGRATION-DAEMON-RECOVERY-0002',
    severity: 'Information',
    template: 'Integration connector {0} is being restarted automatically (retry {1} of {2})',
    systemAction: 'A new connector instance is being initialized and started.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-RECOVERY-0003',
    severity: 'Error',
    template: 'Integration connector {0} has failed and will not be retried automatically ({1}). The last failure was: {2}',
    systemAction: "The connector's status is FAILED (or CONFIG_FAILED) until an operator restarts it or its configuration changes.",
    userAction: 'Resolve the cause named in the last failure, then restart the connector from the console or through the REST API.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-RECOVERY-0004',
    severity: 'Error',
    template: 'The metadata server {0} is not available: {1}. The first probe is at {2}',
    systemAction:
      'Connectors that need the metadata server wait for it behind one circuit breaker. No retry attempts are consumed while it is open; one probe at a time checks whether the server answers, without a record of its own: the next record tells when the server is back.',
    userAction: 'Start the metadata server or restore the network path to it. The connectors resume on their own when it answers.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-RECOVERY-0006',
    severity: 'Information',
    template: 'The metadata server {0} is available again after an outage of {1}. Integration connectors that waited for it: {2}',
    systemAction: 'The circuit breaker is closed and the connectors that waited are restarted, spread over a second.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-RECOVERY-0007',
    severity: 'Information',
    template: 'Integration connector {0} will process {1} again at {2} (retry {3} of {4}) because of: {5}',
    systemAction:
      'An object retry is kept for the object (it survives a restart); the connector re-reads its current state at the retry time.',
    userAction: 'No action is required if the cause is temporary. Pending object retries are listed per connector in the console.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-RECOVERY-0008',
    severity: 'Error',
    template: 'Integration connector {0} has given up on {1} after {2} attempt(s). The last failure was: {3}',
    systemAction: 'The object is no longer retried automatically; it stays listed as given up.',
    userAction:
      'Fix the object in the third party technology (or the cause named), then retry it from the console or through the REST API.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-RECOVERY-0009',
    severity: 'Information',
    template: 'Integration connector {0} has processed {1} successfully after {2} failed attempt(s)',
    systemAction: 'The object retry is removed.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-RECOVERY-0050',
    severity: 'Error',
    template: 'The integration daemon could not save {0} to its state store: {1}',
    systemAction: 'The daemon carries on with the state in memory; it will be lost if the daemon restarts.',
    userAction: 'Check the disk space and permissions of the daemon state directory.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-RECOVERY-0010',
    severity: 'Exception',
    template: 'Integration connector {0} failed to process {1}: {2}',
    systemAction: "The refresh goes on with the other objects; the connector's error handling decides whether the object is retried.",
    userAction: 'Use the message to find out what is wrong with the object in the third party technology.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-RECOVERY-0011',
    severity: 'Information',
    template: 'User {0} has asked for the pending retry of integration connector {1} to run now',
    systemAction: 'The scheduled retry is cancelled and the connector is restarted at once.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-RECOVERY-0012',
    severity: 'Information',
    template: 'Integration connector {0} is waiting for metadata server {1} before it can continue',
    systemAction: 'The connector waits for the metadata server behind its circuit breaker; no retry attempt is consumed.',
    userAction: 'Start the metadata server or restore the network path to it.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-RECOVERY-0013',
    severity: 'Information',
    template: 'Integration connector {0} ignored a failure as its error handling says: {1}',
    systemAction: 'The connector carries on; the failure is counted.',
    userAction: "If failures like this should not be ignored, change the connector's errorHandling in the configuration document.",
  },
] as const satisfies readonly AuditMessageDefinition[];

/** The records the breaker and the object retry queue write, by what they tell. */
export const RECOVERY_AUDIT = {
  metadataServerUnavailable: 'INTEGRATION-DAEMON-RECOVERY-0004',
  metadataServerAvailable: 'INTEGRATION-DAEMON-RECOVERY-0006',
  objectRetryScheduled: 'INTEGRATION-DAEMON-RECOVERY-0007',
  objectGaveUp: 'INTEGRATION-DAEMON-RECOVERY-0008',
  objectRecovered: 'INTEGRATION-DAEMON-RECOVERY-0009',
  suppressed: 'INTEGRATION-DAEMON-SERVICES-0106',
  stateNotSaved: 'INTEGRATION-DAEMON-RECOVERY-0050',
} as const satisfies Record<string, AuditMessageId>;
