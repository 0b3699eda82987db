// The integration group behaviour both metadata server backends share: create, read, the cheap stamp poll,
// conditional update with its version counter, delete; connector documents come back exactly as sent.
import { expect, it } from 'vitest';
import type { MetadataServer } from '../../../electron/engine/metadata-server/types.js';

const monitor = (name: string): Record<string, unknown> => ({
  connectorName: name,
  connectorProvider: 'files-monitor',
  configurationProperties: { zeta: 1, alpha: { nested: [1, 'two'] } },
  endpointAddress: `/data/${name}`,
});

export function defineIntegrationGroupConformance(fresh: () => Promise<MetadataServer>, reopen: () => MetadataServer): void {
  it('creates an integration group once and reads it back exactly, its connector documents unchanged', async () => {
    const metadataServer = await fresh();
    const created = await metadataServer.createIntegrationGroup('landing', { description: 'Landing areas', connectors: [monitor('a')] });
    expect(created).toMatchObject({ groupName: 'landing', description: 'Landing areas', version: 1, connectors: [monitor('a')] });
    expect(created?.groupGUID).toMatch(/^[0-9a-f-]{36}$/);
    expect(await metadataServer.createIntegrationGroup('landing', { connectors: [] })).toBeUndefined();
    const read = await metadataServer.getIntegrationGroup('landing');
    expect(read).toEqual(created);
    expect(JSON.stringify(read?.connectors)).toBe(JSON.stringify([monitor('a')]));
    expect(await metadataServer.getIntegrationGroup('absent')).toBeUndefined();
    await metadataServer.createIntegrationGroup('Éclair', { connectors: [] });
    await metadataServer.createIntegrationGroup('B', { connectors: [] });
    const listed = await metadataServer.listIntegrationGroups();
    expect(listed.map((g) => g.groupName)).toEqual(['B', 'landing', 'Éclair']);
    expect(listed.find((g) => g.groupName === 'B')).not.toHaveProperty('description');
  });

  it('updates a group only at the version it was read, counting every change, and reports stamps cheaply', async () => {
    const metadataServer = await fresh();
    const created = await metadataServer.createIntegrationGroup('g', { connectors: [] });
    expect(created?.version).toBe(1);
    const first = await metadataServer.updateIntegrationGroup('g', { connectors: [monitor('a')] }, 1);
    expect(first).toMatchObject({ outcome: 'updated', group: { version: 2, connectors: [monitor('a')], groupGUID: created?.groupGUID } });
    expect(await metadataServer.updateIntegrationGroup('g', { connectors: [] }, 1)).toEqual({ outcome: 'conflict', version: 2 });
    expect(await metadataServer.updateIntegrationGroup('none', { connectors: [] }, 1)).toEqual({ outcome: 'missing' });
    await metadataServer.updateIntegrationGroup('g', { description: 'now described', connectors: [monitor('a'), monitor('b')] }, 2);
    const stamps = await metadataServer.integrationGroupStamps(['g', 'none']);
    expect(stamps).toEqual(new Map([['g', { groupGUID: created?.groupGUID, version: 3 }]]));
    expect(await metadataServer.integrationGroupStamps([])).toEqual(new Map());
    const again = reopen();
    await again.open();
    try {
      expect(await again.getIntegrationGroup('g')).toMatchObject({ version: 3, description: 'now described' });
    } finally {
      await again.close();
    }
  });

  it('deletes a group; one created again under the name has a new GUID', async () => {
    const metadataServer = await fresh();
    const created = await metadataServer.createIntegrationGroup('g', { connectors: [monitor('a')] });
    expect(await metadataServer.deleteIntegrationGroup('g')).toBe(true);
    expect(await metadataServer.deleteIntegrationGroup('g')).toBe(false);
    expect(await metadataServer.getIntegrationGroup('g')).toBeUndefined();
    const recreated = await metadataServer.createIntegrationGroup('g', { connectors: [] });
    expect(recreated?.version).toBe(1);
    expect(recreated?.groupGUID).not.toBe(created?.groupGUID);
  });
}
