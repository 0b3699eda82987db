// Operating a daemon of any era through one surface: each action is carried out the way that era offers it
// (restart through the connector's integration service on Egeria 2.x–4.x, by name on Egeria 5 and ours), and an
// action the era does not have comes back as a typed "unsupported" outcome instead of a request that would 404.
import type { AuditRecord, ConnectorRun, IntegrationDaemonStatusResponse, ObjectRetry } from '../api/types.js';
import { DaemonClient, type AuditLogQuery, type DaemonClientOptions } from './client.js';
import { ERAS, supports, unsupported, type ActionOutcome, type DaemonAction, type DaemonEra, type EraDescription } from './era.js';

const done = <T>(value: T): ActionOutcome<T> => ({ supported: true, value });

export class EraClient {
  readonly client: DaemonClient;
  readonly description: EraDescription;

  constructor(
    options: DaemonClientOptions,
    readonly era: DaemonEra,
  ) {
    this.description = ERAS[era];
    this.client = new DaemonClient({ ...options, base: this.description.base });
  }

  get serverName(): string {
    return this.client.serverName;
  }

  supports(action: DaemonAction): boolean {
    return supports(this.era, action);
  }

  private refuse(action: DaemonAction): ActionOutcome<never> {
    return unsupported(action, this.era, this.serverName);
  }

  status(signal?: AbortSignal): Promise<IntegrationDaemonStatusResponse> {
    return this.client.status(signal);
  }

  /** The URL marker of the service that runs a connector, from the status (Egeria 2.x–4.x route by service). */
  private async markerOf(connectorName: string): Promise<string> {
    const status = await this.client.status();
    const summary = status.integrationServiceSummaries.find((s) =>
      s.integrationConnectorReports.some((r) => r.connectorName === connectorName),
    );
    // An unknown name goes to the first service, whose refusal (INTEGRATION-DAEMON-SERVICES-400-031) names it.
    return summary?.integrationServiceURLMarker || status.integrationServiceSummaries[0]?.integrationServiceURLMarker || '-';
  }

  private async markers(): Promise<string[]> {
    const status = await this.client.status();
    return status.integrationServiceSummaries.map((s) => s.integrationServiceURLMarker).filter((m) => m !== '');
  }

  async restartConnector(connectorName: string): Promise<ActionOutcome<void>> {
    if (this.description.byConnectorName) return done(await this.client.restartConnectors(connectorName));
    return done(await this.client.restartService(await this.markerOf(connectorName), connectorName));
  }

  async refreshConnector(connectorName: string): Promise<ActionOutcome<void>> {
    if (this.description.byConnectorName) return done(await this.client.refreshConnectors(connectorName));
    return done(await this.client.refreshService(await this.markerOf(connectorName), connectorName));
  }

  async restartService(urlMarker: string, connectorName?: string): Promise<ActionOutcome<void>> {
    if (!this.supports('restartService')) return this.refuse('restartService');
    return done(await this.client.restartService(urlMarker, connectorName));
  }

  async refreshService(urlMarker: string, connectorName?: string): Promise<ActionOutcome<void>> {
    if (!this.supports('refreshService')) return this.refuse('refreshService');
    return done(await this.client.refreshService(urlMarker, connectorName));
  }

  async restartAll(): Promise<ActionOutcome<void>> {
    if (this.description.byConnectorName) return done(await this.client.restartConnectors());
    for (const marker of await this.markers()) await this.client.restartService(marker);
    return done(undefined);
  }

  async refreshAll(): Promise<ActionOutcome<void>> {
    if (this.era === 'egeria-5' || this.era === 'egeria-5-token') return done(await this.client.refreshConnectors());
    return done(await this.client.refreshAll());
  }

  async retryNow(connectorName: string): Promise<ActionOutcome<void>> {
    if (!this.supports('retryNow')) return this.refuse('retryNow');
    return done(await this.client.retryNow(connectorName));
  }

  async retryObjectsNow(connectorName: string, objectKey?: string): Promise<ActionOutcome<number>> {
    if (!this.supports('retryObjectsNow')) return this.refuse('retryObjectsNow');
    return done(await this.client.retryObjectsNow(connectorName, objectKey));
  }

  async runs(query: { connectorName?: string | undefined; limit?: number | undefined } = {}): Promise<ActionOutcome<ConnectorRun[]>> {
    if (!this.supports('runHistory')) return this.refuse('runHistory');
    return done(await this.client.runs(query));
  }

  async objectRetries(connectorName?: string): Promise<ActionOutcome<ObjectRetry[]>> {
    if (!this.supports('objectRetries')) return this.refuse('objectRetries');
    return done(await this.client.objectRetries(connectorName));
  }

  async auditLog(query: AuditLogQuery = {}): Promise<ActionOutcome<AuditRecord[]>> {
    if (!this.supports('auditLog')) return this.refuse('auditLog');
    return done(await this.client.auditLog(query));
  }
}
