#!/usr/bin/env node
// The package's command: registers tsx so the TypeScript sources run as they are, then hands over to the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli.ts');

const stop = new AbortController();
let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    signals++;
    // A second signal means the operator does not want to wait for a clean shutdown.
    if (signals > 1) process.exit(130);
    stop.abort();
  });
}

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stop: stop.signal,
});
process.exitCode = code;
// Idle keep-alive connections to a daemon must not hold a finished command open.
setTimeout(() => process.exit(code), 200).unref();
