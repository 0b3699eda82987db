// The esbuild bundles the app ships: main (ESM, Electron external), the preload (one CommonJS file requiring only
// 'electron', as a sandboxed preload must), and the daemon entry, which is started here the way the app starts
// it (utilityProcess.fork with the command line in the environment) and answers on its loopback port.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Conf from 'conf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utilityProcessLauncher } from '../../electron/desktop/electron-main.js';
import { ARGS_ENV, prepareLocalDaemon, TOKEN_ENV } from '../../electron/desktop/local-daemon.js';
import { ConfSettingsStore, SETTINGS_OPTIONS, type DesktopSettings } from '../../electron/desktop/settings.js';
import { FakeElectron } from './fake-electron.js';

const root = resolve(import.meta.dirname, '../..');
const out = join(root, 'dist', 'electron');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'desktop-build-'));
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build-electron.mjs')], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Electron bundles', () => {
  it('bundles the preload into one CommonJS file that requires nothing but electron', () => {
    const preload = readFileSync(join(out, 'preload.cjs'), 'utf8');
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).toContain('exposeInMainWorld');
  });

  it('bundles main as ESM with Electron outside and no native module inside', () => {
    const main = readFileSync(join(out, 'main.js'), 'utf8');
    const packages = new Set([...main.matchAll(/from "([^"]+)"/g)].map((m) => m[1]).filter((p) => !p!.startsWith('node:')));
    expect([...packages]).toEqual(['electron']);
    expect(main).not.toMatch(/(from |require\(|import\()"better-sqlite3"/);
  });

  it('starts the bundled daemon the way the app does and it answers on loopback', async () => {
    const settings = ConfSettingsStore.open(
      () => new Conf<DesktopSettings>({ ...SETTINGS_OPTIONS, cwd: dir, projectName: 'integration-daemon', projectVersion: '0.1.0' }),
      dir,
    );
    const plan = await prepareLocalDaemon(join(dir, 'userData'), settings);
    expect(settings.get('localDaemon').port).toBe(plan.port);
    const electron = new FakeElectron(dir);
    const child = utilityProcessLauncher(electron, join(out, 'daemon.mjs'), plan).launch();
    expect(electron.forked[0]?.args).toEqual([]);
    expect(electron.forked[0]?.env[TOKEN_ENV]).toBe(plan.token);
    expect(JSON.parse(electron.forked[0]?.env[ARGS_ENV] ?? '[]')).toEqual(plan.args);
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
});
