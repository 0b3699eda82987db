// Change hints from the file system. On Linux, Node 20's `fs.watch(dir, {recursive: true})` is emulated in
// JavaScript with one inotify watch and one synchronous stat per *file* (100,000 watches and a blocked event loop
// for our benchmark tree), so there we watch each directory the scan found instead: a directory watch already
// reports creates, deletes, renames and writes of its children. Where recursion is native (macOS, Windows) one
// recursive watch covers the tree. Hints are only hints: every refresh still reconciles with a full scan.
import { watch, type FSWatcher } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { errorCode } from '../../connector-sdk/index.js';

const NATIVE_RECURSIVE = process.platform === 'darwin' || process.platform === 'win32';

export interface DirectoryWatcherOptions {
  top: string;
  /** Time from the first change to the call of `onChanges`, so a burst of writes becomes one batch. */
  debounceMs: number;
  /** Absolute paths that changed (files or directories, existing or not). */
  onChanges(paths: ReadonlySet<string>): void;
  /** Watching stopped working (for example the inotify watch limit); changes are then seen at refresh only. */
  onError(error: unknown): void;
}

export class DirectoryWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private failed = false;

  constructor(private readonly options: DirectoryWatcherOptions) {}

  get watchedDirectories(): number {
    return this.watchers.size;
  }

  /** Watches exactly these directories (the ones the last full scan entered). */
  sync(directories: Iterable<string>): void {
    if (NATIVE_RECURSIVE) {
      this.watchDirectory(this.options.top, true);
      return;
    }
    const wanted = new Set(directories);
    for (const [dir, watcher] of this.watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of wanted) this.watchDirectory(dir, false);
  }

  /** Adds directories found by an incremental reconcile; returns how many were not watched before. */
  add(directories: Iterable<string>): number {
    if (NATIVE_RECURSIVE) return 0;
    let added = 0;
    for (const dir of directories) {
      if (this.watchers.has(dir)) continue;
      this.watchDirectory(dir, false);
      if (this.watchers.has(dir)) added++;
    }
    return added;
  }

  /** Stops watching a directory that is gone and everything below it. */
  removeUnder(directory: string): void {
    if (NATIVE_RECURSIVE) return;
    const prefix = directory + sep;
    for (const [dir, watcher] of this.watchers) {
      if (dir === directory || dir.startsWith(prefix)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    this.pending.clear();
  }

  private watchDirectory(dir: string, recursive: boolean): void {
    if (this.closed || this.failed || this.watchers.has(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { recursive, persistent: false, encoding: 'buffer' }, (_event, filename) => {
        if (filename === null) {
          this.note(dir);
          return;
        }
        const name = filename.toString('utf8');
        // A name that is not valid UTF-8 has no path of its own here: the scan of its directory gives it its
        // faithful name (tree-scan.ts).
        const valid = !name.includes('\uFFFD') || Buffer.from(name).equals(filename);
        this.note(valid ? join(dir, name) : dirname(join(dir, name)));
      });
    } catch (error) {
      // Removed since the scan saw it: the change is reported by its parent's watch.
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return;
      this.failed = true;
      this.options.onError(error);
      return;
    }
    watcher.on('error', () => {
      // The directory itself went away; its parent reports that, and the next scan settles it.
      watcher.close();
      this.watchers.delete(dir);
      this.note(dir);
    });
    this.watchers.set(dir, watcher);
  }

  private note(path: string): void {
    if (this.closed) return;
    this.pending.add(path);
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const batch = this.pending;
      this.pending = new Set();
      if (!this.closed && batch.size > 0) this.options.onChanges(batch);
    }, this.options.debounceMs);
  }
}
