// The desktop app's settings: remote daemons, encrypted tokens, notification preferences, window and tray state.
// Stored with electron-store in the app; the same class runs on `conf` (electron-store's engine) in plain Node,
// so tests exercise the real schema, defaults and atomic file writes.
import type { Schema } from 'conf';
import { DEFAULT_NOTIFICATION_PREFERENCES, type NotificationPreferences } from '../../shared/logic/notification-policy.js';
import { errorText } from '../../shared/api/error-text.js';
import { DesktopError } from './errors.js';
import { DAEMON_ERAS, type DaemonEra } from '../../shared/client/era.js';

export interface StoredDaemon {
  id: string;
  label: string;
  url: string;
  serverName: string;
  userId: string;
  /** Found out when the daemon was added (ours, or which Egeria); absent for daemons saved before. */
  era?: DaemonEra;
}

export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

export interface DesktopSettings {
  /** Remote daemons; the local one is not stored here (it always exists while `localDaemon.enabled`). */
  daemons: StoredDaemon[];
  /** daemonId → base64 of the token encrypted with safeStorage. Never plain text. */
  tokens: Record<string, string>;
  notifications: NotificationPreferences;
  window: WindowState;
  tray: { enabled: boolean; iconTheme: 'auto' | 'dark' | 'light' };
  /** Closing the window hides it to the tray (only when a tray exists). */
  closeToTray: boolean;
  localDaemon: { enabled: boolean; port: number };
}

export const DEFAULT_SETTINGS: DesktopSettings = {
  daemons: [],
  tokens: {},
  notifications: DEFAULT_NOTIFICATION_PREFERENCES,
  window: { width: 1200, height: 800, maximized: false },
  tray: { enabled: true, iconTheme: 'auto' },
  closeToTray: true,
  localDaemon: { enabled: true, port: 0 },
};

const daemonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'label', 'url', 'serverName', 'userId'],
  properties: {
    id: { type: 'string', minLength: 1 },
    label: { type: 'string', minLength: 1 },
    url: { type: 'string', pattern: '^https?://' },
    serverName: { type: 'string', minLength: 1 },
    userId: { type: 'string', minLength: 1 },
    era: { type: 'string', enum: [...DAEMON_ERAS] },
  },
} as const;

export const SETTINGS_SCHEMA: Schema<DesktopSettings> = {
  daemons: { type: 'array', items: daemonSchema, default: [] },
  tokens: { type: 'object', additionalProperties: { type: 'string', pattern: '^[A-Za-z0-9+/]+=*$' }, default: {} },
  notifications: {
    type: 'object',
    additionalProperties: false,
    required: ['enabled', 'snoozedUntil', 'mutedConnectors', 'staleMultiple', 'notifyOnDaemonLost'],
    properties: {
      enabled: { type: 'boolean' },
      snoozedUntil: { type: ['number', 'null'] },
      mutedConnectors: { type: 'array', items: { type: 'string' } },
      staleMultiple: { type: 'number', minimum: 0, maximum: 1000 },
      notifyOnDaemonLost: { type: 'boolean' },
    },
    default: DEFAULT_SETTINGS.notifications,
  },
  window: {
    type: 'object',
    additionalProperties: false,
    required: ['width', 'height', 'maximized'],
    properties: {
      width: { type: 'integer', minimum: 400, maximum: 20000 },
      height: { type: 'integer', minimum: 300, maximum: 20000 },
      x: { type: 'integer' },
      y: { type: 'integer' },
      maximized: { type: 'boolean' },
    },
    default: DEFAULT_SETTINGS.window,
  },
  tray: {
    type: 'object',
    additionalProperties: false,
    required: ['enabled', 'iconTheme'],
    properties: { enabled: { type: 'boolean' }, iconTheme: { enum: ['auto', 'dark', 'light'] } },
    default: DEFAULT_SETTINGS.tray,
  },
  closeToTray: { type: 'boolean', default: true },
  localDaemon: {
    type: 'object',
    additionalProperties: false,
    required: ['enabled', 'port'],
    properties: { enabled: { type: 'boolean' }, port: { type: 'integer', minimum: 0, maximum: 65535 } },
    default: DEFAULT_SETTINGS.localDaemon,
  },
};

/** The options electron-store and conf both take; `rootSchema` rejects keys nobody defined. */
export const SETTINGS_OPTIONS = {
  schema: SETTINGS_SCHEMA,
  rootSchema: { additionalProperties: false },
  clearInvalidConfig: false,
} as const;

/** The part of electron-store's (and conf's) API the app uses. */
export interface ConfLike<T> {
  get<K extends keyof T>(key: K): T[K];
  set<K extends keyof T>(key: K, value: T[K]): void;
  readonly path: string;
}

export interface SettingsStore {
  get<K extends keyof DesktopSettings>(key: K): DesktopSettings[K];
  set<K extends keyof DesktopSettings>(key: K, value: DesktopSettings[K]): void;
  readonly path: string;
}

export class ConfSettingsStore implements SettingsStore {
  constructor(private readonly store: ConfLike<DesktopSettings>) {}

  /** Opens the store, turning conf's load errors (a hand-edited file that breaks the schema) into a fix. */
  static open(create: () => ConfLike<DesktopSettings>, where: string): ConfSettingsStore {
    try {
      return new ConfSettingsStore(create());
    } catch (error) {
      throw new DesktopError(
        'INTEGRATION-DAEMON-DESKTOP-500-001',
        `The settings file in ${where} cannot be used: ${errorText(error)}.`,
        'Correct the value named above in the settings file, or delete the file to start again with the defaults (remote daemons will have to be added again).',
      );
    }
  }

  get path(): string {
    return this.store.path;
  }

  get<K extends keyof DesktopSettings>(key: K): DesktopSettings[K] {
    return structuredClone(this.store.get(key));
  }

  set<K extends keyof DesktopSettings>(key: K, value: DesktopSettings[K]): void {
    try {
      this.store.set(key, value);
    } catch (error) {
      throw new DesktopError(
        'INTEGRATION-DAEMON-DESKTOP-400-002',
        `The setting ${String(key)} was not saved: ${errorText(error)}.`,
        'Correct the value and try again.',
      );
    }
  }
}
