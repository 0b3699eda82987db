// Message definitions for the failures and recovery events this part produces, in Egeria's style
// (`<COMPONENT>-<HTTP>-<NNN>` for exceptions, `<COMPONENT>-<NNNN>` for audit records). Numbers are chosen outside
// the ranges Egeria's IntegrationDaemonServicesErrorCode/AuditCode already use, so an id never means two things.
import type { AuditSeverity } from '../../../shared/api/types.js';

export interface RecoveryMessageDefinition {
  messageId: string;
  severity: AuditSeverity;
  /** `{0}`, `{1}`, … are replaced by the parameters. */
  template: string;
  systemAction: string;
  userAction: string;
}

const define = <K extends string>(defs: Record<K, RecoveryMessageDefinition>) => defs;

export const RECOVERY_MESSAGES = define({
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
  breakerOpened: {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0070',
    severity: 'Exception',
    template: 'The metadata server {0} is not available ({1}); connectors that need it wait and the next probe is at {2}',
    systemAction: 'Connectors are parked behind one circuit breaker: one probe at a time, no retry attempts are consumed.',
    userAction: 'Start the metadata server {0}. The connectors resume on their own once it answers.',
  },
  breakerProbeFailed: {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0071',
    severity: 'Information',
    template: 'The metadata server {0} is still not available ({1}); probe {2} failed and the next probe is at {3}',
    systemAction: 'The interval between probes grows up to its maximum.',
    userAction: 'Start the metadata server {0}, or ask for a probe now from the console once it is back.',
  },
  breakerClosed: {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0072',
    severity: 'Information',
    template: 'The metadata server {0} is available again after {1} ms; {2} waiting connector(s) are resuming',
    systemAction: 'Parked connectors are released spread over a short period so the server is not flooded.',
    userAction: 'None.',
  },
  objectRetryScheduled: {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0073',
    severity: 'Information',
    template: 'Object {1} of integration connector {0} failed ({2}); retry {3} is scheduled for {4}',
    systemAction: 'A durable retry trigger is kept; the object is re-processed from its current state.',
    userAction: 'None unless the object keeps failing; retry now is available in the console.',
  },
  objectRetryGaveUp: {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0074',
    severity: 'Error',
    template: 'Integration connector {0} gave up retrying object {1} after {2} retries; the last error was {3}',
    systemAction: 'The retry trigger is kept in state gaveUp, visible in the console; no more automatic retries.',
    userAction: 'Fix the cause shown in the last error, then use retry now for the object.',
  },
  stateNotSaved: {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0075',
    severity: 'Error',
    template: 'The integration daemon could not save {0} to its state store: {1}',
    systemAction: 'The daemon carries on with the state in memory; it will be lost if the daemon restarts.',
    userAction: 'Check the disk space and permissions of the daemon state directory.',
  },
});

export type RecoveryMessageKey = keyof typeof RECOVERY_MESSAGES;

export function fillTemplate(template: string, parameters: readonly string[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => parameters[Number(index)] ?? whole);
}
