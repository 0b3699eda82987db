// A recording stand-in for the `electron` module (no Electron binary exists here). It implements the ElectronApi
// slice the app uses and records every tray and notification call with its time, so tests can assert what an
// operator would see. utilityProcess.fork really starts a Node process; safeStorage really encrypts (AES-GCM).
import { spawn } from 'node:child_process';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type {
  BrowserWindowLike,
  BrowserWindowOptionsLike,
  ElectronApi,
  ElectronEventLike,
  IpcInvokeEventLike,
  MenuItemTemplate,
  NotificationLike,
  TrayLike,
  UtilityProcessLike,
  WebContentsLike,
} from '../../electron/desktop/electron-api.js';

export interface Recorded {
  at: number;
  call: string;
  arg?: unknown;
}

class FakeEvent implements ElectronEventLike {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

let nextWebContentsId = 1;

export class FakeWebContents extends EventEmitter implements WebContentsLike {
  readonly id = nextWebContentsId++;
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' } | { action: 'allow' }) | undefined;
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, payload: args[0] });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void {
    this.windowOpenHandler = handler;
  }
  /** Simulates a navigation attempt; true when the app let it happen. */
  navigate(url: string): boolean {
    const event = new FakeEvent();
    this.emit('will-navigate', event, url);
    return !event.defaultPrevented;
  }
}

export class FakeElectron implements ElectronApi {
  readonly log: Recorded[] = [];
  readonly windows: FakeBrowserWindow[] = [];
  readonly trays: FakeTray[] = [];
  readonly notifications: FakeNotification[] = [];
  readonly ipcHandlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  readonly opened: string[] = [];
  readonly forked: { modulePath: string; args: string[]; env: Record<string, string | undefined> }[] = [];
  protocolHandlers = new Map<string, (request: { url: string }) => Response | Promise<Response>>();
  privilegedSchemes: string[] = [];
  permissionRequestHandler: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  permissionCheckHandler: ((wc: unknown, permission: string) => boolean) | null = null;
  quitRequests = 0;
  quitted = false;
  lockAvailable = true;
  darkTheme = true;
  keyringBackend = 'gnome_libsecret';
  private readonly appEvents = new EventEmitter();
  private readonly themeEvents = new EventEmitter();
  private readonly key = randomBytes(32);

  constructor(private readonly userData: string) {}

  record(call: string, arg?: unknown): void {
    this.log.push({ at: performance.now(), call, arg });
  }

  emitApp(event: string, ...args: unknown[]): void {
    this.appEvents.emit(event, ...args);
  }

  readonly app: ElectronApi['app'] = (() => {
    const self = this;
    return {
      requestSingleInstanceLock: () => self.lockAvailable,
      whenReady: async () => undefined,
      quit() {
        self.quitRequests++;
        const event = new FakeEvent();
        self.appEvents.emit('before-quit', event);
        if (!event.defaultPrevented) self.quitted = true;
      },
      getPath: () => self.userData,
      getAppPath: () => process.cwd(),
      isPackaged: false,
      on(event: string, listener: (...args: never[]) => void) {
        self.appEvents.on(event, listener as (...args: unknown[]) => void);
        return self.app;
      },
    };
  })();

  readonly BrowserWindow: ElectronApi['BrowserWindow'] = (() => {
    const self = this;
    return class extends FakeBrowserWindow {
      constructor(options: BrowserWindowOptionsLike) {
        super(options);
        self.windows.push(this);
        self.appEvents.emit('web-contents-created', {}, this.webContents);
      }
    };
  })();

  readonly Tray: ElectronApi['Tray'] = (() => {
    const self = this;
    return class extends FakeTray {
      constructor(image: string) {
        super(self, image);
        self.trays.push(this);
      }
    };
  })();

  readonly Menu = { buildFromTemplate: (template: MenuItemTemplate[]) => ({ template }) };

  readonly Notification: ElectronApi['Notification'] = (() => {
    const self = this;
    const Cls = class extends FakeNotification {
      constructor(options: { title: string; body: string }) {
        super(self, options);
        self.notifications.push(this);
      }
    };
    return Object.assign(Cls, { isSupported: () => true });
  })();

  readonly ipcMain = {
    handle: (channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>) => {
      if (this.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      this.ipcHandlers.set(channel, listener);
    },
  };

  /** Calls a channel the way ipcRenderer.invoke from a page would. */
  async invoke(channel: string, args: unknown[], sender: { webContentsId: number; url: string; mainFrame?: boolean }): Promise<unknown> {
    const handler = this.ipcHandlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const top = { url: sender.url, parent: null };
    const frame = sender.mainFrame === false ? { url: sender.url, parent: top } : top;
    // Structured clone, as IPC does: nothing but data crosses.
    return structuredClone(await handler({ sender: { id: sender.webContentsId }, senderFrame: frame }, ...structuredClone(args)));
  }

  readonly nativeTheme = (() => {
    const self = this;
    return {
      get shouldUseDarkColors() {
        return self.darkTheme;
      },
      on(event: 'updated', listener: () => void) {
        self.themeEvents.on(event, listener);
        return this;
      },
    };
  })();

  setDarkTheme(dark: boolean): void {
    this.darkTheme = dark;
    this.themeEvents.emit('updated');
  }

  readonly safeStorage = {
    isAsyncEncryptionAvailable: async () => true,
    encryptStringAsync: async (plainText: string) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', this.key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptStringAsync: async (encrypted: Buffer) => {
      const decipher = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return {
        result: Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8'),
        shouldReEncrypt: false,
      };
    },
    getSelectedStorageBackend: () => this.keyringBackend,
  };

