// Data files monitor: one DataFile element per file under the monitored directory (recursively), archived when the
// file goes. Qualified name: `DataFile::<absolute path>` (Egeria's `<type>::<path>` form); a relative
// endpointAddress is resolved first, so the name does not depend on how the directory was written. A name that is
// not valid UTF-8 appears with its invalid bytes (and its %) as %XX (tree-scan.ts).
//
// Every refresh is a full reconciliation (walk, compare fingerprints, upsert what changed, archive what is gone).
// Between refreshes, file system change hints are applied incrementally to the touched paths. Archiving only ever
// follows proof that a file is gone: a complete scan (directories too long to read aside: their files are kept), or a
// path that no longer exists.
import { lstat, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, relative, sep } from 'node:path';
import { errorCode, propertiesFingerprint, type ConnectorProvider, type ElementInput } from '../../connector-sdk/index.js';
import { fileProcessingFailed, FILES_AUDIT, validateFilesConfig } from './basic-files.js';
import { BatchWriter } from './batch-writer.js';
import { FILES_ENDPOINT, FILES_PROPERTIES, FILES_TEST_CHECKS } from './files-declarations.js';
import { CatalogueListing } from './catalogue-listing.js';
import { CataloguedFiles } from './catalogued-files.js';
import { DirectoryMonitorConnector } from './directory-monitor.js';
import { isoTime } from './iso-time.js';
import { SendQueue } from './send-queue.js';
import { isPartial, mayHoldEscapedName, scanTree, unreadableSubtrees, type ScannedFile, type TreeScan } from './tree-scan.js';

export const DATA_FILE_TYPE = 'DataFile';
const UPSERT_BATCH = 1000;
/** Scans of a new directory tree at most, while each finds directories created since the last (see reconcileSubtree). */
const SUBTREE_PASSES = 5;

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
  const name = file.name;
  const extension = extname(name).slice(1).toLowerCase();
  return {
    typeName: DATA_FILE_TYPE,
    qualifiedName: dataFileQualifiedName(file.path),
    // Keys in sorted order: the fingerprint then needs no re-ordering (see propertiesFingerprint).
    properties: {
      extension,
      fileType: FILE_TYPES[extension] ?? 'Data File',
      isSymLink: file.isSymLink,
      modifiedTime: isoTime(file.mtimeMs),
      name,
      path: file.path,
      size: file.size,
    },
  };
}

export class DataFilesMonitorConnector extends DirectoryMonitorConnector {
  /**
   * Files this instance stored, so a refresh can tell an unchanged file from its stat alone instead of building
   * and hashing its properties: a file whose size, time and link-ness are what was stored, and whose element is
   * still active with the fingerprint the metadata server showed for it last time, is unchanged. Anything else (a new
   * instance, an element changed behind our back) falls back to comparing fingerprints.
   */
  private readonly catalogued = new CataloguedFiles();

  protected async reconcileAll(signal: AbortSignal): Promise<void> {
    const { directory, exclude } = this.settings;
    const started = performance.now();
    if (!(await this.directoryReady())) return;
    // The walk (on its worker) starts while the metadata server lists what is catalogued; files found before the
    // listing is in wait for it.
    // What is catalogued and not yet seen by the scan: what is left once it is done is gone.
    let known = new CatalogueListing([]);
    let listed = false;
    let tracking = false;
    const waiting: ScannedFile[][] = [];
    const writer = new BatchWriter(this.context, signal);
    let unchanged = 0;
    const handle = (files: ScannedFile[]): void => {
      const changed: ScannedFile[] = [];
      for (const file of files) {
        if (!tracking) {
          changed.push(file);
          continue;
        }
        const qualifiedName = dataFileQualifiedName(file.path);
        const stored = known.take(qualifiedName);
        if (stored !== undefined && this.isUnchanged(qualifiedName, file, stored)) unchanged++;
        else changed.push(file);
      }
      queue.add(changed);
    };
    const queue = new SendQueue<ScannedFile>(writer, dataFileElement, (files, elements) => {
      // Keyed by the element's own qualified name: one string per file, not a second copy built here.
      elements.forEach((element, i) => this.catalogued.set(element.qualifiedName, files[i] as ScannedFile, undefined));
    });
    const scan = await writer
      .during(async (scanSignal) => {
        const walking = scanTree(directory, {
          exclude,
          signal: scanSignal,
          fileSystem: this.options.fileSystem,
          onFiles: (files) => (listed ? handle(files) : waiting.push(files)),
        });
        try {
          known = new CatalogueListing(await this.context.metadataServer.listElements({ typeName: DATA_FILE_TYPE }));
        } catch (error) {
          walking.catch(() => undefined);
          throw error;
        }
        listed = true;
        // With nothing catalogued there is nothing to archive, so what the scan sees need not be looked up.
        tracking = known.size > 0;
        for (const files of waiting.splice(0)) handle(files);
        const scanned = await walking;
        await queue.allHandedOver(scanSignal);
        return scanned;
      })
      .finally(() => queue.flush());
    for (const failure of scan.failures) {
      // A file that cannot be examined still exists: keep its element.
      if (failure.kind === 'file') known.take(dataFileQualifiedName(failure.path));
    }
    this.reportFailures(scan.failures, 'refresh');
    // Created, updated and unchanged outcomes of what was sent are counted by the daemon's metadata server client.
    this.context.count({
      discovered: scan.fileCount + scan.failures.length,
      unchanged,
      failed: scan.failures.length,
    });

    let archived = 0;
    if (isPartial(scan)) {
      this.auditPartial(scan.failures, 'no DataFile was archived');
    } else {
      archived = await this.archiveInBatches(this.outsideUnreadable(known.rest(), scan), signal);
    }
    this.watcher?.sync(scan.directories);
    this.context.audit({
      messageId: FILES_AUDIT.scanComplete,
      severity: 'Information',
      messageText:
        `The ${this.config.connectorName} integration connector scanned directory ${directory}: ${scan.fileCount} files, ` +
        `${writer.sent} sent as new or changed, ${unchanged} unchanged, ${archived} archived, ${scan.failures.length} failed, ` +
        `in ${Math.round(performance.now() - started)} ms`,
      messageParameters: [this.config.connectorName, directory, String(scan.fileCount)],
    });
  }

