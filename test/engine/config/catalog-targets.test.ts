// Catalog targets in the configuration document: the provider's own checks run on each target's merged settings
// (problems at catalogTargets[i].… paths), names are unique, the connector's own endpoint is not required when its
// targets name theirs, and a connector without targets is checked exactly as before.
import { describe, expect, it } from 'vitest';
import { DUPLICATE_CATALOG_TARGET, mergedTargetSettings } from '../../../electron/engine/config/catalog-targets.js';
import { CONFIG_MESSAGE_IDS } from '../../../electron/engine/config/problems.js';
import { validateConfig } from '../../../electron/engine/config/validate.js';
import { builtInProviderRegistry } from '../../support/providers.js';

const providers = builtInProviderRegistry();

function document(connector: Record<string, unknown>) {
  return {
    serverName: 'exchangeDL01',
    integrationServices: [
      { urlMarker: 'files-integrator', connectors: [{ connectorName: 'Landing', connectorProvider: 'data-files-monitor', ...connector }] },
    ],
  };
}

function problems(connector: Record<string, unknown>) {
  const result = validateConfig(document(connector), { providers, baseDirectory: '/srv' });
  return result.ok ? [] : result.problems.map((p) => ({ path: p.path, messageId: p.messageId, message: p.message }));
}

const path = 'integrationServices[0].connectors[0]';

describe('catalog targets in the configuration document', () => {
  it('accepts targets that each name a directory, without an endpoint of the connector’s own, and keeps them in the config', () => {
    const result = validateConfig(
      document({
        configurationProperties: { watchChanges: false },
        catalogTargets: [
          { catalogTargetName: 'a', endpointAddress: 'data/a' },
          { catalogTargetName: 'b', endpointAddress: 'data/b', configurationProperties: { excludeNames: ['*.tmp'] } },
        ],
      }),
      { providers, baseDirectory: '/srv' },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.integrationServices[0]?.connectors[0]?.catalogTargets).toEqual([
      { catalogTargetName: 'a', endpointAddress: 'data/a' },
      { catalogTargetName: 'b', endpointAddress: 'data/b', configurationProperties: { excludeNames: ['*.tmp'] } },
    ]);
  });

  it('reports the provider’s problems at the target that has them', () => {
    const found = problems({
      catalogTargets: [
        { catalogTargetName: 'a', endpointAddress: 'data/a' },
        { catalogTargetName: 'b' },
        { catalogTargetName: 'c', endpointAddress: 'data/c', configurationProperties: { watchChangez: true } },
      ],
    });
    expect(found.map((p) => p.path)).toEqual([
      `${path}.catalogTargets[1].endpointAddress`,
      `${path}.catalogTargets[2].configurationProperties.watchChangez`,
    ]);
    expect(found.every((p) => p.messageId === CONFIG_MESSAGE_IDS.providerProblem)).toBe(true);
    expect(found[0]?.message).toMatch(/^catalog target b: /);
    expect(found[1]?.message).toContain('watchChanges');
  });

  it('refuses two targets of one name, and a target without a name or with an unknown key', () => {
    const duplicate = problems({
      catalogTargets: [
        { catalogTargetName: 'a', endpointAddress: 'data/a' },
        { catalogTargetName: 'a', endpointAddress: 'data/b' },
      ],
    });
    expect(duplicate).toEqual([
      expect.objectContaining({ path: `${path}.catalogTargets[1].catalogTargetName`, messageId: DUPLICATE_CATALOG_TARGET }),
    ]);
    expect(problems({ catalogTargets: [{ endpointAddress: 'data/a' }] })[0]?.path).toBe(`${path}.catalogTargets[0].catalogTargetName`);
    expect(problems({ catalogTargets: [{ catalogTargetName: 'a', endpointAdress: 'data/a' }] })[0]?.message).toContain('endpointAddress');
  });

  it('checks a connector without targets as before: its own endpoint is its one target', () => {
    expect(problems({}).map((p) => p.path)).toEqual([`${path}.endpointAddress`]);
    expect(problems({ endpointAddress: 'data/a', catalogTargets: [] })).toEqual([]);
  });

  it('merges a target over its connector: its endpoint replaces the connector’s, its properties lie over the connector’s', () => {
    const connector = { endpointAddress: 'postgresql://h/shop', configurationProperties: { includeSchemaNames: ['x'], other: 1 } };
    expect(mergedTargetSettings(connector, { catalogTargetName: 's', configurationProperties: { includeSchemaNames: ['sales'] } })).toEqual(
      {
        endpointAddress: 'postgresql://h/shop',
        configurationProperties: { includeSchemaNames: ['sales'], other: 1 },
      },
    );
    expect(mergedTargetSettings(connector, { catalogTargetName: 'd', endpointAddress: 'postgresql://h/other' }).endpointAddress).toBe(
      'postgresql://h/other',
    );
  });
});
