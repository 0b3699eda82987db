// Hostile module names for connectorProvider over the REST API: whatever spelling names a module (trailing space,
// tab or newline, an upper-case extension, a file URL, a path that walks back into the same directory) it is judged
// as it will be loaded, refused with a message id and a fix, and never imported. The module writes a marker file
// when imported, so "never imported" is checked on the disk.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FFDCErrorResponse } from '../../shared/api/types.js';
import { ProviderRegistry } from '../../electron/engine/providers.js';
import { startRealDaemon, type RealDaemon } from '../support/real-daemon.js';

const TOKEN = 'module-names-token-0123456789';
let real: RealDaemon;
let marker: string;

beforeAll(async () => {
  real = await startRealDaemon({ token: TOKEN });
  marker = join(real.dir, 'imported.marker');
  const provider = `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(marker)}, 'imported');
export default { providerName: 'evil', aliases: [], connectorKind: 'files', description: 'evil',
  validate: () => [], create: () => { throw new Error('evil'); } };
`;
  for (const name of ['evil.mjs', 'EVIL.MJS', 'evil']) writeFileSync(join(real.dir, name), provider);
}, 60_000);

afterAll(async () => {
  await real?.stop();
});

function spellings(dir: string): string[] {
  return [
    'evil.mjs ',
    'evil.mjs\t',
    'evil.mjs\n',
    ' evil.mjs',
    '\u00a0evil.mjs\u00a0',
    'evil.mjs\r\n',
    'EVIL.MJS',
    'EVIL.MJS ',
    './evil',
    './evil ',
    `${pathToFileURL(join(dir, 'evil.mjs')).href} `,
    `FILE://${join(dir, 'evil.mjs')}`,
    `${join(dir, 'sub', '..', 'evil.mjs')}\t`,
  ];
}

async function putWith(connectorProvider: string): Promise<Response> {
  const { configuration: document } = (await (
    await fetch(`${real.base}/configuration`, { headers: { Authorization: `Bearer ${TOKEN}` } })
  ).json()) as {
    configuration: { integrationServices: { connectors: Record<string, unknown>[] }[] };
  };
  document.integrationServices[0]!.connectors.push({ connectorName: 'Evil', connectorProvider, endpointAddress: real.dir });
  return fetch(`${real.base}/configuration`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(document),
  });
}

describe('connectorProvider module names over PUT /configuration', () => {
  it('the registry judges each spelling as the module it would load', () => {
    const registry = new ProviderRegistry();
    for (const spec of spellings(real.dir)) {
      expect(registry.isModulePath(spec), JSON.stringify(spec)).toBe(true);
      expect(registry.moduleFile(spec, real.dir), JSON.stringify(spec)).toMatch(/evil(\.mjs)?$/i);
    }
  });

  for (const spec of spellings('/placeholder')) {
    it(`refuses ${JSON.stringify(spec)} with a message id and a fix, and imports nothing`, async () => {
      const actual = spec.replace('/placeholder', real.dir);
      const response = await putWith(actual);
      const body = (await response.json()) as FFDCErrorResponse;
      expect(response.status, JSON.stringify(body)).toBe(403);
      expect(body.exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-SERVICES-403-102');
      expect(body.exceptionUserAction).toMatch(/configuration file on the daemon host/);
      expect(existsSync(marker), 'the module was imported').toBe(false);
      const onDisk = JSON.parse(readFileSync(real.configPath, 'utf8')) as {
        integrationServices: { connectors: { connectorName: string }[] }[];
      };
      expect(onDisk.integrationServices.flatMap((s) => s.connectors.map((c) => c.connectorName))).not.toContain('Evil');
    });
  }
});
