// What the files monitors declare: their endpoint (the directory), the configuration properties they read, and
// the checks of "test connection" (the directory exists, is a directory, is readable, can be watched).
import { constants as fsConstants, watch } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import {
  ConnectorError,
  errorCode,
  errorText,
  type ConfigurationPropertyDeclaration,
  type ConnectorInstanceConfig,
  type ConnectorTestCheck,
  type EndpointDeclaration,
} from '../../connector-sdk/index.js';
import { directoryNotFound, directoryNotReadable, notADirectory, resolveDirectory } from './basic-files.js';

export const FILES_ENDPOINT: EndpointDeclaration = {
  kind: 'directory',
  description: 'The directory to monitor: a path (absolute, or relative to the configuration file) or a file:/// URL.',
  required: true,
  example: 'data/landing-area',
};

export const FILES_PROPERTIES: readonly ConfigurationPropertyDeclaration[] = [
  {
    name: 'waitForDirectory',
    type: 'boolean',
    default: false,
    description: 'Wait for a missing directory to appear (checked at each refresh) instead of failing the connector.',
  },
  {
    name: 'watchChanges',
    type: 'boolean',
    default: true,
    description: 'Watch the directory and catalogue changes within a second; false sees them only at refresh (network file systems).',
  },
  {
    name: 'excludeNames',
    type: 'stringList',
    default: [],
    description: 'Glob patterns of file and directory names (or paths under the directory) to leave out, e.g. *.tmp, .git, archive/**.',
  },
];

function directoryOf(config: ConnectorInstanceConfig): string {
  return resolveDirectory(config.endpointAddress ?? '', config.baseDirectory);
}

export const FILES_TEST_CHECKS: readonly ConnectorTestCheck[] = [
  {
    name: 'directory exists',
    description: 'The directory named by endpointAddress exists.',
    run: async (config) => {
      const directory = directoryOf(config);
      try {
        await stat(directory);
      } catch (error) {
        const code = errorCode(error);
        if (code === 'ENOENT' || code === 'ENOTDIR') throw directoryNotFound(directory, config.connectorName, error);
        if (code === 'EACCES' || code === 'EPERM') throw directoryNotReadable(directory, config.connectorName, error);
        throw error;
      }
      return `${directory} exists.`;
    },
  },
  {
    name: 'is a directory',
    description: 'It is a directory, not a file.',
    run: async (config) => {
      const directory = directoryOf(config);
      if (!(await stat(directory)).isDirectory()) throw notADirectory(directory, config.connectorName);
      return `${directory} is a directory.`;
    },
  },
  {
    name: 'is readable',
    description: 'The daemon may list the files in it.',
    run: async (config) => {
      const directory = directoryOf(config);
      try {
        await access(directory, fsConstants.R_OK | fsConstants.X_OK);
        const entries = await readdir(directory);
        return `${entries.length} entries can be listed.`;
      } catch (error) {
        throw directoryNotReadable(directory, config.connectorName, error);
      }
    },
  },
  {
    name: 'can be watched',
    description: 'Changes in it can be watched (or watching is turned off with watchChanges).',
    run: async (config) => {
      if (config.configurationProperties.watchChanges === false) {
        return 'Watching is turned off (watchChanges is false): changes are seen at each refresh.';
      }
      const directory = directoryOf(config);
      try {
        watch(directory).close();
      } catch (error) {
        throw new ConnectorError({
          messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-503-001',
          text: `The directory ${directory} cannot be watched for changes: ${errorText(error)}`,
          category: 'generic',
          thirdParty: true,
          parameters: [directory, config.connectorName],
          userAction:
            errorCode(error) === 'ENOSPC'
              ? 'Raise the inotify watch limit (sysctl fs.inotify.max_user_watches), or set watchChanges to false to see changes at each refresh.'
              : 'Set watchChanges to false to see changes at each refresh (network file systems often cannot be watched).',
        });
      }
      return `${directory} can be watched for changes.`;
    },
  },
];
