import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, demoConfig, loadConfigFile, parseConfigText, writeConfigAtomically } from '../../../electron/engine/config/load.js';
import { CONFIG_MESSAGE_IDS } from '../../../electron/engine/config/problems.js';
import { validateConfig } from '../../../electron/engine/config/validate.js';
import { ProviderRegistry } from '../../../electron/engine/providers.js';
import { dataFilesMonitorProvider } from '../../../electron/connectors/files/data-files-monitor.js';
import { dataFolderMonitorProvider } from '../../../electron/connectors/files/data-folder-monitor.js';
import { filesProvider, folderProvider } from './test-providers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'config-load-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const providers = () => new ProviderRegistry([filesProvider, folderProvider]);

async function loadError(path: string): Promise<ConfigError> {
  try {
    await loadConfigFile(path, { providers: providers() });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfigFile', () => {
  it("reads and validates a file, keeping the user's document and the file's directory", async () => {
    const path = join(dir, 'daemon.json');
    const document = {
      serverName: 'exchangeDL01',
      integrationServices: [
        {
          urlMarker: 'files-integrator',
          connectors: [{ connectorName: 'a', connectorProvider: 'data-files-monitor', endpointAddress: 'landing' }],
        },
      ],
    };
    writeFileSync(path, `\uFEFF${JSON.stringify(document, null, 2)}`);
    const loaded = await loadConfigFile(path, { providers: providers() });
    expect(loaded.path).toBe(path);
    expect(loaded.baseDirectory).toBe(dir);
    expect(loaded.document).toEqual(document);
    expect(loaded.config.integrationServices[0]!.connectors[0]!.connectorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(loaded.warnings).toEqual([]);
  });

  it('says clearly when the file does not exist', async () => {
    const error = await loadError(join(dir, 'missing.json'));
    expect(error.messageId).toBe(CONFIG_MESSAGE_IDS.fileMissing);
    expect(error.message).toContain('missing.json does not exist');
    expect(error.problems[0]!.fix).toContain('integration-daemon demo');
  });

  it('says clearly when the path is a directory', async () => {
    const error = await loadError(dir);
    expect(error.messageId).toBe(CONFIG_MESSAGE_IDS.unreadable);
    expect(error.problems[0]!.fix).toContain('not of its directory');
  });

  it('gives line and column of malformed JSON', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{\n  "serverName": "x",\n  "maxPageSize": 10\n  "integrationServices": []\n}\n');
    const error = await loadError(path);
    expect(error.messageId).toBe(CONFIG_MESSAGE_IDS.malformedJson);
    expect(error.problems[0]!.message).toBe("the file is not valid JSON at line 4, column 3: Expected ',' or '}' after property value.");
  });

  it('explains comments and empty files', () => {
    const comment = () => parseConfigText('{\n  // the daemon\n  "serverName": "x"\n}');
    expect(comment).toThrow(ConfigError);
    try {
      comment();
    } catch (error) {
      expect((error as ConfigError).problems[0]!.message).toContain('line 2, column 3');
      expect((error as ConfigError).problems[0]!.fix).toBe('JSON does not allow comments: remove them.');
    }
    try {
      parseConfigText('   ');
    } catch (error) {
      expect((error as ConfigError).problems[0]!.fix).toContain('The file is empty');
    }
  });

  it('throws every validation problem at once, and format() lists them with their fixes', async () => {
    const path = join(dir, 'invalid.json');
    writeFileSync(
      path,
      JSON.stringify({
        serverName: 'x',
        maxPagesize: 5,
        integrationServices: [
          { urlMarker: 'files-integrator', connectors: [{ connectorName: 'a', connectorProvider: 'nope', refreshTimeInterval: -5 }] },
        ],
      }),
    );
    const error = await loadError(path);
    expect(error.problems).toHaveLength(3);
    expect(error.message).toBe(`INTEGRATION-DAEMON-CONFIG-400-000 The configuration document in ${path} has 3 problems.`);
    const text = error.format();
    expect(text.split('\n')[0]).toBe(`The configuration document ${path} cannot be used (3 problems):`);
    expect(text).toContain(
      '  INTEGRATION-DAEMON-CONFIG-400-002 maxPagesize: "maxPagesize" is not a known setting here; did you mean "maxPageSize"?\n      fix: Rename "maxPagesize" to "maxPageSize".',
    );
    expect(text).toContain(
      'INTEGRATION-DAEMON-CONFIG-400-013 integrationServices[0].connectors[0].connectorProvider: nope is not a known connector provider.',
    );
    expect(text).toContain(
      'INTEGRATION-DAEMON-CONFIG-400-005 integrationServices[0].connectors[0].refreshTimeInterval: must be at least 0, not number -5.',
    );
  });

  it('imports a module-path provider relative to the file and runs its validation', async () => {
    const sub = join(dir, 'with-module');
    mkdirSync(sub);
    writeFileSync(
      join(sub, 'my-provider.mjs'),
      `export default {
        providerName: 'my-monitor', aliases: [], connectorKind: 'catalog', description: 'test',
        validate: (c) => c.configurationProperties.catalogURL ? [] : [{ path: 'configurationProperties.catalogURL', message: 'is required.', fix: 'Set catalogURL.' }],
        create: () => { throw new Error('not used'); },
      };\n`,
    );
    writeFileSync(join(sub, 'bad-provider.mjs'), 'export const provider = { providerName: 3 };\n');
    const path = join(sub, 'daemon.json');
    writeFileSync(
      path,
      JSON.stringify({
        serverName: 'x',
        integrationServices: [
          {
            urlMarker: 'catalog-integrator',
            connectors: [
              { connectorName: 'good', connectorProvider: './my-provider.mjs', configurationProperties: { catalogURL: 'http://c' } },
              { connectorName: 'unhappy', connectorProvider: './my-provider.mjs' },
              { connectorName: 'bad', connectorProvider: './bad-provider.mjs' },
              { connectorName: 'absent', connectorProvider: './absent.mjs' },
            ],
          },
        ],
      }),
    );
    const error = await loadError(path);
    expect(error.problems.map((p) => [p.messageId, p.path])).toEqual([
      [CONFIG_MESSAGE_IDS.providerModuleInvalid, 'integrationServices[0].connectors[2].connectorProvider'],
      [CONFIG_MESSAGE_IDS.providerProblem, 'integrationServices[0].connectors[1].configurationProperties.catalogURL'],
      [CONFIG_MESSAGE_IDS.providerModuleMissing, 'integrationServices[0].connectors[3].connectorProvider'],
    ]);
    expect(error.problems[0]!.message).toContain('providerName');
  });
});

