// A real PostgreSQL 15 server for tests: its own data directory in a temp dir, loopback TCP on a free port,
// trust authentication. initdb and postgres refuse to run as root, so as root everything runs as `postgres`
// through runuser, in a directory handed over to that user.
import { execFile, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const BIN = '/usr/lib/postgresql/15/bin';
const execFileAsync = promisify(execFile);

export interface PgServer {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` */
  readonly connectionString: string;
  readonly port: number;
  readonly dataDirectory: string;
  /** Fast shutdown; the server can be started again with `start()` on the same data directory and port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server (killing it if it does not stop) and removes its directory. */
  destroy(): Promise<void>;
  /** Creates a database and returns its connection string. */
  createDatabase(name: string): Promise<string>;
}

interface RunAs {
  uid: number;
  gid: number;
  /** Prefix that runs a command as the server's owner. */
  wrap(command: string, args: string[]): [string, string[]];
}

function runAs(): RunAs {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    return { uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1, wrap: (c, a) => [c, a] };
  }
  const id = (flag: string): number => {
    const r = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    if (r.status !== 0) {
      throw new Error(
        'TEST-POSTGRES-500-002 Running as root but there is no `postgres` user to run PostgreSQL as. ' +
          'Install the `postgresql` package (`.ci/run` does) or run the tests as a normal user.',
      );
    }
    return Number(r.stdout.trim());
  };
  return { uid: id('-u'), gid: id('-g'), wrap: (c, a) => ['runuser', ['-u', 'postgres', '--', c, ...a]] };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function run(as: RunAs, command: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const [c, a] = as.wrap(join(BIN, command), args);
  try {
    const { stdout, stderr } = await execFileAsync(c, a, { timeout: timeoutMs, encoding: 'utf8' });
    return stdout + stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`TEST-POSTGRES-500-003 ${command} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: error });
  }
}

/** A stopped server is started again on its port this many times, this far apart, before its start fails. */
const RESTART_ATTEMPTS = 5;
const RESTART_PAUSE_MS = 1_000;

/** Servers still running when the test process exits are killed so no postmaster outlives its test file. */
const running = new Set<string>();
process.once('exit', () => {
  for (const dataDirectory of running) killPostmaster(dataDirectory);
});

/** The pid in the server's postmaster.pid, if it has one. */
export function postmasterPid(dataDirectory: string): number | undefined {
  const pidFile = join(dataDirectory, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function postmasterRunning(dataDirectory: string): boolean {
  const pid = postmasterPid(dataDirectory);
  return pid !== undefined && isAlive(pid);
}

function killPostmaster(dataDirectory: string): void {
  const pid = postmasterPid(dataDirectory);
  if (pid === undefined || !isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone: the pid file was stale.
  }
}

const DIRECTORY_PREFIX = 'pg-test-';
const OWNER_FILE = 'owner.pid';

/**
 * A test process that was killed (timeout, Ctrl-C) cannot stop its server. Each server directory names the test
 * process that owns it; servers whose owner is gone are killed and their directories removed.
 */
function sweepAbandonedServers(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(DIRECTORY_PREFIX)) continue;
    const directory = join(tmpdir(), name);
    try {
      const ownerFile = join(directory, OWNER_FILE);
      if (!existsSync(ownerFile)) {
        // Directories from before owner files, or one being created right now: only old ones are abandoned.
        if (Date.now() - statSync(directory).mtimeMs < 10 * 60_000) continue;
      } else if (isAlive(Number(readFileSync(ownerFile, 'utf8')))) {
        continue;
      }
      killPostmaster(join(directory, 'data'));
      rmSync(directory, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      // Another test process is sweeping the same directory.
    }
  }
}

async function waitUntilReady(connectionString: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`TEST-POSTGRES-500-004 PostgreSQL did not accept connections within ${timeoutMs} ms: ${String(lastError)}`);
}

