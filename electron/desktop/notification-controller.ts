// Feeds the notification policy from the console's events and shows what it decides. Connection changes become
// "daemon lost" notices, audit Exception/Error records become failure notices, connectors that turn healthy (or
// refresh well after a failure their status never showed) reset their repeat guard, metadata-server states open
// and close outages (one notice each), and the quiet-connector check runs on every status change and once a minute.
import type { AuditRecord, IntegrationConnectorReport } from '../../shared/api/types.js';
import type { ConsoleEvent, DaemonView } from '../../shared/console-backend.js';
import { connectorLevel, connectorsOf } from '../../shared/logic/aggregate.js';
import { daemonConnectorKey, NOTIFYING_SEVERITIES, type Notice, type NotificationPolicy } from '../../shared/logic/notification-policy.js';
import type { NotifierPort } from './ports.js';
import type { Clock } from '../../shared/logic/clock.js';
import type { Disposable } from '../../shared/logic/disposable.js';

export const STALE_CHECK_EVERY_MS = 60_000;

/** After a refresh these statuses say it went well (REFRESHING → WAITING, or a connector that runs on). */
const REFRESHED_WELL = new Set(['WAITING', 'RUNNING']);

export class NotificationController {
  private readonly connection = new Map<string, DaemonView['connection']>();
  private readonly levels = new Map<string, Map<string, string>>();
  /**
   * Failures a connector's status has not shown (yet), by daemonConnectorKey: a failed change run leaves the
   * status healthy and asks for a refresh. Unless a good refresh ends such a failure, the policy keeps the connector
   * in its notice's group and repeat guard, and its next failure of that cause is told late (folded into the old
   * notice's next update) or, after the group's window, not at all. `refreshErrors` is the connector's error count
   * when a refresh began after the failure, in stream order; one already running (a partial scan's or a held
   * archive's record is written during it) does not end the failure.
   */
  private readonly unsettled = new Map<string, { refreshErrors: number | undefined }>();
  private wakeTimer: Disposable | undefined;
  private staleTimer: Disposable | undefined;
  private stopped = false;

  constructor(
    private readonly policy: NotificationPolicy,
    private readonly notifier: NotifierPort,
    private readonly views: () => DaemonView[],
    private readonly onClick: (notice: Notice) => void,
    private readonly timers: Clock,
    /** Called with every notice shown (for logs and the latency figure). */
    private readonly onShown: (notice: Notice) => void = () => {},
  ) {}

  start(): void {
    this.policy.appStarted();
    this.scheduleStaleCheck();
  }

  stop(): void {
    this.stopped = true;
    this.wakeTimer?.dispose();
    this.staleTimer?.dispose();
  }

  private scheduleStaleCheck(): void {
    this.staleTimer = this.timers.setTimeout(() => {
      if (this.stopped) return;
      this.show(this.policy.staleConnectors(this.views()));
      this.scheduleStaleCheck();
    }, STALE_CHECK_EVERY_MS);
  }

  handle(event: ConsoleEvent): void {
    if (this.stopped) return;
    switch (event.type) {
      case 'daemon':
        this.onView(event.view);
        break;
      case 'daemon-removed':
        this.connection.delete(event.daemonId);
        this.levels.delete(event.daemonId);
        for (const key of [...this.unsettled.keys()]) if (key.startsWith(`${event.daemonId}/`)) this.unsettled.delete(key);
        this.policy.daemonRemoved(event.daemonId);
        break;
      case 'event':
        if (event.event.type === 'audit') {
          this.failureSeen(event.daemonId, event.event.record);
          this.show(this.policy.audit(event.daemonId, this.labelOf(event.daemonId), event.event.record));
        } else if (event.event.type === 'connector-status') {
          this.statusSeen(event.daemonId, event.event.report);
        } else if (event.event.type === 'metadata-server') {
          this.show(this.policy.metadataServer(event.daemonId, this.labelOf(event.daemonId), event.event.metadataServer));
        }
        break;
      case 'focus-connector':
        break;
    }
  }

  private onView(view: DaemonView): void {
    const id = view.entry.id;
    const before = this.connection.get(id);
    this.connection.set(id, view.connection);
    if (view.connection === 'connected' && before !== 'connected') this.policy.daemonConnected(id);
    // Every disconnected view goes to the policy: it announces a loss once, with the latest reason it was given
    // (the local daemon's exit code arrives just after its connection drops).
    if (view.connection === 'disconnected') {
      this.show(this.policy.daemonLost(id, view.entry.label, view.entry.local, view.lastError ?? 'No answer from the daemon.'));
    }
    if (view.connection === 'connected') {
      const known = this.levels.get(id) ?? new Map<string, string>();
      for (const { report } of connectorsOf(view)) {
        const level = connectorLevel(report.connectorStatus);
        if (level === 'healthy' && known.get(report.connectorName) !== 'healthy') this.policy.connectorRecovered(id, report.connectorName);
        known.set(report.connectorName, level);
      }
      this.levels.set(id, known);
      const outages = (view.status?.metadataServers ?? []).flatMap((m) => this.policy.metadataServer(id, view.entry.label, m));
      this.show([...outages, ...this.policy.staleConnectors([view])]);
    }
  }

  private failureSeen(daemonId: string, record: AuditRecord): void {
    if (record.connectorName === undefined || !NOTIFYING_SEVERITIES.has(record.severity)) return;
    this.unsettled.set(daemonConnectorKey(daemonId, record.connectorName), { refreshErrors: undefined });
  }

  private statusSeen(daemonId: string, report: IntegrationConnectorReport): void {
    const key = daemonConnectorKey(daemonId, report.connectorName);
    const failure = this.unsettled.get(key);
    if (failure === undefined) return;
    const errors = report.statistics?.errors ?? 0;
    if (report.connectorStatus === 'REFRESHING') {
      failure.refreshErrors ??= errors;
    } else if (connectorLevel(report.connectorStatus) !== 'healthy') {
      // Its status tells the failure now, and its turn back to healthy ends it (onView).
      this.unsettled.delete(key);
    } else if (failure.refreshErrors !== undefined && REFRESHED_WELL.has(report.connectorStatus)) {
      if (errors === failure.refreshErrors) {
        this.unsettled.delete(key);
        this.policy.connectorRecovered(daemonId, report.connectorName);
      } else {
        failure.refreshErrors = undefined;
      }
    }
  }

  private labelOf(daemonId: string): string {
    return this.views().find((v) => v.entry.id === daemonId)?.entry.label ?? daemonId;
  }

  private show(notices: Notice[]): void {
    for (const notice of notices) {
      this.notifier.show(notice, () => this.onClick(notice));
      this.onShown(notice);
    }
    this.scheduleWake();
  }

  private scheduleWake(): void {
    this.wakeTimer?.dispose();
    const at = this.policy.nextWakeAt();
    if (at === undefined || this.stopped) return;
    this.wakeTimer = this.timers.setTimeout(() => this.show(this.policy.tick()), Math.max(0, at - this.timers.now()));
  }
}
