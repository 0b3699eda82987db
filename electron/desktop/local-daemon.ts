// Prepares the daemon the desktop app runs itself, which is the compiled `integration-daemon` command in a process of
// its own (the desktop never loads the engine): on first start the CLI's `demo` command writes a demo set-up that
// works (embedded SQLite, a files monitor and a folder monitor on a landing area) into the user data directory;
// the loopback port is chosen once and kept, and a fresh operator token is made for every app start (it never
// leaves main and the child's environment).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { LOCAL_DAEMON_ID, type DaemonEntry } from '../../shared/console-backend.js';
import { errorText } from '../../shared/api/error-text.js';
import { DesktopError } from './errors.js';
import type { SettingsStore } from './settings.js';
import type { ProcessLauncher } from './supervisor.js';

/** One run of the `integration-daemon` command. */
export interface CliCommand {
  /** The command line after the entry script, e.g. `serve --config …`. */
  args: string[];
  /** Added to the child's environment: the token travels here, not on the command line (visible in `ps`). */
  env: Record<string, string>;
}

export interface LocalDaemonPlan extends CliCommand {
  configPath: string;
  dataDirectory: string;
  port: number;
  token: string;
  entry: DaemonEntry;
}

/** What a command that ran to its end printed, and how it ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Name of the environment variable the daemon's `serve` command reads the operator token from. */
export const TOKEN_ENV = 'INTEGRATION_DAEMON_TOKEN';
/**
 * The compiled CLI (electron/cli/process.ts) reads its command line from here when utilityProcess forks it: how
 * utilityProcess fills process.argv differs between platforms, an environment variable does not.
 */
export const ARGS_ENV = 'INTEGRATION_DAEMON_ARGS';

const COMMAND_TIMEOUT_MS = 60_000;

/** Runs a command that ends by itself (such as `demo`) and collects its output; a hung one is killed. */
export function runToEnd(launcher: ProcessLauncher, timeoutMs = COMMAND_TIMEOUT_MS): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = launcher.launch();
    let stdout = '';
    let stderr = '';
    child.onStdout((text) => (stdout += text));
    child.onStderr((text) => (stderr += text));
    const timer = setTimeout(() => {
      stderr += `killed after ${timeoutMs} ms without ending\n`;
      child.kill();
    }, timeoutMs);
    child.onExit((code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const configHead = z.looseObject({ serverName: z.string().min(1), localServerUserId: z.string().min(1).optional() });

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The plan for the local daemon. `runCli` runs one command of the compiled CLI to its end; it is used for `demo`
 * when the data directory has no configuration yet (an existing one may carry the operator's edits and is kept).
 */
export async function prepareLocalDaemon(
  userDataDir: string,
  settings: SettingsStore,
  runCli: (command: CliCommand) => Promise<CliRun>,
): Promise<LocalDaemonPlan> {
  const dataDirectory = join(userDataDir, 'daemon');
  const configPath = join(dataDirectory, 'integration-daemon.json');
  mkdirSync(dataDirectory, { recursive: true });
  if (!existsSync(configPath)) {
    const demo = await runCli({ args: ['demo', '--data-dir', dataDirectory], env: {} });
    if (demo.code !== 0 || !existsSync(configPath)) {
      throw new DesktopError(
        'INTEGRATION-DAEMON-DESKTOP-500-006',
        `The local daemon's demo configuration could not be written into ${dataDirectory} (exit ${String(demo.code)}): ${demo.stderr.trim() || demo.stdout.trim()}`,
        'Check that the directory is writable, or turn the local daemon off in the settings and add remote daemons only.',
      );
    }
  }
  let head: z.infer<typeof configHead>;
  try {
    head = configHead.parse(JSON.parse(readFileSync(configPath, 'utf8')));
  } catch (error) {
    throw new DesktopError(
      'INTEGRATION-DAEMON-DESKTOP-500-004',
      `The local daemon's configuration ${configPath} cannot be read: ${errorText(error)}.`,
      'Correct the file (integration-daemon config validate shows every problem) or delete it to get the demo configuration back.',
    );
  }
  let { port } = settings.get('localDaemon');
  if (port === 0) {
    port = await freePort();
    settings.set('localDaemon', { ...settings.get('localDaemon'), port });
  }
  const token = randomBytes(24).toString('base64url');
  return {
    configPath,
    dataDirectory,
    port,
    token,
    entry: {
      id: LOCAL_DAEMON_ID,
      label: 'This computer',
      url: `http://127.0.0.1:${port}`,
      serverName: head.serverName,
      userId: head.localServerUserId ?? head.serverName,
      local: true,
    },
    env: { [TOKEN_ENV]: token },
    args: ['serve', '--config', configPath, '--host', '127.0.0.1', '--port', String(port)],
  };
}
