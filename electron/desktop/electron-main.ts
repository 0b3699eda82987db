// Wires Electron's real objects into the ports and starts the DesktopApp. The `electron` module comes in as a
// parameter: electron/main.ts passes the real one, the wiring test a recording fake, so this file runs in plain
// Node under test exactly as it runs in the app.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contentTypeFor } from '../../shared/logic/content-types.js';
import type { Notice } from '../../shared/logic/notification-policy.js';
import { DesktopApp, type DesktopAppOptions } from './desktop-app.js';
import type { ElectronApi, MenuItemTemplate, NotificationLike, TrayLike } from './electron-api.js';
import { errorText } from '../../shared/api/error-text.js';
import { DesktopError } from './errors.js';
import { APP_ORIGIN, APP_URL } from './ipc-validation.js';
import { ARGS_ENV, prepareLocalDaemon, runToEnd, type CliCommand } from './local-daemon.js';
import type { IpcPort, NotifierPort, ThemePort, TrayPort, WindowFactory, WindowPort } from './ports.js';
import { SafeStorageSecretStore } from './secret-store.js';
import {
  CONTENT_SECURITY_POLICY,
  SECURE_WEB_PREFERENCES,
  navigationAllowed,
  permissionAllowed,
  resolveAppRequest,
  windowOpenDecision,
} from './security.js';
import type { SettingsStore } from './settings.js';
import { DaemonSupervisor, describeCrash, type ChildHandle, type ProcessLauncher, type SupervisorTiming } from './supervisor.js';
import type { MenuItemModel, TrayAction } from './tray-model.js';
import { APP_TITLE } from './tray-model.js';

export interface MainEnvironment {
  /** electron-store in the app, conf in tests: both take the same schema (settings.ts). */
  openSettings(userDataDir: string): SettingsStore;
  /** The built console (dist/renderer). */
  rendererDir: string;
  preloadPath: string;
  /** Directory holding the tray icons (build/icons/tray, or resources/tray when packaged). */
  trayIconDir: string;
  /**
   * The compiled CLI's entry (dist/cli/integration-daemon.js) utilityProcess forks to run the local daemon and its
   * demo set-up; undefined = run without a local daemon.
   */
  daemonEntry?: string;
  /** Replaces utilityProcess (tests and unpackaged runs start the CLI on a plain Node). */
  launcher?: (command: CliCommand) => ProcessLauncher;
  argv: readonly string[];
  app?: Omit<DesktopAppOptions, 'local'>;
  supervisorTiming?: Partial<SupervisorTiming>;
  log?: (line: string) => void;
}

function toTemplate(menu: readonly MenuItemModel[], onAction: (action: TrayAction) => void): MenuItemTemplate[] {
  return menu.map((m): MenuItemTemplate => {
    if (m.kind === 'separator') return { type: 'separator' };
    if (m.kind === 'submenu') return { type: 'submenu', label: m.label, submenu: toTemplate(m.items, onAction) };
    const action = m.action;
    return { type: 'normal', label: m.label, enabled: m.enabled, ...(action ? { click: () => onAction(action) } : {}) };
  });
}

export function trayPort(electron: ElectronApi, iconDir: string, tray: TrayLike): TrayPort {
  return {
    setImage: (name) => tray.setImage(join(iconDir, name)),
    setToolTip: (text) => tray.setToolTip(text),
    setMenu: (menu, onAction) => tray.setContextMenu(electron.Menu.buildFromTemplate(toTemplate(menu, onAction))),
    onClick: (listener) => void tray.on('click', listener),
    destroy: () => tray.destroy(),
  };
}

export function notifierPort(electron: ElectronApi): NotifierPort {
  // Held so a shown notification is not garbage-collected (its click would be lost) and can be replaced by key.
  const onScreen = new Map<string, NotificationLike>();
  return {
    isSupported: () => electron.Notification.isSupported(),
    show(notice: Notice, onClick: () => void) {
      if (!electron.Notification.isSupported()) return;
      onScreen.get(notice.key)?.close();
      const n = new electron.Notification({ title: notice.title, body: notice.body });
      n.on('click', () => {
        onScreen.delete(notice.key);
        onClick();
      });
      onScreen.set(notice.key, n);
      n.show();
    },
  };
}

