// The lifecycle both files connectors share: settings from the configuration, the directory check on start and
// refresh (with waitForDirectory), change hints from the directory watcher run as change runs, one piece of work at
// a time, a watch on the monitored directory itself (moved away, deleted, replaced or its share unmounted: reported
// within a second and nothing archived), and the messages for directories and files that could not be read.
import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  ConnectorError,
  errorCode,
  errorText,
  type ConnectorContext,
  type ConnectorInstanceConfig,
  type IntegrationConnector,
} from '../../connector-sdk/index.js';
import {
  checkDirectory,
  directoryNotFound,
  directoryNotReadable,
  directoryUnmounted,
  directoryVanished,
  fileProcessingFailed,
  filesSettings,
  FILES_AUDIT,
  pathTooLong,
  systemDirectoryProblem,
  unexpectedDirectoryError,
  untilDirectory,
  untilTrue,
  type FilesMonitorSettings,
} from './basic-files.js';
import { DirectoryWatcher } from './directory-watcher.js';
import { ROOT_CHECKS } from './root-checks.js';
import type { ScanFailure, ScanFileSystem } from './tree-scan.js';

const HINT_DEBOUNCE_MS = 150;
const WAIT_POLL_MS = 1000;
/** Batches of change hints one change run takes at most before it lets a waiting refresh go first. */
const BATCHES_PER_CHANGE_RUN = 20;
const REPLACED = 'was replaced by another directory';
const UNMOUNTED = 'was unmounted (it shows the file system it is a mount point on, not the one that was mounted there)';

/**
 * What this process has seen of each connector's monitored directory (keyed by connector id and endpoint), kept
 * beyond one connector instance: the instance an automatic retry starts must still know that a missing directory
 * went (reported even with waitForDirectory, which waits only for a directory not there yet), and that the empty
 * directory it finds is a share not mounted (the device that was mounted there), not a share emptied.
 */
