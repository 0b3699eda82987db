// Data files monitor: one DataFile element per file under the monitored directory (recursively), archived when the
// file goes. Qualified name: `DataFile::<absolute path>` (Egeria's `<type>::<path>` form), so the same file is the
// same element whichever connector configuration names it.
//
// Every refresh is a full reconciliation (walk, compare fingerprints, upsert what changed, archive what is gone).
// Between refreshes, file system change hints are applied incrementally to the touched paths. Archiving only ever
// follows proof that a file is gone: a complete scan, or a path that no longer exists.
import { lstat, stat } from 'node:fs/promises';
import { basename, extname, relative, sep } from 'node:path';
import {
  propertiesFingerprint,
  type ConnectorContext,
  type ConnectorInstanceConfig,
  type ConnectorProvider,
  type ElementInput,
  type IntegrationConnector,
} from '../../engine/sdk/connector.js';
import {
  checkDirectory,
  directoryNotReadable,
  directoryVanished,
  errorCode,
  fileProcessingFailed,
  filesSettings,
  FILES_AUDIT,
  unexpectedDirectoryError,
  validateFilesConfig,
  type FilesMonitorSettings,
} from './basic-files.js';
import { DirectoryWatcher } from './directory-watcher.js';
import { isPartial, scanTree, type ScanFailure, type ScanFileSystem, type ScannedFile } from './tree-scan.js';

export const DATA_FILE_TYPE = 'DataFile';
const UPSERT_BATCH = 1000;
const HINT_DEBOUNCE_MS = 150;
const WAIT_POLL_MS = 1000;

export function dataFileQualifiedName(path: string): string {
  return `${DATA_FILE_TYPE}::${path}`;
}

/** A human file type from the extension, in the spirit of Egeria's file classifier. */
const FILE_TYPES: Record<string, string> = {
  csv: 'CSV Data File',
  tsv: 'Tab Separated Data File',
  json: 'JSON Data File',
  jsonl: 'JSON Lines Data File',
  ndjson: 'JSON Lines Data File',
  xml: 'XML Data File',
  parquet: 'Apache Parquet Data File',
  avro: 'Apache Avro Data File',
  orc: 'Apache ORC Data File',
  xls: 'Spreadsheet Data File',
  xlsx: 'Spreadsheet Data File',
  yaml: 'YAML File',
  yml: 'YAML File',
  txt: 'Text File',
  log: 'Log File',
  md: 'Markdown Document',
  pdf: 'PDF Document',
  zip: 'Archive File',
  gz: 'Compressed File',
};

export function dataFileElement(file: ScannedFile): ElementInput {
  const name = basename(file.path);
  const extension = extname(name).slice(1).toLowerCase();
  return {
    typeName: DATA_FILE_TYPE,
    qualifiedName: dataFileQualifiedName(file.path),
    properties: {
      path: file.path,
      name,
      extension,
      size: file.size,
      modifiedTime: new Date(file.mtimeMs).toISOString(),
      fileType: FILE_TYPES[extension] ?? 'Data File',
      isSymLink: file.isSymLink,
    },
  };
}

export interface DataFilesMonitorOptions {
  /** Replaces the scan's file system calls; tests use it to inject faults. */
  fileSystem?: ScanFileSystem;
}

