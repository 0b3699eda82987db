#!/usr/bin/env node
// `npm start`: the desktop app with a local daemon on the embedded SQLite store and a working demo
// configuration. Where no Electron binary can be had (it is fetched on first use if the network allows), it runs
// the same local daemon and opens the same console as a web page served by that daemon. A failed download is
// remembered for a day (in the user's cache directory), and one without a network gives up within seconds.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';

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

/** Where a failed Electron download is remembered, so the next starts do not wait for it again. */
function downloadMemoFile() {
  const home = homedir();
  const cache =
    platform() === 'darwin'
      ? join(home, 'Library', 'Caches')
      : platform() === 'win32'
        ? (process.env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'))
        : (process.env.XDG_CACHE_HOME ?? join(home, '.cache'));
  return join(cache, 'integration-daemon', 'electron-download-failed.json');
}

const MEMO_MS = 24 * 60 * 60 * 1000;
const NETWORK_CHECK_MS = 10_000;
const NO_PROGRESS_MS = 30_000;

/** A failure of this Electron version less than a day old, or undefined. */
function rememberedFailure(version) {
  try {
    const memo = JSON.parse(readFileSync(downloadMemoFile(), 'utf8'));
    return memo.version === version && Date.now() - memo.failedAt < MEMO_MS ? memo : undefined;
  } catch {
    return undefined;
  }
}

function rememberFailure(version, reason) {
  const file = downloadMemoFile();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ version, failedAt: Date.now(), reason })}\n`);
  console.log(`Not trying again for a day (remembered in ${file}; delete it, or set INTEGRATION_DAEMON_ELECTRON_RETRY=1, to try now).`);
}

/** Can the download host (or the proxy) be reached at all? Answers within NETWORK_CHECK_MS. */
function downloadHostAnswers() {
  const proxy = process.env.HTTPS_PROXY ?? process.env.https_proxy;
  const target = new URL(proxy ?? process.env.ELECTRON_MIRROR ?? 'https://github.com');
  const port = Number(target.port || (target.protocol === 'http:' ? 80 : 443));
  return new Promise((done) => {
    const socket = connect({ host: target.hostname, port, timeout: NETWORK_CHECK_MS });
    const finish = (ok) => {
      socket.destroy();
      done(ok ? undefined : `${target.hostname}:${port} cannot be reached`);
    };
    socket.once('connect', () => finish(true));
    socket.once('timeout', () => finish(false));
    socket.once('error', () => finish(false));
  });
}

/** Runs Electron's own installer with its progress bar; gives up when nothing arrives for NO_PROGRESS_MS. */
function runInstaller(electronDir) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(electronDir, 'install.js')], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'pipe'],
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
    });
    let stderr = '';
    let stalled;
    const watch = () => {
      clearTimeout(stalled);
      stalled = setTimeout(() => child.kill(), NO_PROGRESS_MS);
    };
    watch();
    child.stderr.on('data', (chunk) => {
      // The progress bar is written to stderr: pass it on, and count it as progress.
      process.stderr.write(chunk);
      stderr += chunk.toString();
      watch();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(stalled);
      const reason = signal
        ? `no progress for ${NO_PROGRESS_MS / 1000} s`
        : (stderr.split('\n').find((l) => l.trim() !== '') ?? `exit ${code}`);
      done(code === 0 ? undefined : reason.trim());
    });
  });
}

/** The Electron binary's path, fetching it first when it is missing; undefined where none can be had. */
async function electronBinary() {
  if (process.env.INTEGRATION_DAEMON_BROWSER === '1') return undefined;
  const electronDir = join(root, 'node_modules/electron');
  const installed = () => {
    const pathFile = join(electronDir, 'path.txt');
    if (!existsSync(pathFile)) return undefined;
    const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : undefined;
  };
  if (installed()) return installed();
  if (!existsSync(join(electronDir, 'install.js'))) return undefined;
  const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'));
  const failed = rememberedFailure(version);
  if (failed && process.env.INTEGRATION_DAEMON_ELECTRON_RETRY !== '1') {
    const hours = ((Date.now() - failed.failedAt) / 3_600_000).toFixed(1);
    console.log(`Electron ${version} could not be fetched ${hours} h ago (${failed.reason}); not trying again today.`);
    console.log(
      `  Delete ${downloadMemoFile()} or set INTEGRATION_DAEMON_ELECTRON_RETRY=1 to try now; INTEGRATION_DAEMON_BROWSER=1 skips Electron.`,
    );
    return undefined;
  }
  console.log(`Fetching the Electron ${version} binary (about 100 MB, once)…`);
  const reason = (await downloadHostAnswers()) ?? (await runInstaller(electronDir));
  if (reason !== undefined) {
    console.log(`Could not fetch the Electron binary (${reason}).`);
    rememberFailure(version, reason);
    return undefined;
  }
  rmSync(downloadMemoFile(), { force: true });
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

const electron = await electronBinary();
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
