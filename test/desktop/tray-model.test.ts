// The tray as data: icon, tooltip and the whole menu computed from the daemons' state, with its actions.
import { describe, expect, it } from 'vitest';
import { buildTrayModel, menuOutline, VIEWER_MENU_LINE, type MenuItemModel, type TrayAction } from '../../electron/desktop/tray-model.js';
import { report, view } from '../support/console-fixtures.js';

const now = new Date(2026, 10, 25, 14, 0).getTime();

function find(menu: readonly MenuItemModel[], label: string): MenuItemModel | undefined {
  for (const m of menu) {
    if (m.kind !== 'separator' && m.label === label) return m;
    if (m.kind === 'submenu') {
      const inner = find(m.items, label);
      if (inner) return inner;
    }
  }
  return undefined;
}

function actionOf(menu: readonly MenuItemModel[], label: string): TrayAction | undefined {
  const m = find(menu, label);
  return m?.kind === 'item' && m.enabled ? m.action : undefined;
}

describe('tray model', () => {
  it('shows the worst state as icon, with tooltip counts and a menu that matches', () => {
    const views = [
      view('local', [report('files', 'RUNNING'), report('db', 'FAILED', { failingExceptionMessageId: 'X-500-001' })], {
        local: true,
        label: 'This computer',
      }),
      view('prod', [report('lineage', 'RETRYING')], { label: 'Prod' }),
    ];
    const model = buildTrayModel({ views, snoozedUntil: null, muted: [], now, theme: 'dark' });
    expect(model).toMatchObject({ level: 'failed', snoozed: false, icon: 'tray-failed-dark.png', icon2x: 'tray-failed-dark@2x.png' });
    expect(model.tooltip).toBe('Integration Daemon — Failed\n1 failed, 1 retrying, 1 healthy');
    expect(menuOutline(model.menu)).toEqual([
      'Open console',
      '- 1 failed, 1 retrying, 1 healthy',
      '---',
      'Restart failed connectors (1)',
      'Refresh all connectors (reads everything again)',
      'Snooze notifications >',
      '  For 1 hour',
      '  Until tomorrow (08:00)',
      '---',
      'This computer (local) — Failed >',
      '  - Connected · 1 failed, 1 healthy',
      '  ---',
      '  Restart failed connectors (1)',
      '  Refresh all connectors (reads everything again)',
      '  ---',
      '  db — failed >',
      '    - X-500-001',
      '    Show in console',
      '    Restart',
      '    Mute notifications',
      'Prod — Retrying >',
      '  - Connected · 1 retrying, 0 healthy',
      '  ---',
      '  - Restart failed connectors',
      '  Refresh all connectors (reads everything again)',
      '  ---',
      '  lineage — retrying >',
      '    - RETRYING',
      '    Show in console',
      '    Retry now',
      '    Mute notifications',
      '---',
      'Quit',
    ]);
    expect(actionOf(model.menu, 'Restart')).toEqual({
      type: 'restart-connector',
      daemonId: 'local',
      connectorName: 'db',
      urlMarker: 'files-integrator',
    });
    expect(actionOf(model.menu, 'Retry now')).toEqual({ type: 'retry-now', daemonId: 'prod', connectorName: 'lineage' });
    expect(actionOf(model.menu, 'Restart failed connectors (1)')).toEqual({ type: 'restart-failed' });
  });

  it('offers a daemon held with a viewer token no changing item, and leaves it out of the all-daemons actions', () => {
    const views = [
      view('prod', [report('db', 'FAILED', { failingExceptionMessageId: 'X-500-001' }), report('lineage', 'RETRYING')], {
        label: 'Prod',
        mayChange: false,
      }),
    ];
    const model = buildTrayModel({ views, snoozedUntil: null, muted: [], now, theme: 'dark' });
    expect(menuOutline(model.menu)).toEqual([
      'Open console',
      '- 1 failed, 1 retrying, 0 healthy',
      '---',
      '- Restart failed connectors (1)',
      '- Refresh all connectors (reads everything again)',
      'Snooze notifications >',
      '  For 1 hour',
      '  Until tomorrow (08:00)',
      '---',
      'Prod — Failed >',
      '  - Connected · 1 failed, 1 retrying, 0 healthy',
      `  - ${VIEWER_MENU_LINE}`,
      '  ---',
      '  db — failed >',
      '    - X-500-001',
      '    Show in console',
      '    Mute notifications',
      '  lineage — retrying >',
      '    - RETRYING',
      '    Show in console',
      '    Mute notifications',
      '---',
      'Quit',
    ]);
    // With an operator daemon beside it, the all-daemons items come back for that one.
    const both = buildTrayModel({
      views: [...views, view('local', [report('files', 'FAILED')], { local: true, label: 'This computer', mayChange: true })],
      snoozedUntil: null,
      muted: [],
      now,
      theme: 'dark',
    });
    expect(actionOf(both.menu, 'Restart failed connectors (2)')).toEqual({ type: 'restart-failed' });
    expect(actionOf(both.menu, 'Restart')).toEqual({
      type: 'restart-connector',
      daemonId: 'local',
      connectorName: 'files',
      urlMarker: 'files-integrator',
    });
  });

  it('disables actions that cannot work: nothing failed, or the daemon is unreachable', () => {
    const views = [
      view('prod', [report('x', 'FAILED')], {
        label: 'Prod',
        connection: 'disconnected',
        lastError: 'connect ECONNREFUSED 10.0.0.5:9443',
        nextReconnectAt: new Date(now + 30_000).toISOString(),
      }),
    ];
    const model = buildTrayModel({ views, snoozedUntil: null, muted: [], now, theme: 'light' });
    expect(model.icon).toBe('tray-failed-light.png');
    const outline = menuOutline(model.menu);
    expect(outline).toContain('- Restart failed connectors (1)');
    expect(outline).toContain('- Refresh all connectors (reads everything again)');
    expect(outline).toContain('  - Disconnected · next attempt 14:00');
    expect(outline).toContain('  - connect ECONNREFUSED 10.0.0.5:9443');
    expect(actionOf(model.menu, 'Reconnect now')).toEqual({ type: 'reconnect', daemonId: 'prod' });
  });

  it('offers to restart the local daemon when it is down, and shows disconnected when nothing is known', () => {
    const down = view('local', [], { local: true, label: 'This computer', connection: 'disconnected', lastError: 'exited with code 1' });
    delete down.status;
    const model = buildTrayModel({ views: [down], snoozedUntil: null, muted: [], now, theme: 'dark' });
    expect(model.icon).toBe('tray-disconnected-dark.png');
    expect(model.tooltip).toContain('1 of 1 daemon disconnected');
    expect(actionOf(model.menu, 'Restart local daemon now')).toEqual({ type: 'restart-local-daemon' });
  });

  it('is healthy with every connector running, and offers snooze 1 h and until tomorrow', () => {
    const model = buildTrayModel({ views: [view('a', [report('x', 'RUNNING')])], snoozedUntil: null, muted: [], now, theme: 'dark' });
    expect(model.icon).toBe('tray-healthy-dark.png');
    expect(actionOf(model.menu, 'For 1 hour')).toEqual({ type: 'snooze', until: now + 3_600_000 });
    const tomorrow = actionOf(model.menu, 'Until tomorrow (08:00)');
    expect(tomorrow?.type === 'snooze' && new Date(tomorrow.until!).getHours()).toBe(8);
  });

  it('shows the snoozed icon and a resume item while snoozed, and forgets an expired snooze', () => {
    const views = [view('a', [report('x', 'RETRYING')])];
    const snoozed = buildTrayModel({ views, snoozedUntil: now + 3_600_000, muted: [], now, theme: 'dark' });
    expect(snoozed).toMatchObject({ snoozed: true, icon: 'tray-retrying-snoozed-dark.png' });
    expect(snoozed.tooltip).toContain('Notifications snoozed until 15:00');
    expect(actionOf(snoozed.menu, 'Resume notifications')).toEqual({ type: 'snooze', until: null });
    const expired = buildTrayModel({ views, snoozedUntil: now - 1, muted: [], now, theme: 'dark' });
    expect(expired).toMatchObject({ snoozed: false, icon: 'tray-retrying-dark.png' });
  });

  it('lists at most eight troubled connectors per daemon and links the rest to the console', () => {
    const reports = Array.from({ length: 11 }, (_, i) => report(`c${i}`, 'FAILED'));
    const model = buildTrayModel({ views: [view('a', reports)], snoozedUntil: null, muted: [], now, theme: 'dark' });
    expect(menuOutline(model.menu).filter((l) => l.endsWith('— failed >'))).toHaveLength(8);
    expect(actionOf(model.menu, 'and 3 more…')).toEqual({ type: 'open-console' });
  });

  it('mutes from a connector submenu and lists every muted connector for unmuting', () => {
    const views = [view('prod', [report('lineage', 'FAILED')], { label: 'Prod' })];
    const model = buildTrayModel({ views, snoozedUntil: null, muted: ['prod/lineage', 'prod/quiet'], now, theme: 'dark' });
    expect(actionOf(model.menu, 'Unmute notifications')).toEqual({
      type: 'mute',
      daemonId: 'prod',
      connectorName: 'lineage',
      muted: false,
    });
    expect(menuOutline(model.menu)).toEqual(
      expect.arrayContaining(['Muted connectors (2) >', '  Unmute lineage (Prod)', '  Unmute quiet (Prod)']),
    );
    const unmuted = buildTrayModel({ views, snoozedUntil: null, muted: [], now, theme: 'dark' });
    expect(actionOf(unmuted.menu, 'Mute notifications')).toEqual({ type: 'mute', daemonId: 'prod', connectorName: 'lineage', muted: true });
    expect(menuOutline(unmuted.menu).some((l) => l.startsWith('Muted connectors'))).toBe(false);
  });

  it('says there are no daemons and keeps quit reachable', () => {
    const model = buildTrayModel({ views: [], snoozedUntil: null, muted: [], now, theme: 'dark' });
    expect(model.tooltip).toContain('No daemons configured');
    expect(actionOf(model.menu, 'Quit')).toEqual({ type: 'quit' });
  });
});
