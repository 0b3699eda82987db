// What scripts/build-electron.mjs gives the app to ship: main (ESM, Electron external, no engine), the preload (one
// CommonJS file requiring only 'electron', as a sandboxed preload must), and the compiled CLI, which is started
// here the way the app starts it (utilityProcess.fork with the command line in the environment): first `demo`
// writes the demo set-up, then `serve` answers on its loopback port. The build goes to a directory of its own laid
// out like the packaged app (its bundles beside a node_modules), so the tests running the checkout's dist meanwhile
// never see half-written files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Conf from 'conf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utilityProcessLauncher } from '../../electron/desktop/electron-main.js';
import { ARGS_ENV, prepareLocalDaemon, runToEnd, TOKEN_ENV } from '../../electron/desktop/local-daemon.js';
import { ConfSettingsStore, SETTINGS_OPTIONS, type DesktopSettings } from '../../electron/desktop/settings.js';
import { FakeElectron } from './fake-electron.js';

const root = resolve(import.meta.dirname, '../..');
let dir: string;
let app: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'desktop-build-'));
  app = join(dir, 'app');
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build-electron.mjs'), '--out', join(app, 'dist')], {
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  symlinkSync(join(root, 'node_modules'), join(app, 'node_modules'), 'dir');
  symlinkSync(join(root, 'package.json'), join(app, 'package.json'));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Electron bundles', () => {
  it('bundles the preload into one CommonJS file that requires nothing but electron', () => {
    const preload = readFileSync(join(app, 'dist', 'electron', 'preload.cjs'), 'utf8');
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).toContain('exposeInMainWorld');
  });

  it('bundles main as ESM with Electron outside and neither a native module nor the daemon engine inside', () => {
    const main = readFileSync(join(app, 'dist', 'electron', 'main.js'), 'utf8');
    const packages = new Set([...main.matchAll(/from "([^"]+)"/g)].map((m) => m[1]).filter((p) => !p!.startsWith('node:')));
    expect([...packages]).toEqual(['electron']);
    expect(main).not.toMatch(/(from |require\(|import\()"better-sqlite3"/);
    // esbuild names each bundled source file in a comment; the content-type table is on its way to shared/.
    const engineFiles = [...main.matchAll(/^\/\/ (electron\/(?:engine|cli|connectors)\/\S+)$/gm)].map((m) => m[1]);
    expect(engineFiles.filter((f) => f !== 'electron/engine/rest/static.ts')).toEqual([]);
  });

  it('ships the compiled CLI and no daemon bundle of its own', () => {
    expect(existsSync(join(app, 'dist', 'cli', 'integration-daemon.js'))).toBe(true);
    expect(existsSync(join(app, 'dist', 'electron', 'daemon.mjs'))).toBe(false);
  });

  it('runs the compiled CLI the way the app does: demo on first start, then serve answering on loopback', async () => {
    const settings = ConfSettingsStore.open(
      () => new Conf<DesktopSettings>({ ...SETTINGS_OPTIONS, cwd: dir, projectName: 'integration-daemon', projectVersion: '0.1.0' }),
      dir,
    );
    const entry = join(app, 'dist', 'cli', 'integration-daemon.js');
    const electron = new FakeElectron(dir);
    const plan = await prepareLocalDaemon(join(dir, 'userData'), settings, (command) =>
      runToEnd(utilityProcessLauncher(electron, entry, command)),
    );
    expect(settings.get('localDaemon').port).toBe(plan.port);
    expect(electron.forked.map((f) => JSON.parse(f.env[ARGS_ENV] ?? '[]'))).toEqual([
      ['demo', '--data-dir', join(dir, 'userData', 'daemon')],
    ]);
    expect(existsSync(join(dir, 'userData', 'daemon', 'landing-area', 'README.txt'))).toBe(true);
    expect(plan.entry.serverName).toBe('exchangeDL01');

    const child = utilityProcessLauncher(electron, entry, plan).launch();
    const forked = electron.forked[1];
    expect(forked?.modulePath).toBe(entry);
    expect(forked?.args).toEqual([]);
    expect(forked?.env[TOKEN_ENV]).toBe(plan.token);
    expect(JSON.parse(forked?.env[ARGS_ENV] ?? '[]')).toEqual(plan.args);
    const exited = new Promise<number | null>((r) => child.onExit((code) => r(code)));
    let stdout = '';
    let stderr = '';
    child.onStderr((t) => (stderr += t));
    await new Promise<void>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening on" within 20 s; stderr: ${stderr}`)), 20_000);
      child.onStdout((t) => {
        stdout += t;
        if (stdout.includes(`listening on ${plan.entry.url}`)) {
          clearTimeout(timer);
          resolvePromise();
        }
      });
    });
    const health = await fetch(`${plan.entry.url}/health`);
    expect(health.status).toBe(200);
    const status = await fetch(
      `${plan.entry.url}/servers/${plan.entry.serverName}/open-metadata/integration-daemon/users/${plan.entry.userId}/status`,
      {
        headers: { Authorization: `Bearer ${plan.token}` },
      },
    );
    expect(status.status).toBe(200);
    const body = (await status.json()) as { integrationServiceSummaries: { integrationConnectorReports: { connectorName: string }[] }[] };
    expect(body.integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports.map((r) => r.connectorName)).sort()).toEqual([
      'LandingAreaFilesMonitor',
      'LandingAreaFolderMonitor',
    ]);
    child.kill();
    expect(await exited).toBe(0);
  }, 40_000);

  it('says why when the demo set-up cannot be written', async () => {
    const settings = ConfSettingsStore.open(
      () =>
        new Conf<DesktopSettings>({
          ...SETTINGS_OPTIONS,
          cwd: join(dir, 'other'),
          projectName: 'integration-daemon',
          projectVersion: '0.1.0',
        }),
      join(dir, 'other'),
    );
    const failing = prepareLocalDaemon(join(dir, 'other'), settings, async () => ({ code: 2, stdout: '', stderr: 'no space left' }));
    await expect(failing).rejects.toThrow(/INTEGRATION-DAEMON-DESKTOP-500-006 .*no space left/);
  });
});
