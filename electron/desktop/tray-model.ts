// What the tray shows, computed from state alone: icon, tooltip and the whole menu. Rebuilt on every change and
// handed to the tray as data, so the menu can never drift from the real state (Rancher Desktop #1734) and the
// tests check exactly what a user would see. Actions are data too; the tray controller turns them into calls.
import {
  aggregate,
  HEALTH_WORDS,
  summaryText,
  type DaemonHealth,
  type HealthLevel,
  type OverallHealth,
} from '../../shared/logic/aggregate.js';
import type { ConnectorRef, DaemonView } from '../../shared/console-backend.js';
import { daemonConnectorKey, tomorrowMorning } from '../../shared/logic/notification-policy.js';
import { trayIconFileName, type PanelTheme } from './tray-icons.js';

export type TrayAction =
  | { type: 'open-console' }
  | { type: 'restart-failed'; daemonId?: string }
  | { type: 'refresh-all'; daemonId?: string }
  | { type: 'snooze'; until: number | null }
  | ({ type: 'restart-connector' } & ConnectorRef)
  | ({ type: 'retry-now' } & ConnectorRef)
  | ({ type: 'focus-connector' } & ConnectorRef)
  | { type: 'reconnect'; daemonId: string }
  | { type: 'restart-local-daemon' }
  | ({ type: 'mute'; muted: boolean } & ConnectorRef)
  | { type: 'quit' };

export type MenuItemModel =
  | { kind: 'separator' }
  | { kind: 'item'; label: string; enabled: boolean; action?: TrayAction; checked?: boolean }
  | { kind: 'submenu'; label: string; items: MenuItemModel[] };

export interface TrayState {
  views: readonly DaemonView[];
  snoozedUntil: number | null;
  /** daemonConnectorKey(daemonId, connectorName) of every muted connector. */
  muted: readonly string[];
  now: number;
  theme: PanelTheme;
}

export interface TrayModel {
  level: HealthLevel;
  snoozed: boolean;
  icon: string;
  icon2x: string;
  tooltip: string;
  menu: MenuItemModel[];
}

export const APP_TITLE = 'Integration Daemon';
/** Said in a viewer daemon's submenu instead of the actions it may not take. */
export const VIEWER_MENU_LINE = 'Viewer token: watch only (use an operator token to restart or refresh)';
/** How many failing connectors a daemon submenu lists by name before it says "and N more". */
const MAX_CONNECTORS_IN_MENU = 8;