  readonly utilityProcess = {
    fork: (modulePath: string, args: string[] = [], options: { env?: Record<string, string | undefined> } = {}): UtilityProcessLike => {
      const env = options.env ?? {};
      this.forked.push({ modulePath, args, env });
      const child = spawn(process.execPath, [modulePath, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      return {
        get pid() {
          return child.pid;
        },
        stdout: child.stdout,
        stderr: child.stderr,
        on(event: 'exit', listener: (code: number) => void) {
          child.on('exit', (code, signal) => listener(code ?? (signal ? 1 : 0)));
          return this;
        },
        kill: () => child.kill(),
      };
    },
  };

  readonly protocol = {
    registerSchemesAsPrivileged: (schemes: { scheme: string }[]) => {
      this.privilegedSchemes.push(...schemes.map((s) => s.scheme));
    },
    handle: (scheme: string, handler: (request: { url: string }) => Response | Promise<Response>) => {
      this.protocolHandlers.set(scheme, handler);
    },
  };

  readonly session = (() => {
    const self = this;
    return {
      defaultSession: {
        setPermissionRequestHandler(handler: typeof self.permissionRequestHandler) {
          self.permissionRequestHandler = handler;
        },
        setPermissionCheckHandler(handler: typeof self.permissionCheckHandler) {
          self.permissionCheckHandler = handler;
        },
      },
    };
  })();

  readonly shell = {
    openExternal: async (url: string) => {
      this.opened.push(url);
    },
  };

  private readonly powerEvents = new EventEmitter();
  readonly powerMonitor = {
    on: (event: 'resume', listener: () => void) => this.powerEvents.on(event, listener),
  };

  resume(): void {
    this.powerEvents.emit('resume');
  }

  /** Fetches an app:// URL through the registered protocol handler. */
  async fetchApp(url: string): Promise<Response> {
    const handler = this.protocolHandlers.get(new URL(url).protocol.replace(':', ''));
    if (!handler) throw new Error(`no handler for ${url}`);
    return handler({ url });
  }

  get tray(): FakeTray {
    const t = this.trays[0];
    if (!t) throw new Error('no tray was created');
    return t;
  }
}

export class FakeBrowserWindow implements BrowserWindowLike {
  readonly webContents = new FakeWebContents();
  visible: boolean;
  destroyed = false;
  loaded: string | undefined;
  focused = 0;
  private readonly events = new EventEmitter();

  constructor(readonly options: BrowserWindowOptionsLike) {
    this.visible = options.show;
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused++;
  }
  hide(): void {
    this.visible = false;
  }
  maximized = false;
  restore(): void {}
  maximize(): void {
    this.maximized = true;
  }
  isMinimized(): boolean {
    return false;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  getBounds() {
    return { x: 10, y: 20, width: this.options.width, height: this.options.height };
  }
  async loadURL(url: string): Promise<void> {
    this.loaded = url;
  }
  on(event: string, listener: (...args: never[]) => void): this {
    this.events.on(event, listener as (...args: unknown[]) => void);
    return this;
  }
  /** The user clicks the window's close button. */
  close(): void {
    const event = new FakeEvent();
    this.events.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    this.visible = false;
    this.events.emit('closed');
  }
}

export class FakeTray implements TrayLike {
  image: string;
  toolTip = '';
  menu: MenuItemTemplate[] = [];
  destroyed = false;
  private readonly events = new EventEmitter();

  constructor(
    private readonly electron: FakeElectron,
    image: string,
  ) {
    this.image = image;
    electron.record('tray.new', image);
  }
  setImage(image: string): void {
    this.image = image;
    this.electron.record('tray.setImage', image);
  }
  setToolTip(toolTip: string): void {
    this.toolTip = toolTip;
    this.electron.record('tray.setToolTip', toolTip);
  }
  setContextMenu(menu: object | null): void {
    this.menu = menu ? (menu as { template: MenuItemTemplate[] }).template : [];
    this.electron.record('tray.setContextMenu', this.menu);
  }
  on(event: 'click', listener: () => void): this {
    this.events.on(event, listener);
    return this;
  }
  destroy(): void {
    this.destroyed = true;
    this.electron.record('tray.destroy');
  }
  click(): void {
    this.events.emit('click');
  }
  /** Finds a menu item by its labels from the top, e.g. ['This computer (local) — Retrying', 'X — retrying', 'Retry now']. */
  item(path: readonly (string | RegExp)[]): MenuItemTemplate | undefined {
    let items = this.menu;
    let found: MenuItemTemplate | undefined;
    for (const step of path) {
      found = items.find((i) => i.label !== undefined && (typeof step === 'string' ? i.label === step : step.test(i.label)));
      if (!found) return undefined;
      items = found.submenu ?? [];
    }
    return found;
  }
  get imageName(): string {
    return this.image.split(/[\\/]/).pop() ?? '';
  }
}

export class FakeNotification implements NotificationLike {
  shownAt: number | undefined;
  closed = false;
  private readonly events = new EventEmitter();
  constructor(
    private readonly electron: FakeElectron,
    readonly options: { title: string; body: string },
  ) {}
  show(): void {
    this.shownAt = performance.now();
    this.electron.record('notification.show', this.options);
  }
  close(): void {
    this.closed = true;
  }
  on(event: 'click', listener: () => void): this {
    this.events.on(event, listener);
    return this;
  }
  click(): void {
    this.events.emit('click');
  }
}
