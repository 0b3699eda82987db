// The desktop app's behaviour, wired from ports only: console service (daemons, local supervision), tray,
// notifications, IPC and the window. electron/main.ts builds the ports from Electron's real objects; the tests
// build them from recording fakes and run this same class against a real daemon process.
import { connectorAction } from '../../shared/console-actions.js';
import type { ConnectorRef, ConsoleEvent } from '../../shared/console-backend.js';
import { daemonHealth } from '../../shared/logic/aggregate.js';
import { NotificationPolicy, daemonConnectorKey, type Notice, type PolicyTiming } from '../../shared/logic/notification-policy.js';
import { ConsoleService, type ConsoleServiceOptions, type LocalDaemon } from './console-service.js';
import { errorText } from '../../shared/api/error-text.js';
import { IpcServer } from './ipc-server.js';
import { NotificationController } from './notification-controller.js';
import type { IpcPort, NotifierPort, ThemePort, TrayPort, WindowFactory, WindowPort } from './ports.js';
import type { SecretStore } from './secret-store.js';
import type { SettingsStore } from './settings.js';
import { systemClock, type Clock } from '../../shared/logic/clock.js';
import type { Disposable } from '../../shared/logic/disposable.js';
import { TrayController } from './tray-controller.js';
import type { TrayAction, TrayModel } from './tray-model.js';

export interface DesktopAppPorts {
  settings: SettingsStore;
  secrets: SecretStore;
  /** null where the desktop has no tray (GNOME without AppIndicator): the window then stays reachable. */
  tray: TrayPort | null;
  notifier: NotifierPort;
  windows: WindowFactory;
  ipc: IpcPort;
  theme: ThemePort;
  /** Ends the process (app.quit). */
  exit(): void;
  timers?: Clock;
}

export interface DesktopAppOptions {
  local?: LocalDaemon;
  startHidden?: boolean;
  policyTiming?: Partial<PolicyTiming>;
  connectionOptions?: ConsoleServiceOptions['connectionOptions'];
  log?: (line: string) => void;
}

export class DesktopApp {
  readonly service: ConsoleService;
  readonly policy: NotificationPolicy;
  private readonly timers: Clock;
  private readonly trayController: TrayController | undefined;
  private readonly notifications: NotificationController;
  private readonly ipcServer: IpcServer;
  private window: WindowPort | undefined;
  private snoozeTimer: Disposable | undefined;
  private serviceEvents: Disposable | undefined;
  private quitRequested = false;
  private readonly log: (line: string) => void;

  constructor(
    private readonly ports: DesktopAppPorts,
    private readonly options: DesktopAppOptions = {},
  ) {
    this.timers = ports.timers ?? systemClock;
    this.log = options.log ?? ((line) => console.log(line));
    this.service = new ConsoleService({
      settings: ports.settings,
      secrets: ports.secrets,
      ...(options.local ? { local: options.local } : {}),
      ...(options.connectionOptions ? { connectionOptions: options.connectionOptions } : {}),
    });
    this.policy = new NotificationPolicy(ports.settings.get('notifications'), options.policyTiming, () => this.timers.now());
    this.notifications = new NotificationController(
      this.policy,
      ports.notifier,
      () => this.service.views(),
      (notice) => this.noticeClicked(notice),
      this.timers,
      (notice) => this.log(`notification: ${notice.title} — ${notice.body.split('\n')[0]}`),
    );
    this.trayController = ports.tray ? new TrayController(ports.tray, (action) => void this.dispatch(action)) : undefined;
    this.ipcServer = new IpcServer(
      ports.ipc,
      this.service,
      { mutedConnectors: async () => this.mutedConnectors(), muteConnector: async (d, c, m) => this.muteConnector(d, c, m) },
      () => this.window,
      (channel, error) => this.log(`refused IPC ${channel}: ${error.message}`),
    );
  }

  async start(): Promise<void> {
    this.ipcServer.register();
    this.serviceEvents = this.service.subscribe((event) => this.onEvent(event));
    this.notifications.start();
    this.ports.tray?.onClick(() => this.openConsole());
    this.ports.theme.onChange(() => this.refreshTray());
    this.openWindow(!this.options.startHidden || !this.ports.tray);
    this.scheduleSnoozeEnd();
    await this.service.start();
    // Daemons report through events; with none configured this is the only picture the tray gets.
    this.refreshTray();
  }

  /** The local daemon the app runs (entry, supervisor), if any. */
  get localDaemon(): LocalDaemon | undefined {
    return this.options.local;
  }

  get trayModel(): TrayModel | undefined {
    return this.trayController?.model;
  }

  private onEvent(event: ConsoleEvent): void {
    // Each consumer on its own: a fault in one (a notifier that throws) must not starve the others, nor surface
    // inside the connection that delivered the event (it would count as a broken stream).
    for (const consume of [
      () => this.notifications.handle(event),
      () => this.ipcServer.send(event),
      () => (event.type === 'daemon' || event.type === 'daemon-removed') && this.refreshTray(),
    ]) {
      try {
        consume();
      } catch (error) {
        this.log(`handling a ${event.type} event failed: ${errorText(error)}`);
      }
    }
  }

  private refreshTray(): void {
    this.trayController?.update({
      views: this.service.views(),
      snoozedUntil: this.policy.preferences.snoozedUntil,
      muted: this.policy.preferences.mutedConnectors,
      now: this.timers.now(),
      theme: this.ports.theme.current(),
    });
  }

