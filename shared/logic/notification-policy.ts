// Decides which desktop notices to show. Pure and clock-injected: main feeds it audit records, daemon
// connection changes and status snapshots and shows whatever it returns; tests drive it with a fake clock.
//
// Rules (operators of tray monitors ask to hear of a failure once: no storm, no noise from a start or a reconnect):
// - only audit Exception and Error records notify;
// - one notice per cause: records with the same message id on the same daemon within a window become one notice
//   that is updated in place ("3 connectors failed: …"), at most every `updateEveryMs`;
// - a connector just told of is not told again for another cause within `updateEveryMs` (a vanished folder: 0035, 404);
// - a connector that keeps failing with the same message notifies once per `repeatAfterMs` until it recovers;
// - a rate limit on new notices; what it held back is summarised in one notice when the limit frees up;
// - snooze, per-connector mute, and quiet periods after start and after each (re)connect (replays, start noise);
// - a daemon lost (local died, remote unreachable) notifies once per loss if still lost after a grace period
//   (and past a quiet period), with the latest reason known by then;
// - a connector with no successful refresh for `staleMultiple` × its refresh interval notifies once per episode;
// - while snoozed, what would have been shown is collected and shown as one digest when the snooze ends;
// - while a metadata server is down, one notice for the outage: the connectors' failures that name it join it.
import type { AuditRecord, MetadataServerStatus } from '../api/types.js';
import type { DaemonView } from '../console-backend.js';
import { connectorsOf, isStopped } from './aggregate.js';
import { causeOf } from './notification-cause.js';
import { listNames, SnoozeDigest } from './notification-digest.js';

export interface NotificationPreferences {
  enabled: boolean;
  /** Epoch ms; null = not snoozed. */
  snoozedUntil: number | null;
  /** Keys from `daemonConnectorKey(daemonId, connectorName)`. */
  mutedConnectors: string[];
  /** Notify when a connector has had no successful refresh for this many refresh intervals; 0 = never. */
  staleMultiple: number;
  notifyOnDaemonLost: boolean;
}

export const DEFAULT_NOTIFICATION_PREFERENCES: NotificationPreferences = {
  enabled: true,
  snoozedUntil: null,
  mutedConnectors: [],
  staleMultiple: 3,
  notifyOnDaemonLost: true,
};

export interface PolicyTiming {
  /** Records with the same cause within this window from the first one join its notice. */
  groupWindowMs: number;
  /** Minimum time between two updates of the same grouped notice. */
  updateEveryMs: number;
  /** No failure notices this long after the app starts or a daemon (re)connects. */
  quietPeriodMs: number;
  /** At most `rateLimitCount` new notices per `rateLimitWindowMs`. */
  rateLimitCount: number;
  rateLimitWindowMs: number;
  /** The same connector failing with the same message notifies again only after this long (or after it recovers). */
  repeatAfterMs: number;
  /** A lost daemon is announced only if still lost after this long: a daemon restart is not worth a notice. */
  lostGraceMs: number;
}

export const DEFAULT_POLICY_TIMING: PolicyTiming = {
  groupWindowMs: 60_000,
  updateEveryMs: 5_000,
  quietPeriodMs: 10_000,
  rateLimitCount: 4,
  rateLimitWindowMs: 60_000,
  repeatAfterMs: 30 * 60_000,
  lostGraceMs: 3_000,
};

export type NoticeKind = 'failure' | 'daemon-lost' | 'stale' | 'suppressed' | 'outage' | 'digest';

export interface Notice {
  /** Stable per group: a notice with the key of one on screen replaces it. */
  key: string;
  kind: NoticeKind;
  title: string;
  body: string;
  daemonId: string;
  /** The connector a click opens the console at (the first one of a group). */
  connectorName?: string;
  connectors: string[];
}

export function daemonConnectorKey(daemonId: string, connectorName: string): string {
  return `${daemonId}/${connectorName}`;
}

export const NOTIFYING_SEVERITIES: ReadonlySet<string> = new Set(['Exception', 'Error']);
/** The breaker's record that a metadata server is not available; its first parameter names the server. */
const METADATA_SERVER_UNAVAILABLE = 'INTEGRATION-DAEMON-RECOVERY-0004';
const METADATA_SERVER_AVAILABLE = 'INTEGRATION-DAEMON-RECOVERY-0006';