export class DataFilesMonitorConnector implements IntegrationConnector {
  private ctx: ConnectorContext | undefined;
  private settings: FilesMonitorSettings | undefined;
  private watcher: DirectoryWatcher | undefined;
  private readonly lifetime = new AbortController();
  /** Refreshes, retries and change hints run one at a time, so two never decide about the same file at once. */
  private tail: Promise<unknown> = Promise.resolve();
  private waitTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: ConnectorInstanceConfig,
    private readonly options: DataFilesMonitorOptions = {},
  ) {}

  async initialize(context: ConnectorContext): Promise<void> {
    this.ctx = context;
    this.settings = filesSettings(this.config);
  }

  async start(): Promise<void> {
    const { directory, waitForDirectory, watchChanges } = this.requireSettings();
    const state = await checkDirectory(directory, this.config.connectorName, waitForDirectory);
    this.context.audit({
      messageId: FILES_AUDIT.monitoringStarting,
      severity: 'Information',
      messageText: `The ${this.config.connectorName} integration connector is initiating the monitoring of file directory ${directory}`,
      messageParameters: [this.config.connectorName, directory],
    });
    if (watchChanges) {
      this.watcher = new DirectoryWatcher({
        top: directory,
        debounceMs: HINT_DEBOUNCE_MS,
        onChanges: (paths) => void this.applyHints(paths),
        onError: (error) => this.watchUnavailable(error),
      });
      if (state === 'ready') this.watcher.sync([directory]);
    }
    if (state === 'missing') this.waitForDirectory();
  }

  refresh(signal: AbortSignal): Promise<void> {
    return this.exclusive(() => this.reconcileAll(signal));
  }

  retryObject(objectKey: string, signal: AbortSignal): Promise<void> {
    return this.exclusive(() => this.reconcilePath(objectKey, signal, true));
  }

  async disconnect(): Promise<void> {
    this.lifetime.abort(new Error(`Connector ${this.config.connectorName} is disconnecting`));
    this.watcher?.close();
    this.watcher = undefined;
    this.stopWaiting();
    await this.tail.catch(() => undefined);
    if (this.ctx !== undefined && this.settings !== undefined) {
      this.ctx.audit({
        messageId: FILES_AUDIT.connectorStopping,
        severity: 'Information',
        messageText: `The ${this.config.connectorName} integration connector has stopped its file monitoring and is shutting down`,
        messageParameters: [this.config.connectorName],
      });
    }
  }

  private get context(): ConnectorContext {
    if (this.ctx === undefined) throw new Error(`Connector ${this.config.connectorName} was used before initialize()`);
    return this.ctx;
  }

  private requireSettings(): FilesMonitorSettings {
    if (this.settings === undefined) throw new Error(`Connector ${this.config.connectorName} was used before initialize()`);
    return this.settings;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** The full reconciliation every refresh performs. */
  private async reconcileAll(signal: AbortSignal): Promise<void> {
    const { directory, waitForDirectory, exclude } = this.requireSettings();
    const started = performance.now();
    const state = await checkDirectory(directory, this.config.connectorName, waitForDirectory);
    if (state === 'missing') {
      this.waitForDirectory();
      return;
    }
    this.stopWaiting();
    const known = new Map<string, string>();
    for (const summary of await this.context.metadata.listElements({ typeName: DATA_FILE_TYPE })) {
      known.set(summary.qualifiedName, summary.fingerprint);
    }
    signal.throwIfAborted();
    const scan = await scanTree(directory, { exclude, signal, fileSystem: this.options.fileSystem });

    const seen = new Set<string>();
    const changed: ElementInput[] = [];
    let unchanged = 0;
    for (const file of scan.files) {
      const element = dataFileElement(file);
      seen.add(element.qualifiedName);
      if (known.get(element.qualifiedName) === propertiesFingerprint(element.properties)) unchanged++;
      else changed.push(element);
    }
    for (const failure of scan.failures) {
      // A file that cannot be examined still exists: keep its element.
      if (failure.kind === 'file') seen.add(dataFileQualifiedName(failure.path));
    }
    unchanged += await this.upsertInBatches(changed, signal);
    this.reportFailures(scan.failures, 'refresh');
    this.context.count({
      discovered: scan.files.length + scan.failures.length,
      unchanged,
      failed: scan.failures.length,
    });

    let archived = 0;
    if (isPartial(scan)) {
      this.auditPartial(directory, scan.failures);
    } else {
      const gone = [...known.keys()].filter((qualifiedName) => !seen.has(qualifiedName));
      archived = await this.archiveInBatches(gone, signal);
    }
    this.watcher?.sync(scan.directories);
    this.context.audit({
      messageId: FILES_AUDIT.scanComplete,
      severity: 'Information',
      messageText:
        `The ${this.config.connectorName} integration connector scanned directory ${directory}: ${scan.files.length} files, ` +
        `${changed.length} new or changed, ${unchanged} unchanged, ${archived} archived, ${scan.failures.length} failed, ` +
        `in ${Math.round(performance.now() - started)} ms`,
      messageParameters: [this.config.connectorName, directory, String(scan.files.length)],
    });
  }

  /**
   * Brings the elements for one path (a file, or a directory and everything under it) up to date with what is on
   * disk now. With `strict`, a failure is thrown (retryObject: the daemon keeps the trigger); otherwise it is
   * reported as an object failure (change hints).
   */
  private async reconcilePath(path: string, signal: AbortSignal, strict: boolean): Promise<void> {
    const { directory, exclude } = this.requireSettings();
    if (path === directory) {
      await this.reconcileAll(signal);
      return;
    }
    const relativePath = relative(directory, path);
    if (relativePath.startsWith('..') || relativePath === '' || relativePath.startsWith(sep) || /^[a-zA-Z]:/.test(relativePath)) {
      // Not monitored (any more): the next full scan archives its element if it has one.
      return;
    }
    const segments = relativePath.split(sep);
    const excluded = segments.some((name, i) => exclude.excludes(name, segments.slice(0, i + 1).join('/')));

    let kind: 'file' | 'directory' | 'gone' | 'other';
    let file: ScannedFile | undefined;
    if (excluded) {
      kind = 'gone';
    } else {
      try {
        const linkStats = await lstat(path);
        const stats = linkStats.isSymbolicLink() ? await stat(path) : linkStats;
        if (stats.isFile()) {
          kind = 'file';
          file = { path, size: stats.size, mtimeMs: stats.mtimeMs, isSymLink: linkStats.isSymbolicLink() };
        } else {
          kind = linkStats.isDirectory() ? 'directory' : 'other';
        }
      } catch (error) {
        const code = errorCode(error);
        if (code === 'ENOENT' || code === 'ENOTDIR') {
          kind = 'gone';
        } else {
          const failure = fileProcessingFailed(this.config.connectorName, path, strict ? 'retryObject' : 'fileChanged', error);
          if (strict) throw failure;
          this.context.reportObjectFailure(path, failure);
          return;
        }
      }
    }
    signal.throwIfAborted();

    if (kind === 'file' && file !== undefined) {
      await this.context.metadata.upsertElements([dataFileElement(file)]);
      return;
    }
    if (kind === 'directory') {
      await this.reconcileSubtree(path, signal, strict);
      return;
    }
    // Gone, excluded, or not a file (a socket, a link to a directory): whatever was catalogued there goes.
    this.watcher?.removeUnder(path);
    const qualifiedName = dataFileQualifiedName(path);
    const under = await this.context.metadata.listElements({ typeName: DATA_FILE_TYPE, qualifiedNamePrefix: qualifiedName + sep });
    await this.archiveInBatches([qualifiedName, ...under.map((s) => s.qualifiedName)], signal);
  }

  private async reconcileSubtree(path: string, signal: AbortSignal, strict: boolean): Promise<void> {
    const { directory, exclude } = this.requireSettings();
    const prefix = dataFileQualifiedName(path) + sep;
    const known = new Map<string, string>();
    for (const summary of await this.context.metadata.listElements({ typeName: DATA_FILE_TYPE, qualifiedNamePrefix: prefix })) {
      known.set(summary.qualifiedName, summary.fingerprint);
    }
    const scan = await scanTree(path, { exclude, signal, root: directory, fileSystem: this.options.fileSystem });
    const seen = new Set<string>();
    const changed: ElementInput[] = [];
    for (const file of scan.files) {
      const element = dataFileElement(file);
      seen.add(element.qualifiedName);
      if (known.get(element.qualifiedName) !== propertiesFingerprint(element.properties)) changed.push(element);
    }
    for (const failure of scan.failures) if (failure.kind === 'file') seen.add(dataFileQualifiedName(failure.path));
    await this.upsertInBatches(changed, signal);
    this.watcher?.add(scan.directories);
    const ownFailure = scan.failures.find((f) => f.path === path);
    if (strict && ownFailure !== undefined) throw this.failureError(ownFailure, 'retryObject');
    this.reportFailures(scan.failures, strict ? 'retryObject' : 'fileChanged');
    if (!isPartial(scan)) {
      await this.archiveInBatches([...known.keys()].filter((q) => !seen.has(q)), signal);
    }
  }

  /** Returns how many of the upserts changed nothing. */
  private async upsertInBatches(elements: readonly ElementInput[], signal: AbortSignal): Promise<number> {
    let unchanged = 0;
    for (let i = 0; i < elements.length; i += UPSERT_BATCH) {
      signal.throwIfAborted();
      const outcomes = await this.context.metadata.upsertElements(elements.slice(i, i + UPSERT_BATCH));
      for (const outcome of outcomes) if (outcome === 'unchanged') unchanged++;
    }
    return unchanged;
  }

  private async archiveInBatches(qualifiedNames: readonly string[], signal: AbortSignal): Promise<number> {
    let archived = 0;
    for (let i = 0; i < qualifiedNames.length; i += UPSERT_BATCH) {
      signal.throwIfAborted();
      archived += await this.context.metadata.archiveElements(qualifiedNames.slice(i, i + UPSERT_BATCH));
    }
    return archived;
  }

  private reportFailures(failures: readonly ScanFailure[], method: string): void {
    let vanished = false;
    for (const failure of failures) {
      const code = errorCode(failure.error);
      if (failure.kind === 'directory' && (code === 'ENOENT' || code === 'ENOTDIR')) vanished = true;
      this.context.reportObjectFailure(failure.path, this.failureError(failure, method));
    }
    // A directory removed mid-scan is normally a deliberate delete: a prompt second scan completes the picture.
    if (vanished) this.context.requestRefresh('a directory disappeared while it was being scanned');
  }

  private failureError(failure: ScanFailure, method: string): Error {
    const name = this.config.connectorName;
    if (failure.kind === 'file') return fileProcessingFailed(name, failure.path, method, failure.error);
    const code = errorCode(failure.error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return directoryVanished(failure.path, name, failure.error);
    if (code === 'EACCES' || code === 'EPERM') return directoryNotReadable(failure.path, name, failure.error);
    return unexpectedDirectoryError(failure.path, name, failure.error);
  }

  private auditPartial(directory: string, failures: readonly ScanFailure[]): void {
    const directories = failures.filter((f) => f.kind === 'directory').map((f) => f.path);
    this.context.audit({
      messageId: FILES_AUDIT.scanPartial,
      severity: 'Error',
      messageText:
        `The ${this.config.connectorName} integration connector could not read ${directories.length} director` +
        `${directories.length === 1 ? 'y' : 'ies'} under ${directory} (${directories.slice(0, 5).join(', ')}); ` +
        'the scan is partial, so no DataFile was archived',
      messageParameters: [this.config.connectorName, directory, ...directories.slice(0, 5)],
      systemAction: 'Files that were found are catalogued; each unreadable directory is retried on its own.',
      userAction: 'Make the directories readable by the user running the daemon, or exclude them with excludeNames.',
    });
  }

  private applyHints(paths: ReadonlySet<string>): Promise<void> {
    // A path below another changed path is covered by that path's reconciliation.
    const sorted = [...paths].sort();
    const roots: string[] = [];
    for (const path of sorted) {
      const last = roots[roots.length - 1];
      if (last === undefined || !(path === last || path.startsWith(last + sep))) roots.push(path);
    }
    return this.exclusive(async () => {
      const signal = this.lifetime.signal;
      for (const path of roots) {
        if (signal.aborted) return;
        try {
          await this.reconcilePath(path, signal, false);
        } catch (error) {
          if (signal.aborted) return;
          // The metadata server did not take the change: a refresh (with the daemon's error handling) will.
          this.context.requestRefresh(`the change to ${path} could not be catalogued: ${(error as Error).message}`);
          return;
        }
      }
    });
  }

  private watchUnavailable(error: unknown): void {
    const { directory } = this.requireSettings();
    this.context.audit({
      messageId: FILES_AUDIT.watchUnavailable,
      severity: 'Exception',
      messageText: `The ${this.config.connectorName} integration connector cannot watch ${directory} for changes: ${(error as Error).message}`,
      messageParameters: [this.config.connectorName, directory],
      systemAction: 'Changes are catalogued at each refresh only.',
      userAction: 'Raise the inotify watch limit (fs.inotify.max_user_watches), or set refreshTimeInterval so refreshes catch changes.',
    });
  }

  private waitForDirectory(): void {
    if (this.waitTimer !== undefined || this.lifetime.signal.aborted) return;
    const { directory } = this.requireSettings();
    this.context.audit({
      messageId: FILES_AUDIT.waitingForDirectory,
      severity: 'Information',
      messageText: `The ${this.config.connectorName} integration connector is waiting for directory ${directory} to be created`,
      messageParameters: [this.config.connectorName, directory],
      systemAction: 'The directory is checked every second; it is catalogued as soon as it appears.',
      userAction: `Create ${directory}, or correct endpointAddress if it names the wrong place.`,
    });
    this.waitTimer = setInterval(() => {
      stat(directory).then(
        (stats) => {
          if (!stats.isDirectory() || this.waitTimer === undefined) return;
          this.stopWaiting();
          this.watcher?.sync([directory]);
          this.context.requestRefresh(`directory ${directory} has been created`);
        },
        () => undefined,
      );
    }, WAIT_POLL_MS);
    this.waitTimer.unref();
  }

  private stopWaiting(): void {
    if (this.waitTimer !== undefined) clearInterval(this.waitTimer);
    this.waitTimer = undefined;
  }
}

export const dataFilesMonitorProvider: ConnectorProvider = {
  providerName: 'data-files-monitor',
  aliases: [
    'org.odpi.openmetadata.adapters.connectors.integration.basicfiles.DataFilesMonitorIntegrationProvider',
    'org.odpi.openmetadata.adapters.connectors.integration.basicfiles.DataFilesMonitorIntegrationConnector',
  ],
  connectorKind: 'files',
  description:
    'Maintains a DataFile element for each file in the directory named by endpointAddress and its subdirectories; ' +
    'new files are catalogued, changed files updated and deleted files archived.',
  validate: validateFilesConfig,
  create: (config) => new DataFilesMonitorConnector(config),
};