export async function startPostgres(): Promise<PgServer> {
  if (!existsSync(join(BIN, 'initdb')) || !existsSync(join(BIN, 'pg_ctl'))) {
    throw new Error(
      `TEST-POSTGRES-500-001 PostgreSQL 15 binaries were not found in ${BIN}. ` +
        'Install the Debian `postgresql` package (`.ci/run` installs it on a fresh machine).',
    );
  }
  const as = runAs();
  sweepAbandonedServers();
  const directory = mkdtempSync(join(tmpdir(), DIRECTORY_PREFIX));
  writeFileSync(join(directory, OWNER_FILE), String(process.pid));
  chownSync(directory, as.uid, as.gid);
  const dataDirectory = join(directory, 'data');
  const logFile = join(directory, 'server.log');
  try {
    await run(as, 'initdb', ['-D', dataDirectory, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }

  let port = 0;
  const configure = (p: number): void => {
    // postgresql.auto.conf is read last, so rewriting it replaces earlier settings.
    writeFileSync(
      join(dataDirectory, 'postgresql.auto.conf'),
      [
        `port = ${p}`,
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${directory}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 50',
        'shared_buffers = 32MB',
        '',
      ].join('\n'),
    );
    chownSync(join(dataDirectory, 'postgresql.auto.conf'), as.uid, as.gid);
  };

  const pgCtlStart = async (): Promise<void> => {
    try {
      await run(as, 'pg_ctl', ['-D', dataDirectory, '-l', logFile, '-w', '-t', '30', 'start']);
    } catch (error) {
      // pg_ctl only says "Examine the log output", and the log goes with the directory: carry its end in the error.
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-8).join('\n') : '';
      throw new Error(`${(error as Error).message}\nserver log:\n${log}`, { cause: error });
    }
    running.add(dataDirectory);
  };

  // The port is free when chosen but another process may take it before the server binds; try a new one.
  let started = false;
  let lastError: unknown;
  for (let attempt = 0; attempt < 3 && !started; attempt++) {
    port = await freePort();
    configure(port);
    try {
      await pgCtlStart();
      started = true;
    } catch (error) {
      lastError = error;
      killPostmaster(dataDirectory);
      appendFileSync(logFile, `\n-- start on port ${port} failed, trying another port\n`);
    }
  }
  if (!started) {
    rmSync(directory, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    throw lastError;
  }

  const connectionString = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  await waitUntilReady(connectionString, 30_000);

  const stop = async (): Promise<void> => {
    if (!postmasterRunning(dataDirectory)) return;
    await run(as, 'pg_ctl', ['-D', dataDirectory, '-m', 'fast', '-w', '-t', '30', 'stop']);
    running.delete(dataDirectory);
  };

  return {
    connectionString,
    port,
    dataDirectory,
    stop,
    async start() {
      if (postmasterRunning(dataDirectory)) return;
      // Back on its own port, which clients were told. While the server was down, a connection elsewhere on this
      // machine may have been given that port as its own local port; it is free again once that connection closes.
      for (let attempt = 1; ; attempt++) {
        try {
          await pgCtlStart();
          break;
        } catch (error) {
          killPostmaster(dataDirectory);
          if (attempt === RESTART_ATTEMPTS) throw error;
          appendFileSync(logFile, `\n-- restart on port ${port} failed, trying again\n`);
          await new Promise((resolve) => setTimeout(resolve, RESTART_PAUSE_MS));
        }
      }
      await waitUntilReady(connectionString, 30_000);
    },
    async destroy() {
      try {
        await stop();
      } catch {
        killPostmaster(dataDirectory);
      }
      running.delete(dataDirectory);
      // Backends of a killed postmaster may still be writing for a moment.
      rmSync(directory, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
    async createDatabase(name: string) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
        throw new Error(`TEST-POSTGRES-400-005 Database name ${JSON.stringify(name)} must be lower-case letters, digits and _.`);
      }
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgresql://postgres@127.0.0.1:${port}/${name}`;
    },
  };
}
