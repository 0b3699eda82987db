// Builds the configured metadata repository. The embedded file's directory is created here so a fresh install
// needs no setup; reaching a PostgreSQL server is left to open() and the circuit breaker.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PostgresMetadataRepository, type PostgresRepositoryOptions } from './postgres.js';
import { SqliteMetadataRepository } from './sqlite.js';
import type { MetadataRepository, MetadataServerConfig } from './types.js';
import { errorText } from '../../../shared/api/error-text.js';

export { PostgresMetadataRepository, type PostgresRepositoryOptions } from './postgres.js';
export { SqliteMetadataRepository } from './sqlite.js';

export function createRepository(
  config: MetadataServerConfig,
  baseDirectory: string,
  postgresOptions: PostgresRepositoryOptions = {},
): MetadataRepository {
  switch (config.kind) {
    case 'embedded': {
      const path = resolve(baseDirectory, config.path);
      try {
        mkdirSync(dirname(path), { recursive: true });
      } catch (error) {
        throw new Error(
          `INTEGRATION-DAEMON-REPOSITORY-400-008 The directory of the embedded metadata repository ${path} ` +
            `of metadata server ${config.name} cannot be created (${errorText(error)}). Set ` +
            'metadataServer.path to a file in a directory the daemon may write.',
          { cause: error },
        );
      }
      return new SqliteMetadataRepository(config.name, path);
    }
    case 'postgres':
      return new PostgresMetadataRepository(config.name, config.connectionString, postgresOptions);
  }
}
