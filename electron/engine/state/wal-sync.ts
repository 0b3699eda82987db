// Syncing a SQLite file's WAL on the thread pool, for commits made with synchronous=NORMAL: in WAL mode such a commit
// appends its pages to the WAL without syncing it (the file is never damaged; a crash may only lose the newest
// commits), and one sync of the WAL afterwards makes every commit before it as durable as FULL would have, while the
// event loop goes on.
import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';

export class WalSync {
  /** The WAL file; undefined when it could not be opened (then nothing may be left to a later sync). */
  private file: number | undefined;
  /** A commit is not covered by a finished or running sync yet. */
  private unsynced = false;
  private syncing = false;
  private closed = false;
  private readonly waiting: { resolve(): void; reject(error: unknown): void }[] = [];

  constructor(
    walPath: string,
    private readonly failed: (error: unknown) => Error,
  ) {
    try {
      this.file = openSync(walPath, 'r+');
    } catch {
      this.file = undefined;
    }
  }

  /** Whether commits may be left to a later sync. */
  get available(): boolean {
    return this.file !== undefined;
  }

  /** A commit was just made with synchronous=NORMAL; resolves once it is on disk. */
  committed(): Promise<void> {
    this.unsynced = true;
    const synced = new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.syncLater();
    return synced;
  }

  /** Syncs here and now when a commit may not be on disk yet: before a read shows it, and before closing. */
  syncNow(): void {
    if (this.file === undefined || (!this.unsynced && !this.syncing)) return;
    try {
      fdatasyncSync(this.file);
    } catch (error) {
      throw this.failed(error);
    }
    this.unsynced = false;
    for (const w of this.waiting.splice(0)) w.resolve();
  }

  /** After syncNow and the database's close; a sync still running closes the file when it ends. */
  close(): void {
    this.closed = true;
    if (!this.syncing) this.closeFile();
  }

  /** One sync at a time on the thread pool; commits made while it runs get the next one. */
  private syncLater(): void {
    const file = this.file;
    if (this.syncing || !this.unsynced || file === undefined) return;
    this.syncing = true;
    this.unsynced = false;
    const waiting = this.waiting.splice(0);
    fdatasync(file, (error) => {
      this.syncing = false;
      for (const w of waiting) {
        if (error) w.reject(this.failed(error));
        else w.resolve();
      }
      if (this.closed) this.closeFile();
      else this.syncLater();
    });
  }

  private closeFile(): void {
    if (this.file === undefined) return;
    closeSync(this.file);
    this.file = undefined;
  }
}
