// Backs up the import boundaries ESLint enforces (eslint.config.js): the engine runs headless and ships no
// connectors; connectors are written against the connector SDK alone, which imports nothing of the project but
// shared/api; the renderer never imports electron/ or Node built-ins; shared imports neither side.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  if (statSync(dir, { throwIfNoEntry: false })?.isFile()) return [dir];
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

/** A project file (not a package or a Node built-in) outside the given places. */
function projectCodeOutside(t: string, allowed: readonly string[]): boolean {
  const isProjectFile = ['electron/', 'shared/', 'renderer/', 'test/', 'scripts/', 'bin/'].some((dir) => t.startsWith(dir));
  return isProjectFile && !allowed.some((place) => t === place || t.startsWith(`${place}/`));
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
  it('engine never imports the built-in connectors or the CLI: whoever starts a daemon hands it the providers', () => {
    expect(
      violations(
        'electron/engine',
        (t) =>
          t.startsWith('electron/connectors') || t === 'electron/cli' || t.startsWith('electron/cli.') || t.startsWith('electron/cli/'),
      ),
    ).toEqual([]);
  });
  it('connectors never import electron, the desktop code or the renderer', () => {
    expect(
      violations('electron/connectors', (t, spec) => spec === 'electron' || t.startsWith('electron/desktop') || t.startsWith('renderer')),
    ).toEqual([]);
  });
  it('connectors import, of the project, only the connector SDK, shared/api and each other', () => {
    expect(
      violations('electron/connectors', (t) => projectCodeOutside(t, ['electron/connectors', 'electron/connector-sdk', 'shared/api'])),
    ).toEqual([]);
  });
  it('the connector SDK imports, of the project, only shared/api (it is published on its own)', () => {
    expect(
      violations(
        'electron/connector-sdk',
        (t, spec) => spec === 'electron' || projectCodeOutside(t, ['electron/connector-sdk', 'shared/api']),
      ),
    ).toEqual([]);
  });
  it('the desktop never imports the engine, the CLI or the connectors: it talks to its local daemon over REST like to a remote one', () => {
    const forbidden = (t: string) =>
      ['electron/engine', 'electron/connectors', 'electron/connector-sdk', 'electron/cli/', 'renderer'].some((p) => t.startsWith(p));
    expect([
      ...violations('electron/desktop', forbidden),
      ...violations('electron/main.ts', forbidden),
      ...violations('electron/preload.ts', forbidden),
    ]).toEqual([]);
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
    const engineFile = join(root, 'electron/engine/daemon.ts');
    expect(imports(engineFile).map((spec) => target(engineFile, spec))).toContain('electron/engine/daemon-api.js');
    expect(projectCodeOutside('electron/engine/daemon.js', ['electron/connector-sdk', 'shared/api'])).toBe(true);
    expect(projectCodeOutside('shared/api/types.js', ['electron/connector-sdk', 'shared/api'])).toBe(false);
    expect(projectCodeOutside('node:crypto', ['electron/connector-sdk'])).toBe(false);
  });
});