/** The health word with a capital, as a menu label starts. */
function healthTitle(level: HealthLevel): string {
  const word = HEALTH_WORDS[level];
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function sameDay(a: number, b: number): boolean {
  return new Date(a).toDateString() === new Date(b).toDateString();
}

function untilText(until: number, now: number): string {
  return sameDay(until, now) ? `until ${clockTime(until)}` : `until tomorrow ${clockTime(until)}`;
}

function separator(): MenuItemModel {
  return { kind: 'separator' };
}

function item(label: string, action: TrayAction | undefined, enabled = true): MenuItemModel {
  return action ? { kind: 'item', label, enabled, action } : { kind: 'item', label, enabled: false };
}

function daemonStatusLine(view: DaemonView, health: DaemonHealth, now: number): string {
  if (view.connection === 'connected') {
    const c = health.counts;
    const parts = [`${c.healthy} healthy`];
    if (c.retrying) parts.unshift(`${c.retrying} retrying`);
    if (c.failed) parts.unshift(`${c.failed} failed`);
    if (c.stopped) parts.push(`${c.stopped} stopped`);
    return `Connected · ${parts.join(', ')}${health.metadataServerDown ? ' · metadata server unavailable' : ''}`;
  }
  if (view.connection === 'connecting') return 'Connecting…';
  const next = view.nextReconnectAt ? Date.parse(view.nextReconnectAt) : NaN;
  const when = Number.isNaN(next) ? '' : next <= now ? ' · reconnecting now' : ` · next attempt ${clockTime(next)}`;
  return `Disconnected${when}`;
}

/** A daemon whose token the daemon named a viewer's: the tray offers it nothing that changes it. */
function watchOnly(view: DaemonView): boolean {
  return view.mayChange === false;
}

function daemonSubmenu(view: DaemonView, health: DaemonHealth, now: number, muted: readonly string[]): MenuItemModel {
  const daemonId = view.entry.id;
  const connected = view.connection === 'connected';
  const mayChange = !watchOnly(view);
  const items: MenuItemModel[] = [item(daemonStatusLine(view, health, now), undefined)];
  if (!connected && view.lastError) items.push(item(view.lastError.split('\n')[0]!.slice(0, 120), undefined));
  if (!mayChange) items.push(item(VIEWER_MENU_LINE, undefined));
  const actions: MenuItemModel[] = [];
  if (mayChange) {
    actions.push(
      item(
        `Restart failed connectors${health.counts.failed ? ` (${health.counts.failed})` : ''}`,
        { type: 'restart-failed', daemonId },
        connected && health.counts.failed > 0,
      ),
      item('Refresh all connectors (reads everything again)', { type: 'refresh-all', daemonId }, connected),
    );
  }
  // Reconnecting changes nothing on the daemon: a viewer gets it too.
  if (!connected) {
    actions.push(
      view.entry.local
        ? item('Restart local daemon now', { type: 'restart-local-daemon' })
        : item('Reconnect now', { type: 'reconnect', daemonId }),
    );
  }
  if (actions.length) items.push(separator(), ...actions);
  const troubled = [...health.failedConnectors, ...health.retryingConnectors];
  if (troubled.length) {
    items.push(separator());
    for (const ref of troubled.slice(0, MAX_CONNECTORS_IN_MENU)) {
      const name = ref.report.connectorName;
      const retrying = ref.report.connectorStatus === 'RETRYING';
      const isMuted = muted.includes(daemonConnectorKey(daemonId, name));
      const sub: MenuItemModel[] = [
        item(ref.report.failingExceptionMessageId ?? ref.report.connectorStatus, undefined),
        item('Show in console', { type: 'focus-connector', daemonId, connectorName: name }),
        ...(!mayChange
          ? []
          : [
              retrying
                ? item('Retry now', { type: 'retry-now', daemonId, connectorName: name }, connected)
                : item('Restart', { type: 'restart-connector', daemonId, connectorName: name, urlMarker: ref.urlMarker }, connected),
            ]),
        item(isMuted ? 'Unmute notifications' : 'Mute notifications', { type: 'mute', daemonId, connectorName: name, muted: !isMuted }),
      ];
      items.push({ kind: 'submenu', label: `${name} — ${retrying ? 'retrying' : 'failed'}`, items: sub });
    }
    if (troubled.length > MAX_CONNECTORS_IN_MENU)
      items.push(item(`and ${troubled.length - MAX_CONNECTORS_IN_MENU} more…`, { type: 'open-console' }));
  }
  const label = `${view.entry.label}${view.entry.local ? ' (local)' : ''} — ${healthTitle(health.level)}`;
  return { kind: 'submenu', label, items };
}

export function buildTrayModel(state: TrayState): TrayModel {
  const health: OverallHealth = aggregate(state.views);
  const snoozed = state.snoozedUntil !== null && state.now < state.snoozedUntil;
  const iconSpec = { level: health.level, snoozed, theme: state.theme };
  // The all-daemons actions reach only daemons this app may change (not those it holds a viewer token for).
  const changeable = (daemonId: string) => {
    const view = state.views.find((v) => v.entry.id === daemonId);
    return view?.connection === 'connected' && !watchOnly(view);
  };
  const anyChangeable = state.views.some((v) => changeable(v.entry.id));

  const tooltipLines = [`${APP_TITLE} — ${healthTitle(health.level)}`, summaryText(health)];
  if (snoozed) tooltipLines.push(`Notifications snoozed ${untilText(state.snoozedUntil as number, state.now)}`);

  const snoozeItems: MenuItemModel[] = snoozed
    ? [
        item(`Snoozed ${untilText(state.snoozedUntil as number, state.now)}`, undefined),
        item('Resume notifications', { type: 'snooze', until: null }),
      ]
    : [
        item('For 1 hour', { type: 'snooze', until: state.now + 3_600_000 }),
        item('Until tomorrow (08:00)', { type: 'snooze', until: tomorrowMorning(state.now) }),
      ];

  const menu: MenuItemModel[] = [
    item('Open console', { type: 'open-console' }),
    item(summaryText(health), undefined),
    separator(),
    item(
      `Restart failed connectors${health.counts.failed ? ` (${health.counts.failed})` : ''}`,
      { type: 'restart-failed' },
      health.daemons.some((d) => d.counts.failed > 0 && changeable(d.daemonId)),
    ),
    item('Refresh all connectors (reads everything again)', { type: 'refresh-all' }, anyChangeable),
    { kind: 'submenu', label: snoozed ? 'Notifications snoozed' : 'Snooze notifications', items: snoozeItems },
  ];
  if (state.muted.length) {
    const label = (daemonId: string) => state.views.find((v) => v.entry.id === daemonId)?.entry.label ?? daemonId;
    const items = state.muted.map((key): MenuItemModel => {
      const slash = key.indexOf('/');
      const daemonId = key.slice(0, slash);
      const connectorName = key.slice(slash + 1);
      return item(`Unmute ${connectorName} (${label(daemonId)})`, { type: 'mute', daemonId, connectorName, muted: false });
    });
    menu.push({ kind: 'submenu', label: `Muted connectors (${state.muted.length})`, items });
  }
  if (state.views.length) {
    menu.push(separator());
    state.views.forEach((view, i) => menu.push(daemonSubmenu(view, health.daemons[i] as DaemonHealth, state.now, state.muted)));
  }
  menu.push(separator(), item('Quit', { type: 'quit' }));

  return {
    level: health.level,
    snoozed,
    icon: trayIconFileName(iconSpec, 1),
    icon2x: trayIconFileName(iconSpec, 2),
    tooltip: tooltipLines.join('\n'),
    menu,
  };
}

/** Labels of a menu as indented lines, for logs and tests ("- " marks a disabled entry). */
export function menuOutline(menu: readonly MenuItemModel[], depth = 0): string[] {
  const pad = '  '.repeat(depth);
  const out: string[] = [];
  for (const m of menu) {
    if (m.kind === 'separator') out.push(`${pad}---`);
    else if (m.kind === 'item') out.push(`${pad}${m.enabled ? '' : '- '}${m.label}`);
    else {
      out.push(`${pad}${m.label} >`);
      out.push(...menuOutline(m.items, depth + 1));
    }
  }
  return out;
}
