// The seed document's JSON examples, read from the seed itself so tests compare against the user's text and not
// against a copy that could drift.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const SEED = resolve(import.meta.dirname, '../../fixtures/integration-daemon-troubleshooting.txt');

/** Every top-level `{ … }` block of the seed that parses as JSON, in document order. */
export function seedJsonExamples(): unknown[] {
  const text = readFileSync(SEED, 'utf8');
  const blocks: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"' && depth > 0) inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        // Prose placeholders such as {serverRootURL} are braces too; only real JSON counts.
        try {
          blocks.push(JSON.parse(text.slice(start, i + 1)));
        } catch {
          continue;
        }
      }
    }
  }
  return blocks;
}

export interface SeedExamples {
  statusFailed: Record<string, unknown>;
  registeredServices: Record<string, unknown>;
  statusAfterRestart: Record<string, unknown>;
  statusRunning: Record<string, unknown>;
}

export function seedExamples(): SeedExamples {
  const blocks = seedJsonExamples() as Record<string, unknown>[];
  const byClass = (name: string) => blocks.filter((b) => b.class === name);
  const statuses = byClass('IntegrationDaemonStatusResponse');
  const registered = byClass('RegisteredOMAGServicesResponse');
  if (statuses.length !== 3 || registered.length !== 1) {
    throw new Error(`seed examples changed: ${statuses.length} status and ${registered.length} registered-services blocks`);
  }
  return {
    statusFailed: statuses[0] as Record<string, unknown>,
    registeredServices: registered[0] as Record<string, unknown>,
    statusAfterRestart: statuses[1] as Record<string, unknown>,
    statusRunning: statuses[2] as Record<string, unknown>,
  };
}