  private isUnchanged(qualifiedName: string, file: ScannedFile, stored: string): boolean {
    if (this.catalogued.unchanged(qualifiedName, file, stored)) return true;
    if (propertiesFingerprint(dataFileElement(file).properties) !== stored) return false;
    this.catalogued.set(qualifiedName, file, stored);
    return true;
  }

  protected retry(objectKey: string, signal: AbortSignal): Promise<void> {
    return this.reconcilePath(objectKey, signal, true);
  }

  protected async applyChanges(paths: readonly string[], signal: AbortSignal): Promise<void> {
    // A path below another changed path is covered by that path's reconciliation.
    const roots: string[] = [];
    for (const path of [...paths].sort()) {
      const last = roots[roots.length - 1];
      if (last === undefined || !(path === last || path.startsWith(last + sep))) roots.push(path);
    }
    for (const path of roots) {
      if (signal.aborted) return;
      await this.reconcilePath(path, signal, false);
    }
  }

  /**
   * Brings the elements for one path (a file, or a directory and everything under it) up to date with what is on
   * disk now. With `strict`, a failure is thrown (reprocessObject: the daemon keeps the trigger); otherwise it is
   * reported as an object failure (change hints).
   */
  private async reconcilePath(path: string, signal: AbortSignal, strict: boolean): Promise<void> {
    const { directory, exclude } = this.settings;
    if (path === directory) {
      await this.reconcileAll(signal);
      return;
    }
    const relativePath = relative(directory, path);
    if (relativePath === '' || relativePath.startsWith('..') || isAbsolute(relativePath)) {
      // Not monitored (any more): the next full scan archives its element if it has one.
      return;
    }
    const segments = relativePath.split(sep);
    const excluded = segments.some((name, i) => exclude.excludes(name, segments.slice(0, i + 1).join('/')));

    let kind: 'file' | 'directory' | 'gone' = 'gone';
    let file: ScannedFile | undefined;
    if (!excluded) {
      try {
        const linkStats = await lstat(path);
        const stats = linkStats.isSymbolicLink() ? await stat(path) : linkStats;
        if (stats.isFile()) {
          // A link is catalogued as the link, as the scan does (tree-scan.ts).
          kind = 'file';
          const { size, mtimeMs } = linkStats;
          file = { path, name: basename(path), size, mtimeMs, isSymLink: linkStats.isSymbolicLink() };
        } else if (linkStats.isDirectory()) {
          kind = 'directory';
        }
      } catch (error) {
        const code = errorCode(error);
        if (code === 'ENOENT' && mayHoldEscapedName(path)) {
          // Perhaps a faithful name (tree-scan.ts), which the file system does not know: its directory's scan
          // settles it, rather than archiving a file that may well be there.
          await this.reconcilePath(dirname(path), signal, strict);
          return;
        }
        if (code !== 'ENOENT' && code !== 'ENOTDIR') {
          const failure = fileProcessingFailed(this.config.connectorName, path, strict ? 'reprocessObject' : 'fileChanged', error);
          if (strict) throw failure;
          this.context.reportObjectFailure(path, failure);
          return;
        }
      }
    }
    signal.throwIfAborted();

    if (file !== undefined) {
      this.catalogued.delete(dataFileQualifiedName(file.path));
      await this.context.metadataServer.upsertElements([dataFileElement(file)]);
    } else if (kind === 'directory') {
      await this.reconcileSubtree(path, signal, strict);
    } else {
      // Gone, excluded, or not a file (a socket, a link to a directory): whatever was catalogued there goes.
      this.watcher?.removeUnder(path);
      const qualifiedName = dataFileQualifiedName(path);
      const under = await this.context.metadataServer.listElements({ typeName: DATA_FILE_TYPE, qualifiedNamePrefix: qualifiedName + sep });
      await this.archiveInBatches([qualifiedName, ...under.map((s) => s.qualifiedName)], signal);
    }
  }

