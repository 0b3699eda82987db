#!/usr/bin/env node
// The package's command. It runs the compiled CLI (dist/cli, built by `npm install` in a checkout and shipped in
// the package); nothing is compiled at run time.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/integration-daemon.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'INTEGRATION-DAEMON-CLI-500-003 The compiled command is missing (dist/cli/integration-daemon.js).\n' +
      '  fix: in a checkout, run npm install (or npm run build:cli) first.\n',
  );
  process.exit(1);
}
await import(entry.href);
