// What the SQLite monitor declares: its endpoint (the database file) and the checks of "test connection" (the file
// opens, its schema is readable). It reads no configuration properties (it catalogues schema main).
import Database from 'better-sqlite3';
import { type ConnectorTestCheck, type EndpointDeclaration } from '../../connector-sdk/index.js';
import { resolveDatabaseFile, sqliteError } from './sqlite-monitor.js';

export const SQLITE_ENDPOINT: EndpointDeclaration = {
  kind: 'file',
  description: 'The SQLite database file to catalogue (absolute, or relative to the configuration file); opened read-only.',
  required: true,
  example: 'data/inventory.db',
};

export const SQLITE_TEST_CHECKS: readonly ConnectorTestCheck[] = [
  {
    name: 'the file opens',
    description: 'The file exists and opens as a SQLite database, read-only.',
    run: async (config) => {
      const file = resolveDatabaseFile(config.endpointAddress ?? '', config.baseDirectory);
      try {
        const db = new Database(file, { readonly: true, fileMustExist: true });
        try {
          db.pragma('schema_version');
        } finally {
          db.close();
        }
      } catch (error) {
        throw sqliteError(file, config.connectorName, error);
      }
      return `${file} opens as a SQLite database.`;
    },
  },
  {
    name: 'its schema is readable',
    description: 'Its tables and views can be listed.',
    run: async (config) => {
      const file = resolveDatabaseFile(config.endpointAddress ?? '', config.baseDirectory);
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const rows = db
          .prepare("SELECT count(*) AS count FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
          .get() as {
          count: number;
        };
        return `${rows.count} tables and views can be read.`;
      } catch (error) {
        throw sqliteError(file, config.connectorName, error);
      } finally {
        db.close();
      }
    },
  },
];
