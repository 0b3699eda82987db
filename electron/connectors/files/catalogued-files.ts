// What a data files monitor instance last stored for each file, so a refresh can tell an unchanged file from its
// stat alone. Held packed (one slot number per file, the stats in typed arrays) rather than as one object per file:
// at 1,000,000 files the objects cost about 50 MB and much of the refresh's garbage collection time.
//
// The scan reports files in the order of their qualified names (tree-scan.ts), so slots are first kept as a sorted
// list and found by following the refresh along it, with no hash table: at 1,000,000 files putting every name into a
// Map took 1.3 s of a first refresh's event loop, about a tenth of it. A name that arrives out of order (one above
// U+FFFF, whose code point order differs from JavaScript's, or a file changed between refreshes) turns the list into
// a Map from then on.
import type { ScannedFile } from './tree-scan.js';

type FileStats = Pick<ScannedFile, 'size' | 'mtimeMs' | 'isSymLink'>;

/**
 * Room for this many files before the arrays first double. Kept small: a daemon of 10,000 connectors on small folders
 * holds 10,000 of these, and 1,024 slots each (17 KB) added about 170 MB to its resident memory.
 */
const INITIAL_SLOTS = 16;

/** The value in `kinds` of a slot whose file was deleted; 0 and 1 say whether a stored file is a symbolic link. */
const DELETED = 2;

/**
 * A sorted list drops its deleted files' slots once they are this many and at least half of it: a folder whose files
 * come and go under new names (dated logs, exports) would otherwise keep every name it ever held for as long as the
 * daemon runs.
 */
const COMPACT_AFTER_DELETED = 1024;

export class CataloguedFiles {
  /** Each slot's qualified name; in ascending order (JavaScript's) while `index` is undefined. */
  private readonly names: string[] = [];
  /** Built once a name arrives out of order; from then on slots are found through it. */
  private index: Map<string, number> | undefined;
  private readonly inOrder = new InOrderFinder();
  /** Slots of deleted files, reused before the arrays grow (once there is an index; before, a slot keeps its name). */
  private readonly freeSlots: number[] = [];
  private sizes = new Float64Array(INITIAL_SLOTS);
  private mtimes = new Float64Array(INITIAL_SLOTS);
  private kinds = new Uint8Array(INITIAL_SLOTS);
  /** The metadata server's fingerprint once a listing has shown it; undefined right after this instance stored it. */
  private readonly fingerprints: (string | undefined)[] = [];
  /** Deleted slots still in the sorted list. */
  private deletedInList = 0;

  /** Names held: stored files, and deleted ones the sorted list has not yet dropped. */
  get heldNames(): number {
    return this.index === undefined ? this.names.length : this.index.size;
  }

  set(qualifiedName: string, file: FileStats, fingerprint: string | undefined): void {
    let slot: number | undefined;
    const last = this.names.length - 1;
    if (this.index === undefined && (last < 0 || qualifiedName > (this.names[last] as string))) {
      // After every name held, so not held: the list stays sorted.
      slot = this.newSlot();
      this.names.push(qualifiedName);
    } else {
      slot = this.find(qualifiedName);
      if (slot !== undefined && this.index === undefined && this.kinds[slot] === DELETED) this.deletedInList--;
      if (slot === undefined) {
        const index = this.indexed();
        slot = this.freeSlots.pop() ?? this.newSlot();
        this.names[slot] = qualifiedName;
        index.set(qualifiedName, slot);
      }
    }
    this.sizes[slot] = file.size;
    this.mtimes[slot] = file.mtimeMs;
    this.kinds[slot] = file.isSymLink ? 1 : 0;
    this.fingerprints[slot] = fingerprint;
  }

