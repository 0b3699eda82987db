// What a snooze held back: one line per cause (with the connectors it hit), shown as one digest notice when the
// snooze ends, so an operator back from a meeting reads one summary instead of nothing or a storm.
import type { Notice } from './notification-policy.js';

/** A digest names at most this many causes; the console has the rest. */
const MAX_DIGEST_LINES = 8;
const MAX_NAMES = 4;

export class SnoozeDigest {
  private readonly entries = new Map<string, { line: string; connectors: string[] }>();
  /** daemonConnectorKey → its failures' causes (true: folded into another cause's line) and its last failure's time. */
  private readonly failuresOf = new Map<string, { causes: Map<string, boolean>; at: number }>();

  get size(): number {
    return this.entries.size;
  }

  /** Records a cause (its key says which records are the same cause) and the connector it hit. */
  collect(key: string, line: string, connector: string | undefined): void {
    const entry = this.entries.get(key) ?? { line, connectors: [] };
    if (connector !== undefined && !entry.connectors.includes(connector)) entry.connectors.push(connector);
    this.entries.set(key, entry);
  }

  /**
   * Records a connector's failure as a notice would have told it: a record of another cause within `burstMs` of the
   * connector's last one is the same failure reported twice (a vanished folder: 0035, then 404) and gets no line of
   * its own, and that cause stays folded in when the next refresh reports the pair again.
   */
  collectFailure(key: string, line: string, connector: { name: string; key: string } | undefined, at: number, burstMs: number): void {
    if (connector === undefined) return this.collect(key, line, undefined);
    const seen = this.failuresOf.get(connector.key) ?? { causes: new Map<string, boolean>(), at: -Infinity };
    const folded = seen.causes.get(key) ?? at - seen.at < burstMs;
    seen.causes.set(key, folded);
    seen.at = at;
    this.failuresOf.set(connector.key, seen);
    if (folded) return;
    this.collect(key, line, connector.name);
  }

  /** A connector recovered: its next failure is a new one, each of its causes with a line of its own. */
  recovered(connectorKey: string): void {
    this.failuresOf.delete(connectorKey);
  }

  /** The one notice telling what was collected, which is then forgotten; null when nothing was. */
  take(): Notice | null {
    if (this.entries.size === 0) return null;
    const entries = [...this.entries.values()];
    this.clear();
    const lines = entries.slice(0, MAX_DIGEST_LINES).map((e) => (e.connectors.length ? `${e.line} (${listNames(e.connectors)})` : e.line));
    const more = entries.length - MAX_DIGEST_LINES;
    if (more > 0) lines.push(`and ${more} more; the console lists them all`);
    const n = entries.length;
    return {
      key: 'digest',
      kind: 'digest',
      title: `While notifications were snoozed: ${n} problem${n === 1 ? '' : 's'}`,
      body: lines.join('\n'),
      daemonId: '',
      connectors: [...new Set(entries.flatMap((e) => e.connectors))],
    };
  }

  clear(): void {
    this.entries.clear();
    this.failuresOf.clear();
  }
}

/** Up to four names, then how many more. */
export function listNames(list: readonly string[]): string {
  const more = list.length - MAX_NAMES;
  return more > 0 ? `${list.slice(0, MAX_NAMES).join(', ')} and ${more} more` : list.join(', ');
}
