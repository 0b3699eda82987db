// What the metadata server listed as catalogued when a refresh began, taken file by file as the scan finds them:
// what is left at the end is gone. The listing comes sorted by qualified name and the scan reports files in the same
// order (tree-scan.ts), so a refresh follows it along with no hash table; a listing that is not in JavaScript's
// order (names above U+FFFF sort differently) is looked up through a Map instead.
import { InOrderFinder } from './catalogued-files.js';

export class CatalogueListing {
  private readonly names: string[];
  private readonly fingerprints: string[];
  private readonly taken: Uint8Array;
  private readonly index: Map<string, number> | undefined;
  private readonly inOrder = new InOrderFinder();

  constructor(summaries: readonly { qualifiedName: string; fingerprint: string }[]) {
    this.names = summaries.map((summary) => summary.qualifiedName);
    this.fingerprints = summaries.map((summary) => summary.fingerprint);
    this.taken = new Uint8Array(summaries.length);
    let sorted = true;
    for (let i = 1; i < this.names.length && sorted; i++) sorted = (this.names[i - 1] as string) < (this.names[i] as string);
    if (!sorted) this.index = new Map(this.names.map((name, i) => [name, i]));
  }

  get size(): number {
    return this.names.length;
  }

  /** The fingerprint listed for `qualifiedName`, which is then no longer among the rest; undefined if not listed. */
  take(qualifiedName: string): string | undefined {
    const place = this.index === undefined ? this.inOrder.find(this.names, qualifiedName) : this.index.get(qualifiedName);
    if (place === undefined || this.taken[place] === 1) return undefined;
    this.taken[place] = 1;
    return this.fingerprints[place];
  }

  /** The names listed and not taken. */
  rest(): string[] {
    return this.names.filter((_, i) => this.taken[i] === 0);
  }
}
