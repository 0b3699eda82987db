// The process around the CLI, compiled to dist/cli/integration-daemon.js: what bin/integration-daemon.mjs runs and
// what the desktop app forks as its local daemon. It takes the command line, wires SIGINT/SIGTERM to a clean stop,
// tells `serve` where the console built into the package is, and exits with the command's code.
import { fileURLToPath } from 'node:url';
import { main } from './main.js';

/**
 * The desktop app hands the command line over in this variable (a JSON array of strings) when it forks the daemon
 * with Electron's utilityProcess: how utilityProcess fills process.argv differs between platforms, an environment
 * variable does not. electron/desktop/local-daemon.ts writes it under the same name.
 */
const ARGS_ENV = 'INTEGRATION_DAEMON_ARGS';

function commandLine(): string[] {
  const fromEnv = process.env[ARGS_ENV];
  if (fromEnv === undefined) return process.argv.slice(2);
  // Not passed on to anything the daemon starts (connector modules, their child processes).
  delete process.env[ARGS_ENV];
  let args: unknown;
  try {
    args = JSON.parse(fromEnv);
  } catch {
    args = undefined;
  }
  if (!Array.isArray(args) || !args.every((a): a is string => typeof a === 'string')) {
    process.stderr.write(`INTEGRATION-DAEMON-CLI-400-015 ${ARGS_ENV} must be a JSON array of strings.\n`);
    process.exit(2);
  }
  return args;
}

const args = commandLine();
const stop = new AbortController();
let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    signals++;
    // A second signal means the operator does not want to wait for a clean shutdown.
    if (signals > 1) process.exit(130);
    stop.abort();
  });
}

const code = await main(args, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stop: stop.signal,
  // This file lies in <package>/dist/cli/, the console build in <package>/dist/renderer/.
  shippedConsoleDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
});
process.exitCode = code;
// Idle keep-alive connections to a daemon must not hold a finished command open.
setTimeout(() => process.exit(code), 200).unref();
