// Message definitions for the failures and recovery events this part produces, in Egeria's style
// (`<COMPONENT>-<HTTP>-<NNN>`). Numbers are chosen outside the ranges Egeria's IntegrationDaemonServicesErrorCode
// already uses, so an id never means two things.
import type { AuditMessageId } from '../audit/catalogue.js';
import type { MessageDefinition } from '../messages.js';

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
 * Audit records the breaker and the object retry queue write. Their definitions (template, severity, actions) live
 * in the daemon's audit catalogue.
 */
export const RECOVERY_AUDIT = {
  metadataServerUnavailable: 'INTEGRATION-DAEMON-RECOVERY-0004',
  probing: 'INTEGRATION-DAEMON-RECOVERY-0005',
  metadataServerAvailable: 'INTEGRATION-DAEMON-RECOVERY-0006',
  objectRetryScheduled: 'INTEGRATION-DAEMON-RECOVERY-0007',
  objectGaveUp: 'INTEGRATION-DAEMON-RECOVERY-0008',
  objectRecovered: 'INTEGRATION-DAEMON-RECOVERY-0009',
  suppressed: 'INTEGRATION-DAEMON-SERVICES-0106',
  stateNotSaved: 'INTEGRATION-DAEMON-RECOVERY-0050',
} as const satisfies Record<string, AuditMessageId>;
