// Connectors as the status cache sees them, for its unit tests: a name, a service and statistics the test moves.
import type { ConnectorStatistics } from '../../shared/api/types.js';

export interface FakeConnector {
  connectorName: string;
  service: { urlMarker: string };
  statistics: ConnectorStatistics;
  status: 'WAITING' | 'REFRESHING';
}

export function fakeConnector(connectorName: string, urlMarker = 'files-integrator'): FakeConnector {
  return {
    connectorName,
    service: { urlMarker },
    statistics: { elementsCreated: 0, elementsUpdated: 0, elementsArchived: 0, errors: 0 },
    status: 'WAITING',
  };
}