interface Outage {
  daemonId: string;
  daemonLabel: string;
  metadataServerName: string;
  since: number;
  /** Connectors whose failures joined the outage's notice. */
  connectors: string[];
}

interface Group {
  key: string;
  daemonId: string;
  daemonLabel: string;
  messageId: string;
  /** The cause as the first record told it, starting with its message id. */
  causeText: string;
  openedAt: number;
  connectors: string[];
  lastShownAt: number;
  /** Connectors joined since the notice was last shown. */
  dirty: boolean;
}

interface LostDaemon {
  label: string;
  local: boolean;
  reason: string;
  /** When the notice becomes due (after a quiet period); undefined once shown. */
  dueAt?: number | undefined;
}

function parseTime(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

export class NotificationPolicy {
  private prefs: NotificationPreferences;
  private readonly timing: PolicyTiming;
  private quietUntil = 0;
  private readonly daemonQuietUntil = new Map<string, number>();
  private readonly groups = new Map<string, Group>();
  /** daemonConnectorKey + messageId → when it was last notified. */
  private readonly lastNotified = new Map<string, number>();
  /** daemonConnectorKey → when a failure notice last named it; another cause within `updateEveryMs` is that burst. */
  private readonly failureShownAt = new Map<string, number>();
  private readonly emittedAt: number[] = [];
  private suppressed = 0;
  private readonly lost = new Map<string, LostDaemon>();
  /** daemonConnectorKey → the last-success time a stale notice was shown for. */
  private readonly staleShown = new Map<string, number>();
  /** daemonConnectorKey → when we first saw it (stands in for a last success it never had). */
  private readonly firstSeen = new Map<string, number>();
  /** `daemonId|metadataServerName` → the open outage. */
  private readonly outages = new Map<string, Outage>();
  private readonly digest = new SnoozeDigest();

  constructor(
    prefs: NotificationPreferences = DEFAULT_NOTIFICATION_PREFERENCES,
    timing: Partial<PolicyTiming> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.prefs = { ...prefs };
    this.timing = { ...DEFAULT_POLICY_TIMING, ...timing };
  }

  get preferences(): NotificationPreferences {
    return { ...this.prefs, mutedConnectors: [...this.prefs.mutedConnectors] };
  }

  setPreferences(prefs: NotificationPreferences): void {
    this.prefs = { ...prefs, mutedConnectors: [...prefs.mutedConnectors] };
  }

  isSnoozed(): boolean {
    return this.prefs.snoozedUntil !== null && this.now() < this.prefs.snoozedUntil;
  }

  /** Start of the quiet period after the app starts. */
  appStarted(): void {
    this.quietUntil = this.now() + this.timing.quietPeriodMs;
  }

  /** A daemon's event stream is (re)connected: quiet for a while, and it is no longer lost. */
  daemonConnected(daemonId: string): void {
    this.daemonQuietUntil.set(daemonId, this.now() + this.timing.quietPeriodMs);
    this.lost.delete(daemonId);
  }

  daemonRemoved(daemonId: string): void {
    this.daemonQuietUntil.delete(daemonId);
    this.lost.delete(daemonId);
    const prefix = `${daemonId}/`;
    for (const map of [this.staleShown, this.firstSeen, this.lastNotified, this.failureShownAt]) {
      for (const key of [...map.keys()]) if (key.startsWith(prefix)) map.delete(key);
    }
    for (const [key, group] of this.groups) if (group.daemonId === daemonId) this.groups.delete(key);
    for (const [key, outage] of this.outages) if (outage.daemonId === daemonId) this.outages.delete(key);
  }

  /** A connector is healthy again: its next failure notifies at once. */
  connectorRecovered(daemonId: string, connectorName: string): void {
    const connectorKey = daemonConnectorKey(daemonId, connectorName);
    for (const key of [...this.lastNotified.keys()]) if (key.startsWith(`${connectorKey}|`)) this.lastNotified.delete(key);
    this.failureShownAt.delete(connectorKey);
    this.digest.recovered(connectorKey);
    // Out of its group too, or a new failure inside the group's window would count as already announced.
    for (const [key, group] of this.groups) {
      if (group.daemonId !== daemonId || !group.connectors.includes(connectorName)) continue;
      group.connectors = group.connectors.filter((c) => c !== connectorName);
      if (group.connectors.length === 0) this.groups.delete(key);
    }
  }

  private quiet(daemonId: string): boolean {
    const t = this.now();
    return t < this.quietUntil || t < (this.daemonQuietUntil.get(daemonId) ?? 0);
  }

  private silenced(): boolean {
    return !this.prefs.enabled || this.isSnoozed();
  }

  private muted(daemonId: string, connectorName: string | undefined): boolean {
    return connectorName !== undefined && this.prefs.mutedConnectors.includes(daemonConnectorKey(daemonId, connectorName));
  }

  private slotFree(): boolean {
    const t = this.now();
    while (this.emittedAt.length && (this.emittedAt[0] as number) <= t - this.timing.rateLimitWindowMs) this.emittedAt.shift();
    return this.emittedAt.length < this.timing.rateLimitCount;
  }

  /** A slot of the rate limit; false when none is free, counted for the summary and (a failure) as its connector's burst. */
  private takeSlot(failedConnectorKey?: string): boolean {
    if (!this.slotFree()) {
      this.suppressed++;
      if (failedConnectorKey !== undefined) this.failureShownAt.set(failedConnectorKey, this.now());
      return false;
    }
    this.emittedAt.push(this.now());
    return true;
  }

  audit(daemonId: string, daemonLabel: string, record: AuditRecord): Notice[] {
    if (record.messageId === METADATA_SERVER_AVAILABLE) this.outageEnded(daemonId, record.messageParameters[0]);
    if (!NOTIFYING_SEVERITIES.has(record.severity)) return [];
    if (!this.prefs.enabled || this.quiet(daemonId) || this.muted(daemonId, record.connectorName)) return [];
    if (record.messageId === METADATA_SERVER_UNAVAILABLE) {
      return this.outageBegan(
        daemonId,
        daemonLabel,
        record.messageParameters[0] ?? 'of this daemon',
        `${record.messageId} ${record.messageText}`,
      );
    }
    const outage = this.outageNamedBy(daemonId, record);
    if (outage) {
      if (record.connectorName !== undefined && !outage.connectors.includes(record.connectorName))
        outage.connectors.push(record.connectorName);
      return [];
    }
    const connector = record.connectorName ?? '';
    const connectorKey = daemonConnectorKey(daemonId, connector);
    const cause = causeOf(record);
    if (this.isSnoozed()) {
      this.digest.collectFailure(
        `failure|${daemonId}|${cause.messageId}`,
        `${daemonLabel}: ${cause.text}`,
        connector === '' ? undefined : { name: connector, key: connectorKey },
        this.now(),
        this.timing.updateEveryMs,
      );
      return [];
    }
    const t = this.now();
    const repeatKey = `${daemonConnectorKey(daemonId, connector)}|${cause.messageId}`;
    const groupKey = `failure|${daemonId}|${cause.messageId}`;
    let group = this.groups.get(groupKey);
    if (group && t - group.openedAt >= this.timing.groupWindowMs) {
      this.groups.delete(groupKey);
      group = undefined;
    }
    if (group?.connectors.includes(connector)) return [];
    const shownAt = this.failureShownAt.get(connectorKey);
    if (connector !== '' && shownAt !== undefined && t - shownAt < this.timing.updateEveryMs) {
      // Its notice tells it; counted as announced, so the next refresh's same pair stays quiet too.
      this.lastNotified.set(repeatKey, t);
      return [];
    }
    if (group) {
      group.connectors.push(connector);
      this.lastNotified.set(repeatKey, t);
      if (connector !== '') this.failureShownAt.set(connectorKey, t);
      group.dirty = true;
      return t - group.lastShownAt >= this.timing.updateEveryMs ? [this.show(group)] : [];
    }
    const last = this.lastNotified.get(repeatKey);
    if (last !== undefined && t - last < this.timing.repeatAfterMs) return [];
    if (!this.takeSlot(connector === '' ? undefined : connectorKey)) return [];
    this.lastNotified.set(repeatKey, t);
    if (connector !== '') this.failureShownAt.set(connectorKey, t);
    group = {
      key: groupKey,
      daemonId,
      daemonLabel,
      messageId: cause.messageId,
      causeText: cause.text,
      openedAt: t,
      connectors: [connector],
      lastShownAt: t,
      dirty: false,
    };
    this.groups.set(groupKey, group);
    return [this.show(group)];
  }

  private show(group: Group): Notice {
    group.lastShownAt = this.now();
    group.dirty = false;
    const named = group.connectors.filter((c) => c !== '');
    const title =
      named.length > 1
        ? `${named.length} connectors failed on ${group.daemonLabel}: ${group.messageId}`
        : named.length === 1
          ? `${named[0]} failed on ${group.daemonLabel}`
          : `${group.daemonLabel}: ${group.messageId}`;
    const body = named.length > 1 ? `${group.causeText}\nAffected: ${listNames(named)}` : group.causeText;
    const notice: Notice = { key: group.key, kind: 'failure', title, body, daemonId: group.daemonId, connectors: named };
    if (named[0] !== undefined) notice.connectorName = named[0];
    return notice;
  }

  /**
   * A metadata server's breaker state (from a status snapshot or a `metadata-server` event): the first sign of an
   * outage is one notice; the connectors waiting behind it are not notified one by one until it answers again.
   */
  metadataServer(daemonId: string, daemonLabel: string, status: MetadataServerStatus): Notice[] {
    if (status.breakerState === 'CLOSED') {
      this.outageEnded(daemonId, status.metadataServerName);
      return [];
    }
    if (!this.prefs.enabled) return [];
    return this.outageBegan(daemonId, daemonLabel, status.metadataServerName, status.lastErrorMessage);
  }

  private outageBegan(daemonId: string, daemonLabel: string, metadataServerName: string, reason: string | undefined): Notice[] {
    const key = `${daemonId}|${metadataServerName}`;
    if (this.outages.has(key)) return [];
    this.outages.set(key, { daemonId, daemonLabel, metadataServerName, since: this.now(), connectors: [] });
    const title = `Metadata server ${metadataServerName} is unavailable on ${daemonLabel}`;
    if (this.isSnoozed()) {
      this.digest.collect(`outage|${key}`, title, undefined);
      return [];
    }
    // One notice stands for every connector of the outage: it is shown even when the rate limit is spent.
    this.emittedAt.push(this.now());
    const body = `${reason ? `${reason}\n` : ''}Connectors that need it wait and resume on their own when it answers; they are not notified one by one.`;
    return [{ key: `outage|${key}`, kind: 'outage', title, body, daemonId, connectors: [] }];
  }

  private outageEnded(daemonId: string, metadataServerName: string | undefined): void {
    for (const [key, o] of this.outages) {
      if (o.daemonId === daemonId && (metadataServerName ?? o.metadataServerName) === o.metadataServerName) this.outages.delete(key);
    }
  }

  /** The open outage on this daemon whose metadata server the record names, if any. */
  private outageNamedBy(daemonId: string, record: AuditRecord): Outage | undefined {
    for (const outage of this.outages.values()) {
      if (outage.daemonId !== daemonId) continue;
      const name = outage.metadataServerName;
      if (record.messageParameters.includes(name) || [record.messageText, record.exceptionMessage].some((t) => t?.includes(name))) {
        return outage;
      }
    }
    return undefined;
  }

  /** Once the snooze is over: what it held back, as one notice. */
  private digestNotice(): Notice[] {
    if (this.isSnoozed()) return [];
    const notice = this.digest.take();
    if (!notice || !this.prefs.enabled) return [];
    this.emittedAt.push(this.now());
    return [notice];
  }

  /** A daemon cannot be reached (remote) or its process died (local). One notice per loss. */
  daemonLost(daemonId: string, label: string, local: boolean, reason: string): Notice[] {
    const known = this.lost.get(daemonId);
    if (known) {
      known.reason = reason;
      return [];
    }
    const entry: LostDaemon = { label, local, reason };
    this.lost.set(daemonId, entry);
    if (!this.prefs.notifyOnDaemonLost) return [];
    const t = this.now();
    const dueAt = Math.max(this.quietUntil, this.daemonQuietUntil.get(daemonId) ?? 0, t + this.timing.lostGraceMs);
    if (t < dueAt) {
      entry.dueAt = dueAt;
      return [];
    }
    return this.showLost(daemonId, entry);
  }

  private showLost(daemonId: string, entry: LostDaemon): Notice[] {
    entry.dueAt = undefined;
    const title = entry.local ? 'The local integration daemon stopped' : `${entry.label} is unreachable`;
    if (this.prefs.enabled && this.isSnoozed()) this.digest.collect(`daemon-lost|${daemonId}`, `${title}: ${entry.reason}`, undefined);
    if (this.silenced() || !this.takeSlot()) return [];
    return [{ key: `daemon-lost|${daemonId}`, kind: 'daemon-lost', title, body: entry.reason, daemonId, connectors: [] }];
  }

  /** Checks the last known statuses for connectors that have gone quiet. Call on each status change and periodically. */
  staleConnectors(views: readonly DaemonView[]): Notice[] {
    const out: Notice[] = [];
    const t = this.now();
    const multiple = this.prefs.staleMultiple;
    for (const view of views) {
      if (view.connection !== 'connected') continue;
      const daemonId = view.entry.id;
      for (const { report } of connectorsOf(view)) {
        const key = daemonConnectorKey(daemonId, report.connectorName);
        if (!this.firstSeen.has(key)) this.firstSeen.set(key, t);
        const intervalMs = report.minMinutesBetweenRefresh * 60_000;
        if (multiple <= 0 || intervalMs <= 0 || isStopped(report.connectorStatus)) continue;
        const since = parseTime(report.lastSuccessfulRefreshTime) ?? parseTime(report.lastRefreshTime) ?? this.firstSeen.get(key) ?? t;
        // The daemon's clock may differ from ours; judge age on its clock when it tells us its time.
        const serverNow = t + view.clockSkewMs;
        if (serverNow - since <= multiple * intervalMs) {
          this.staleShown.delete(key);
          continue;
        }
        if (this.staleShown.get(key) === since) continue;
        if (this.silenced() || this.quiet(daemonId) || this.muted(daemonId, report.connectorName)) continue;
        if (!this.takeSlot()) continue;
        this.staleShown.set(key, since);
        const hours = (serverNow - since) / 3_600_000;
        const age = hours >= 1 ? `${Math.floor(hours)} h` : `${Math.max(1, Math.floor(hours * 60))} min`;
        out.push({
          key: `stale|${key}`,
          kind: 'stale',
          title: `${report.connectorName} has not refreshed for ${age}`,
          body: `It should refresh every ${report.minMinutesBetweenRefresh} min (status ${report.connectorStatus}) on ${view.entry.label}.`,
          daemonId,
          connectorName: report.connectorName,
          connectors: [report.connectorName],
        });
      }
    }
    return out;
  }

  /** Due work: pending group updates, deferred daemon-lost notices, the rate-limit summary. */
  tick(): Notice[] {
    const t = this.now();
    const out: Notice[] = this.digestNotice();
    for (const [key, group] of this.groups) {
      if (group.dirty && t - group.lastShownAt >= this.timing.updateEveryMs) {
        if (this.silenced()) group.dirty = false;
        else out.push(this.show(group));
      }
      if (!group.dirty && t - group.openedAt >= this.timing.groupWindowMs) this.groups.delete(key);
    }
    for (const [daemonId, entry] of this.lost) {
      if (entry.dueAt !== undefined && t >= entry.dueAt) out.push(...this.showLost(daemonId, entry));
    }
    if (this.suppressed > 0 && !this.silenced() && this.slotFree()) {
      const held = this.suppressed;
      this.suppressed = 0;
      this.emittedAt.push(t);
      out.push({
        key: 'suppressed',
        kind: 'suppressed',
        title: `${held} more problem${held === 1 ? '' : 's'} not shown`,
        body: 'Too many notifications at once. Open the console to see every failing connector.',
        daemonId: '',
        connectors: [],
      });
    }
    return out;
  }

  /** When `tick()` next has work, so main can sleep until then instead of polling. */
  nextWakeAt(): number | undefined {
    let next: number | undefined;
    const consider = (at: number) => {
      next = next === undefined ? at : Math.min(next, at);
    };
    for (const group of this.groups.values()) {
      consider(group.dirty ? group.lastShownAt + this.timing.updateEveryMs : group.openedAt + this.timing.groupWindowMs);
    }
    for (const entry of this.lost.values()) if (entry.dueAt !== undefined) consider(entry.dueAt);
    if (this.digest.size > 0) consider(this.isSnoozed() ? (this.prefs.snoozedUntil as number) : this.now());
    if (this.suppressed > 0 && this.emittedAt.length) consider((this.emittedAt[0] as number) + this.timing.rateLimitWindowMs);
    return next;
  }
}

/** "Until tomorrow" ends at 08:00 local time the next day: the start of a working day, not midnight. */
export function tomorrowMorning(now: number, hour = 8): number {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(hour, 0, 0, 0);
  return d.getTime();
}
