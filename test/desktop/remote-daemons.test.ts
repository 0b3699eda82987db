// Remote daemons through the console window's IPC, against a real daemon process reached over REST + SSE: added
// with a token (stored encrypted, never sent back), shown in the tray, refused where no keyring would protect
// the token, removed again. Also the app without a tray (closing the window quits) and a second launch.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Conf from 'conf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonEntry, DaemonView } from '../../shared/console-backend.js';
import type { IpcResult } from '../../shared/ipc/channels.js';
import type { DesktopApp } from '../../electron/desktop/desktop-app.js';
import { runMain, type MainEnvironment } from '../../electron/desktop/electron-main.js';
import { APP_URL } from '../../electron/desktop/ipc-validation.js';
import { ConfSettingsStore, SETTINGS_OPTIONS, type DesktopSettings } from '../../electron/desktop/settings.js';
import { demoConfig } from '../../electron/engine/config/load.js';
import { startDaemonProcess, type DaemonProcess } from '../support/daemon-process.js';
import { FakeElectron } from './fake-electron.js';
import { until } from '../support/until.js';

const root = resolve(import.meta.dirname, '../..');

let dir: string;
let remote: DaemonProcess;
let remoteUrl = '';
let remoteToken = '';
const apps: DesktopApp[] = [];

function environment(argv: string[] = []): MainEnvironment {
  const rendererDir = join(dir, 'renderer');
  return {
    openSettings: (u) =>
      ConfSettingsStore.open(
        () => new Conf<DesktopSettings>({ ...SETTINGS_OPTIONS, cwd: u, projectName: 'integration-daemon', projectVersion: '0.1.0' }),
        u,
      ),
    rendererDir,
    preloadPath: join(root, 'dist', 'electron', 'preload.cjs'),
    trayIconDir: join(root, 'build', 'icons', 'tray'),
    argv,
    app: {
      policyTiming: { quietPeriodMs: 200, lostGraceMs: 0 },
      connectionOptions: { reconnect: { initialMs: 100, multiplier: 2, maxMs: 500, jitter: 0 } },
    },
    log: () => {},
  };
}

async function start(electron: FakeElectron, argv: string[] = []): Promise<DesktopApp | undefined> {
  const app = await runMain(electron, environment(argv));
  if (app) apps.push(app);
  return app;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'desktop-remote-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>');
  const data = join(dir, 'remote');
  mkdirSync(join(data, 'landing-area'), { recursive: true });
  remote = await startDaemonProcess({
    dir: data,
    config: { ...demoConfig({ dataDirectory: data }), localServerUserId: 'exchangeDL01npa' },
  });
  remoteUrl = remote.url;
  remoteToken = remote.token;
}, 60_000);

