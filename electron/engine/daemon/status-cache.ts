// GET /status answered from a serialized report kept while nothing changes. Building the report of every connector
// and serializing it on each request cost half the throughput a bare HTTP server reaches with the same bytes, and
// grows with the number of connectors; the report only changes when the daemon publishes an event (a status
// change, a run, an audit record…), so the text is rebuilt then. Counters that move between events (the
// statistics during a refresh) are at most MAX_AGE_MS old. The answer's serverTime is always the current time.
import type { IntegrationDaemonStatusResponse } from '../../../shared/api/types.js';
import { isoTime } from '../lifecycle/time.js';

const MAX_AGE_MS = 1_000;
const TIME_MARK = '\u0000serverTime\u0000';

export class StatusCache {
  private cached: { version: number; builtAt: number; head: string; tail: string } | undefined;

  constructor(
    private readonly build: () => IntegrationDaemonStatusResponse,
    /** Changes whenever anything in the report may have changed: the event bus's last sequence. */
    private readonly version: () => number,
    private readonly now: () => number,
  ) {}

  json(): string {
    const now = this.now();
    const version = this.version();
    let cached = this.cached;
    if (cached === undefined || cached.version !== version || now - cached.builtAt >= MAX_AGE_MS || now < cached.builtAt) {
      const text = JSON.stringify({ ...this.build(), serverTime: TIME_MARK });
      const mark = JSON.stringify(TIME_MARK);
      const at = text.indexOf(mark);
      cached = { version, builtAt: now, head: text.slice(0, at), tail: text.slice(at + mark.length) };
      this.cached = cached;
    }
    return `${cached.head}"${isoTime(now)}"${cached.tail}`;
  }
}
