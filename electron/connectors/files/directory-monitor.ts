// The lifecycle both files connectors share: settings from the configuration, the directory check on start and
// refresh (with waitForDirectory), change hints from the directory watcher, one piece of work at a time, and the
// messages for directories and files that could not be read.
import { stat } from 'node:fs/promises';
import {
  errorCode,
  errorText,
  type ConnectorContext,
  type ConnectorInstanceConfig,
  type IntegrationConnector,
} from '../../connector-sdk/index.js';
import {
  checkDirectory,
  directoryNotReadable,
  directoryVanished,
  fileProcessingFailed,
  filesSettings,
  FILES_AUDIT,
  unexpectedDirectoryError,
  type FilesMonitorSettings,
} from './basic-files.js';
import { DirectoryWatcher } from './directory-watcher.js';
import type { ScanFailure, ScanFileSystem } from './tree-scan.js';

const HINT_DEBOUNCE_MS = 150;
const WAIT_POLL_MS = 1000;

export interface DirectoryMonitorOptions {
  /** Replaces the scan's file system calls; tests use it to inject faults. */
  fileSystem?: ScanFileSystem | undefined;
}

export abstract class DirectoryMonitorConnector implements IntegrationConnector {
  private ctx: ConnectorContext | undefined;
  private currentSettings: FilesMonitorSettings | undefined;
  protected watcher: DirectoryWatcher | undefined;
  /** Aborted on disconnect; stops change-hint work, which runs outside any lifecycle call. */
  protected readonly lifetime = new AbortController();
  /** Refreshes, retries and change hints run one at a time, so two never decide about the same file at once. */
  private tail: Promise<unknown> = Promise.resolve();
  private waitTimer: NodeJS.Timeout | undefined;

  constructor(
    protected readonly config: ConnectorInstanceConfig,
    protected readonly options: DirectoryMonitorOptions = {},
  ) {}

  /** A full reconciliation; runs exclusively. */
  protected abstract reconcileAll(signal: AbortSignal): Promise<void>;
  /** Re-processes one object key (a path); runs exclusively; throws when it still fails. */
  protected abstract retry(objectKey: string, signal: AbortSignal): Promise<void>;
  /** Applies change hints; runs exclusively; a throw asks the daemon for a refresh instead. */
  protected abstract applyChanges(paths: readonly string[], signal: AbortSignal): Promise<void>;

  async initialize(context: ConnectorContext): Promise<void> {
    this.ctx = context;
    this.currentSettings = filesSettings(this.config);
  }

  async start(): Promise<void> {
    const { directory, waitForDirectory, watchChanges } = this.settings;
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
        onChanges: (paths) => void this.onChanges(paths),
        onError: (error) => this.watchUnavailable(error),
      });
      if (state === 'ready') this.watcher.sync([directory]);
    }
    if (state === 'missing') this.waitForDirectory();
  }

  refresh(signal: AbortSignal): Promise<void> {
    return this.exclusive(() => this.reconcileAll(signal));
  }

  reprocessObject(objectKey: string, signal: AbortSignal): Promise<void> {
    return this.exclusive(() => this.retry(objectKey, signal));
  }

  async disconnect(): Promise<void> {
    this.lifetime.abort(new Error(`Connector ${this.config.connectorName} is disconnecting`));
    this.watcher?.close();
    this.watcher = undefined;
    this.stopWaiting();
    await this.tail;
    if (this.ctx !== undefined && this.currentSettings !== undefined) {
      this.ctx.audit({
        messageId: FILES_AUDIT.connectorStopping,
        severity: 'Information',
        messageText: `The ${this.config.connectorName} integration connector has stopped its file monitoring and is shutting down`,
        messageParameters: [this.config.connectorName],
      });
    }
  }

  protected get context(): ConnectorContext {
    if (this.ctx === undefined) throw new Error(`Connector ${this.config.connectorName} was used before initialize()`);
    return this.ctx;
  }

  protected get settings(): FilesMonitorSettings {
    if (this.currentSettings === undefined) throw new Error(`Connector ${this.config.connectorName} was used before initialize()`);
    return this.currentSettings;
  }

  /**
   * Checks the monitored directory before a full reconciliation: throws when it is missing (unless waiting for
   * it), and returns false while waiting.
   */
  protected async directoryReady(): Promise<boolean> {
    const { directory, waitForDirectory } = this.settings;
    const state = await checkDirectory(directory, this.config.connectorName, waitForDirectory);
    if (state === 'missing') {
      this.waitForDirectory();
      return false;
    }
    this.stopWaiting();
    return true;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private onChanges(paths: ReadonlySet<string>): Promise<void> {
    return this.exclusive(async () => {
      const signal = this.lifetime.signal;
      if (signal.aborted) return;
      try {
        await this.applyChanges([...paths], signal);
      } catch (error) {
        if (signal.aborted) return;
        // Typically the metadata server did not take the change: a refresh, under the daemon's error handling, will.
        this.context.requestRefresh(`a file system change could not be catalogued: ${errorText(error)}`);
      }
    });
  }

  protected reportFailures(failures: readonly ScanFailure[], method: string): void {
    let vanished = false;
    for (const failure of failures) {
      const code = errorCode(failure.error);
      if (failure.kind === 'directory' && (code === 'ENOENT' || code === 'ENOTDIR')) vanished = true;
      this.context.reportObjectFailure(failure.path, this.failureError(failure, method));
    }
    // A directory removed mid-scan is normally a deliberate delete: a prompt second scan completes the picture.
    if (vanished) this.context.requestRefresh('a directory disappeared while it was being scanned');
  }

  protected failureError(failure: ScanFailure, method: string): Error {
    const name = this.config.connectorName;
    if (failure.kind === 'file') return fileProcessingFailed(name, failure.path, method, failure.error);
    const code = errorCode(failure.error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return directoryVanished(failure.path, name, failure.error);
    if (code === 'EACCES' || code === 'EPERM') return directoryNotReadable(failure.path, name, failure.error);
    return unexpectedDirectoryError(failure.path, name, failure.error);
  }

  protected auditPartial(failures: readonly ScanFailure[], consequence: string): void {
    const { directory } = this.settings;
    const directories = failures.filter((f) => f.kind === 'directory').map((f) => f.path);
    this.context.audit({
      messageId: FILES_AUDIT.scanPartial,
      severity: 'Error',
      messageText:
        `The ${this.config.connectorName} integration connector could not read ${directories.length} director` +
        `${directories.length === 1 ? 'y' : 'ies'} under ${directory} (${directories.slice(0, 5).join(', ')}); ` +
        `the scan is partial, so ${consequence}`,
      messageParameters: [this.config.connectorName, directory, ...directories.slice(0, 5)],
      systemAction: 'Each directory that could not be read is retried on its own.',
      userAction: 'Make the directories readable by the user running the daemon, or exclude them with excludeNames.',
    });
  }

  private watchUnavailable(error: unknown): void {
    const { directory } = this.settings;
    this.context.audit({
      messageId: FILES_AUDIT.watchUnavailable,
      severity: 'Exception',
      messageText: `The ${this.config.connectorName} integration connector cannot watch ${directory} for changes: ${errorText(error)}`,
      messageParameters: [this.config.connectorName, directory],
      systemAction: 'Changes are catalogued at each refresh only.',
      userAction: 'Raise the inotify watch limit (fs.inotify.max_user_watches), or set refreshTimeInterval so refreshes catch changes.',
    });
  }

  private waitForDirectory(): void {
    if (this.waitTimer !== undefined || this.lifetime.signal.aborted) return;
    const { directory } = this.settings;
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
