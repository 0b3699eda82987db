// GET /status answered from serialized reports kept while nothing changes. Building the report of every connector
// and serializing it on each request cost half the throughput a bare HTTP server reaches with the same bytes, and
// grows with the number of connectors; the report only changes when the daemon publishes an event (a status
// change, a run, an audit record…), so the text is rebuilt then. Counters that move between events (the
// statistics during a refresh) are at most MAX_AGE_MS old. The answer's serverTime is always the current time.
import type { IntegrationDaemonStatusResponse } from '../../../shared/api/types.js';
import { isoTime } from '../lifecycle/time.js';

const MAX_AGE_MS = 1_000;
const TIME_MARK = '\u0000serverTime\u0000';

/** One shape of the status answer (each Egeria era's), from the daemon's status. */
export type StatusShape = (status: IntegrationDaemonStatusResponse) => unknown;

export class StatusCache {
  private readonly cached = new Map<string, { version: number; builtAt: number; parts: string[] }>();

  constructor(
    private readonly build: () => IntegrationDaemonStatusResponse,
    /** Changes whenever anything in the report may have changed: the event bus's last sequence. */
    private readonly version: () => number,
    private readonly now: () => number,
  ) {}

  /** The status in the shape called `variant` as JSON text; `shape` builds it when the kept text is stale. */
  json(variant: string, shape: StatusShape): string {
    const now = this.now();
    const version = this.version();
    let cached = this.cached.get(variant);
    if (cached === undefined || cached.version !== version || now - cached.builtAt >= MAX_AGE_MS || now < cached.builtAt) {
      const text = JSON.stringify(shape({ ...this.build(), serverTime: TIME_MARK }));
      cached = { version, builtAt: now, parts: text.split(JSON.stringify(TIME_MARK)) };
      this.cached.set(variant, cached);
    }
    return cached.parts.join(`"${isoTime(now)}"`);
  }
}
