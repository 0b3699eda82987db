// Remote daemons' tokens encrypted with safeStorage, and refused where no real keyring would protect them.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SafeStorageSecretStore, type SafeStoragePort } from '../../electron/desktop/secret-store.js';
import { ConfSettingsStore, SETTINGS_OPTIONS, type DesktopSettings } from '../../electron/desktop/settings.js';

/** Stands in for the OS keyring: real AES-GCM with a key held in memory, plus the knobs safeStorage has. */
class KeyringSafeStorage implements SafeStoragePort {
  key = randomBytes(32);
  available = true;
  backend = 'gnome_libsecret';
  rotated = false;
  async isAsyncEncryptionAvailable() {
    return this.available;
  }
  async encryptStringAsync(plainText: string) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }
  async decryptStringAsync(encrypted: Buffer) {
    const decipher = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(0, 12));
    decipher.setAuthTag(encrypted.subarray(12, 28));
    const result = Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    return { result, shouldReEncrypt: this.rotated };
  }
  getSelectedStorageBackend() {
    return this.backend;
  }
}

let dir: string;
let settings: ConfSettingsStore;
let keyring: KeyringSafeStorage;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'desktop-secrets-'));
  settings = new ConfSettingsStore(
    new Conf<DesktopSettings>({ ...SETTINGS_OPTIONS, cwd: dir, projectName: 'integration-daemon-test', projectVersion: '0.1.0' }),
  );
  keyring = new KeyringSafeStorage();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('secret store on safeStorage', () => {
  it('stores only ciphertext in the settings file and reads the token back', async () => {
    const secrets = new SafeStorageSecretStore(keyring, settings, 'linux');
    expect(await secrets.unavailableReason()).toBeUndefined();
    await secrets.setToken('prod', 'token-abc-123');
    const file = readFileSync(settings.path, 'utf8');
    expect(file).not.toContain('token-abc-123');
    expect(JSON.parse(file).tokens.prod).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(await secrets.getToken('prod')).toBe('token-abc-123');
    expect(await secrets.getToken('other')).toBeUndefined();
    secrets.deleteToken('prod');
    expect(await secrets.getToken('prod')).toBeUndefined();
  });

  it('refuses to store a token where safeStorage would only use the basic_text fallback on Linux', async () => {
    keyring.backend = 'basic_text';
    const secrets = new SafeStorageSecretStore(keyring, settings, 'linux');
    expect(await secrets.unavailableReason()).toMatch(/no keyring/);
    await expect(secrets.setToken('prod', 'token-abc-123')).rejects.toThrow(
      /INTEGRATION-DAEMON-DESKTOP-503-001 .*never stored in clear text/,
    );
    expect(settings.get('tokens')).toEqual({});
    // The same backend name means nothing on other platforms.
    expect(await new SafeStorageSecretStore(keyring, settings, 'darwin').unavailableReason()).toBeUndefined();
  });

  it('refuses to store a token where encryption is not available at all', async () => {
    keyring.available = false;
    const secrets = new SafeStorageSecretStore(keyring, settings, 'win32');
    await expect(secrets.setToken('prod', 'x')).rejects.toThrow(/safeStorage is not available/);
    expect(settings.get('tokens')).toEqual({});
  });

  it('re-encrypts a token when the keyring asks for it', async () => {
    const secrets = new SafeStorageSecretStore(keyring, settings, 'linux');
    await secrets.setToken('prod', 'token-1');
    const before = settings.get('tokens').prod;
    keyring.rotated = true;
    expect(await secrets.getToken('prod')).toBe('token-1');
    expect(settings.get('tokens').prod).not.toBe(before);
  });
});
