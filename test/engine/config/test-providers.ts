// Small real providers for configuration tests: they validate like built-ins do but create connectors that do
// nothing, because these tests are about the configuration document, not connector behaviour.
import type { ConfigProblem, ConnectorKind, ConnectorProvider, IntegrationConnector } from '../../../electron/connector-sdk/index.js';

const idle: IntegrationConnector = {
  initialize: async () => {},
  start: async () => {},
  refresh: async () => {},
  disconnect: async () => {},
};

export function testProvider(providerName: string, connectorKind: ConnectorKind, aliases: string[] = []): ConnectorProvider {
  return {
    providerName,
    aliases,
    connectorKind,
    description: `test provider ${providerName}`,
    validate(config) {
      const problems: ConfigProblem[] = [];
      if (connectorKind === 'files' && (config.endpointAddress === undefined || config.endpointAddress === ''))
        problems.push({
          path: 'endpointAddress',
          message: 'the directory to monitor is missing.',
          fix: 'Set endpointAddress to a directory.',
        });
      const wait = config.configurationProperties.waitForDirectory;
      if (wait !== undefined && typeof wait !== 'boolean')
        problems.push({
          path: 'configurationProperties.waitForDirectory',
          message: 'must be true or false.',
          fix: 'Set waitForDirectory to true or false.',
        });
      return problems;
    },
    create: () => idle,
  };
}

export const filesProvider = testProvider('data-files-monitor', 'files', [
  'org.odpi.openmetadata.adapters.connectors.integration.basicfiles.DataFilesMonitorIntegrationProvider',
]);
export const folderProvider = testProvider('data-folder-monitor', 'files', [
  'org.odpi.openmetadata.adapters.connectors.integration.basicfiles.DataFolderMonitorIntegrationProvider',
]);
export const postgresProvider = testProvider('postgres-database-monitor', 'database', [
  'org.odpi.openmetadata.adapters.connectors.postgres.integration.PostgresDatabaseIntegrationProvider',
]);
