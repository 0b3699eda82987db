// The local daemon's entry when the desktop app forks it with utilityProcess (bundled to dist/electron/daemon.mjs).
// The command line travels as JSON in an environment variable: how utilityProcess fills process.argv differs
// between platforms, an environment variable does not.
import { main } from '../cli/main.js';
import { ARGS_ENV } from './local-daemon.js';

const args: unknown = JSON.parse(process.env[ARGS_ENV] ?? '[]');
if (!Array.isArray(args) || !args.every((a): a is string => typeof a === 'string')) {
  process.stderr.write(`INTEGRATION-DAEMON-DESKTOP-500-005 ${ARGS_ENV} must be a JSON array of strings.\n`);
  process.exit(2);
}

const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop.abort());

const code = await main(args, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stop: stop.signal,
});
process.exit(code);
