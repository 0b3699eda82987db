// Walks a directory tree. The walk runs on a pooled worker thread with synchronous readdir/lstat: under CPU
// contention that is several times faster than one libuv thread-pool round trip per file (measured with the
// files-catalogue benchmark), it never blocks the daemon's event loop, and a walk stuck on a dead network mount is
// stopped by terminating its worker. Files come back in batches while the walk goes on, so the caller's work
// (fingerprints, metadata upserts) overlaps it. A name that is not valid UTF-8 is read by its bytes and reported
// under a faithful name (see faithfulName in walk).
import * as nodeFs from 'node:fs';
import { sep } from 'node:path';
import type { NameFilter } from './basic-files.js';
import { WorkerPool } from './worker-pool.js';

/** A path as the walk passes it to the file system: bytes once a name on the way is not valid UTF-8. */
export type ScanPath = string | Buffer;

/** The synchronous file system calls the walk makes; tests wrap the real ones to inject faults root never sees. */
export interface ScanFileSystem {
  /** With `encoding: 'buffer'` the names are bytes: asked only for a directory holding a name that is not UTF-8. */
  readdirSync(path: ScanPath, options: { withFileTypes: true; encoding?: 'buffer' }): nodeFs.Dirent<string | Buffer>[];
  lstatSync(path: ScanPath): nodeFs.Stats;
  statSync(path: ScanPath): nodeFs.Stats;
}

/** Node's own calls, as the worker makes them. */
export const NODE_SCAN_FILE_SYSTEM: ScanFileSystem = {
  readdirSync: (path, options) =>
    options.encoding === 'buffer'
      ? nodeFs.readdirSync(path, { withFileTypes: true, encoding: 'buffer' })
      : nodeFs.readdirSync(path, { withFileTypes: true }),
  lstatSync: (path) => nodeFs.lstatSync(path),
  statSync: (path) => nodeFs.statSync(path),
};

/** True when `path` may hold a faithful name's %XX escape: it may then not be the file system's own path. */
export function mayHoldEscapedName(path: string): boolean {
  return /%[0-9A-F]{2}/.test(path);
}

export interface ScannedFile {
  path: string;
  /** The last part of `path`. */
  name: string;
  size: number;
  mtimeMs: number;
  isSymLink: boolean;
}

export interface ScanFailure {
  path: string;
  kind: 'directory' | 'file';
  error: unknown;
}

export interface TreeScan {
  /** Every file found, unless they went to `onFiles` instead (a million files need not stay in memory twice). */
  files: ScannedFile[];
  /** How many files were found, whether kept in `files` or passed to `onFiles`. */
  fileCount: number;
  /** Every directory entered, the top one included. */
  directories: string[];
  /** Directory failures make the scan partial (see isPartial): files under them are unknown. */
  failures: ScanFailure[];
  /** Newest modification time of any file or directory in the tree (directories only with `statDirectories`). */
  newestMtimeMs: number;
}

export interface ScanOptions {
  exclude: NameFilter;
  signal: AbortSignal;
  /** Also lstat directories, for the newest modification time (a deleted file only changes its directory's). */
  statDirectories?: boolean;
  /** Walks in this thread with these calls instead of on a worker with the real ones (fault-injection tests). */
  fileSystem?: ScanFileSystem | undefined;
  /** Relative paths for exclusion are taken from here (the monitored directory), which may be above `top`. */
  root?: string;
  /** Receives the files found so far, about `batchSize` at a time, while the walk goes on; then `files` stays empty. */
  onFiles?: (files: ScannedFile[]) => void;
  batchSize?: number;
}

/**
 * Files handed on per batch when the caller does not say. A batch of new files becomes one transaction of the
 * metadata server, and on PostgreSQL one COPY, whose fixed cost (a statement and its transaction, the indexes opened,
 * the right-hand index pages shared with the batch beside it in flight) was about a tenth of the server's work at
 * 1,000 files. At 100,000 files the first refresh took 2.13x and 2.15x the baseline with 1,000, 1.70x and 1.91x with
 * 5,000 (load 1.4); SQLite's figures did not move.
 */
export const FILES_PER_BATCH = 5_000;

/** A directory whose path is longer than the system allows: what lies under it is unknown, and nothing else. */
function tooLong(failure: ScanFailure): boolean {
  return failure.kind === 'directory' && (failure.error as { code?: unknown }).code === 'ENAMETOOLONG';
}

/**
 * True when a directory could not be read for a reason that may reach beyond it (permissions being changed, a tree
 * being moved): then nothing may be archived. A path too long to read is only that path's problem; see
 * `unreadableSubtrees`.
 */
