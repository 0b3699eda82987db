// Checking a group's connector documents as configured entries: each runs under the integration service of its
// provider's kind, ids not given are derived from the group (the same on every daemon), problems have group paths.
import { describe, expect, it } from 'vitest';
import { checkGroupConnectors } from '../../../electron/engine/daemon/group-connectors.js';
import { builtInProviderRegistry } from '../../support/providers.js';

const providers = builtInProviderRegistry();

describe('checkGroupConnectors', () => {
  it('places each connector under its kind of service, in the order sent, with an id derived from the group', () => {
    const documents = [
      { connectorName: 'Db', connectorProvider: 'sqlite-database-monitor', endpointAddress: '/data/a.db' },
      { connectorName: 'Files', connectorProvider: 'data-files-monitor', endpointAddress: '/data/landing' },
      { connectorName: 'Named', connectorProvider: 'data-folder-monitor', endpointAddress: '/data/x', connectorId: 'given-id' },
    ];
    const first = checkGroupConnectors('g', documents, providers, '/');
    const again = checkGroupConnectors('g', documents, providers, '/elsewhere');
    const other = checkGroupConnectors('h', documents, providers, '/');
    if (!first.ok || !again.ok || !other.ok) throw new Error('expected valid connectors');
    expect(first.connectors.map((c) => [c.connector.connectorName, c.service.urlMarker])).toEqual([
      ['Db', 'database-integrator'],
      ['Files', 'files-integrator'],
      ['Named', 'files-integrator'],
    ]);
    expect(first.connectors.map((c) => c.connector.connectorId)).toEqual(again.connectors.map((c) => c.connector.connectorId));
    expect(first.connectors[0]?.connector.connectorId).not.toBe(other.connectors[0]?.connector.connectorId);
    expect(first.connectors[2]?.connector.connectorId).toBe('given-id');
    expect(first.connectors[1]?.connector.refreshTimeInterval).toBe(60);
  });

  it('reports every problem with its path in the group, refusing module paths and duplicate names', () => {
    const result = checkGroupConnectors(
      'g',
      [
        { connectorName: 'A', connectorProvider: 'data-files-monitor', endpointAddress: '/a' },
        'not an object',
        { connectorName: 'A', connectorProvider: 'data-files-monitor', endpointAddress: '/b' },
        { connectorName: 'M', connectorProvider: './my-provider.mjs' },
        { connectorName: 'U', connectorProvider: 'data-files-monitr', endpointAddress: '/u', refreshTimeInterval: -1 },
      ],
      providers,
      '/',
    );
    if (result.ok) throw new Error('expected problems');
    const paths = result.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'connectors[1]',
        'connectors[2].connectorName',
        'connectors[3].connectorProvider',
        'connectors[4].connectorProvider',
        'connectors[4].refreshTimeInterval',
      ]),
    );
    expect(result.problems.find((p) => p.path === 'connectors[4].connectorProvider')?.message).toContain('data-files-monitor');
    expect(result.problems.every((p) => p.messageId.length > 0 && p.fix.length > 0)).toBe(true);
  });
});
