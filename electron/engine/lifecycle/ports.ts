// What a connector handler needs from the rest of the engine, stated as narrowly as possible so one handler can be
// driven by the daemon's real audit log, breaker, retry queue and stores, and read on its own.
import type { ConnectorRun, IntegrationConnectorReport } from '../../../shared/api/types.js';
import type { AuditLog } from '../audit/log.js';
import type { ConnectorConfig } from '../config/types.js';
import type { MetadataServerBreaker } from '../recovery/breaker.js';
import type { ObjectRetryQueue } from '../recovery/object-retries.js';
import type { Clock } from '../../../shared/logic/clock.js';
import type { MetadataServer } from '../metadata-server/types.js';
import type { ConnectorProvider } from '../../connector-sdk/index.js';
import type { ConcurrencyLimit } from '../metadata-server/concurrency-limit.js';
import type { IntegrationServiceDefinition } from '../services.js';
import type { StateStore } from '../state/types.js';
import type { HeldArchives } from './held-archives.js';

export type HandlerConnectorConfig = ConnectorConfig;
export type HandlerService = IntegrationServiceDefinition;
export type LifecycleAudit = Pick<AuditLog, 'log' | 'logConnectorMessage'>;
export type MetadataServerGate = Pick<MetadataServerBreaker, 'state' | 'status' | 'reportUnavailable' | 'waitUntilClosed' | 'probeNow'>;
export type ObjectRetries = Pick<ObjectRetryQueue, 'recordFailure' | 'recordSuccess' | 'wake'>;

export interface LifecycleEnvironment {
  serverName: string;
  userId: string;
  /** Relative endpoint addresses and module paths resolve against this (the configuration file's directory). */
  baseDirectory: string;
  clock: Clock;
  random: () => number;
  audit: LifecycleAudit;
  metadataServer: MetadataServer;
  breaker: MetadataServerGate;
  /** Shared by every connector: how many metadata server calls may be in flight together (the metadata server's connections). */
  metadataServerCalls: ConcurrencyLimit;
  objectRetries: ObjectRetries;
  /** Pending (not given-up) object retries of one connector. */
  pendingObjectRetries(connectorId: string): number;
  store: StateStore;
  /** Archives held by the mass-archive fail-safe, every connector's. */
  heldArchives: HeldArchives;
  resolveProvider(spec: string): Promise<ConnectorProvider>;
  publishStatus(urlMarker: string, report: IntegrationConnectorReport): void;
  publishRun(run: ConnectorRun): void;
  /** A problem of the daemon itself (the state store refusing a write): reported, never thrown at a connector. */
  internalError(what: string, error: unknown): void;
}
