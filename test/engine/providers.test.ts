import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConfig } from '../../electron/engine/config/load.js';
import { validateConfig, validateConfigWithModules } from '../../electron/engine/config/validate.js';
import { ProviderRegistry, ProviderResolutionError, providerShapeProblems } from '../../electron/engine/providers.js';
import { runtimeTypeScriptSupport, type TypeScriptSupport } from '../../electron/engine/provider-module.js';
import { builtInProviderRegistry } from '../support/providers.js';
import { filesProvider, folderProvider, postgresProvider, testProvider } from './config/test-providers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'providers-'));
  const body = (name: string) =>
    `{ providerName: '${name}', aliases: ['org.example.${name}'], connectorKind: 'files', description: 'd', validate: () => [], create: () => ({}) }`;
  writeFileSync(join(dir, 'default-export.mjs'), `export default ${body('from-default')};\n`);
  writeFileSync(join(dir, 'named-export.mjs'), `export const provider = ${body('from-named')};\nexport default 42;\n`);
  writeFileSync(
    join(dir, 'not-a-provider.mjs'),
    `export default { providerName: 'x', aliases: 'no', connectorKind: 'ftp', description: 1 };\n`,
  );
  writeFileSync(join(dir, 'nothing.mjs'), `export const other = 1;\n`);
  writeFileSync(join(dir, 'throws.mjs'), `throw new Error('module top-level failure');\n`);
  // A connector written in TypeScript, as its author would write it: types on everything, an import type of the SDK.
  writeFileSync(
    join(dir, 'typed.mts'),
    [
      `import type { ConnectorProvider } from '${join(import.meta.dirname, '../../electron/connector-sdk/index.js')}';`,
      `const kind: ConnectorProvider['connectorKind'] = 'files';`,
      `export const provider: Omit<ConnectorProvider, 'create'> & { create: () => object } = {`,
      `  providerName: 'typed-monitor', aliases: [], connectorKind: kind, description: 'written in TypeScript',`,
      `  validate: (): [] => [], create: (): object => ({}),`,
      `};`,
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ProviderRegistry', () => {
  it('resolves built-in names and Egeria class-name aliases, synchronously and asynchronously', async () => {
    const registry = new ProviderRegistry([filesProvider, folderProvider]);
    expect(registry.resolveSync('data-files-monitor')).toBe(filesProvider);
    expect(
      registry.resolveSync('org.odpi.openmetadata.adapters.connectors.integration.basicfiles.DataFolderMonitorIntegrationProvider'),
    ).toBe(folderProvider);
    expect(await registry.resolve('data-folder-monitor', dir)).toBe(folderProvider);
    expect(registry.resolveSync('unknown')).toBeUndefined();
    expect(registry.providerNames()).toEqual(['data-files-monitor', 'data-folder-monitor']);
    expect(registry.names()).toHaveLength(4);
    expect(registry.list()).toEqual([filesProvider, folderProvider]);
  });

  it('refuses a name or alias used by two providers, and a malformed provider', () => {
    const registry = new ProviderRegistry([filesProvider]);
    expect(() => registry.register(testProvider('data-files-monitor', 'files'))).toThrow(/INTEGRATION-DAEMON-PROVIDERS-400-002/);
    expect(() => registry.register({ ...postgresProvider, connectorKind: 'ftp' } as never)).toThrow(
      /INTEGRATION-DAEMON-PROVIDERS-400-001.*connectorKind/,
    );
    registry.register(filesProvider);
    expect(registry.list()).toHaveLength(1);
  });

  it('suggests the closest name for an unknown one', async () => {
    const registry = new ProviderRegistry([filesProvider, postgresProvider]);
    const error = await registry.resolve('data-file-monitor', dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderResolutionError);
    expect((error as ProviderResolutionError).messageId).toBe('INTEGRATION-DAEMON-PROVIDERS-404-001');
    expect((error as Error).message).toContain('did you mean "data-files-monitor"');
    expect((error as ProviderResolutionError).userAction).toContain('postgres-database-monitor');
  });

  it('tells module paths from names', () => {
    const registry = new ProviderRegistry();
    for (const spec of ['./p.mjs', '../p.js', '/abs/p', 'sub/p', 'p.ts', 'file:///x/p.mjs', 'C:\\x\\p.js'])
      expect(registry.isModulePath(spec), spec).toBe(true);
    for (const spec of [
      'data-files-monitor',
      'org.odpi.openmetadata.adapters.connectors.integration.basicfiles.DataFilesMonitorIntegrationProvider',
    ])
      expect(registry.isModulePath(spec), spec).toBe(false);
  });

  it("loads a module's default export, or its `provider` export in preference", async () => {
    const registry = new ProviderRegistry();
    expect((await registry.resolve('./default-export.mjs', dir)).providerName).toBe('from-default');
    expect((await registry.resolve(join(dir, 'named-export.mjs'), '/elsewhere')).providerName).toBe('from-named');
    expect((await registry.resolve(pathToFileURL(join(dir, 'default-export.mjs')).href, '/elsewhere')).providerName).toBe('from-default');
  });

  it('caches a loaded module so resolveSync finds it by any spelling of its path', async () => {
    const registry = new ProviderRegistry();
    const provider = await registry.resolve('./default-export.mjs', dir);
    expect(registry.resolveSync('./default-export.mjs', dir)).toBe(provider);
    expect(registry.resolveSync(join(dir, 'default-export.mjs'))).toBe(provider);
    expect(await registry.resolve(`${dir}/./default-export.mjs`, '/')).toBe(provider);
  });

  it('refuses a module that does not export a valid provider, naming what is wrong', async () => {
    const registry = new ProviderRegistry();
    const bad = (await registry.resolve('./not-a-provider.mjs', dir).catch((e: unknown) => e)) as ProviderResolutionError;
    expect(bad.messageId).toBe('INTEGRATION-DAEMON-PROVIDERS-400-003');
    expect(bad.message).toMatch(/aliases/);
    expect(bad.message).toMatch(/connectorKind/);
    expect(bad.message).toMatch(/validate must be a function/);
    const nothing = (await registry.resolve('./nothing.mjs', dir).catch((e: unknown) => e)) as ProviderResolutionError;
    expect(nothing.message).toContain('exports neither `provider` nor a default export');
  });

  it('reports a module that fails to load or is missing', async () => {
    const registry = new ProviderRegistry();
    const throws = (await registry.resolve('./throws.mjs', dir).catch((e: unknown) => e)) as ProviderResolutionError;
    expect(throws.messageId).toBe('INTEGRATION-DAEMON-PROVIDERS-404-002');
    expect(throws.message).toContain('module top-level failure');
    const missing = (await registry.resolve('./absent.mjs', dir).catch((e: unknown) => e)) as ProviderResolutionError;
    expect(missing.messageId).toBe('INTEGRATION-DAEMON-PROVIDERS-404-002');
    expect(missing.message).toContain(join(dir, 'absent.mjs'));
  });

  it('checks provider shapes', () => {
    expect(providerShapeProblems(filesProvider)).toEqual([]);
    expect(providerShapeProblems(null).length).toBeGreaterThan(0);
    expect(providerShapeProblems({ ...filesProvider, create: 'no' })).toEqual(['create: create must be a function']);
  });
});

