// Data folder monitor: one DataFolder element for the monitored directory, whose files are taken to be the records
// of one data set. Its lastModifiedTime is the newest modification time anywhere in the tree (directories count:
// deleting a file only changes its directory's time) and fileCount the number of files. Qualified name:
// `DataFolder::<absolute path>`.
import { basename, isAbsolute, relative } from 'node:path';
import { propertiesFingerprint, type ConnectorProvider, type ElementInput, type UpsertOutcome } from '../../connector-sdk/index.js';
import { FILES_AUDIT, validateFilesConfig } from './basic-files.js';
import { FILES_ENDPOINT, FILES_PROPERTIES, FILES_TEST_CHECKS } from './files-declarations.js';
import { DirectoryMonitorConnector } from './directory-monitor.js';
import { isPartial, scanTree, unreadableSubtrees, type TreeScan } from './tree-scan.js';

export const DATA_FOLDER_TYPE = 'DataFolder';

export function dataFolderQualifiedName(path: string): string {
  return `${DATA_FOLDER_TYPE}::${path}`;
}

export function dataFolderElement(directory: string, scan: TreeScan): ElementInput {
  return {
    typeName: DATA_FOLDER_TYPE,
    qualifiedName: dataFolderQualifiedName(directory),
    properties: {
      path: directory,
      name: basename(directory),
      lastModifiedTime: new Date(scan.newestMtimeMs).toISOString(),
      fileCount: scan.files.length,
      directoryCount: scan.directories.length - 1,
    },
  };
}

export class DataFolderMonitorConnector extends DirectoryMonitorConnector {
  protected async reconcileAll(signal: AbortSignal): Promise<void> {
    await this.reconcile(signal, false);
  }

  protected async retry(objectKey: string, signal: AbortSignal): Promise<void> {
    const { directory } = this.settings;
    const relativePath = relative(directory, objectKey);
    // Every object this connector reports lies in its folder; anything else is not monitored any more.
    if (relativePath.startsWith('..') || isAbsolute(relativePath)) return;
    await this.reconcile(signal, true);
  }

  protected async applyChanges(_paths: readonly string[], signal: AbortSignal): Promise<void> {
    // Any change anywhere changes the folder's time or count, and a full scan is the only way to know both.
    await this.reconcile(signal, false);
  }

  private async reconcile(signal: AbortSignal, strict: boolean): Promise<void> {
    const { directory, exclude } = this.settings;
    if (!(await this.directoryReady())) return;
    const scan = await scanTree(directory, { exclude, signal, statDirectories: true, fileSystem: this.options.fileSystem });
    this.watcher?.sync(scan.directories);
    // The folder's count and time cover the whole tree, so any directory not read leaves it as it was.
    if (isPartial(scan) || unreadableSubtrees(scan).length > 0) {
      const first = scan.failures.find((f) => f.kind === 'directory');
      if (strict && first !== undefined) throw this.failureError(first, 'reprocessObject');
      this.reportFailures(
        scan.failures.filter((f) => f.kind === 'directory'),
        'refresh',
      );
      this.context.count({ discovered: 1, failed: 1 });
      this.auditPartial(scan.failures, `the DataFolder ${dataFolderQualifiedName(directory)} was not updated`);
      return;
    }
    const element = dataFolderElement(directory, scan);
    const existing = await this.context.metadataServer.listElements({ typeName: DATA_FOLDER_TYPE });
    const current = existing.find((s) => s.qualifiedName === element.qualifiedName);
    // Outcomes of what is sent are counted by the daemon's metadata server client; a skipped upsert is counted here.
    let outcome: UpsertOutcome = 'unchanged';
    if (current?.fingerprint === propertiesFingerprint(element.properties)) {
      this.context.count({ discovered: 1, unchanged: 1 });
    } else {
      this.context.count({ discovered: 1 });
      outcome = (await this.context.metadataServer.upsertElements([element]))[0] ?? 'unchanged';
    }
    if (outcome !== 'unchanged') {
      const time = String(element.properties.lastModifiedTime);
      this.context.audit({
        messageId: FILES_AUDIT.folderUpdated,
        severity: 'Information',
        messageText: `The ${this.config.connectorName} integration connector has updated the last updated time in the DataFolder ${element.qualifiedName} to ${time}`,
        messageParameters: [this.config.connectorName, element.qualifiedName, time],
      });
    }
    // A folder this connector monitored before its endpoint changed.
    const previous = existing.filter((s) => s.qualifiedName !== element.qualifiedName).map((s) => s.qualifiedName);
    if (previous.length > 0) await this.context.metadataServer.archiveElements(previous);
  }
}

export const dataFolderMonitorProvider: ConnectorProvider = {
  providerName: 'data-folder-monitor',
  aliases: [
    'org.odpi.openmetadata.adapters.connectors.integration.basicfiles.DataFolderMonitorIntegrationProvider',
    'org.odpi.openmetadata.adapters.connectors.integration.basicfiles.DataFolderMonitorIntegrationConnector',
  ],
  connectorKind: 'files',
  description:
    'Maintains one DataFolder element for the directory named by endpointAddress, whose files are the records of one ' +
    'data set: its last modified time (the newest change anywhere in the tree) and its file count.',
  validate: validateFilesConfig,
  endpoint: FILES_ENDPOINT,
  configurationProperties: FILES_PROPERTIES,
  testChecks: FILES_TEST_CHECKS,
  create: (config) => new DataFolderMonitorConnector(config),
};