export function isPartial(scan: TreeScan): boolean {
  return scan.failures.some((f) => f.kind === 'directory' && !tooLong(f));
}

/** Directories of a scan that is not partial whose paths were too long to read: only files under them are unknown. */
export function unreadableSubtrees(scan: TreeScan): string[] {
  return scan.failures.filter(tooLong).map((f) => f.path);
}

interface WalkRequest {
  top: string;
  root: string;
  sep: string;
  namePatterns: string[];
  pathPatterns: string[];
  statDirectories: boolean;
  batchSize: number;
}

type WalkMessage =
  /**
   * A batch of files packed for the trip between threads: the paths as one text (joined by NUL, which no name holds),
   * the rest in typed arrays. Cloning a thousand strings and numbers one by one cost the walk's thread about a third
   * of its time, more than reading the directories; the receiver takes each name from its path.
   */
  | { type: 'files'; paths: string; sizes: Float64Array; mtimes: Float64Array; links: Uint8Array }
  | { type: 'directory'; path: string }
  /** The worker's directory messages, gathered until it next sends something else (see WORKER_SOURCE). */
  | { type: 'directories'; paths: string[] }
  | { type: 'failure'; path: string; kind: 'directory' | 'file'; code: string | undefined; message: string }
  | { type: 'done'; newestMtimeMs: number };

/**
 * The walk itself. It is shipped to the worker as source text, so it must stay self-contained: no imports, no
 * helper functions, nothing from the enclosing module — only its parameters.
 */
