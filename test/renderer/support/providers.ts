// A provider declaration like the daemon's data-files-monitor, for the connector form tests.
import type { ConnectorProviderDescription } from '../../../shared/api/types.js';

export const filesProvider: ConnectorProviderDescription = {
  providerName: 'data-files-monitor',
  aliases: ['org.odpi.openmetadata.adapters.connectors.integration.basicfiles.DataFilesMonitorIntegrationProvider'],
  connectorKind: 'files',
  urlMarkers: ['files-integrator'],
  description: 'Catalogues the files of a directory.',
  endpoint: { kind: 'directory', description: 'The directory to watch.', required: true, example: '/data/landing' },
  configurationProperties: [
    { name: 'waitForDirectory', type: 'boolean', description: 'Wait for a missing directory instead of failing.', default: false },
    { name: 'maxDepth', type: 'integer', description: 'How deep to walk.', minimum: 1, maximum: 32, default: 8 },
    { name: 'include', type: 'stringList', description: 'Patterns of files to catalogue.' },
  ],
  testSteps: [
    { name: 'exists', description: 'The directory exists' },
    { name: 'isDirectory', description: 'It is a directory' },
    { name: 'readable', description: 'It is readable' },
    { name: 'watchable', description: 'It can be watched' },
  ],
};