  /**
   * Whether the file's size, time and link-ness are what was stored, and its element still has the fingerprint the
   * metadata server showed last time (`stored`); if so, `stored` is remembered as that fingerprint.
   */
  unchanged(qualifiedName: string, file: FileStats, stored: string): boolean {
    const slot = this.find(qualifiedName);
    if (
      slot === undefined ||
      this.sizes[slot] !== file.size ||
      this.mtimes[slot] !== file.mtimeMs ||
      this.kinds[slot] !== (file.isSymLink ? 1 : 0)
    ) {
      return false;
    }
    const fingerprint = this.fingerprints[slot];
    if (fingerprint !== undefined && fingerprint !== stored) return false;
    this.fingerprints[slot] = stored;
    return true;
  }

  delete(qualifiedName: string): void {
    const slot = this.find(qualifiedName);
    if (slot === undefined || this.kinds[slot] === DELETED) return;
    this.kinds[slot] = DELETED;
    this.fingerprints[slot] = undefined;
    if (this.index !== undefined) {
      this.index.delete(qualifiedName);
      this.freeSlots.push(slot);
    } else if (++this.deletedInList >= COMPACT_AFTER_DELETED && this.deletedInList * 2 >= this.names.length) {
      this.compact();
    }
  }

  /** Moves the sorted list's live slots down over its deleted ones; the order stays. */
  private compact(): void {
    let kept = 0;
    for (let slot = 0; slot < this.names.length; slot++) {
      if (this.kinds[slot] === DELETED) continue;
      this.names[kept] = this.names[slot] as string;
      this.sizes[kept] = this.sizes[slot] as number;
      this.mtimes[kept] = this.mtimes[slot] as number;
      this.kinds[kept] = this.kinds[slot] as number;
      this.fingerprints[kept] = this.fingerprints[slot];
      kept++;
    }
    this.names.length = kept;
    this.fingerprints.length = kept;
    this.deletedInList = 0;
    this.inOrder.restart();
  }

  /** The slot holding `qualifiedName` (a deleted file's too while the list is sorted: it keeps its place). */
  private find(qualifiedName: string): number | undefined {
    if (this.index !== undefined) return this.index.get(qualifiedName);
    return this.inOrder.find(this.names, qualifiedName);
  }

  private indexed(): Map<string, number> {
    if (this.index !== undefined) return this.index;
    this.deletedInList = 0;
    const index = new Map<string, number>();
    this.names.forEach((name, slot) => {
      if (this.kinds[slot] === DELETED) this.freeSlots.push(slot);
      else index.set(name, slot);
    });
    this.index = index;
    return index;
  }

  private newSlot(): number {
    const slot = this.names.length;
    if (slot === this.sizes.length) {
      const capacity = slot * 2;
      this.sizes = grown(this.sizes, new Float64Array(capacity));
      this.mtimes = grown(this.mtimes, new Float64Array(capacity));
      this.kinds = grown(this.kinds, new Uint8Array(capacity));
    }
    return slot;
  }
}

function grown<T extends Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * Finds names in a sorted list for a caller that asks for them mostly in order, as a refresh does: each look-up is
 * tried first where the last one ended, and only then by halving.
 */
export class InOrderFinder {
  private cursor = 0;

  /** The place of `name` in `names` (ascending, no repeats), or undefined when it is not there. */
  find(names: readonly string[], name: string): number | undefined {
    const place = placeInSorted(names, name, this.cursor);
    this.cursor = place < 0 ? -place - 1 : place + 1;
    return place < 0 ? undefined : place;
  }

  /** The list's places changed: the next look-up starts from the beginning. */
  restart(): void {
    this.cursor = 0;
  }
}

/**
 * Where `name` is in `names` (ascending, no repeats), looked for first at `guess`: its position, or -(where it would
 * go) - 1 when it is not there.
 */
function placeInSorted(names: readonly string[], name: string, guess: number): number {
  if (names[guess] === name) return guess;
  let low = 0;
  let high = names.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((names[middle] as string) < name) low = middle + 1;
    else high = middle;
  }
  return names[low] === name ? low : -low - 1;
}