export function utilityProcessLauncher(electron: ElectronApi, entry: string, command: CliCommand): ProcessLauncher {
  return {
    launch(): ChildHandle {
      const child = electron.utilityProcess.fork(entry, [], {
        env: { ...process.env, ...command.env, [ARGS_ENV]: JSON.stringify(command.args) },
        stdio: 'pipe',
        serviceName: 'Integration Daemon',
      });
      return {
        get pid() {
          return child.pid;
        },
        // utilityProcess reports no signal; a kill shows as a non-zero code.
        onExit: (listener) => void child.on('exit', (code) => listener(code, null)),
        onStdout: (listener) => void child.stdout?.on('data', (chunk: Buffer | string) => listener(chunk.toString())),
        onStderr: (listener) => void child.stderr?.on('data', (chunk: Buffer | string) => listener(chunk.toString())),
        kill: () => void child.kill(),
      };
    },
  };
}

/** Guards every web contents the app ever creates: no navigation away, no new windows, no webviews. */
export function installSecurityGuards(electron: ElectronApi): void {
  electron.app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!navigationAllowed(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!navigationAllowed(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const decision = windowOpenDecision(url);
      if (decision.openExternally) void electron.shell.openExternal(decision.openExternally);
      return { action: 'deny' };
    });
  });
}

