// The desktop settings on conf (electron-store's engine): schema, defaults, atomic writes and load errors.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfSettingsStore, DEFAULT_SETTINGS, SETTINGS_OPTIONS, type DesktopSettings } from '../../electron/desktop/settings.js';

let dir: string;
const open = () =>
  ConfSettingsStore.open(
    () =>
      new Conf<DesktopSettings>({
        ...SETTINGS_OPTIONS,
        cwd: dir,
        configName: 'settings',
        projectName: 'integration-daemon-test',
        projectVersion: '0.1.0',
      }),
    dir,
  );

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'desktop-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('settings on conf (electron-store engine)', () => {
  it('starts with the defaults', () => {
    const s = open();
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof DesktopSettings)[]) expect(s.get(key)).toEqual(DEFAULT_SETTINGS[key]);
  });

  it('persists daemons, notification preferences and window state to the file and reads them back', () => {
    const s = open();
    s.set('daemons', [
      { id: 'prod', label: 'Prod', url: 'https://prod.example.com:9443', serverName: 'integration-daemon', userId: 'garygeeke' },
    ]);
    s.set('notifications', { ...DEFAULT_SETTINGS.notifications, snoozedUntil: 123, mutedConnectors: ['prod/files'] });
    s.set('window', { width: 900, height: 700, x: 10, y: 20, maximized: true });
    const onDisk = JSON.parse(readFileSync(s.path, 'utf8')) as DesktopSettings;
    expect(onDisk.daemons[0]?.id).toBe('prod');
    const again = open();
    expect(again.get('notifications').mutedConnectors).toEqual(['prod/files']);
    expect(again.get('window')).toEqual({ width: 900, height: 700, x: 10, y: 20, maximized: true });
  });

  it('returns copies, so changing a value read does not change the store', () => {
    const s = open();
    s.get('daemons').push({ id: 'x', label: 'x', url: 'http://x', serverName: 's', userId: 'u' });
    expect(s.get('daemons')).toEqual([]);
  });

  it('refuses values that break the schema with a message id and the fix', () => {
    const s = open();
    expect(() => s.set('window', { width: 10, height: 700, maximized: false })).toThrow(/INTEGRATION-DAEMON-DESKTOP-400-002 .*width/);
    expect(() => s.set('daemons', [{ id: 'x', label: 'x', url: 'ftp://x', serverName: 's', userId: 'u' }])).toThrow(
      /INTEGRATION-DAEMON-DESKTOP-400-002/,
    );
    expect(() => s.set('tokens', { prod: 'plain text token!' })).toThrow(/tokens/);
  });

  it('reports a hand-broken settings file instead of crashing or silently resetting it', () => {
    const s = open();
    writeFileSync(s.path, JSON.stringify({ ...DEFAULT_SETTINGS, closeToTray: 'sometimes' }));
    expect(() => open()).toThrow(/INTEGRATION-DAEMON-DESKTOP-500-001 The settings file .* cannot be used: .*closeToTray/);
    expect(readFileSync(s.path, 'utf8')).toContain('sometimes');
  });
});
