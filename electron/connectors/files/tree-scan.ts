// Walks a directory tree. The walk runs on a pooled worker thread with synchronous readdir/lstat: under CPU
// contention that is several times faster than one libuv thread-pool round trip per file (measured with the
// files-catalogue benchmark), it never blocks the daemon's event loop, and a walk stuck on a dead network mount is
// stopped by terminating its worker. Files come back in batches while the walk goes on, so the caller's work
// (fingerprints, metadata upserts) overlaps it.
import type * as nodeFs from 'node:fs';
import { sep } from 'node:path';
import type { NameFilter } from './basic-files.js';
import { WorkerPool } from './worker-pool.js';

/** The synchronous file system calls the walk makes; tests wrap the real ones to inject faults root never sees. */
export interface ScanFileSystem {
  readdirSync(path: string, options: { withFileTypes: true }): nodeFs.Dirent[];
  lstatSync(path: string): nodeFs.Stats;
  statSync(path: string): nodeFs.Stats;
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
  files: ScannedFile[];
  /** Every directory entered, the top one included. */
  directories: string[];
  /** Directory failures make the scan partial: files under them are unknown, so nothing may be archived. */
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
  /** Receives the files found so far, about `batchSize` at a time, while the walk goes on. Also in `files`. */
  onFiles?: (files: ScannedFile[]) => void;
  batchSize?: number;
}

export function isPartial(scan: TreeScan): boolean {
  return scan.failures.some((f) => f.kind === 'directory');
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
  | { type: 'files'; paths: string[]; names: string[]; sizes: number[]; mtimes: number[]; links: boolean[] }
  | { type: 'directory'; path: string }
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
  let batch: { paths: string[]; names: string[]; sizes: number[]; mtimes: number[]; links: boolean[] } = {
    paths: [],
    names: [],
    sizes: [],
    mtimes: [],
    links: [],
  };
  if (request.statDirectories) {
    try {
      newest = fs.lstatSync(request.top).mtimeMs;
    } catch {
      // Reported by the readdir below.
    }
  }
  const stack = [request.top];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    let entries: nodeFs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      emit({ type: 'failure', path: dir, kind: 'directory', code: e.code, message: e.message });
      continue;
    }
    emit({ type: 'directory', path: dir });
    let relativeDir = dir.startsWith(rootPrefix) ? dir.slice(rootPrefix.length) : '';
    if (separator !== '/') relativeDir = relativeDir.split(separator).join('/');
    const dirPrefix = dir.endsWith(separator) ? dir : dir + separator;
    for (const entry of entries) {
      const child = dirPrefix + entry.name;
      if (filtering) {
        const relative = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
        let excluded = false;
        for (const re of names) if (re.test(entry.name)) excluded = true;
        for (const re of paths) if (re.test(relative)) excluded = true;
        if (excluded) continue;
      }
      if (entry.isDirectory()) {
        stack.push(child);
        if (request.statDirectories) {
          try {
            const mtime = fs.lstatSync(child).mtimeMs;
            if (mtime > newest) newest = mtime;
          } catch {
            // Gone already; its readdir reports it.
          }
        }
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        // A symbolic link to a file is catalogued as the link (its own size and time, not its target's, which may lie
        // outside the monitored directory); links to directories are not followed, as they could loop.
        const link = entry.isSymbolicLink();
        let stats: nodeFs.Stats;
        try {
          stats = fs.lstatSync(child);
          if (link && !fs.statSync(child).isFile()) continue;
        } catch (error) {
          const e = error as NodeJS.ErrnoException;
          // Gone between listing and stat (deleted, or a link to nothing): not a file to catalogue.
          if (e.code !== 'ENOENT') emit({ type: 'failure', path: child, kind: 'file', code: e.code, message: e.message });
          continue;
        }
        if (!link && !stats.isFile()) continue;
        if (stats.mtimeMs > newest) newest = stats.mtimeMs;
        batch.paths.push(child);
        batch.names.push(entry.name);
        batch.sizes.push(stats.size);
        batch.mtimes.push(stats.mtimeMs);
        batch.links.push(link);
        if (batch.paths.length >= request.batchSize) {
          emit({ type: 'files', ...batch });
          batch = { paths: [], names: [], sizes: [], mtimes: [], links: [] };
        }
      }
    }
  }
  if (batch.paths.length > 0) emit({ type: 'files', ...batch });
  emit({ type: 'done', newestMtimeMs: newest });
}

// `__name` is the helper a transpiler that keeps function names may have put into walk's text.
const WORKER_SOURCE = `
const __name = (target) => target;
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const walk = ${walk.toString()};
parentPort.on('message', ({ request }) => walk(request, fs, (message) => parentPort.postMessage(message)));
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
    batchSize: options.batchSize ?? 1000,
  };
  const result: TreeScan = { files: [], directories: [], failures: [], newestMtimeMs: 0 };
  const receive = (message: WalkMessage): void => {
    switch (message.type) {
      case 'files': {
        const files: ScannedFile[] = message.paths.map((path, i) => ({
          path,
          name: message.names[i] as string,
          size: message.sizes[i] as number,
          mtimeMs: message.mtimes[i] as number,
          isSymLink: message.links[i] as boolean,
        }));
        for (const file of files) result.files.push(file);
        options.onFiles?.(files);
        break;
      }
      case 'directory':
        result.directories.push(message.path);
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
        walk(request, fileSystem, receive);
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
