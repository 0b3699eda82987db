// The slice of Electron's main-process API the app uses, written out structurally. electron/main.ts passes the
// real `electron` module (tsc checks it fits); tests pass a recording fake. Nothing here imports Electron.

export interface ElectronEventLike {
  preventDefault(): void;
}

export interface WebFrameLike {
  readonly url: string;
  readonly parent: WebFrameLike | null;
}

export interface IpcInvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: WebFrameLike | null;
}

export interface WebContentsLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
  on(event: 'will-navigate', listener: (event: ElectronEventLike, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: ElectronEventLike, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: ElectronEventLike) => void): unknown;
  on(event: 'did-start-loading', listener: () => void): unknown;
}

export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  show(): void;
  focus(): void;
  hide(): void;
  restore(): void;
  maximize(): void;
  isMinimized(): boolean;
  isVisible(): boolean;
  isDestroyed(): boolean;
  isMaximized(): boolean;
  getBounds(): { x: number; y: number; width: number; height: number };
  loadURL(url: string): Promise<void>;
  on(event: 'close', listener: (event: ElectronEventLike) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
}

export interface BrowserWindowOptionsLike {
  width: number;
  height: number;
  x?: number;
  y?: number;
  show: boolean;
  title: string;
  icon?: string;
  backgroundColor: string;
  webPreferences: Record<string, unknown> & { preload: string };
}

export interface TrayLike {
  setImage(image: string): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: MenuLike | null): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

/** What Menu.buildFromTemplate returns; opaque to us. */
export type MenuLike = object;

export interface MenuItemTemplate {
  type?: 'normal' | 'separator' | 'submenu';
  label?: string;
  enabled?: boolean;
  click?: () => void;
  submenu?: MenuItemTemplate[];
}

export interface NotificationLike {
  show(): void;
  close(): void;
  on(event: 'click', listener: () => void): unknown;
}

export interface UtilityProcessLike {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface ElectronApi {
  app: {
    requestSingleInstanceLock(): boolean;
    whenReady(): Promise<unknown>;
    quit(): void;
    getPath(name: 'userData'): string;
    getAppPath(): string;
    readonly isPackaged: boolean;
    on(event: 'second-instance', listener: () => void): unknown;
    on(event: 'window-all-closed', listener: () => void): unknown;
    on(event: 'before-quit', listener: (event: ElectronEventLike) => void): unknown;
    on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): unknown;
  };
  BrowserWindow: new (options: BrowserWindowOptionsLike) => BrowserWindowLike;
  Tray: new (image: string) => TrayLike;
  Menu: { buildFromTemplate(template: MenuItemTemplate[]): MenuLike };
  Notification: (new (options: { title: string; body: string; silent?: boolean }) => NotificationLike) & { isSupported(): boolean };
  ipcMain: { handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void };
  nativeTheme: { readonly shouldUseDarkColors: boolean; on(event: 'updated', listener: () => void): unknown };
  safeStorage: {
    isAsyncEncryptionAvailable(): Promise<boolean>;
    encryptStringAsync(plainText: string): Promise<Buffer>;
    decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
    getSelectedStorageBackend(): string;
  };
  utilityProcess: {
    fork(
      modulePath: string,
      args?: string[],
      options?: { env?: Record<string, string | undefined>; stdio?: 'pipe'; serviceName?: string; cwd?: string },
    ): UtilityProcessLike;
  };
  protocol: {
    registerSchemesAsPrivileged(
      schemes: { scheme: string; privileges: { standard?: boolean; secure?: boolean; supportFetchAPI?: boolean } }[],
    ): void;
    handle(scheme: string, handler: (request: { url: string }) => Response | Promise<Response>): void;
  };
  session: {
    readonly defaultSession: {
      setPermissionRequestHandler(
        handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null,
      ): void;
      setPermissionCheckHandler(handler: ((webContents: unknown, permission: string) => boolean) | null): void;
    };
  };
  shell: { openExternal(url: string): Promise<void> };
  powerMonitor: { on(event: 'resume', listener: () => void): unknown };
}
