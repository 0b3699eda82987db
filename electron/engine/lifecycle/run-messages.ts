// Audit messages of runs beyond the refresh's own: a change run (work a connector noticed by itself) and the
// mass-archive fail-safe (a held archive, and what became of it). Ids INTEGRATION-DAEMON-SERVICES-013x.
import type { AuditMessageDefinition } from '../audit/catalogue.js';
import { NO_ACTION } from '../messages.js';

export const RUN_AUDIT_MESSAGES = [
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0130',
    severity: 'Information',
    template:
      'Integration connector {0} catalogued the changes it noticed in its third-party technology in run {1}: {2} created, {3} updated, {4} archived, {5} failed',
    systemAction: 'The changes were applied at once, without waiting for the next refresh; the run is in the run history.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0131',
    severity: 'Error',
    template:
      'Integration connector {0} would have archived {1} of its {2} live elements in run {3}, more than its archive fail-safe allows ({4} %); nothing was archived',
    systemAction: 'The archive is held until an operator approves or rejects it; the elements stay as they are, and the run ends PARTIAL.',
    userAction:
      'Check what the connector {0} monitors (an unmounted share, a moved directory, a dropped schema). If the elements are really gone, approve the held archive (integration-daemon approve-archive --connector {0}, or "Archive them" in the console); otherwise reject it (reject-archive) and restore the source.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0132',
    severity: 'Information',
    template: 'User {0} approved the held archive of integration connector {1}: {2} elements were archived',
    systemAction: 'The elements the run held back are archived now.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0133',
    severity: 'Information',
    template: 'User {0} rejected the held archive of integration connector {1}: its {2} elements are kept',
    systemAction: 'Nothing is archived. A later run that still finds the elements gone holds them again.',
    userAction: 'Restore what the connector {1} monitors, or change its archiveFailSafe if such archives are expected.',
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0134',
    severity: 'Information',
    template: 'The held archive of integration connector {0} ({1} elements) was dropped because refresh run {2} replaced it',
    systemAction: 'A later refresh decided afresh what to archive; the earlier held archive no longer applies.',
    userAction: NO_ACTION,
  },
  {
    messageId: 'INTEGRATION-DAEMON-SERVICES-0135',
    severity: 'Error',
    template:
      'Catalog target {5} of integration connector {0} would have archived {1} of its {2} live elements in run {3}, more than the archive fail-safe allows ({4} %); nothing was archived',
    systemAction:
      "The archive is held until an operator approves or rejects it; the target's elements stay as they are, and the run ends PARTIAL.",
    userAction:
      'Check what catalog target {5} of {0} points at (an unmounted share, a moved directory, a dropped schema). If the elements are really gone, approve the held archive (integration-daemon approve-archive {0} --target {5}, or "Archive them" in the console); otherwise reject it (reject-archive {0} --target {5}) and restore the source.',
  },
] as const satisfies readonly AuditMessageDefinition[];

/** The records of this file, by what they tell. */
export const RUN_AUDIT = {
  changeRun: 'INTEGRATION-DAEMON-SERVICES-0130',
  archiveHeld: 'INTEGRATION-DAEMON-SERVICES-0131',
  targetArchiveHeld: 'INTEGRATION-DAEMON-SERVICES-0135',
  archiveApproved: 'INTEGRATION-DAEMON-SERVICES-0132',
  archiveRejected: 'INTEGRATION-DAEMON-SERVICES-0133',
  archiveSuperseded: 'INTEGRATION-DAEMON-SERVICES-0134',
} as const;