  /**
   * A directory and everything under it, typically one just created. It is watched before it is scanned, and each
   * directory the scan finds is watched once found: a file created before its directory's watch is caught by the
   * next scan, one created after it by a hint. So the scan is repeated while it finds directories not yet watched.
   */
  private async reconcileSubtree(path: string, signal: AbortSignal, strict: boolean): Promise<void> {
    this.watcher?.add([path]);
    for (let pass = 0; pass < SUBTREE_PASSES; pass++) {
      if ((await this.reconcileSubtreeOnce(path, signal, strict)) === 0) return;
    }
  }

  /** Returns how many directories it began to watch. */
  private async reconcileSubtreeOnce(path: string, signal: AbortSignal, strict: boolean): Promise<number> {
    const { directory, exclude } = this.settings;
    const known = new Map<string, string>();
    const prefix = dataFileQualifiedName(path) + sep;
    for (const summary of await this.context.metadataServer.listElements({ typeName: DATA_FILE_TYPE, qualifiedNamePrefix: prefix })) {
      known.set(summary.qualifiedName, summary.fingerprint);
    }
    const scan = await scanTree(path, { exclude, signal, root: directory, fileSystem: this.options.fileSystem });
    const ownFailure = scan.failures.find((f) => f.path === path);
    if (strict && ownFailure !== undefined) throw this.failureError(ownFailure, 'reprocessObject');
    const seen = new Set<string>();
    const changed: ElementInput[] = [];
    for (const file of scan.files) {
      const element = dataFileElement(file);
      seen.add(element.qualifiedName);
      if (known.get(element.qualifiedName) !== propertiesFingerprint(element.properties)) changed.push(element);
    }
    for (const failure of scan.failures) if (failure.kind === 'file') seen.add(dataFileQualifiedName(failure.path));
    for (const element of changed) this.catalogued.delete(element.qualifiedName);
    await this.upsertInBatches(changed, signal);
    const watched = this.watcher?.add(scan.directories) ?? 0;
    this.reportFailures(scan.failures, strict ? 'reprocessObject' : 'fileChanged');
    if (!isPartial(scan)) {
      await this.archiveInBatches(
        this.outsideUnreadable(
          [...known.keys()].filter((q) => !seen.has(q)),
          scan,
        ),
        signal,
      );
    }
    return watched;
  }

  /** Leaves out elements under directories whose paths were too long to read: they may well still be there. */
  private outsideUnreadable(qualifiedNames: string[], scan: TreeScan): string[] {
    const prefixes = unreadableSubtrees(scan).map((path) => dataFileQualifiedName(path) + sep);
    if (prefixes.length === 0) return qualifiedNames;
    return qualifiedNames.filter((name) => !prefixes.some((prefix) => name.startsWith(prefix)));
  }

  private async upsertInBatches(elements: readonly ElementInput[], signal: AbortSignal): Promise<void> {
    for (let i = 0; i < elements.length; i += UPSERT_BATCH) {
      signal.throwIfAborted();
      await this.context.metadataServer.upsertElements(elements.slice(i, i + UPSERT_BATCH));
    }
  }

  private async archiveInBatches(qualifiedNames: readonly string[], signal: AbortSignal): Promise<number> {
    for (const qualifiedName of qualifiedNames) this.catalogued.delete(qualifiedName);
    let archived = 0;
    for (let i = 0; i < qualifiedNames.length; i += UPSERT_BATCH) {
      signal.throwIfAborted();
      archived += await this.context.metadataServer.archiveElements(qualifiedNames.slice(i, i + UPSERT_BATCH));
    }
    return archived;
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
  endpoint: FILES_ENDPOINT,
  configurationProperties: FILES_PROPERTIES,
  testChecks: FILES_TEST_CHECKS,
  create: (config) => new DataFilesMonitorConnector(config),
};
