// Main's wiring end to end without an Electron binary: runMain gets a recording fake of the `electron` module and
// supervises a real daemon (the compiled CLI's serve) on the demo configuration its demo command writes. A connector's
// directory is removed → a notification is shown within 500 ms of the daemon's failure record and the tray turns
// to retrying; the directory comes back and "Retry now" in the tray → healthy. Then the daemon is killed → the
// tray says disconnected, a notice says why, "Restart local daemon now" in the tray restarts it → healthy again.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Conf from 'conf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleEvent, DaemonView } from '../../shared/console-backend.js';
import type { IpcResult } from '../../shared/ipc/channels.js';
import type { DesktopApp } from '../../electron/desktop/desktop-app.js';
import { runMain } from '../../electron/desktop/electron-main.js';
import { APP_URL } from '../../electron/desktop/ipc-validation.js';
import { TOKEN_ENV } from '../../electron/desktop/local-daemon.js';
import { NodeProcessLauncher } from '../../electron/desktop/node-launcher.js';
import { ConfSettingsStore, SETTINGS_OPTIONS, type DesktopSettings } from '../../electron/desktop/settings.js';
import { FakeElectron, type FakeBrowserWindow } from './fake-electron.js';
import { until as waitFor } from '../support/until.js';

const root = resolve(import.meta.dirname, '../..');
const cliEntry = join(root, 'dist', 'cli', 'integration-daemon.js');

let dir: string;
let electron: FakeElectron;
let desktop: DesktopApp | undefined;
let localToken = '';
const launched: string[][] = [];
const lines: string[] = [];

/** The shared wait, with the end of this test's log when it times out. */
function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  return waitFor(what, probe, timeoutMs, () => lines.slice(-15).join('\n'));
}

function window(): FakeBrowserWindow {
  const w = electron.windows[0];
  if (!w) throw new Error('no window');
  return w;
}

function asPage(win: FakeBrowserWindow) {
  return { webContentsId: win.webContents.id, url: APP_URL };
}

function landingArea(): string {
  return join(dir, 'userData', 'daemon', 'landing-area');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'desktop-wiring-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Integration Daemon</title>');
  electron = new FakeElectron(join(dir, 'userData'));
  desktop = await runMain(electron, {
    openSettings: (userData) =>
      ConfSettingsStore.open(
        () =>
          new Conf<DesktopSettings>({
            ...SETTINGS_OPTIONS,
            cwd: userData,
            configName: 'settings',
            projectName: 'integration-daemon',
            projectVersion: '0.1.0',
          }),
        userData,
      ),
    rendererDir,
    preloadPath: join(root, 'dist', 'electron', 'preload.cjs'),
    trayIconDir: join(root, 'build', 'icons', 'tray'),
    daemonEntry: cliEntry,
    launcher: (command) => {
      localToken = command.env[TOKEN_ENV] ?? localToken;
      launched.push(command.args);
      return new NodeProcessLauncher(() => ({
        command: process.execPath,
        args: [cliEntry, ...command.args],
        env: { ...process.env, ...command.env },
      }));
    },
    argv: [],
    app: {
      policyTiming: { quietPeriodMs: 1_000, updateEveryMs: 300, lostGraceMs: 300 },
      connectionOptions: { reconnect: { initialMs: 200, multiplier: 2, maxMs: 1_000, jitter: 0 } },
    },
    supervisorTiming: { initialDelayMs: 300, maxDelayMs: 1_000 },
    log: (line) => lines.push(`${new Date().toISOString().slice(17, 23)} ${line}`),
  });
}, 60_000);

afterAll(async () => {
  await desktop?.quit();
  rmSync(dir, { recursive: true, force: true });
});

