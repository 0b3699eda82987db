// Launches the daemon as a plain Node child process: used when the app runs headless and by the tests. In
// Electron the same ProcessLauncher contract is met by utilityProcess.fork (electron-adapters.ts).
import { spawn } from 'node:child_process';
import type { ChildHandle, ProcessLauncher } from './supervisor.js';

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
