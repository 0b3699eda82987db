// Launches the daemon as a plain Node child process: used when the app runs headless and by the tests. In
// Electron the same ProcessLauncher contract is met by utilityProcess.fork (electron-main.ts).
import { spawn } from 'node:child_process';
import type { ChildHandle, ProcessLauncher } from './supervisor.js';

/** Names a plain Node to run the local daemon on instead of utilityProcess (npm start, the Electron e2e specs). */
export const PLAIN_NODE_ENV = 'INTEGRATION_DAEMON_NODE';

/**
 * The plain Node for the local daemon, for unpackaged runs only, where better-sqlite3 is built for Node's ABI. A
 * packaged app ignores the variable: its fuses stop the environment from choosing what code runs (runAsNode,
 * NODE_OPTIONS off), and an executable named in the environment, handed the daemon's token, would get around them.
 */
export function plainNodeForDaemon(packaged: boolean, env: NodeJS.ProcessEnv): string | undefined {
  const command = env[PLAIN_NODE_ENV];
  return packaged || command === undefined || command === '' ? undefined : command;
}

export interface NodeLaunchSpec {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export class NodeProcessLauncher implements ProcessLauncher {
  constructor(private readonly spec: () => NodeLaunchSpec) {}

  launch(): ChildHandle {
    const { command, args, env, cwd } = this.spec();
    const child = spawn(command, args, { env: env ?? process.env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
    let exited: [number | null, string | null] | undefined;
    const finish = (code: number | null, signal: string | null) => {
      if (exited) return;
      exited = [code, signal];
      for (const l of exitListeners) l(code, signal);
    };
    child.on('exit', (code, signal) => finish(code, signal));
    // spawn reports a missing executable as an 'error' event without an 'exit'.
    child.on('error', (error) => {
      child.stderr.emit('data', `${error.message}\n`);
      finish(null, null);
    });
    return {
      get pid() {
        return child.pid;
      },
      onExit(listener) {
        if (exited) listener(...exited);
        else exitListeners.push(listener);
      },
      onStdout(listener) {
        child.stdout.on('data', (text: string) => listener(text));
      },
      onStderr(listener) {
        child.stderr.on('data', (text: string) => listener(text));
      },
      kill(signal) {
        child.kill(signal);
      },
    };
  }
}
