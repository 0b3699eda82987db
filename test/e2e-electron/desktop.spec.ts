// The real desktop app in Electron, driven by Playwright's _electron: start, tray menu, notification, restart.
// Runs wherever an Electron binary exists (a developer machine, a networked CI); skips itself here.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { electronBinary, projectRoot } from './electron-binary.js';

const binary = electronBinary();
let app: ElectronApplication;
let page: Page;
let userData: string;

interface TrayModelSeen {
  level: string;
  icon: string;
  tooltip: string;
  menu: { kind: string; label?: string; items?: unknown[] }[];
}

async function trayModel(): Promise<TrayModelSeen> {
  return app.evaluate(
    () => (globalThis as unknown as { integrationDaemonDesktop: { trayModel: TrayModelSeen } }).integrationDaemonDesktop.trayModel,
  );
}

test.beforeAll(async () => {
  test.skip(
    !binary,
    'no Electron binary: node_modules/electron has no downloaded dist here; run `npx install-electron` on a networked machine',
  );
  if (!existsSync(join(projectRoot, 'dist', 'electron', 'main.js'))) {
    expect(spawnSync(process.execPath, [join(projectRoot, 'scripts', 'build-electron.mjs')], { stdio: 'inherit' }).status).toBe(0);
  }
  if (!existsSync(join(projectRoot, 'dist', 'renderer', 'index.html'))) {
    expect(
      spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
        cwd: projectRoot,
        stdio: 'inherit',
      }).status,
    ).toBe(0);
  }
  userData = mkdtempSync(join(tmpdir(), 'desktop-e2e-'));
  app = await _electron.launch({
    ...(binary ? { executablePath: binary } : {}),
    args: [projectRoot],
    // The unpackaged app's better-sqlite3 is built for Node, so the daemon runs on this Node (packaged apps fork it).
    env: { ...process.env, INTEGRATION_DAEMON_E2E: '1', INTEGRATION_DAEMON_USER_DATA: userData, INTEGRATION_DAEMON_NODE: process.execPath },
    timeout: 60_000,
  });
  page = await app.firstWindow();
});

test.afterAll(async () => {
  await app?.close();
  if (userData) rmSync(userData, { recursive: true, force: true });
});

test('starts with one isolated console window and one bridge object', async () => {
  test.skip(!binary, 'no Electron binary in node_modules/electron/dist');
  expect(page.url()).toBe('app://console/index.html');
  const bridge = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return { methods: Object.keys((w.integrationDaemon as object) ?? {}).sort(), require: typeof w.require, process: typeof w.process };
  });
  expect(bridge.methods).toContain('listDaemons');
  expect(bridge.require).toBe('undefined');
  expect(bridge.process).toBe('undefined');
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
});

test('shows the local daemon healthy in the tray menu', async () => {
  test.skip(!binary, 'no Electron binary in node_modules/electron/dist');
  await expect.poll(async () => (await trayModel()).level, { timeout: 30_000 }).toBe('healthy');
  const model = await trayModel();
  expect(model.menu.map((m) => m.label)).toEqual(expect.arrayContaining(['Open console', 'Quit']));
  expect(model.menu.some((m) => m.label?.startsWith('This computer (local)'))).toBe(true);
});

test('notifies when a connector fails and turns the tray to retrying', async () => {
  test.skip(!binary, 'no Electron binary in node_modules/electron/dist');
  await app.evaluate(({ Notification }) => {
    const shown: string[] = [];
    Object.assign(globalThis, { shownNotifications: shown });
    const show = Notification.prototype.show;
    Notification.prototype.show = function (this: Electron.Notification) {
      shown.push(this.title);
      return show.call(this);
    };
  });
  rmSync(join(userData, 'daemon', 'landing-area'), { recursive: true, force: true });
  await expect
    .poll(() => app.evaluate(() => (globalThis as unknown as { shownNotifications: string[] }).shownNotifications), { timeout: 30_000 })
    .toContainEqual(expect.stringMatching(/failed on This computer/));
  await expect.poll(async () => (await trayModel()).level, { timeout: 30_000 }).toBe('retrying');
  mkdirSync(join(userData, 'daemon', 'landing-area'));
});

test('restarts the connectors from the tray and comes back healthy', async () => {
  test.skip(!binary, 'no Electron binary in node_modules/electron/dist');
  await app.evaluate(async () => {
    const desktop = (
      globalThis as unknown as {
        integrationDaemonDesktop: { dispatch(action: { type: string; daemonId?: string; connectorName?: string }): Promise<void> };
      }
    ).integrationDaemonDesktop;
    for (const connectorName of ['LandingAreaFilesMonitor', 'LandingAreaFolderMonitor']) {
      await desktop.dispatch({ type: 'retry-now', daemonId: 'local', connectorName });
    }
  });
  await expect.poll(async () => (await trayModel()).level, { timeout: 30_000 }).toBe('healthy');
});

test('restarts a local daemon that dies and shows it healthy again', async () => {
  test.skip(!binary, 'no Electron binary in node_modules/electron/dist');
  const pid = await app.evaluate(() => {
    const desktop = (
      globalThis as unknown as { integrationDaemonDesktop: { localDaemon?: { supervisor: { state: { phase: string; pid?: number } } } } }
    ).integrationDaemonDesktop;
    const state = desktop.localDaemon?.supervisor.state;
    return state?.phase === 'running' ? state.pid : undefined;
  });
  expect(pid).toBeGreaterThan(0);
  process.kill(pid as number, 'SIGKILL');
  await expect.poll(async () => (await trayModel()).level, { timeout: 10_000 }).toBe('disconnected');
  await expect.poll(async () => (await trayModel()).level, { timeout: 60_000 }).not.toBe('disconnected');
});
