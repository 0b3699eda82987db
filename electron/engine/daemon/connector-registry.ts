// The registry of the daemon's connectors (Egeria's integration connector cache map): one handler per configured
// connector, in the order of the configuration document, found by name (operator requests), by id (object retries,
// which outlive names) or by integration service. An unknown name or service is refused here, with the list of
// valid ones, so every request path words it the same way.
import type { IntegrationConnectorReport } from '../../../shared/api/types.js';
import type { ConnectorConfig } from '../config/types.js';
import { ConnectorHandler } from '../lifecycle/connector-handler.js';
import type { LifecycleEnvironment } from '../lifecycle/ports.js';
import type { RefreshScheduler } from '../lifecycle/scheduler.js';
import { findService, type IntegrationServiceDefinition } from '../services.js';
import { unknownConnector, unknownService } from './request-errors.js';

export class ConnectorRegistry {
  private handlers = new Map<string, ConnectorHandler>();
  /** Connector name -> the integration group it was picked up from (connectors of the document have none). */
  private readonly groups = new Map<string, string>();
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

  /**
   * The handlers after a configuration change, keyed by connector name in the new document's order. Connectors of
   * integration groups are their groups' business: they stay, after the document's, unless the document now names them.
   */
  replaceAll(handlers: Map<string, ConnectorHandler>): void {
    const next = new Map(handlers);
    for (const name of [...this.groups.keys()]) {
      const handler = this.handlers.get(name);
      if (handlers.has(name) || handler === undefined) this.groups.delete(name);
      else next.set(name, handler);
    }
    this.handlers = next;
    this.byIdIndex = undefined;
  }

  /** A connector picked up from an integration group, registered (not started). */
  addToGroup(connector: ConnectorConfig, service: IntegrationServiceDefinition, groupName: string): ConnectorHandler {
    const handler = this.add(connector, service);
    this.groups.set(connector.connectorName, groupName);
    return handler;
  }

  /** Forgets a group's connector (the caller has removed it). */
  removeFromGroup(connectorName: string): void {
    if (this.groups.get(connectorName) === undefined) return;
    this.groups.delete(connectorName);
    this.handlers.delete(connectorName);
    this.byIdIndex = undefined;
  }

  /** The integration group a connector came from; undefined for the document's connectors. */
  groupOf(connectorName: string): string | undefined {
    return this.groups.get(connectorName);
  }

  /** The report tagged with the connector's integration group, when it has one. */
  tagGroup(report: IntegrationConnectorReport): IntegrationConnectorReport {
    const group = this.groups.get(report.connectorName);
    return group === undefined ? report : { ...report, integrationGroupName: group };
  }

  /** The connectors of one integration group, in the order they were picked up. */
  ofGroup(groupName: string): ConnectorHandler[] {
    return this.all().filter((h) => this.groups.get(h.connectorName) === groupName);
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

  /** A service the current configuration or an integration group's connector runs; refuses any other. */
  configuredService(urlMarker: string): IntegrationServiceDefinition {
    const markers = this.runningMarkers();
    if (!markers.includes(urlMarker)) throw unknownService(this.serverName, urlMarker, markers);
    return this.service(urlMarker);
  }

  /** The services of the configuration, then those only integration groups' connectors run. */
  runningMarkers(): string[] {
    const markers = [...this.configuredMarkers()];
    for (const handler of this.handlers.values()) {
      if (!markers.includes(handler.service.urlMarker)) markers.push(handler.service.urlMarker);
    }
    return markers;
  }
}