const SEEN_ROOTS = new Set<string>();
const MOUNT_POINTS = new Map<string, number>();

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
  /** The monitored directory as last seen (device and inode): a different one is a replaced directory. */
  private rootIdentity: { dev: number; ino: number } | undefined;
  /** This connector's place in ROOT_CHECKS while its monitored directory is checked. */
  private rootCheck: (() => Promise<boolean>) | undefined;
  private rootLost = false;
  /** The lost directory's path names another directory now: a refresh catalogues that one, nothing is missing. */
  private rootReplaced = false;
  /** Change hints not yet taken by a change run. */
  private readonly pendingChanges = new Set<string>();
  private draining: Promise<void> | undefined;

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
    const seen = SEEN_ROOTS.has(this.rootKey);
    const state = await checkDirectory(directory, this.config.connectorName, waitForDirectory || seen, seen);
    if (state === 'missing' && seen) throw this.rootLostError();
    if (state === 'ready') await this.resolveRoot();
    this.context.audit({
      messageId: FILES_AUDIT.monitoringStarting,
      severity: 'Information',
      messageText: `The ${this.config.connectorName} integration connector is initiating the monitoring of file directory ${directory}`,
      messageParameters: [this.config.connectorName, this.settings.directory],
    });
    if (watchChanges) {
      this.watcher = new DirectoryWatcher({
        top: this.settings.directory,
        debounceMs: HINT_DEBOUNCE_MS,
        onChanges: (paths) => void this.onChanges(paths),
        onError: (error) => this.watchUnavailable(error),
      });
      if (state === 'ready') this.watcher.sync([this.settings.directory]);
    }
    if (state === 'missing') this.waitForDirectory();
    else await this.watchRoot();
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
    this.stopRootCheck();
    await this.draining;
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
   * Checks the monitored directory before a full reconciliation: throws when it is missing, and returns false while
   * waiting for it (waitForDirectory, for a directory this process has not seen yet: one that went is reported).
   */
  protected async directoryReady(): Promise<boolean> {
    const { directory, waitForDirectory } = this.settings;
    const seen = SEEN_ROOTS.has(this.rootKey);
    const state = await checkDirectory(directory, this.config.connectorName, waitForDirectory || seen, seen);
    if (state === 'missing') {
      if (seen) throw this.rootLostError();
      this.waitForDirectory();
      return false;
    }
    if (await this.unmounted()) {
      throw directoryUnmounted(
        directory,
        this.config.connectorName,
        untilTrue(async () => !(await this.unmounted())),
      );
    }
    this.stopWaiting();
    // Here again (a replaced directory, or one that appeared while waiting for it): watched from now on.
    await this.watchRoot();
    return true;
  }

  /**
   * A symbolic link as the monitored directory is followed once, and said so: the directory it names is what is
   * catalogued and watched. A link to a system directory is refused like the directory itself.
   */
  private async resolveRoot(): Promise<void> {
    const { directory } = this.settings;
    const resolved = await realpath(directory);
    const problem = systemDirectoryProblem(resolved);
    if (problem !== undefined) {
      throw new ConnectorError({
        messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-400-005',
        text: `The directory ${directory} monitored by connector ${this.config.connectorName} is ${resolved}, which cannot be monitored: ${problem}`,
        category: 'configuration',
        retryable: false,
        parameters: [directory, this.config.connectorName, resolved],
        systemAction: 'The connector is not started.',
        userAction: `Correct endpointAddress of connector ${this.config.connectorName} to name the directory that holds the data files.`,
      });
    }
    if (resolved === directory) return;
    this.currentSettings = { ...this.settings, directory: resolved };
    this.context.audit({
      messageId: FILES_AUDIT.rootResolved,
      severity: 'Information',
      messageText: `The ${this.config.connectorName} integration connector monitors ${resolved}, which the symbolic link ${directory} names`,
      messageParameters: [this.config.connectorName, directory, resolved],
      systemAction: 'Elements are catalogued under the resolved path; the link is followed again when the connector restarts.',
      userAction: `None, or set endpointAddress to ${resolved} to name it directly.`,
    });
  }

  /** Remembers which directory is monitored and has ROOT_CHECKS check that it is still there. */
  private async watchRoot(): Promise<void> {
    const { directory } = this.settings;
    try {
      const stats = await this.statOf(directory);
      this.rootIdentity = { dev: stats.dev, ino: stats.ino };
      SEEN_ROOTS.add(this.rootKey);
      if (stats.dev !== (await this.statOf(dirname(directory))).dev) MOUNT_POINTS.set(this.rootKey, stats.dev);
    } catch {
      // Gone again already: the next check reports it.
    }
    this.rootLost = false;
    if (this.rootCheck !== undefined || this.lifetime.signal.aborted) return;
    this.rootCheck = () => this.rootIntact();
    ROOT_CHECKS.add(this.rootCheck);
  }

  /** False (and the loss handled) when the monitored directory is gone or is another directory now. */
  private async rootIntact(): Promise<boolean> {
    if (this.rootLost) return false;
    const expected = this.rootIdentity;
    if (expected === undefined) return true;
    const { directory } = this.settings;
    let reason: string | undefined;
    try {
      const stats = await this.statOf(directory);
      if (!stats.isDirectory()) reason = 'is no longer a directory';
      else if (await this.unmounted(stats)) reason = UNMOUNTED;
      else if (stats.dev !== expected.dev || stats.ino !== expected.ino) reason = REPLACED;
    } catch (error) {
      const code = errorCode(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return true;
      reason = 'disappeared (moved away, deleted or unmounted)';
    }
    if (reason === undefined || this.rootLost || this.rootIdentity !== expected) return reason === undefined;
    this.loseRoot(reason);
    return false;
  }

  /**
   * The monitored directory went: nothing is archived because of it. Watching stops, and a refresh reports the
   * missing directory (BASIC-FILES-INTEGRATION-CONNECTORS-404-001, retried when it is back) or catalogues the
   * directory now in its place (the archive fail-safe guards against an empty mount point).
   */
  private loseRoot(reason: string): void {
    const { directory } = this.settings;
    this.rootLost = true;
    this.rootReplaced = reason === REPLACED;
    this.rootIdentity = undefined;
    this.stopRootCheck();
    this.watcher?.sync([]);
    this.pendingChanges.clear();
    this.context.audit({
      messageId: FILES_AUDIT.rootLost,
      severity: 'Error',
      messageText: `The directory ${directory} monitored by the ${this.config.connectorName} integration connector ${reason}`,
      messageParameters: [directory, this.config.connectorName],
      systemAction: 'Nothing is archived because of it; watching stops and a refresh examines the directory at once.',
      userAction: `Restore ${directory} (mount the share, move the directory back); the connector resumes on its own.`,
    });
    this.context.requestRefresh(`directory ${directory} ${reason}`);
  }

  /** The configured endpoint, not the directory a symbolic link resolved to: known before the directory is. */
  private get rootKey(): string {
    return `${this.config.connectorId}\u0000${this.config.endpointAddress ?? ''}`;
  }

  /**
   * True when the monitored directory was a mount point and now shows the file system below it (same device as its
   * parent): the share was unmounted, and its files are not gone. A file system mounted there again (whatever its
   * device number now) ends it.
   */
  private async unmounted(root?: Stats): Promise<boolean> {
    const mounted = MOUNT_POINTS.get(this.rootKey);
    if (mounted === undefined) return false;
    const { directory } = this.settings;
    try {
      const stats = root ?? (await this.statOf(directory));
      if (stats.dev === mounted) return false;
      return stats.dev === (await this.statOf(dirname(directory))).dev;
    } catch {
      // Not there at all: the directory checks report that.
      return false;
    }
  }

  /** The file system calls of the directory checks, through the injected file system when tests give one. */
  private async statOf(path: string): Promise<Stats> {
    return this.options.fileSystem === undefined ? stat(path) : this.options.fileSystem.statSync(path);
  }

  private stopRootCheck(): void {
    if (this.rootCheck !== undefined) ROOT_CHECKS.delete(this.rootCheck);
    this.rootCheck = undefined;
  }

  /**
   * Ends a change run that found the monitored directory lost, with its changes left to the refresh the loss asked
   * for. A missing directory fails the run (404-001); a replaced one does not, as nothing is missing: that refresh
   * catalogues the directory now in its place.
   */
  private endLostRootRun(): void {
    if (!this.rootReplaced) throw this.rootLostError();
  }

  /** Thrown by change work that found the monitored directory gone: the run archives nothing. */
  private rootLostError(): ConnectorError {
    const { directory } = this.settings;
    return directoryNotFound(directory, this.config.connectorName, undefined, untilDirectory(directory), true);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private onChanges(paths: ReadonlySet<string>): void {
    if (this.rootLost || this.lifetime.signal.aborted) return;
    for (const path of paths) this.pendingChanges.add(path);
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  /**
   * Change hints become change runs. One run takes what is pending and whatever arrives while it works, so a
   * burst is one run; a failed run asks the daemon for a refresh (the metadata server did not take the change, or
   * the monitored directory went), which then catches every change.
   */
  private async drain(): Promise<void> {
    while (this.pendingChanges.size > 0 && !this.lifetime.signal.aborted && !this.rootLost) {
      const ran = await this.context.changeRun(async (signal) => {
        for (let batches = 0; batches < BATCHES_PER_CHANGE_RUN && this.pendingChanges.size > 0; batches++) {
          const batch = [...this.pendingChanges];
          this.pendingChanges.clear();
          const applied = await this.exclusive(async () => {
            // A directory deleted with everything in it: its files must not be archived one by one.
            if (!(await this.rootIntact())) return false;
            await this.applyChanges(batch, AbortSignal.any([signal, this.lifetime.signal]));
            return true;
          });
          if (!applied) return this.endLostRootRun();
        }
        if (!(await this.rootIntact())) this.endLostRootRun();
      });
      if (!ran) this.pendingChanges.clear();
    }
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
    if (code === 'ENAMETOOLONG') return pathTooLong(failure.path, name, failure.error);
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
