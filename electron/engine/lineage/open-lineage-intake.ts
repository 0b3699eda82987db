// Where OpenLineage events enter the daemon: each is parsed and checked (a malformed one is refused and counted),
// then handed to every running connector that listens for OpenLineage events (Egeria's lineage integrator passes
// them to the connectors that registered a listener). A connector that fails on one event keeps running.
import type { OpenLineageStatistics } from '../../../shared/api/openlineage.js';
import { errorText } from '../../../shared/api/error-text.js';
import type { ConnectorHandler } from '../lifecycle/connector-handler.js';
import { lineageConnectorsFailed, malformedOpenLineageEvent, noLineageConnector } from './messages.js';
import { parseOpenLineageEvent } from './open-lineage-schema.js';

export class OpenLineageIntake {
  private readonly counts: OpenLineageStatistics = { eventsReceived: 0, eventsRefused: 0, eventsCatalogued: 0, eventsFailed: 0 };

  constructor(
    private readonly serverName: string,
    private readonly connectors: () => readonly ConnectorHandler[],
  ) {}

  statistics(): OpenLineageStatistics {
    return { ...this.counts };
  }

  /**
   * Resolves once every listening connector has catalogued the event; refuses with a DaemonRequestError. An
   * undefined body (refused by the REST layer before it was read) is only counted.
   */
  async receive(body: string | undefined): Promise<void> {
    this.counts.eventsReceived++;
    if (body === undefined) {
      this.counts.eventsRefused++;
      return;
    }
    const parsed = parseOpenLineageEvent(body);
    if (!parsed.ok) {
      this.counts.eventsRefused++;
      throw malformedOpenLineageEvent(this.serverName, parsed.problem);
    }
    const { event } = parsed;
    let listened = 0;
    const failures: string[] = [];
    for (const handler of this.connectors()) {
      try {
        await handler.withInstance(async (connector, signal) => {
          if (!connector.processOpenLineageEvent) return;
          listened++;
          await connector.processOpenLineageEvent(event, signal);
        });
      } catch (error) {
        failures.push(`${handler.connectorName}: ${errorText(error)}`);
      }
    }
    if (listened === 0) {
      this.counts.eventsFailed++;
      throw noLineageConnector(this.serverName);
    }
    if (failures.length === listened) {
      this.counts.eventsFailed++;
      throw lineageConnectorsFailed(this.serverName, failures.join('; '));
    }
    this.counts.eventsCatalogued++;
  }
}
