// From a checked document to the configuration the daemon runs: every default applied (metadata server, user id,
// permitted synchronization from the service) and every connector given a stable id, so the same connector keeps
// its retry state and metadata source across restarts without the operator naming an id.
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { MetadataServerConfig } from '../metadata-server/types.js';
import { findService } from '../services.js';
import type { configDocumentSchema } from './schema.js';
import type { ConnectorConfig, DaemonConfig } from './types.js';

/** RFC 4122 name-based (v5) namespace of this daemon's connector ids. */
const CONNECTOR_ID_NAMESPACE = '23f59b19-1e5f-471b-9e97-33ba45536653';

/** Deterministic UUID v5 of serverName + urlMarker + connectorName: the same connector keeps its id across restarts. */
export function connectorIdFor(serverName: string, urlMarker: string, connectorName: string): string {
  const namespace = Buffer.from(CONNECTOR_ID_NAMESPACE.replace(/-/g, ''), 'hex');
  const name = Buffer.from(JSON.stringify([serverName, urlMarker, connectorName]), 'utf8');
  const hash = createHash('sha1').update(namespace).update(name).digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export type ParsedDocument = z.output<typeof configDocumentSchema>;

export function applyDefaults(parsed: ParsedDocument): DaemonConfig {
  const serverName = parsed.serverName;
  const metadataServer: MetadataServerConfig = parsed.metadataServer
    ? parsed.metadataServer.kind === 'embedded'
      ? { name: parsed.metadataServer.name ?? `${serverName}-metadata`, kind: 'embedded', path: parsed.metadataServer.path }
      : {
          name: parsed.metadataServer.name ?? `${serverName}-metadata`,
          kind: 'postgres',
          connectionString: parsed.metadataServer.connectionString,
        }
    : { name: `${serverName}-metadata`, kind: 'embedded', path: 'metadata.db' };

  return {
    serverName,
    localServerUserId: parsed.localServerUserId ?? `${serverName}npa`,
    maxPageSize: parsed.maxPageSize,
    metadataServer,
    auditLog: { destinations: parsed.auditLog.destinations.map((d) => ({ ...d })) },
    rest: { ...parsed.rest },
    integrationGroups: parsed.integrationGroups.map((g) => ({ groupName: g.groupName })),
    integrationServices: parsed.integrationServices.map((service) => {
      const definition = findService(service.urlMarker);
      const defaultPermittedSynchronization =
        service.defaultPermittedSynchronization ?? definition?.defaultPermittedSynchronization ?? 'FROM_THIRD_PARTY';
      return {
        urlMarker: service.urlMarker,
        defaultPermittedSynchronization,
        connectors: service.connectors.map((c): ConnectorConfig => {
          const connector: ConnectorConfig = {
            connectorName: c.connectorName,
            connectorId: c.connectorId ?? connectorIdFor(serverName, service.urlMarker, c.connectorName),
            connectorProvider: c.connectorProvider,
            refreshTimeInterval: c.refreshTimeInterval,
            permittedSynchronization: c.permittedSynchronization ?? defaultPermittedSynchronization,
            configurationProperties: structuredClone(c.configurationProperties),
            timeouts: { ...c.timeouts },
          };
          if (c.endpointAddress !== undefined) connector.endpointAddress = c.endpointAddress;
          if (c.catalogTargets !== undefined && c.catalogTargets.length > 0) connector.catalogTargets = structuredClone(c.catalogTargets);
          if (c.errorHandling !== undefined) connector.errorHandling = c.errorHandling;
          if (c.archiveFailSafe !== undefined) connector.archiveFailSafe = { ...c.archiveFailSafe };
          return connector;
        }),
      };
    }),
  };
}
