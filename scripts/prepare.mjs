#!/usr/bin/env node
// npm's prepare step: run by `npm install` in a checkout, by `npm pack`, and by `npm link` of an installed package.
// From the sources it compiles the CLI (scripts/build-cli.mjs). The installed package ships this file but neither
// the sources nor the build tools: it is compiled already, and there is nothing to do.
import { existsSync } from 'node:fs';

if (existsSync(new URL('../electron/cli/process.ts', import.meta.url))) {
  const { main } = await import('./build-cli.mjs');
  await main([]);
}
