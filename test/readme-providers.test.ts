// The README documents every built-in provider's endpoint, configuration properties and connection checks exactly
// as the providers declare them. After changing a declaration: WRITE_README=1 npx vitest run test/readme-providers.test.ts
// then npx prettier --write README.md (Prettier pads the tables; the comparison ignores the padding).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInProviders } from '../electron/connectors/index.js';
import { describeProvider } from '../electron/engine/workbench/declarations.js';
import { providersMarkdown } from '../electron/engine/workbench/providers-table.js';

const START = '<!-- connector-providers: generated from the declarations (test/readme-providers.test.ts) -->';
const END = '<!-- /connector-providers -->';

/** Table rows compared cell by cell, so Prettier's column padding does not count. */
function normalized(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line.startsWith('|')
        ? line
            .split('|')
            .map((c) => c.trim())
            .map((c) => (/^-+$/.test(c) ? '---' : c))
            .join('|')
        : line,
    )
    .join('\n');
}

describe('README and provider declarations', () => {
  it('agree', () => {
    const file = join(resolve(import.meta.dirname, '..'), 'README.md');
    const readme = readFileSync(file, 'utf8');
    const expected = providersMarkdown(builtInProviders.map(describeProvider));
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start, `README.md needs the markers ${START} … ${END}`).toBeGreaterThan(-1);
    const current = readme.slice(start + START.length, end).trim();
    if (process.env.WRITE_README === '1' && normalized(current) !== normalized(expected)) {
      writeFileSync(file, `${readme.slice(0, start + START.length)}\n\n${expected}\n\n${readme.slice(end)}`);
      return;
    }
    expect(normalized(current)).toBe(normalized(expected));
    for (const provider of builtInProviders) {
      for (const property of provider.configurationProperties ?? []) expect(current).toContain(`\`${property.name}\``);
    }
  });
});