function walk(request: WalkRequest, fs: ScanFileSystem, emit: (message: WalkMessage) => void): void {
  const names = request.namePatterns.map((source) => new RegExp(source));
  const paths = request.pathPatterns.map((source) => new RegExp(source));
  const filtering = names.length > 0 || paths.length > 0;
  const separator = request.sep;
  const rootPrefix = request.root.endsWith(separator) ? request.root : request.root + separator;
  let newest = 0;
  const batchPaths: string[] = [];
  const batchSizes = new Float64Array(request.batchSize);
  const batchMtimes = new Float64Array(request.batchSize);
  const batchLinks = new Uint8Array(request.batchSize);
  const emitBatch = (): void => {
    const count = batchPaths.length;
    emit({
      type: 'files',
      paths: batchPaths.join('\0'),
      sizes: batchSizes.slice(0, count),
      mtimes: batchMtimes.slice(0, count),
      links: batchLinks.slice(0, count),
    });
    batchPaths.length = 0;
  };
  if (request.statDirectories) {
    try {
      newest = fs.lstatSync(request.top).mtimeMs;
    } catch {
      // Reported by the readdir below.
    }
  }
  /**
   * A name that is not valid UTF-8 (Node would decode it to U+FFFD and then find no such file) is catalogued under a
   * faithful name: its valid sequences as they are, each other byte and each '%' as %XX. Two such names never
   * meet, and one meeting a valid sibling's name is refused below.
   */
  const faithfulName = (bytes: Buffer): string => {
    const out: number[] = [];
    const hex = (digit: number): number => (digit < 10 ? 0x30 + digit : 0x37 + digit);
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i] as number;
      const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
      let valid = length > 0 && i + length <= bytes.length && b !== 0x25;
      for (let k = 1; valid && k < length; k++) {
        const c = bytes[i + k] as number;
        // Second bytes that would make an overlong form, a surrogate or a code point above U+10FFFF.
        const low = k === 1 && b === 0xe0 ? 0xa0 : k === 1 && b === 0xf0 ? 0x90 : 0x80;
        const high = k === 1 && b === 0xed ? 0x9f : k === 1 && b === 0xf4 ? 0x8f : 0xbf;
        if (c < low || c > high) valid = false;
      }
      if (!valid) {
        out.push(0x25, hex(b >> 4), hex(b & 15));
        i++;
        continue;
      }
      for (let k = 0; k < length; k++) out.push(bytes[i + k] as number);
      i += length;
    }
    return Buffer.from(out).toString('utf8');
  };
  const separatorBytes = Buffer.from(separator);
  /**
   * Names in the order the metadata server's indexes keep qualified names (SQLite BINARY: the bytes of UTF-8, which
   * is code point order). JavaScript compares UTF-16 code units, which agrees below U+D800 and puts a character above
   * U+FFFF (a surrogate pair) before one from U+E000 to U+FFFF, so directories holding such names are sorted by code
   * point instead: surrogates moved above U+FFFF and the rest of the top of the BMP below them.
   */
  const byCodeUnit = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const byCodePoint = (a: { key: string }, b: { key: string }): number => {
    const length = Math.min(a.key.length, b.key.length);
    for (let i = 0; i < length; i++) {
      let x = a.key.charCodeAt(i);
      let y = b.key.charCodeAt(i);
      if (x === y) continue;
      if (x >= 0xd800 && y >= 0xd800) {
        x += x >= 0xe000 ? -0x800 : 0x2000;
        y += y >= 0xe000 ? -0x800 : 0x2000;
      }
      return x - y;
    }
    return a.key.length - b.key.length;
  };
  const surrogate = /[\uD800-\uDFFF]/;
  /**
   * What is still to visit, popped from the end. Each directory's entries go on in reverse order of their paths (a
   * directory's name followed by the separator, as its files' paths continue), so the walk reports files in the
   * order of their qualified names: the metadata server's index inserts then all land at the index's right-hand end
   * (in isolation 16% less SQLite CPU and indexes about 40% smaller than in the file system's listing order).
   * `path` is the name reported (faithful), `raw` the one the file system knows.
   */
  type Entry = { path: string; raw: string | Buffer; key: string; kind: 'directory' | 'file' | 'link' };
  const stack: Entry[] = [{ path: request.top, raw: request.top, key: '', kind: 'directory' }];
  while (stack.length > 0) {
    const { path, raw, kind } = stack.pop() as Entry;
    if (kind !== 'directory') {
      // A symbolic link to a file is catalogued as the link (its own size and time, not its target's, which may lie
      // outside the monitored directory); links to directories are not followed, as they could loop.
      const link = kind === 'link';
      let stats: nodeFs.Stats;
      try {
        stats = fs.lstatSync(raw);
        if (link && !fs.statSync(raw).isFile()) continue;
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        // Gone between listing and stat (deleted, or a link to nothing): not a file to catalogue.
        if (e.code !== 'ENOENT') emit({ type: 'failure', path, kind: 'file', code: e.code, message: e.message });
        continue;
      }
      if (!link && !stats.isFile()) continue;
      if (stats.mtimeMs > newest) newest = stats.mtimeMs;
      const slot = batchPaths.length;
      batchPaths.push(path);
      batchSizes[slot] = stats.size;
      batchMtimes[slot] = stats.mtimeMs;
      batchLinks[slot] = link ? 1 : 0;
      if (batchPaths.length >= request.batchSize) emitBatch();
      continue;
    }
    const dir = path;
    const rawDir = raw;
    if (request.statDirectories && dir !== request.top) {
      try {
        const mtime = fs.lstatSync(rawDir).mtimeMs;
        if (mtime > newest) newest = mtime;
      } catch {
        // Gone already; its readdir reports it.
      }
    }
    let entries: nodeFs.Dirent<string | Buffer>[];
    try {
      entries = fs.readdirSync(rawDir, { withFileTypes: true });
      let undecodable = false;
      for (const entry of entries) if ((entry.name as string).includes('\uFFFD')) undecodable = true;
      if (undecodable) entries = fs.readdirSync(rawDir, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      emit({ type: 'failure', path: dir, kind: 'directory', code: e.code, message: e.message });
      continue;
    }
    emit({ type: 'directory', path: dir });
    let relativeDir = dir.startsWith(rootPrefix) ? dir.slice(rootPrefix.length) : '';
    if (separator !== '/') relativeDir = relativeDir.split(separator).join('/');
    const dirPrefix = dir.endsWith(separator) ? dir : dir + separator;
    // Only paths under a name that is not UTF-8 need bytes; everything else is the faithful path itself.
    const rawPrefix = typeof rawDir === 'string' ? undefined : Buffer.concat([rawDir, separatorBytes]);
    let validNames: Set<string> | undefined;
    const children: Entry[] = [];
    let astral = false;
    for (const entry of entries) {
      let name = entry.name as string;
      let rawChild: string | Buffer | undefined;
      if (typeof entry.name !== 'string') {
        const bytes = entry.name;
        name = bytes.toString('utf8');
        if (name.includes('\uFFFD') && !Buffer.from(name).equals(bytes)) {
          name = faithfulName(bytes);
          rawChild = Buffer.concat([rawPrefix ?? Buffer.from(dirPrefix), bytes]);
          if (validNames === undefined) {
            validNames = new Set();
            for (const other of entries) {
              const text = (other.name as Buffer).toString('utf8');
              if (Buffer.from(text).equals(other.name as Buffer)) validNames.add(text);
            }
          }
          if (validNames.has(name)) {
            const message = `The name of ${dirPrefix + name} is not valid UTF-8, and its faithful form (invalid bytes as %XX) is the name of another entry in ${dir}`;
            emit({ type: 'failure', path: dirPrefix + name, kind: 'file', code: 'EEXIST', message });
            continue;
          }
        }
      }
      const child = dirPrefix + name;
      rawChild ??= rawPrefix === undefined ? child : Buffer.concat([rawPrefix, Buffer.from(name)]);
      if (filtering) {
        const relative = relativeDir === '' ? name : `${relativeDir}/${name}`;
        let excluded = false;
        for (const re of names) if (re.test(name)) excluded = true;
        for (const re of paths) if (re.test(relative)) excluded = true;
        if (excluded) continue;
      }
      const childKind = entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : entry.isSymbolicLink() ? 'link' : undefined;
      if (childKind === undefined) continue;
      if (surrogate.test(name)) astral = true;
      const key = childKind === 'directory' ? name + separator : name;
      children.push({ path: child, raw: rawChild, key, kind: childKind });
    }
    children.sort(astral ? byCodePoint : byCodeUnit);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Entry);
  }
  if (batchPaths.length > 0) emitBatch();
  emit({ type: 'done', newestMtimeMs: newest });
}

