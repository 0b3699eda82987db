#!/usr/bin/env node
// npm's prepare step: run by `npm install` in a checkout, by `npm pack`, and by `npm link` of an installed package.
// From the sources it compiles the CLI (scripts/build-cli.mjs) and builds the console, so that `integration-daemon
// serve` in a checkout serves the console at /console/ as the installed package does. The installed package ships
// this file but neither the sources nor the build tools: it is compiled already, and there is nothing to do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

if (existsSync(new URL('../electron/cli/process.ts', import.meta.url))) {
  const { main } = await import('./build-cli.mjs');
  await main([]);
  const vite = new URL('../node_modules/vite/bin/vite.js', import.meta.url);
  // `npm pack` builds the console in its prepack step already.
  if (existsSync(vite) && process.env.npm_command !== 'pack' && process.env.INTEGRATION_DAEMON_SKIP_CONSOLE_BUILD !== '1') {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const built = spawnSync(process.execPath, [fileURLToPath(vite), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (built.status !== 0) process.exitCode = built.status ?? 1;
  }
}