describe('TypeScript connector modules', () => {
  /** What a runtime without type stripping and without the tsx package offers. */
  const noLoader: TypeScriptSupport = { native: false, tsx: async () => undefined };

  it("loads an .mts connector through the loader the runtime has (tsx here, Node's type stripping where present)", async () => {
    const registry = new ProviderRegistry([], { typeScript: runtimeTypeScriptSupport() });
    const provider = await registry.resolve('./typed.mts', dir);
    expect(provider.providerName).toBe('typed-monitor');
    expect(provider.description).toBe('written in TypeScript');
    expect(registry.resolveSync('./typed.mts', dir)).toBe(provider);
  });

  it('refuses TypeScript on a runtime without a loader, saying to compile it to .mjs', async () => {
    const registry = new ProviderRegistry([], { typeScript: noLoader });
    const error = (await registry.resolve('./typed.mts', dir).catch((e: unknown) => e)) as ProviderResolutionError;
    expect(error).toBeInstanceOf(ProviderResolutionError);
    expect(error.messageId).toBe('INTEGRATION-DAEMON-PROVIDERS-400-004');
    expect(error.message).toContain(`${join(dir, 'typed.mts')} is TypeScript`);
    expect(error.userAction).toMatch(/Compile the connector to JavaScript.*\.mjs/);
    // JavaScript modules are not affected by the missing loader.
    expect((await registry.resolve('./default-export.mjs', dir)).providerName).toBe('from-default');
  });

  it('turns the refusal into a configuration problem with its fix when a document names the module', async () => {
    const registry = new ProviderRegistry([], { typeScript: noLoader });
    const doc = {
      serverName: 's',
      integrationServices: [{ urlMarker: 'files-integrator', connectors: [{ connectorName: 'c', connectorProvider: './typed.mts' }] }],
    };
    const result = await validateConfigWithModules(doc, { providers: registry, baseDirectory: dir });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems[0]?.path).toBe('integrationServices[0].connectors[0].connectorProvider');
    expect(problems[0]?.message).toContain('INTEGRATION-DAEMON-PROVIDERS-400-004');
    expect(problems[0]?.fix).toMatch(/\.mjs/);
  });
});

describe('the built-in providers', () => {
  it('registers every built-in connector without a name clash, each under its Egeria class names too', () => {
    const registry = builtInProviderRegistry();
    expect(registry.providerNames()).toEqual(
      expect.arrayContaining(['data-files-monitor', 'data-folder-monitor', 'postgres-database-monitor', 'sqlite-database-monitor']),
    );
    for (const provider of registry.list()) {
      expect(providerShapeProblems(provider)).toEqual([]);
      for (const alias of provider.aliases) expect(registry.resolveSync(alias)).toBe(provider);
    }
    expect(
      registry.resolveSync('org.odpi.openmetadata.adapters.connectors.integration.basicfiles.DataFilesMonitorIntegrationProvider')
        ?.providerName,
    ).toBe('data-files-monitor');
  });

  it('accepts the demo document', () => {
    const result = validateConfig(demoConfig({ dataDirectory: '/data/demo' }), { providers: builtInProviderRegistry() });
    expect(result.ok ? result.warnings : result.problems).toEqual([]);
  });
});
