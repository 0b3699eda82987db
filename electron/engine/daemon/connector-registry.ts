// The registry of the daemon's connectors (Egeria's integration connector cache map): one handler per configured
// connector, in the order of the configuration document, found by name (operator requests), by id (object retries,
// which outlive names) or by integration service. An unknown name or service is refused here, with the list of
// valid ones, so every request path words it the same way.
import type { ConnectorConfig } from '../config/types.js';
import { ConnectorHandler } from '../lifecycle/connector-handler.js';
import type { LifecycleEnvironment } from '../lifecycle/ports.js';
import type { RefreshScheduler } from '../lifecycle/scheduler.js';
import { findService, type IntegrationServiceDefinition } from '../services.js';
import { unknownConnector, unknownService } from './request-errors.js';

export class ConnectorRegistry {
  private handlers = new Map<string, ConnectorHandler>();
  /** Index by connectorId; dropped whenever the set of handlers changes. */
  private byIdIndex: Map<string, ConnectorHandler> | undefined;

  constructor(
    private readonly env: LifecycleEnvironment,
    private readonly scheduler: RefreshScheduler,
    private readonly serverName: string,
    /** URL markers of the services the current configuration runs, in its order. */
    private readonly configuredMarkers: () => readonly string[],
  ) {}

  /** Every handler, in configuration order. */
  all(): ConnectorHandler[] {
    return [...this.handlers.values()];
  }

  entries(): [string, ConnectorHandler][] {
    return [...this.handlers];
  }

  /** A handler for a connector, not yet registered (see replaceAll) and not started. */
  create(connector: ConnectorConfig, service: IntegrationServiceDefinition): ConnectorHandler {
    return new ConnectorHandler(connector, service, this.env, this.scheduler);
  }

  add(connector: ConnectorConfig, service: IntegrationServiceDefinition): ConnectorHandler {
    const handler = this.create(connector, service);
    this.handlers.set(connector.connectorName, handler);
    this.byIdIndex = undefined;
    return handler;
  }

  /** The handlers after a configuration change, keyed by connector name in the new document's order. */
  replaceAll(handlers: Map<string, ConnectorHandler>): void {
    this.handlers = handlers;
    this.byIdIndex = undefined;
  }

  get(connectorName: string): ConnectorHandler | undefined {
    return this.handlers.get(connectorName);
  }

  byId(connectorId: string): ConnectorHandler | undefined {
    // The retry queue asks by id for every due trigger; with many connectors a scan each time would add up.
    this.byIdIndex ??= new Map(this.all().map((h) => [h.connectorId, h]));
    return this.byIdIndex.get(connectorId);
  }

  /** The named connector, in the given service when one is named; refuses an unknown one. */
  byName(connectorName: string, urlMarker?: string): ConnectorHandler {
    const handler = this.handlers.get(connectorName);
    if (!handler || (urlMarker !== undefined && handler.service.urlMarker !== urlMarker)) {
      const service = urlMarker === undefined ? undefined : this.service(urlMarker).integrationServiceFullName;
      throw unknownConnector(this.serverName, connectorName, service, [...this.handlers.keys()]);
    }
    return handler;
  }

  /** The named connector, or all of them. */
  named(connectorName: string | undefined): ConnectorHandler[] {
    return connectorName === undefined ? this.all() : [this.byName(connectorName)];
  }

  ofService(urlMarker: string): ConnectorHandler[] {
    return this.all().filter((h) => h.service.urlMarker === urlMarker);
  }

  /** A service the daemon knows, whether or not it is configured; refuses an unknown marker. */
  service(urlMarker: string): IntegrationServiceDefinition {
    const service = findService(urlMarker);
    if (!service) throw unknownService(this.serverName, urlMarker, this.configuredMarkers());
    return service;
  }

  /** A service the current configuration runs; refuses any other. */
  configuredService(urlMarker: string): IntegrationServiceDefinition {
    if (!this.configuredMarkers().includes(urlMarker)) throw unknownService(this.serverName, urlMarker, this.configuredMarkers());
    return this.service(urlMarker);
  }
}
