// A real daemon with the OpenLineage cataloguer configured beside the demo's files connectors, and a way to read
// what it stored (elements over REST, relationships from the metadata server's file).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SqliteMetadataServer } from '../../../electron/engine/metadata-server/sqlite.js';
import type { MetadataRelationship } from '../../../electron/engine/metadata-server/types.js';
import { startRealDaemon, type RealDaemon } from '../../support/real-daemon.js';

export const LINEAGE_CONNECTOR = 'OpenLineageCataloguer';
export const LINEAGE_TOKEN = 'lineage-daemon-token-0123456789';

export function startLineageDaemon(): Promise<RealDaemon> {
  return startRealDaemon({ token: LINEAGE_TOKEN }, undefined, (document) => {
    (document.integrationServices ??= []).push({
      urlMarker: 'lineage-integrator',
      connectors: [{ connectorName: LINEAGE_CONNECTOR, connectorProvider: 'open-lineage-cataloguer' }],
    });
  });
}

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/openlineage');

/** The OpenLineage project's published example events (see test/fixtures/openlineage/README.md), as text. */
export function exampleEvents(kind: 'valid' | 'invalid'): { file: string; text: string }[] {
  const dir = join(FIXTURES, kind);
  return readdirSync(dir)
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));
}

/** The relationships the lineage connector stored, read from the daemon's embedded metadata server file. */
export async function storedRelationships(real: RealDaemon, metadataSource: string): Promise<MetadataRelationship[]> {
  const reader = new SqliteMetadataServer('reader', join(real.dir, 'data', 'metadata.db'));
  await reader.open();
  try {
    return await reader.listRelationships(metadataSource);
  } finally {
    await reader.close();
  }
}