// `__name` is the helper a transpiler that keeps function names may have put into walk's text. Directories entered
// go to the caller together, ahead of the next batch, failure or end: a message of their own for each cost the walk's
// thread more than a batch of files does (each message has a fixed cost), and there are 3 directories to a batch
// in a tree of 330 files per directory. A walk in this thread (a test's file system) keeps its message per directory:
// those messages are where it stops on an abort.
const WORKER_SOURCE = `
const __name = (target) => target;
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const walk = ${walk.toString()};
parentPort.on('message', ({ request }) => {
  let directories = [];
  walk(request, fs, (message) => {
    if (message.type === 'directory') {
      directories.push(message.path);
      return;
    }
    if (directories.length > 0) {
      parentPort.postMessage({ type: 'directories', paths: directories });
      directories = [];
    }
    parentPort.postMessage(message);
  });
});
`;

const scanPool = new WorkerPool<WalkRequest, WalkMessage>(WORKER_SOURCE);

export function scanTree(top: string, options: ScanOptions): Promise<TreeScan> {
  const request: WalkRequest = {
    top,
    root: options.root ?? top,
    sep,
    namePatterns: options.exclude.namePatterns.map((re) => re.source),
    pathPatterns: options.exclude.pathPatterns.map((re) => re.source),
    statDirectories: options.statDirectories ?? false,
    batchSize: options.batchSize ?? FILES_PER_BATCH,
  };
  const result: TreeScan = { files: [], fileCount: 0, directories: [], failures: [], newestMtimeMs: 0 };
  const { onFiles } = options;
  const receive = (message: WalkMessage): void => {
    switch (message.type) {
      case 'files': {
        const { sizes, mtimes, links } = message;
        const files: ScannedFile[] = message.paths.split('\0').map((path, i) => ({
          path,
          name: path.slice(path.lastIndexOf(sep) + 1),
          size: sizes[i] as number,
          mtimeMs: mtimes[i] as number,
          isSymLink: links[i] === 1,
        }));
        result.fileCount += files.length;
        if (onFiles === undefined) for (const file of files) result.files.push(file);
        else onFiles(files);
        break;
      }
      case 'directory':
        result.directories.push(message.path);
        break;
      case 'directories':
        for (const path of message.paths) result.directories.push(path);
        break;
      case 'failure':
        result.failures.push({
          path: message.path,
          kind: message.kind,
          error: Object.assign(new Error(message.message), { code: message.code }),
        });
        break;
      case 'done':
        result.newestMtimeMs = message.newestMtimeMs;
        break;
    }
  };
  const { signal } = options;
  if (signal.aborted) return Promise.reject(signal.reason);

  if (options.fileSystem !== undefined) {
    const fileSystem = options.fileSystem;
    return new Promise((resolve, reject) => {
      try {
        // In this thread nothing can terminate the walk, so it stops at the next directory or batch instead.
        walk(request, fileSystem, (message) => {
          signal.throwIfAborted();
          receive(message);
        });
      } catch (error) {
        reject(error);
        return;
      }
      if (signal.aborted) reject(signal.reason);
      else resolve(result);
    });
  }

  return scanPool.run({ request, receive, isLast: (message) => message.type === 'done', signal }).then(() => result);
}