afterAll(async () => {
  for (const app of apps) await app.quit();
  await remote.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('remote daemons and app lifecycle', () => {
  it('adds a remote daemon over IPC, keeps its token encrypted and out of the page, shows it in the tray, removes it', async () => {
    const electron = new FakeElectron(join(dir, 'user-a'));
    await start(electron);
    const page = { webContentsId: electron.windows[0]!.webContents.id, url: APP_URL };
    const added = (await electron.invoke(
      'daemons:add',
      [{ label: 'Prod', url: remoteUrl, serverName: 'exchangeDL01', userId: 'garygeeke', token: remoteToken }],
      page,
    )) as IpcResult<DaemonEntry>;
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    const id = added.value.id;
    await until('the remote daemon to connect', () => electron.tray.item([/^Prod — Healthy$/]));
    const settingsFile = readFileSync(join(dir, 'user-a', 'config.json'), 'utf8');
    expect(settingsFile).not.toContain(remoteToken);
    expect(JSON.parse(settingsFile).tokens[id]).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const listed = (await electron.invoke('daemons:list', [], page)) as IpcResult<DaemonView[]>;
    expect(JSON.stringify(listed)).not.toContain(remoteToken);
    expect(listed.ok && listed.value.map((v) => [v.entry.label, v.connection])).toEqual([['Prod', 'connected']]);
    const runs = (await electron.invoke('daemon:runs', [id, { limit: 5 }], page)) as IpcResult<unknown[]>;
    expect(runs.ok).toBe(true);
    expect(await electron.invoke('notifications:mute', [id, 'LandingAreaFilesMonitor', true], page)).toEqual({ ok: true });
    expect(await electron.invoke('notifications:muted', [], page)).toEqual({
      ok: true,
      value: [{ daemonId: id, connectorName: 'LandingAreaFilesMonitor' }],
    });
    expect(electron.tray.item(['Muted connectors (1)', 'Unmute LandingAreaFilesMonitor (Prod)'])).toBeDefined();
    expect(JSON.parse(readFileSync(join(dir, 'user-a', 'config.json'), 'utf8')).notifications.mutedConnectors).toEqual([
      `${id}/LandingAreaFilesMonitor`,
    ]);
    electron.tray.item(['Muted connectors (1)', 'Unmute LandingAreaFilesMonitor (Prod)'])?.click?.();
    expect(await electron.invoke('notifications:muted', [], page)).toEqual({ ok: true, value: [] });
    const local = (await electron.invoke('daemons:remove', ['local'], page)) as IpcResult<void>;
    expect(local).toMatchObject({ ok: false, error: { messageId: 'INTEGRATION-DAEMON-DESKTOP-404-002' } });
    const renamed = (await electron.invoke('daemons:update', [id, { label: 'Production' }], page)) as IpcResult<DaemonEntry>;
    expect(renamed).toMatchObject({ ok: true, value: { id, label: 'Production', url: remoteUrl } });
    // Reconnected with the stored token: the update did not carry one.
    await until('the renamed daemon to connect', () => electron.tray.item([/^Production — Healthy$/]));
    expect(await electron.invoke('daemons:remove', [id], page)).toEqual({ ok: true });
    expect(electron.tray.item([/^Prod/])).toBeUndefined();
    expect(electron.tray.item([/^Production/])).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dir, 'user-a', 'config.json'), 'utf8')).tokens).toEqual({});
  }, 30_000);

  it('reconnects to a remote daemon with its stored token after the app restarts', async () => {
    const first = new FakeElectron(join(dir, 'user-b'));
    const app = await start(first);
    const page = { webContentsId: first.windows[0]!.webContents.id, url: APP_URL };
    await first.invoke(
      'daemons:add',
      [{ label: 'Prod', url: remoteUrl, serverName: 'exchangeDL01', userId: 'garygeeke', token: remoteToken }],
      page,
    );
    await until('connected', () => first.tray.item([/^Prod — Healthy$/]));
    await app?.quit();
    const second = new FakeElectron(join(dir, 'user-b'));
    // The same keyring: safeStorage keys live with the user's session, not with the app.
    Object.assign(second.safeStorage, first.safeStorage);
    await start(second);
    await until('connected again with the stored token', () => second.tray.item([/^Prod — Healthy$/]));
  }, 30_000);

  it('refuses to store a token where safeStorage has only the basic_text fallback, and says so', async () => {
    const electron = new FakeElectron(join(dir, 'user-c'));
    electron.keyringBackend = 'basic_text';
    const platform = Object.getOwnPropertyDescriptor(process, 'platform');
    Object.defineProperty(process, 'platform', { value: 'linux' });
    try {
      await start(electron);
      const page = { webContentsId: electron.windows[0]!.webContents.id, url: APP_URL };
      const refused = (await electron.invoke(
        'daemons:add',
        [{ label: 'Prod', url: remoteUrl, serverName: 'exchangeDL01', userId: 'u', token: remoteToken }],
        page,
      )) as IpcResult<DaemonEntry>;
      expect(refused).toMatchObject({
        ok: false,
        error: { messageId: 'INTEGRATION-DAEMON-DESKTOP-503-001', userAction: expect.stringContaining('keyring') },
      });
      expect(readFileSync(join(dir, 'user-c', 'config.json'), 'utf8')).not.toContain(remoteToken);
      const listed = (await electron.invoke('daemons:list', [], page)) as IpcResult<DaemonView[]>;
      expect(listed.ok && listed.value).toEqual([]);
    } finally {
      if (platform) Object.defineProperty(process, 'platform', platform);
    }
  });

  it('without a tray the window is not hidden on close: closing it quits the app', async () => {
    const electron = new FakeElectron(join(dir, 'user-d'));
    await start(electron, ['--no-tray', '--hidden']);
    expect(electron.trays).toEqual([]);
    const win = electron.windows[0]!;
    expect(win.visible).toBe(true);
    win.close();
    expect(win.destroyed).toBe(true);
    await until('the app to quit', () => electron.quitted);
    // Its bounds were kept for the next start.
    expect(JSON.parse(readFileSync(join(dir, 'user-d', 'config.json'), 'utf8')).window).toEqual({
      width: 1200,
      height: 800,
      x: 10,
      y: 20,
      maximized: false,
    });
  });

  it('hands a second launch to the first instance', async () => {
    const electron = new FakeElectron(join(dir, 'user-e'));
    electron.lockAvailable = false;
    expect(await runMain(electron, environment())).toBeUndefined();
    expect(electron.quitRequests).toBe(1);
    expect(electron.windows).toEqual([]);
  });
});
