// The audit-log view filters the records it already holds, so new records stream into a filtered view without
// another request.
import type { AuditRecord, AuditSeverity } from '../../shared/api/types.js';

export interface AuditFilter {
  /** Empty = every severity. */
  severities: AuditSeverity[];
  /** Empty = every connector (and daemon-level records). */
  connectorName: string;
  /** Case-insensitive match on message id, text, connector, exception and actions. */
  text: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilter = { severities: [], connectorName: '', text: '' };

export function filterAudit(records: readonly AuditRecord[], filter: AuditFilter): AuditRecord[] {
  const severities = filter.severities.length > 0 ? new Set(filter.severities) : null;
  const needle = filter.text.trim().toLowerCase();
  return records.filter((r) => {
    if (severities && !severities.has(r.severity)) return false;
    if (filter.connectorName && r.connectorName !== filter.connectorName) return false;
    if (!needle) return true;
    return [r.messageId, r.messageText, r.connectorName, r.exceptionMessage, r.exceptionClassName, r.userAction, r.systemAction].some(
      (field) => field !== undefined && field.toLowerCase().includes(needle),
    );
  });
}