describe('writeConfigAtomically', () => {
  it('replaces the file, keeps its mode, and leaves no temporary file', async () => {
    const sub = join(dir, 'atomic');
    mkdirSync(sub);
    const path = join(sub, 'daemon.json');
    writeFileSync(path, '{"serverName": "old"}');
    chmodSync(path, 0o640);
    await writeConfigAtomically(path, { serverName: 'new', integrationServices: [] });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ serverName: 'new', integrationServices: [] });
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(sub)).toEqual(['daemon.json']);
  });

  it('replaces the target of a symbolic link, keeping the link', async () => {
    const sub = join(dir, 'linked');
    mkdirSync(join(sub, 'real'), { recursive: true });
    writeFileSync(join(sub, 'real', 'daemon.json'), '{}');
    symlinkSync(join(sub, 'real', 'daemon.json'), join(sub, 'daemon.json'));
    await writeConfigAtomically(join(sub, 'daemon.json'), { serverName: 'via-link' });
    expect(lstatSync(join(sub, 'daemon.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(sub, 'real', 'daemon.json'), 'utf8'))).toEqual({ serverName: 'via-link' });
  });

  it('creates a new file readable by its owner only (it may hold a database password)', async () => {
    const path = join(dir, 'new-daemon.json');
    await writeConfigAtomically(path, { serverName: 'x' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('never shows a reader half a document while writes race', async () => {
    const path = join(dir, 'race.json');
    const big = (n: number) => ({ serverName: `s${n}`, padding: 'x'.repeat(200_000 + n) });
    await writeConfigAtomically(path, big(0));
    let reads = 0;
    let stop = false;
    const reader = (async () => {
      while (!stop) {
        const doc = JSON.parse(readFileSync(path, 'utf8')) as { serverName: string; padding: string };
        expect(doc.padding.length).toBe(200_000 + Number(doc.serverName.slice(1)));
        reads++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    for (let n = 1; n <= 20; n++) await writeConfigAtomically(path, big(n));
    stop = true;
    await reader;
    expect(reads).toBeGreaterThan(0);
    expect((JSON.parse(readFileSync(path, 'utf8')) as { serverName: string }).serverName).toBe('s20');
  });

  it('rejects with the file system error when the directory does not exist', async () => {
    await expect(writeConfigAtomically(join(dir, 'no-such-dir', 'daemon.json'), {})).rejects.toThrow(/ENOENT/);
  });
});

describe('demoConfig', () => {
  it('is a valid document with embedded SQLite, a files monitor and a folder monitor on the landing area', () => {
    const doc = demoConfig({ dataDirectory: '/data/demo' });
    const result = validateConfig(doc, { providers: providers() });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.warnings).toEqual([]);
    const { config } = result;
    expect(config.metadataServer).toEqual({ name: 'exchangeDL01-metadata', kind: 'embedded', path: '/data/demo/metadata.db' });
    const connectors = config.integrationServices[0]!.connectors;
    expect(connectors.map((c) => [c.connectorProvider, c.endpointAddress])).toEqual([
      ['data-files-monitor', '/data/demo/landing-area'],
      ['data-folder-monitor', '/data/demo/landing-area'],
    ]);
    expect(config.auditLog.destinations.map((d) => d.kind)).toEqual(['console', 'jsonl', 'memory']);
    const real = validateConfig(doc, { providers: new ProviderRegistry([dataFilesMonitorProvider, dataFolderMonitorProvider]) });
    expect(real.ok ? real.warnings : real.problems).toEqual([]);
    expect(
      demoConfig({ dataDirectory: '/data/demo', landingArea: '/srv/landing' }).integrationServices![0]!.connectors![0]!.endpointAddress,
    ).toBe('/srv/landing');
  });
});
