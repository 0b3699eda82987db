// Electron entry. Only wiring: Electron's real module, electron-store and the app's paths go into runMain; every
// behaviour lives in electron/desktop/ where it is tested without Electron.
import { join } from 'node:path';
import electron from 'electron';
import ElectronStore from 'electron-store';
import { runMain } from './desktop/electron-main.js';
import { NodeProcessLauncher, plainNodeForDaemon } from './desktop/node-launcher.js';
import { ConfSettingsStore, SETTINGS_OPTIONS, type DesktopSettings } from './desktop/settings.js';

// A separate profile (settings, local daemon data) for tests and for running a second, independent copy.
const userDataOverride = process.env.INTEGRATION_DAEMON_USER_DATA;
if (userDataOverride) electron.app.setPath('userData', userDataOverride);

const appPath = electron.app.getAppPath();
const packaged = electron.app.isPackaged;
const nodeForDaemon = plainNodeForDaemon(packaged, process.env);
// The local daemon is the compiled `integration-daemon` command, which the app ships beside its own bundles.
const daemonEntry = join(appPath, 'dist', 'cli', 'integration-daemon.js');

void runMain(electron, {
  openSettings: (userDataDir) =>
    ConfSettingsStore.open(() => new ElectronStore<DesktopSettings>({ ...SETTINGS_OPTIONS, name: 'settings' }), userDataDir),
  rendererDir: join(appPath, 'dist', 'renderer'),
  preloadPath: join(appPath, 'dist', 'electron', 'preload.cjs'),
  trayIconDir: packaged ? join(process.resourcesPath, 'tray') : join(appPath, 'build', 'icons', 'tray'),
  daemonEntry,
  // Unpackaged, better-sqlite3 is built for Node's ABI, not Electron's: a plain Node can run the daemon instead.
  ...(nodeForDaemon
    ? {
        launcher: (command) =>
          new NodeProcessLauncher(() => ({
            command: nodeForDaemon,
            args: [daemonEntry, ...command.args],
            env: { ...process.env, ...command.env },
          })),
      }
    : {}),
  argv: process.argv,
})
  .then((desktop) => {
    // Playwright's _electron tests (test/e2e-electron) read the tray model and drive tray actions through this.
    if (desktop && process.env.INTEGRATION_DAEMON_E2E === '1') Object.assign(globalThis, { integrationDaemonDesktop: desktop });
  })
  .catch((error: unknown) => {
    const text = error instanceof Error ? error.message : String(error);
    electron.dialog.showErrorBox('Integration Daemon could not start', text);
    electron.app.exit(1);
  });