function serveConsole(electron: ElectronApi, rendererDir: string): void {
  electron.protocol.handle(APP_ORIGIN.protocol.replace(':', ''), async (request) => {
    const file = resolveAppRequest(request.url, rendererDir);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'Content-Type': contentTypeFor(file),
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

function windowFactory(electron: ElectronApi, env: MainEnvironment, settings: SettingsStore): WindowFactory {
  return {
    create({ show }): WindowPort {
      const state = settings.get('window');
      const win = new electron.BrowserWindow({
        width: state.width,
        height: state.height,
        ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
        show,
        title: APP_TITLE,
        // Dark until the page paints, so opening the window never flashes white.
        backgroundColor: '#1b1f24',
        webPreferences: { ...SECURE_WEB_PREFERENCES, preload: env.preloadPath },
      });
      if (state.maximized) win.maximize();
      void win.loadURL(APP_URL).catch((error: unknown) => env.log?.(`the console page did not load: ${errorText(error)}`));
      const saveBounds = () => {
        if (win.isDestroyed()) return;
        const b = win.getBounds();
        try {
          settings.set('window', {
            width: Math.max(400, b.width),
            height: Math.max(300, b.height),
            x: b.x,
            y: b.y,
            maximized: win.isMaximized(),
          });
        } catch (error) {
          env.log?.(errorText(error));
        }
      };
      return {
        webContentsId: win.webContents.id,
        show: () => {
          if (win.isMinimized()) win.restore();
          win.show();
        },
        focus: () => win.focus(),
        hide: () => win.hide(),
        isVisible: () => win.isVisible(),
        isDestroyed: () => win.isDestroyed(),
        send: (channel, payload) => win.webContents.send(channel, payload),
        onClose: (listener) =>
          void win.on('close', (event) => {
            saveBounds();
            listener(() => event.preventDefault());
          }),
        onClosed: (listener) => void win.on('closed', listener),
        onReload: (listener) => void win.webContents.on('did-start-loading', listener),
      };
    },
  };
}

function ipcPort(electron: ElectronApi): IpcPort {
  return {
    handle(channel, handler) {
      electron.ipcMain.handle(channel, (event, ...args) =>
        handler(
          {
            webContentsId: event.sender.id,
            frameUrl: event.senderFrame?.url,
            isMainFrame: event.senderFrame !== null && event.senderFrame.parent === null,
          },
          args,
        ),
      );
    },
  };
}

function themePort(electron: ElectronApi, settings: SettingsStore): ThemePort {
  return {
    current: () => {
      const chosen = settings.get('tray').iconTheme;
      if (chosen !== 'auto') return chosen;
      return electron.nativeTheme.shouldUseDarkColors ? 'dark' : 'light';
    },
    onChange: (listener) => void electron.nativeTheme.on('updated', listener),
  };
}

/**
 * Starts the desktop app. Returns undefined when another instance already runs (that one is focused instead).
 * Must be called before `app` is ready: custom schemes can only be registered then.
 */
export async function runMain(electron: ElectronApi, env: MainEnvironment): Promise<DesktopApp | undefined> {
  const { app } = electron;
  const log = env.log ?? ((line: string) => console.log(line));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }
  electron.protocol.registerSchemesAsPrivileged([
    { scheme: APP_ORIGIN.protocol.replace(':', ''), privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
  installSecurityGuards(electron);
  await app.whenReady();
  electron.session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(permissionAllowed()));
  electron.session.defaultSession.setPermissionCheckHandler(() => permissionAllowed());
  serveConsole(electron, env.rendererDir);

  const userData = app.getPath('userData');
  const settings = env.openSettings(userData);
  const secrets = new SafeStorageSecretStore(electron.safeStorage, settings);
  const noTray = env.argv.includes('--no-tray') || !settings.get('tray').enabled;
  let tray: TrayPort | null = null;
  if (!noTray) {
    try {
      tray = trayPort(electron, env.trayIconDir, new electron.Tray(join(env.trayIconDir, 'tray-disconnected-dark.png')));
    } catch (error) {
      log(`no tray available (${errorText(error)}); the window stays open instead`);
    }
  }

  let local: DesktopAppOptions['local'];
  const { daemonEntry } = env;
  if (settings.get('localDaemon').enabled && daemonEntry !== undefined) {
    // The local daemon is the compiled CLI in a process of its own; so is its demo set-up on first start.
    const launcher = (command: CliCommand) =>
      env.launcher ? env.launcher(command) : utilityProcessLauncher(electron, daemonEntry, command);
    const plan = await prepareLocalDaemon(userData, settings, (command) => runToEnd(launcher(command)));
    const supervisor = new DaemonSupervisor(launcher(plan), env.supervisorTiming);
    supervisor.onChange((state) => {
      if (state.phase === 'running') log(`local daemon: started, pid ${state.pid ?? 'unknown'} (restart ${state.restarts})`);
      if (state.phase === 'waiting')
        log(`local daemon: ${describeCrash(state)}; restarting at ${new Date(state.nextRestartAt).toISOString()}`);
    });
    local = { entry: plan.entry, token: plan.token, supervisor };
  }

  const desktop = new DesktopApp(
    {
      settings,
      secrets,
      tray,
      notifier: notifierPort(electron),
      windows: windowFactory(electron, env, settings),
      ipc: ipcPort(electron),
      theme: themePort(electron, settings),
      exit: () => app.quit(),
    },
    { ...env.app, startHidden: env.argv.includes('--hidden'), ...(local ? { local } : {}), log },
  );
  app.on('second-instance', () => desktop.secondInstance());
  electron.powerMonitor.on('resume', () => desktop.resumed());
  // With a tray the app lives on when its window closes; without one DesktopApp quits itself.
  app.on('window-all-closed', () => {});
  app.on('before-quit', (event) => {
    if (desktop.quitting) return;
    event.preventDefault();
    void desktop.quit();
  });
  await desktop.start();
  if (!tray) log('running without a tray: closing the window quits the app');
  const unavailable = await secrets.unavailableReason();
  if (unavailable)
    log(new DesktopError('INTEGRATION-DAEMON-DESKTOP-503-001', `Tokens of remote daemons cannot be saved: ${unavailable}.`, '').message);
  return desktop;
}