describe('main wiring with a fake electron and a real daemon', () => {
  it('takes the single-instance lock, isolates the window and serves the console with a CSP', async () => {
    expect(desktop).toBeDefined();
    expect(electron.privilegedSchemes).toEqual(['app']);
    const win = window();
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(win.loaded).toBe(APP_URL);
    const page = await electron.fetchApp(APP_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect((await electron.fetchApp('app://console/../../etc/passwd')).status).toBe(404);
    expect(win.webContents.navigate('https://example.com/')).toBe(false);
    expect(win.webContents.windowOpenHandler?.({ url: 'https://egeria-project.org/' })).toEqual({ action: 'deny' });
    expect(electron.opened).toEqual(['https://egeria-project.org/']);
    let granted: boolean | undefined;
    electron.permissionRequestHandler?.(null, 'notifications', (g) => (granted = g));
    expect(granted).toBe(false);
    expect(electron.permissionCheckHandler?.(null, 'clipboard-read')).toBe(false);
  });

  it('starts the local daemon on the demo configuration and shows it healthy in the tray', async () => {
    // The first start writes the demo set-up with the CLI's demo command, then serves it.
    expect(launched.map((args) => args[0])).toEqual(['demo', 'serve']);
    await until('a healthy tray', () => electron.tray.imageName === 'tray-healthy-dark.png');
    expect(electron.tray.toolTip).toMatch(/^Integration Daemon — Healthy\n2 healthy$/);
    expect(electron.tray.item([/^This computer \(local\) — Healthy$/])).toBeDefined();
    expect(electron.tray.item(['Quit'])?.enabled).toBe(true);
  });

  it('answers the console window over IPC without tokens, and refuses other senders and bad shapes', async () => {
    const win = window();
    const answer = (await electron.invoke('daemons:list', [], asPage(win))) as IpcResult<DaemonView[]>;
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(answer.value.map((v) => [v.entry.id, v.connection])).toEqual([['local', 'connected']]);
    expect(JSON.stringify(answer.value)).not.toContain(localToken);
    const foreign = (await electron.invoke('daemons:list', [], {
      webContentsId: win.webContents.id,
      url: 'https://evil.example.com/',
    })) as IpcResult<unknown>;
    expect(foreign).toMatchObject({ ok: false, error: { messageId: 'INTEGRATION-DAEMON-DESKTOP-403-001' } });
    const bad = (await electron.invoke(
      'daemon:action',
      ['local', { kind: 'explode', scope: 'daemon' }],
      asPage(win),
    )) as IpcResult<unknown>;
    expect(bad).toMatchObject({ ok: false, error: { messageId: 'INTEGRATION-DAEMON-DESKTOP-400-001' } });
    const unknown = (await electron.invoke('daemon:runs', ['nope', { limit: 5 }], asPage(win))) as IpcResult<unknown>;
    expect(unknown).toMatchObject({ ok: false, error: { messageId: 'INTEGRATION-DAEMON-DESKTOP-404-002' } });
    expect(await electron.invoke('console:ready', [], asPage(win))).toEqual({ ok: true });
  });

  it('notifies within 500 ms of a connector failing, turns the tray to retrying, and recovers from the tray', async () => {
    // Past the quiet period after the connection was made.
    await new Promise((r) => setTimeout(r, 1_100));
    const before = electron.notifications.length;
    const removedAt = performance.now();
    rmSync(landingArea(), { recursive: true, force: true });
    const notice = await until('a notification', () => electron.notifications[before]);
    const sent = window().webContents.sent.map((s) => s.payload as ConsoleEvent);
    const failure = sent.find(
      (e) =>
        e.type === 'event' && e.event.type === 'audit' && (e.event.record.severity === 'Exception' || e.event.record.severity === 'Error'),
    );
    expect(failure, 'the failure record reached the window too').toBeDefined();
    const failureAt = failure?.type === 'event' ? Date.parse(failure.event.serverTime) : NaN;
    const latencyFromFailure = Date.now() - (performance.now() - (notice.shownAt as number)) - failureAt;
    lines.push(
      `latency: directory removed → notification ${Math.round((notice.shownAt as number) - removedAt)} ms, failure record → notification ${latencyFromFailure} ms`,
    );
    expect(latencyFromFailure).toBeLessThan(500);
    expect(notice.options.title).toMatch(/LandingArea(Files|Folder)Monitor failed on This computer|2 connectors failed on This computer/);
    // The body carries the message id: an error id (…-404-001) or the audit record that saw it first (…-0035).
    expect(notice.options.body).toMatch(/[A-Z]+(-[A-Z]+)*-(\d{3}-\d{3}|\d{4})/);
    await until('a retrying tray', () => electron.tray.imageName === 'tray-retrying-dark.png');
    expect(electron.tray.toolTip).toContain('retrying');

    // Clicking the notice opens the console at the connector.
    window().hide();
    notice.click();
    expect(window().visible).toBe(true);
    const focus = window()
      .webContents.sent.map((s) => s.payload as ConsoleEvent)
      .find((e) => e.type === 'focus-connector');
    expect(focus).toMatchObject({ type: 'focus-connector', daemonId: 'local', connectorName: expect.stringMatching(/^LandingArea/) });

    mkdirSync(landingArea(), { recursive: true });
    const daemonMenu = /^This computer \(local\) — (Retrying|Failed)$/;
    for (const name of ['LandingAreaFilesMonitor', 'LandingAreaFolderMonitor']) {
      const item = electron.tray.item([daemonMenu, new RegExp(`^${name} — `), /^(Retry now|Restart)$/]);
      item?.click?.();
    }
    await until('a healthy tray again', () => electron.tray.imageName === 'tray-healthy-dark.png', 20_000);
  }, 40_000);

  it('shows a dead local daemon as disconnected with its reason, notifies, and restarts it', async () => {
    const pid = await until('the daemon pid', () => {
      const state = desktop?.localDaemon?.supervisor.state;
      return state?.phase === 'running' ? state.pid : undefined;
    });
    const before = electron.notifications.length;
    process.kill(pid, 'SIGKILL');
    await until('a disconnected tray', () => electron.tray.imageName === 'tray-disconnected-dark.png');
    const lost = await until('a daemon-lost notification', () =>
      electron.notifications.slice(before).find((n) => n.options.title === 'The local integration daemon stopped'),
    );
    expect(lost.options.body).toMatch(/^The local daemon was killed by SIGKILL/);
    // "Restart local daemon now" restarts the process at once (or, if it already runs again, reconnects to it).
    const restartNow = electron.tray.item([/^This computer \(local\) — /, 'Restart local daemon now']);
    const failedActions = () => electron.notifications.filter((n) => n.options.title === 'The action failed').length;
    const failedBefore = failedActions();
    expect(restartNow).toBeDefined();
    restartNow?.click?.();
    // The restarted process answers again: the tray leaves disconnected (its connectors may still be in a
    // retry the daemon kept across the restart, so healthy is not required here).
    await until('the restarted daemon to answer', () => desktop?.service.views()[0]?.connection === 'connected', 20_000);
    await until('the tray to leave disconnected', () => electron.tray.imageName !== 'tray-disconnected-dark.png');
    expect(failedActions()).toBe(failedBefore);
    const statuses = desktop?.service
      .views()[0]
      ?.status?.integrationServiceSummaries.flatMap((s) =>
        s.integrationConnectorReports.map(
          (r) => `${r.connectorName}=${r.connectorStatus}${r.retry ? ` (retry ${r.retry.attempt}: ${r.retry.reason})` : ''}`,
        ),
      );
    lines.push(`after restart: ${statuses?.join(', ')}`);
  }, 40_000);

  it('follows the theme, snoozes from the tray, and keeps the window on close while a tray exists', async () => {
    const level = /^tray-(\w+)-dark\.png$/.exec(electron.tray.imageName)?.[1];
    expect(level).toBeDefined();
    electron.setDarkTheme(false);
    expect(electron.tray.imageName).toBe(`tray-${level}-light.png`);
    electron.tray.item(['Snooze notifications', 'For 1 hour'])?.click?.();
    await until('a snoozed icon', () => electron.tray.imageName === `tray-${level}-snoozed-light.png`);
    expect(electron.tray.item(['Notifications snoozed', 'Resume notifications'])).toBeDefined();
    window().close();
    expect(window().destroyed).toBe(false);
    expect(window().visible).toBe(false);
    electron.tray.click();
    expect(window().visible).toBe(true);
    electron.emitApp('second-instance');
    expect(window().focused).toBeGreaterThan(0);
  });

  it('quits cleanly: the daemon stops and the tray goes away', async () => {
    electron.tray.item(['Quit'])?.click?.();
    await until('the app to quit', () => electron.quitted);
    expect(electron.tray.destroyed).toBe(true);
    desktop = undefined;
    console.log(
      electron.log
        .filter((r) => r.call === 'tray.setImage')
        .map((r) => `${Math.round(r.at)} ${String(r.arg).split('/').pop()}`)
        .join('\n'),
    );
    console.log(lines.filter((l) => / (latency|notification|local daemon)|^(latency|after restart)/.test(l)).join('\n'));
  }, 20_000);
});
