// Builds the configured metadata server. The embedded file's directory is created here so a fresh install
// needs no setup; reaching a PostgreSQL server is left to open() and the circuit breaker.
import { resolveConnectionString } from '../secrets.js';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PostgresMetadataServer, type PostgresMetadataServerOptions } from './postgres.js';
import { SqliteMetadataServer } from './sqlite.js';
import type { MetadataServer, MetadataServerConfig } from './types.js';
import { errorText } from '../../../shared/api/error-text.js';

export { PostgresMetadataServer, type PostgresMetadataServerOptions } from './postgres.js';
export { SqliteMetadataServer } from './sqlite.js';

export function createMetadataServer(
  config: MetadataServerConfig,
  baseDirectory: string,
  postgresOptions: PostgresMetadataServerOptions = {},
): MetadataServer {
  switch (config.kind) {
    case 'embedded': {
      const path = resolve(baseDirectory, config.path);
      try {
        mkdirSync(dirname(path), { recursive: true });
      } catch (error) {
        throw new Error(
          `INTEGRATION-DAEMON-METADATA-SERVER-400-008 The directory of the file ${path} ` +
            `of embedded metadata server ${config.name} cannot be created (${errorText(error)}). Set ` +
            'metadataServer.path to a file in a directory the daemon may write.',
          { cause: error },
        );
      }
      return new SqliteMetadataServer(config.name, path);
    }
    case 'postgres':
      return new PostgresMetadataServer(
        config.name,
        resolveConnectionString(config.connectionString, `metadataServer.connectionString of metadata server ${config.name}`),
        postgresOptions,
      );
  }
}
