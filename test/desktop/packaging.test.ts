// electron-builder cannot package here (no Electron zip, no toolsets), so this test loads electron-builder.yml with
// electron-builder's own loader and schema validation and checks what a release depends on.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allIconSpecs, trayIconFileName } from '../../electron/desktop/tray-icons.js';

const root = resolve(import.meta.dirname, '../..');
// app-builder-lib is electron-builder's engine; resolve it from electron-builder so the versions match.
const fromBuilder = createRequire(createRequire(join(root, 'package.json')).resolve('electron-builder'));

interface BuilderConfig {
  appId: string;
  productName: string;
  /** The loader normalises the list into `{ filter }` groups. */
  files: (string | { filter: string[] })[];
  asar: boolean;
  extraResources: { from: string; to: string }[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; icon: string; maintainer: string };
  deb: { depends: string[] };
  mac: { target: string[]; icon: string };
  win: { target: { target: string }[]; icon: string };
  nsis: { oneClick: boolean };
  directories: { buildResources: string };
}

async function loadConfig(): Promise<BuilderConfig> {
  const { getConfig, validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config') as {
    getConfig(projectDir: string, configPath: string, options: null): Promise<unknown>;
    validateConfiguration(config: unknown, logger: unknown): Promise<void>;
  };
  const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
  await validateConfiguration(config, new DebugLogger(false));
  return config as BuilderConfig;
}

describe('electron-builder configuration', () => {
  it('passes electron-builder schema validation and builds AppImage, deb, dmg and nsis', async () => {
    const c = await loadConfig();
    expect(c.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
    expect(c.mac.target).toContain('dmg');
    expect(c.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(c.nsis.oneClick).toBe(false);
    expect(c.deb.depends).toEqual(expect.arrayContaining(['libnotify4', 'libsecret-1-0']));
    expect(c.linux.maintainer).toMatch(/<[^@\s]+@[^>\s]+>$/);
  });

  it('turns the security fuses on', async () => {
    const fuses = (await loadConfig()).electronFuses;
    expect(fuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the bundles, the console and the tray icons, and the icons exist', async () => {
    const c = await loadConfig();
    expect(c.asar).toBe(true);
    const files = c.files.flatMap((f) => (typeof f === 'string' ? [f] : f.filter));
    expect(files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/renderer/**', 'package.json']));
    expect(c.extraResources).toContainEqual(expect.objectContaining({ from: 'build/icons/tray', to: 'tray' }));
    expect(c.directories.buildResources).toBe('build');
    for (const icon of [c.mac.icon, c.win.icon]) expect(existsSync(join(root, icon)), icon).toBe(true);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) expect(existsSync(join(root, c.linux.icon, `${size}x${size}.png`))).toBe(true);
    for (const spec of allIconSpecs()) {
      expect(existsSync(join(root, 'build/icons/tray', trayIconFileName(spec, 1)))).toBe(true);
      expect(existsSync(join(root, 'build/icons/tray', trayIconFileName(spec, 2)))).toBe(true);
    }
  });

  it('names the entry the bundles produce', async () => {
    const pkg = createRequire(import.meta.url)(join(root, 'package.json')) as { main: string };
    expect(pkg.main).toBe('dist/electron/main.js');
  });
});
