#!/usr/bin/env node
// `npm start`: the desktop app with a local daemon on the embedded SQLite store and a working demo
// configuration. Where no Electron binary can be had (it is fetched on first use if the network allows), it runs
// the same local daemon and opens the same console as a web page served by that daemon.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

function userDataDir() {
  if (process.env.INTEGRATION_DAEMON_HOME) return resolve(process.env.INTEGRATION_DAEMON_HOME);
  const home = homedir();
  if (platform() === 'darwin') return join(home, 'Library', 'Application Support', 'integration-daemon');
  if (platform() === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'integration-daemon');
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'integration-daemon');
}

function step(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`npm start: '${[cmd, ...args].join(' ')}' failed (exit ${r.status}).`);
    process.exit(1);
  }
}

/** The Electron binary's path, fetching it first when it is missing; undefined where none can be had. */
function electronBinary() {
  if (process.env.INTEGRATION_DAEMON_BROWSER === '1') return undefined;
  const electronDir = join(root, 'node_modules/electron');
  const installed = () => {
    const pathFile = join(electronDir, 'path.txt');
    if (!existsSync(pathFile)) return undefined;
    const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : undefined;
  };
  if (installed()) return installed();
  console.log('Fetching the Electron binary…');
  const fetch = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
  });
  if (fetch.status !== 0) {
    const reason = `${fetch.stderr ?? ''}`.split('\n').find((line) => line.trim() !== '') ?? `exit ${fetch.status}`;
    console.log(`Could not fetch the Electron binary (${reason.trim()}).`);
  }
  return installed();
}

/** The console is rebuilt only when a file it is built from is newer than the build (a second start is quick). */
function consoleBuildIsStale() {
  const built = join(root, 'dist/renderer/index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const newer = (path) =>
    statSync(path).isDirectory() ? readdirSync(path).some((name) => newer(join(path, name))) : statSync(path).mtimeMs > builtAt;
  return ['renderer', 'shared'].some((dir) => newer(join(root, dir)));
}

function openInBrowser(url) {
  const opener = platform() === 'darwin' ? 'open' : platform() === 'win32' ? 'explorer' : 'xdg-open';
  const probe = spawnSync(platform() === 'win32' ? 'where' : 'which', [opener], { stdio: 'ignore' });
  if (probe.status !== 0 || (platform() === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)) return false;
  spawn(opener, [url], { stdio: 'ignore', detached: true }).unref();
  return true;
}

const dataDir = userDataDir();
mkdirSync(dataDir, { recursive: true });

if (consoleBuildIsStale()) {
  console.log('Building the console…');
  step(process.execPath, [
    join(root, 'node_modules/vite/bin/vite.js'),
    'build',
    '--config',
    'renderer/vite.config.ts',
    '--logLevel',
    'warn',
  ]);
}

const electron = electronBinary();
if (electron) {
  console.log('Building the desktop app…');
  step(process.execPath, [join(root, 'scripts/build-electron.mjs')]);
  // Unpackaged, better-sqlite3 is built for this Node's ABI rather than Electron's, so the local daemon runs on it.
  const app = spawn(electron, [root], { cwd: root, stdio: 'inherit', env: { ...process.env, INTEGRATION_DAEMON_NODE: process.execPath } });
  app.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('No Electron binary could be had here: running the local daemon and opening the console as a web page.');
  // The daemon runs compiled; compiling takes about a second, so it is always done from the current sources.
  step(process.execPath, [join(root, 'scripts/build-cli.mjs'), '--no-types']);
  const demo = spawnSync(process.execPath, [join(root, 'bin/integration-daemon.mjs'), 'demo', '--data-dir', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (demo.status !== 0) process.exit(demo.status ?? 1);
  const configPath = demo.stdout.trim().split('\n').pop();
  const port = process.env.INTEGRATION_DAEMON_PORT ?? '9443';
  const daemon = spawn(
    process.execPath,
    [
      join(root, 'bin/integration-daemon.mjs'),
      'serve',
      '--config',
      configPath,
      '--state-dir',
      join(dataDir, 'state'),
      '--port',
      port,
      '--console-dir',
      join(root, 'dist/renderer'),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let buffered = '';
  let announced = false;
  daemon.stdout.setEncoding('utf8');
  daemon.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (announced) return;
    buffered += chunk;
    const m = /listening on (http:\/\/\S+)/.exec(buffered);
    if (m) {
      announced = true;
      const tokenFile = join(dataDir, 'state', 'token');
      const token = process.env.INTEGRATION_DAEMON_TOKEN ?? readFileSync(tokenFile, 'utf8').trim();
      const url = `${m[1]}/console/#token=${encodeURIComponent(token)}`;
      const opened = openInBrowser(url);
      console.log(`\nConsole: ${url}${opened ? '' : '\n(open it in a browser; no desktop browser could be started from here)'}`);
      console.log(
        `Demo configuration: ${configPath}\nDrop files into the demo landing area to see them catalogued. Ctrl-C stops the daemon.`,
      );
    }
  });
  const stop = () => daemon.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  daemon.on('exit', (code) => process.exit(code ?? 0));
}
