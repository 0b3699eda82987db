// What a failure record is "about" for the notification policy: the message id of the exception it carries, so
// records that tell the same failure group into one notice whatever wrapper the daemon put around them.
import type { AuditRecord } from '../api/types.js';

/** Egeria-style message ids: BASIC-FILES-INTEGRATION-CONNECTORS-404-001, OMIS-DATABASE-INTEGRATOR-400-001. */
const MESSAGE_ID = /\b([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d{3}-\d{3})\b/;

/**
 * The cause of a failure record: the message id of the exception it carries (the daemon wraps connector errors in
 * its own INTEGRATION-DAEMON-SERVICES-0031 record, so the record's id alone would lump every failure together).
 */
export function causeOf(record: AuditRecord): { messageId: string; text: string } {
  for (const text of [record.exceptionMessage, record.messageText]) {
    const match = text?.match(MESSAGE_ID);
    if (text && match?.[1]) return { messageId: match[1], text: text.slice(text.indexOf(match[1])) };
  }
  return { messageId: record.messageId, text: `${record.messageId} ${record.messageText}` };
}
