// An integration group admin in memory for tests of the console's group calls over a real REST server: it records
// what reaches it and refuses a connector entry without an endpoint with a problem path, as the daemon does.
import { DaemonRequestError, type IntegrationGroupAdmin } from '../../electron/engine/daemon-api.js';
import type { IntegrationGroupDefinition } from '../../shared/api/integration-groups.js';

const definition = (groupName: string): IntegrationGroupDefinition => ({
  groupName,
  groupGUID: 'g-1',
  connectors: [],
  version: 1,
  createTime: new Date(0).toISOString(),
  updateTime: new Date(0).toISOString(),
});

/** A group admin that records what reaches it and refuses a connector without an endpoint, as the daemon does. */
export function recordingAdmin(calls: unknown[][]): IntegrationGroupAdmin {
  return {
    list: async () => [],
    get: async (name) => definition(name),
    create: async (name, content) => (calls.push(['create', name, content.description]), definition(name)),
    update: async (name) => definition(name),
    delete: async (name) => void calls.push(['delete', name]),
    addConnector: async (name, entry) => {
      calls.push(['addConnector', name, entry]);
      if (entry.endpointAddress !== undefined) return definition(name);
      const refusal = new DaemonRequestError(
        400,
        'INTEGRATION-DAEMON-GROUPS-400-001',
        'The connector is not valid',
        [],
        'Nothing changed.',
        'Correct it.',
      );
      refusal.problems = [{ path: 'connectors[0].endpointAddress', messageId: 'X-400-001', message: 'is missing', fix: 'Set it.' }];
      throw refusal;
    },
    removeConnector: async (name, connectorName) => (calls.push(['removeConnector', name, connectorName]), definition(name)),
  };
}
