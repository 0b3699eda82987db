// A real integration daemon for tests: `integration-daemon serve` in its own child process, with its own
// configuration document, state directory and token, reached over its REST API on a free loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const STARTUP_TIMEOUT_MS = 30_000;

export interface DaemonProcess {
  readonly url: string;
  readonly token: string;
  readonly configPath: string;
  readonly process: ChildProcess;
  output(): string;
  /** GET/POST under `/servers/{server}/open-metadata/integration-daemon/users/{user}` with the token. */
  api(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; json: any }>;
  /** SIGTERM, then SIGKILL after 10 s; resolves with the exit code. */
  stop(): Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export async function startDaemonProcess(opts: {
  dir: string;
  config: { serverName: string; localServerUserId: string } & Record<string, unknown>;
  userId?: string;
  env?: Record<string, string>;
  /** More `serve` arguments, e.g. `--console-dir`. */
  args?: string[];
  /** Defaults to a generated one. */
  token?: string;
  /** Runs the daemon under `ulimit -n` of this many open files (through bash, which then execs node). */
  openFileLimit?: number;
}): Promise<DaemonProcess> {
  const configPath = join(opts.dir, 'integration-daemon.json');
  const stateDir = join(opts.dir, 'state');
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(configPath, JSON.stringify(opts.config, null, 2));
  const token = opts.token ?? `test-token-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const command = [
    join(ROOT, 'bin/integration-daemon.mjs'),
    'serve',
    '--config',
    configPath,
    '--port',
    '0',
    '--state-dir',
    stateDir,
    ...(opts.args ?? []),
  ];
  const options = {
    cwd: opts.dir,
    env: { ...process.env, ...opts.env, INTEGRATION_DAEMON_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'],
  };
  const child =
    opts.openFileLimit === undefined
      ? spawn(process.execPath, command, options)
      : spawn('bash', ['-c', `ulimit -n ${opts.openFileLimit} && exec "$0" "$@"`, process.execPath, ...command], options);
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (output += chunk));
  child.stderr.on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`daemon did not report "listening on" within ${STARTUP_TIMEOUT_MS} ms:\n${output}`)),
      STARTUP_TIMEOUT_MS,
    );
    const look = () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1].replace(/\/+$/, ''));
      }
    };
    child.stdout.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`daemon exited with code ${code} before listening:\n${output}`));
    });
  });

  const base = `${url}/servers/${encodeURIComponent(opts.config.serverName)}/open-metadata/integration-daemon/users/${encodeURIComponent(opts.userId ?? 'garygeeke')}`;
  return {
    url,
    token,
    configPath,
    process: child,
    output: () => output,
    async api(path, init) {
      const response = await fetch(`${base}${path}`, {
        method: init?.method ?? 'GET',
        headers: { authorization: `Bearer ${token}`, ...(init?.body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(init?.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      const text = await response.text();
      return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        const code = await exited;
        clearTimeout(timer);
        return code;
      }
      return child.exitCode;
    },
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        await exited;
      }
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or fails with the last observation. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
