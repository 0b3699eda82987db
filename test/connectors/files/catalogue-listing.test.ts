// CatalogueListing: what the metadata server listed, taken as the scan finds each file; the rest is gone.
import { describe, expect, it } from 'vitest';
import { CatalogueListing } from '../../../electron/connectors/files/catalogue-listing.js';

const listed = (names: string[]) => names.map((qualifiedName) => ({ qualifiedName, fingerprint: `fp ${qualifiedName}` }));

describe('CatalogueListing', () => {
  it('gives each listed fingerprint once, in or out of order, and leaves what was not taken', () => {
    const names = Array.from({ length: 50 }, (_, i) => `DataFile::/d/${String(i).padStart(2, '0')}`);
    const listing = new CatalogueListing(listed(names));
    expect(listing.size).toBe(50);
    for (const i of [0, 1, 2, 40, 3, 49, 10]) expect(listing.take(names[i] as string)).toBe(`fp ${names[i]}`);
    expect(listing.take(names[40] as string)).toBeUndefined();
    expect(listing.take('DataFile::/d/025.csv')).toBeUndefined();
    expect(listing.take('DataFile::/a')).toBeUndefined();
    expect(listing.take('DataFile::/z')).toBeUndefined();
    expect(listing.take(names[11] as string)).toBe(`fp ${names[11]}`);
    const taken = new Set([0, 1, 2, 40, 3, 49, 10, 11].map((i) => names[i]));
    expect(listing.rest()).toEqual(names.filter((name) => !taken.has(name)));
  });

  it('works from a listing in SQLite order, which is not JavaScript order above U+FFFF', () => {
    // SQLite (UTF-8 bytes) puts U+FF21 before U+1F600; JavaScript (UTF-16) puts it after.
    const names = ['DataFile::/a', 'DataFile::/\uFF21', 'DataFile::/\u{1F600}'];
    const listing = new CatalogueListing(listed(names));
    expect(listing.take('DataFile::/\u{1F600}')).toBe('fp DataFile::/\u{1F600}');
    expect(listing.take('DataFile::/\uFF21')).toBe('fp DataFile::/\uFF21');
    expect(listing.take('DataFile::/b')).toBeUndefined();
    expect(listing.rest()).toEqual(['DataFile::/a']);
  });

  it('is empty when nothing is listed', () => {
    const listing = new CatalogueListing([]);
    expect(listing.size).toBe(0);
    expect(listing.take('DataFile::/a')).toBeUndefined();
    expect(listing.rest()).toEqual([]);
  });
});
