// Bearer tokens of remote daemons, encrypted with Electron's safeStorage and kept (as base64 ciphertext) in the
// settings file. Where safeStorage has no real keyring (no encryption, or Linux's `basic_text` fallback with a
// hard-coded password) a token is refused rather than stored readably, and the operator is told why.
import { DesktopError } from './errors.js';
import type { SettingsStore } from './settings.js';

/** The async safeStorage API of Electron ≥ 45 (the sync one is deprecated). */
export interface SafeStoragePort {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  /** Linux only; absent elsewhere. */
  getSelectedStorageBackend?(): string;
}

export interface SecretStore {
  /** Why tokens cannot be stored here, or undefined when they can. */
  unavailableReason(): Promise<string | undefined>;
  setToken(daemonId: string, token: string): Promise<void>;
  getToken(daemonId: string): Promise<string | undefined>;
  deleteToken(daemonId: string): void;
}

export class SafeStorageSecretStore implements SecretStore {
  constructor(
    private readonly safeStorage: SafeStoragePort,
    private readonly settings: SettingsStore,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  async unavailableReason(): Promise<string | undefined> {
    if (!(await this.safeStorage.isAsyncEncryptionAvailable())) {
      return 'this system offers no encryption for stored secrets (safeStorage is not available)';
    }
    if (this.platform === 'linux' && this.safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
      return 'no keyring (GNOME Keyring / KWallet) is running, so Electron would protect the token only with a hard-coded password';
    }
    return undefined;
  }

  async setToken(daemonId: string, token: string): Promise<void> {
    const reason = await this.unavailableReason();
    if (reason) {
      throw new DesktopError(
        'INTEGRATION-DAEMON-DESKTOP-503-001',
        `The token for this daemon was not saved: ${reason}. It is never stored in clear text.`,
        'Start a keyring (for example gnome-keyring or KWallet) and unlock it, then restart the app and enter the token again; or use a daemon that needs no token on loopback.',
      );
    }
    const encrypted = await this.safeStorage.encryptStringAsync(token);
    this.settings.set('tokens', { ...this.settings.get('tokens'), [daemonId]: encrypted.toString('base64') });
  }

  async getToken(daemonId: string): Promise<string | undefined> {
    const stored = this.settings.get('tokens')[daemonId];
    if (stored === undefined) return undefined;
    const { result, shouldReEncrypt } = await this.safeStorage.decryptStringAsync(Buffer.from(stored, 'base64'));
    // The keyring rotated its key: store the token again under the new one.
    if (shouldReEncrypt) await this.setToken(daemonId, result);
    return result;
  }

  deleteToken(daemonId: string): void {
    const tokens = this.settings.get('tokens');
    if (!(daemonId in tokens)) return;
    delete tokens[daemonId];
    this.settings.set('tokens', tokens);
  }
}
