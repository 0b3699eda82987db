// Counts pending object retries per connector from the retry queue's change events, so a status report (built for
// every connector on each GET /status) does not scan every object retry of the daemon.
import type { StoredObjectRetry } from '../state/types.js';

export class PendingObjectRetries {
  private readonly pending = new Map<string, boolean>();
  private readonly counts = new Map<string, number>();

  /** A trigger was saved (or removed). */
  update(row: StoredObjectRetry, removed: boolean): void {
    const key = `${row.connectorId}\u0000${row.objectKey}`;
    const was = this.pending.get(key) ?? false;
    const now = !removed && row.state === 'PENDING';
    if (removed) this.pending.delete(key);
    else this.pending.set(key, now);
    if (was !== now) this.counts.set(row.connectorId, (this.counts.get(row.connectorId) ?? 0) + (now ? 1 : -1));
  }

  count(connectorId: string): number {
    return this.counts.get(connectorId) ?? 0;
  }
}
