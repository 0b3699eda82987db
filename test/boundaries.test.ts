// Enforces DESIGN.md's boundaries: engine never imports electron or renderer; renderer never imports electron/
// or Node built-ins; shared imports neither side.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  const re =
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) found.push((m[1] ?? m[2] ?? m[3] ?? m[4]) as string);
  return found;
}

/** Where an import lands, as a path relative to the project root (or the bare specifier for packages). */
function target(file: string, spec: string): string {
  if (spec.startsWith('.')) return relative(root, resolve(dirname(file), spec));
  return spec;
}

const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function violations(dir: string, isForbidden: (t: string, spec: string) => boolean): string[] {
  const bad: string[] = [];
  for (const file of sourceFiles(join(root, dir))) {
    for (const spec of imports(file)) {
      const t = target(file, spec);
      if (isForbidden(t, spec)) bad.push(`${relative(root, file)} imports ${spec}`);
    }
  }
  return bad;
}

describe('module boundaries', () => {
  it('engine never imports electron, the desktop code or the renderer', () => {
    expect(
      violations(
        'electron/engine',
        (t, spec) => spec === 'electron' || spec.startsWith('electron/') || t.startsWith('electron/desktop') || t.startsWith('renderer'),
      ),
    ).toEqual([]);
  });
  it('connectors never import electron, the desktop code or the renderer', () => {
    expect(
      violations('electron/connectors', (t, spec) => spec === 'electron' || t.startsWith('electron/desktop') || t.startsWith('renderer')),
    ).toEqual([]);
  });
  it('renderer never imports electron/ code, electron or Node built-ins', () => {
    expect(
      violations('renderer', (t, spec) => spec === 'electron' || t.startsWith('electron/') || t === 'electron' || nodeBuiltins.has(spec)),
    ).toEqual([]);
  });
  it('shared imports neither side nor Node built-ins', () => {
    expect(
      violations(
        'shared',
        (t, spec) => spec === 'electron' || t.startsWith('electron') || t.startsWith('renderer') || nodeBuiltins.has(spec),
      ),
    ).toEqual([]);
  });
  it('the checker itself sees imports (a test that cannot fail proves nothing)', () => {
    expect(imports(join(root, 'test/boundaries.test.ts'))).toContain('node:fs');
  });
});
