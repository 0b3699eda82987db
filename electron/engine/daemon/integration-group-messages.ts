// The audit messages of integration group pickup (ids INTEGRATION-DAEMON-GROUPS-00xx) and the refusals of the
// integration group requests (INTEGRATION-DAEMON-GROUPS-4xx/5xx), kept together so they read as one set.
import type { ConfigurationProblem } from '../../../shared/api/types.js';
import type { AuditMessageDefinition } from '../audit/catalogue.js';
import { DaemonRequestError } from '../daemon-api.js';
import { NO_ACTION } from '../messages.js';

export const GROUP_AUDIT_MESSAGES = [
  {
    messageId: 'INTEGRATION-DAEMON-GROUPS-0001',
    severity: 'Information',
    template:
      'Integration daemon {0} picked up version {1} of integration group {2}: connectors started: {3}; restarted: {4}; stopped: {5}',
    systemAction:
      'Only the connectors of the group whose definition changed were started, restarted or stopped; other connectors were not touched.',
    userAction: 'Check the status of the started and restarted connectors.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-GROUPS-0002',
    severity: 'Error',
    template: 'Integration daemon {0} cannot run version {1} of integration group {2}: {3}',
    systemAction: "The group's status is FAILED. Its connectors that were running keep running as they were; the others are not started.",
    userAction:
      'Correct the group definition (integration-daemon groups show {2}, then add-connector or remove-connector) so that every connector entry is valid on this daemon and no connector name is used twice.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-GROUPS-0003',
    severity: 'Error',
    template: 'Integration daemon {0} has paused the pickup of integration groups {1} because metadata server {2} is not available',
    systemAction:
      "The groups' connectors keep their last definition; changes to the groups are picked up once the metadata server answers again.",
    userAction: 'Bring the metadata server back; pickup resumes on its own within seconds.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-GROUPS-0004',
    severity: 'Information',
    template: 'Integration daemon {0} has resumed the pickup of integration groups {1}: metadata server {2} answers again',
    systemAction: 'Every group definition is read again and changes made meanwhile are applied.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-GROUPS-0005',
    severity: 'Information',
    template: 'User {0} has {1} integration group {2} (version {3}) in metadata server {4}',
    systemAction: 'Every daemon that runs the group picks the change up within seconds.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-GROUPS-0006',
    severity: 'Information',
    template: 'Integration group {0} is named by integration daemon {1} but is not defined in metadata server {2}',
    systemAction: "The group's status is ASSIGNED: it has no connectors here until it is created.",
    userAction:
      'Create the group (integration-daemon groups create {0}) or remove it from integrationGroups in the configuration document.',
  },
] as const satisfies readonly AuditMessageDefinition[];

const NOTHING_CHANGED = 'The request is rejected; the integration group is unchanged.';

export function groupNotDefined(serverName: string, groupName: string, metadataServerName: string): DaemonRequestError {
  return new DaemonRequestError(
    404,
    'INTEGRATION-DAEMON-GROUPS-404-002',
    `Integration group ${groupName} is not defined in metadata server ${metadataServerName} of integration daemon ${serverName}`,
    [groupName, metadataServerName, serverName],
    NOTHING_CHANGED,
    'Check the group name (integration-daemon groups list), or create the group first.',
  );
}

export function groupExists(serverName: string, groupName: string): DaemonRequestError {
  return new DaemonRequestError(
    409,
    'INTEGRATION-DAEMON-GROUPS-409-001',
    `Integration group ${groupName} already exists in the metadata server of integration daemon ${serverName}`,
    [groupName, serverName],
    'The request is rejected; the existing group is unchanged.',
    'Choose another name, or change the existing group with add-connector, remove-connector or an update.',
  );
}

export function groupChangedMeanwhile(serverName: string, groupName: string, version: number): DaemonRequestError {
  return new DaemonRequestError(
    409,
    'INTEGRATION-DAEMON-GROUPS-409-002',
    `Integration group ${groupName} was changed by someone else while integration daemon ${serverName} changed it (it is now at version ${version})`,
    [groupName, serverName, String(version)],
    NOTHING_CHANGED,
    'Read the group again and repeat the change on its current version.',
  );
}

export function groupConnectorUnknown(
  serverName: string,
  groupName: string,
  connectorName: string,
  known: readonly string[],
): DaemonRequestError {
  return new DaemonRequestError(
    404,
    'INTEGRATION-DAEMON-GROUPS-404-003',
    `Integration group ${groupName} has no integration connector named ${connectorName}`,
    [groupName, connectorName, serverName],
    NOTHING_CHANGED,
    known.length === 0 ? `Integration group ${groupName} has no connectors.` : `Use one of the group's connectors: ${known.join(', ')}.`,
  );
}

export function groupConnectorsRejected(serverName: string, groupName: string, problems: ConfigurationProblem[]): DaemonRequestError {
  const summary = problems.map((p) => `${p.path || '(group)'}: ${p.message}`).join(' | ');
  const error = new DaemonRequestError(
    400,
    'INTEGRATION-DAEMON-GROUPS-400-001',
    `The connectors of integration group ${groupName} were refused by integration daemon ${serverName} with ${problems.length} problem(s): ${summary}`,
    [groupName, serverName, summary],
    NOTHING_CHANGED,
    'Correct each problem (each names its field and the fix) and send the change again.',
  );
  error.problems = problems;
  return error;
}
