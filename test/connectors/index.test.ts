import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInProviders } from '../../electron/connectors/index.js';

describe('built-in connector providers', () => {
  it('have unique names and aliases, a description and a kind', () => {
    const names = builtInProviders.flatMap((p) => [p.providerName, ...p.aliases]);
    expect(new Set(names).size).toBe(names.length);
    expect(builtInProviders.map((p) => p.providerName).sort()).toEqual([
      'data-files-monitor',
      'data-folder-monitor',
      'open-lineage-cataloguer',
      'postgres-database-monitor',
      'sqlite-database-monitor',
    ]);
    for (const p of builtInProviders) {
      expect(p.description.length).toBeGreaterThan(40);
      expect(['files', 'database', 'lineage']).toContain(p.connectorKind);
    }
  });

  it('import nothing of the engine but the public SDK, as a third-party connector would', () => {
    const root = resolve(import.meta.dirname, '../../electron/connectors');
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
    for (const file of files(root)) {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from\s+'([^']+)'/g)) {
        if (spec?.includes('/engine/')) expect(`${file}: ${spec}`).toMatch(/engine\/sdk\/connector\.js$/);
      }
    }
  });
});
