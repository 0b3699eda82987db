// The refusals of the lineage endpoints (api/v1/lineage, publish-open-lineage-event), as DaemonRequestErrors
// the REST layer renders in Egeria's envelope.
import { DaemonRequestError } from '../daemon-api.js';

export function malformedOpenLineageEvent(serverName: string, problem: string): DaemonRequestError {
  return new DaemonRequestError(
    400,
    'INTEGRATION-DAEMON-LINEAGE-400-001',
    `The OpenLineage event sent to integration daemon ${serverName} is not a valid run event: ${problem}`,
    [serverName, problem],
    'The event is refused and counted (openLineageStatistics.eventsRefused in the status); nothing is catalogued.',
    'Send an OpenLineage RunEvent (https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent) with eventTime, producer, schemaURL, run.runId (a UUID) and job.namespace and job.name.',
  );
}

export function noLineageConnector(serverName: string): DaemonRequestError {
  return new DaemonRequestError(
    404,
    'INTEGRATION-DAEMON-LINEAGE-404-001',
    `No lineage connector is running in integration daemon ${serverName} to receive the OpenLineage event`,
    [serverName],
    'The event is not catalogued.',
    'Configure a connector of the lineage-integrator integration service (connectorProvider "open-lineage-cataloguer") and check that its status is WAITING, then send the event again.',
  );
}

export function lineageConnectorsFailed(serverName: string, detail: string): DaemonRequestError {
  return new DaemonRequestError(
    503,
    'INTEGRATION-DAEMON-LINEAGE-503-001',
    `The lineage connectors of integration daemon ${serverName} could not catalogue the OpenLineage event: ${detail}`,
    [serverName, detail],
    'The event is counted as failed (openLineageStatistics.eventsFailed); the connectors keep running.',
    'Check the metadata server and the connector in the status and audit log, then send the event again.',
  );
}
