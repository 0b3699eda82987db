// The one shape of a message the daemon writes, whether it ends up in the audit log, in a classified error (and
// from there in a status report) or in a REST refusal: an Egeria-style id, a template whose `{0}`, `{1}`, … are
// filled with parameters, and what the system did and what the user should do. One filler fills all of them.
import type { AuditSeverity } from '../../shared/api/types.js';

export interface MessageDefinition {
  /** `<COMPONENT>-<HTTP>-<NNN>` for errors, `<COMPONENT>-<NNNN>` for audit records, as in Egeria. */
  messageId: string;
  /** Audit log severity; a message that is only ever a refusal (REST) has none. */
  severity?: AuditSeverity;
  /** Java MessageFormat style: `{0}`, `{1}`, … */
  template: string;
  systemAction: string;
  userAction: string;
}

/** The user action of a message that only tells what happened. */
export const NO_ACTION = 'No action is required. This is part of the normal operation of the integration daemon.';

/** Fills `{n}` placeholders; a placeholder without a parameter stays visible so the gap is noticed. */
export function fillTemplate(template: string, parameters: readonly string[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => parameters[Number(index)] ?? whole);
}