  private openWindow(show: boolean): WindowPort {
    if (this.window && !this.window.isDestroyed()) return this.window;
    const win = this.ports.windows.create({ show });
    win.onClose((preventDefault) => {
      // With a tray, closing hides (the tray brings it back); without one, closing must not strand the app.
      if (!this.quitRequested && this.ports.tray && this.ports.settings.get('closeToTray')) {
        preventDefault();
        win.hide();
      }
    });
    win.onClosed(() => {
      if (this.window === win) this.window = undefined;
      if (!this.ports.tray && !this.quitRequested) void this.quit();
    });
    win.onReload(() => this.ipcServer.windowReloaded());
    this.window = win;
    return win;
  }

  /** Show and focus the console (tray click, "Open console", a second launch of the app). */
  openConsole(): void {
    const win = this.openWindow(true);
    win.show();
    win.focus();
  }

  private noticeClicked(notice: Notice): void {
    this.openConsole();
    if (notice.connectorName !== undefined) {
      const event: ConsoleEvent = { type: 'focus-connector', daemonId: notice.daemonId, connectorName: notice.connectorName };
      this.ipcServer.send(event);
    }
  }

  snooze(until: number | null): void {
    const prefs = { ...this.policy.preferences, snoozedUntil: until };
    this.policy.setPreferences(prefs);
    this.ports.settings.set('notifications', prefs);
    this.scheduleSnoozeEnd();
    this.refreshTray();
  }

  mutedConnectors(): ConnectorRef[] {
    return this.policy.preferences.mutedConnectors.map((key) => {
      const slash = key.indexOf('/');
      return { daemonId: key.slice(0, slash), connectorName: key.slice(slash + 1) };
    });
  }

  muteConnector(daemonId: string, connectorName: string, muted: boolean): void {
    const prefs = this.policy.preferences;
    const key = daemonConnectorKey(daemonId, connectorName);
    const others = prefs.mutedConnectors.filter((k) => k !== key);
    const next = { ...prefs, mutedConnectors: muted ? [...others, key] : others };
    this.policy.setPreferences(next);
    this.ports.settings.set('notifications', next);
    this.refreshTray();
  }

  /** The computer woke up: connections will drop and come back; their noise is not news. */
  resumed(): void {
    this.policy.appStarted();
  }

  private scheduleSnoozeEnd(): void {
    this.snoozeTimer?.dispose();
    const until = this.policy.preferences.snoozedUntil;
    if (until === null || until <= this.timers.now()) return;
    this.snoozeTimer = this.timers.setTimeout(() => this.refreshTray(), until - this.timers.now() + 50);
  }

  async dispatch(action: TrayAction): Promise<void> {
    try {
      switch (action.type) {
        case 'open-console':
          return this.openConsole();
        case 'focus-connector':
          this.openConsole();
          return this.ipcServer.send({ type: 'focus-connector', daemonId: action.daemonId, connectorName: action.connectorName });
        case 'snooze':
          return this.snooze(action.until);
        case 'mute':
          return this.muteConnector(action.daemonId, action.connectorName, action.muted);
        case 'reconnect':
          return this.service.reconnect(action.daemonId);
        case 'restart-local-daemon':
          return this.service.restartLocalDaemon();
        case 'quit':
          return await this.quit();
        case 'restart-connector':
          return await this.service.action(action.daemonId, connectorAction('restart', action));
        case 'retry-now':
          return await this.service.action(action.daemonId, connectorAction('retryNow', action));
        case 'refresh-all':
          await Promise.all(this.targets(action.daemonId).map((id) => this.service.action(id, { kind: 'refresh', scope: 'daemon' })));
          return;
        case 'restart-failed':
          await Promise.all(
            this.targets(action.daemonId).flatMap((id) => {
              const view = this.service.views().find((v) => v.entry.id === id);
              if (!view) return [];
              return daemonHealth(view).failedConnectors.map((connector) => this.service.action(id, connectorAction('restart', connector)));
            }),
          );
          return;
      }
    } catch (error) {
      // The operator clicked and expects an answer: say what failed right away, outside the policy's limits.
      const message = errorText(error);
      this.log(`tray action ${action.type} failed: ${message}`);
      this.ports.notifier.show(
        { key: `action|${action.type}`, kind: 'failure', title: 'The action failed', body: message, daemonId: '', connectors: [] },
        () => this.openConsole(),
      );
    }
  }

  /** Connected daemons an all-daemons action applies to (a viewer token's are left out: it may not change), or the one named. */
  private targets(daemonId: string | undefined): string[] {
    return this.service
      .views()
      .filter((v) => v.connection === 'connected' && (daemonId === undefined ? v.mayChange !== false : v.entry.id === daemonId))
      .map((v) => v.entry.id);
  }

  /** A second launch of the app: bring the existing window forward instead. */
  secondInstance(): void {
    this.openConsole();
  }

  get quitting(): boolean {
    return this.quitRequested;
  }

  async quit(): Promise<void> {
    if (this.quitRequested) return;
    this.quitRequested = true;
    this.snoozeTimer?.dispose();
    this.notifications.stop();
    await this.service.stop();
    this.serviceEvents?.dispose();
    this.ports.tray?.destroy();
    this.ports.exit();
  }
}
