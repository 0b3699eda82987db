// The connectors that ship with the daemon, each written against the public SDK only.
import type { ConnectorProvider } from '../connector-sdk/index.js';
import { postgresMonitorProvider } from './database/postgres-monitor.js';
import { sqliteMonitorProvider } from './database/sqlite-monitor.js';
import { dataFilesMonitorProvider } from './files/data-files-monitor.js';
import { dataFolderMonitorProvider } from './files/data-folder-monitor.js';
import { openLineageCataloguerProvider } from './lineage/open-lineage-cataloguer.js';

export const builtInProviders: ConnectorProvider[] = [
  dataFilesMonitorProvider,
  dataFolderMonitorProvider,
  postgresMonitorProvider,
  sqliteMonitorProvider,
  openLineageCataloguerProvider,
];
