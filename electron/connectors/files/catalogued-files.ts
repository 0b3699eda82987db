// What a data files monitor instance last stored for each file, so a refresh can tell an unchanged file from its
// stat alone. Held packed (one slot number per file, the stats in typed arrays) rather than as one object per file:
// at 1,000,000 files the objects cost about 50 MB and much of the refresh's garbage collection time.
import type { ScannedFile } from './tree-scan.js';

type FileStats = Pick<ScannedFile, 'size' | 'mtimeMs' | 'isSymLink'>;

/**
 * Room for this many files before the arrays first double. Kept small: a daemon of 10,000 connectors on small folders
 * holds 10,000 of these, and 1,024 slots each (17 KB) added about 170 MB to its resident memory.
 */
const INITIAL_SLOTS = 16;

export class CataloguedFiles {
  private readonly slots = new Map<string, number>();
  /** Slots of deleted files, reused before the arrays grow. */
  private readonly freeSlots: number[] = [];
  private used = 0;
  private sizes = new Float64Array(INITIAL_SLOTS);
  private mtimes = new Float64Array(INITIAL_SLOTS);
  private symLinks = new Uint8Array(INITIAL_SLOTS);
  /** The metadata server's fingerprint once a listing has shown it; undefined right after this instance stored it. */
  private readonly fingerprints: (string | undefined)[] = [];

  set(qualifiedName: string, file: FileStats, fingerprint: string | undefined): void {
    let slot = this.slots.get(qualifiedName);
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.newSlot();
      this.slots.set(qualifiedName, slot);
    }
    this.sizes[slot] = file.size;
    this.mtimes[slot] = file.mtimeMs;
    this.symLinks[slot] = file.isSymLink ? 1 : 0;
    this.fingerprints[slot] = fingerprint;
  }

  /**
   * Whether the file's size, time and link-ness are what was stored, and its element still has the fingerprint the
   * metadata server showed last time (`stored`); if so, `stored` is remembered as that fingerprint.
   */
  unchanged(qualifiedName: string, file: FileStats, stored: string): boolean {
    const slot = this.slots.get(qualifiedName);
    if (
      slot === undefined ||
      this.sizes[slot] !== file.size ||
      this.mtimes[slot] !== file.mtimeMs ||
      this.symLinks[slot] !== (file.isSymLink ? 1 : 0)
    ) {
      return false;
    }
    const fingerprint = this.fingerprints[slot];
    if (fingerprint !== undefined && fingerprint !== stored) return false;
    this.fingerprints[slot] = stored;
    return true;
  }

  delete(qualifiedName: string): void {
    const slot = this.slots.get(qualifiedName);
    if (slot === undefined) return;
    this.slots.delete(qualifiedName);
    this.fingerprints[slot] = undefined;
    this.freeSlots.push(slot);
  }

  private newSlot(): number {
    if (this.used === this.sizes.length) {
      const capacity = this.used * 2;
      this.sizes = grown(this.sizes, new Float64Array(capacity));
      this.mtimes = grown(this.mtimes, new Float64Array(capacity));
      this.symLinks = grown(this.symLinks, new Uint8Array(capacity));
    }
    return this.used++;
  }
}

function grown<T extends Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
