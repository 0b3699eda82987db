// CataloguedFiles: the packed record of what a data files monitor stored, which decides when a file is unchanged.
import { describe, expect, it } from 'vitest';
import { CataloguedFiles } from '../../../electron/connectors/files/catalogued-files.js';

const file = { size: 10, mtimeMs: 1_700_000_000_123.456, isSymLink: false };

describe('CataloguedFiles', () => {
  it('finds a file unchanged only when its size, time and link-ness all match', () => {
    const catalogued = new CataloguedFiles();
    catalogued.set('DataFile::/a', file, undefined);
    expect(catalogued.unchanged('DataFile::/a', file, 'fp')).toBe(true);
    expect(catalogued.unchanged('DataFile::/a', { ...file, size: 11 }, 'fp')).toBe(false);
    expect(catalogued.unchanged('DataFile::/a', { ...file, mtimeMs: file.mtimeMs + 0.001 }, 'fp')).toBe(false);
    expect(catalogued.unchanged('DataFile::/a', { ...file, isSymLink: true }, 'fp')).toBe(false);
    expect(catalogued.unchanged('DataFile::/b', file, 'fp')).toBe(false);
  });

  it('remembers the first fingerprint it is shown and refuses a different one after', () => {
    const catalogued = new CataloguedFiles();
    catalogued.set('DataFile::/a', file, undefined);
    expect(catalogued.unchanged('DataFile::/a', file, 'first')).toBe(true);
    expect(catalogued.unchanged('DataFile::/a', file, 'first')).toBe(true);
    expect(catalogued.unchanged('DataFile::/a', file, 'changed behind our back')).toBe(false);
    catalogued.set('DataFile::/a', file, 'stored');
    expect(catalogued.unchanged('DataFile::/a', file, 'stored')).toBe(true);
  });

  it('forgets deleted files and reuses their slots without mixing them up', () => {
    const catalogued = new CataloguedFiles();
    catalogued.set('DataFile::/a', file, 'fp-a');
    catalogued.delete('DataFile::/a');
    catalogued.delete('DataFile::/never stored');
    expect(catalogued.unchanged('DataFile::/a', file, 'fp-a')).toBe(false);
    catalogued.set('DataFile::/b', { size: 20, mtimeMs: 5, isSymLink: true }, undefined);
    expect(catalogued.unchanged('DataFile::/b', { size: 20, mtimeMs: 5, isSymLink: true }, 'fp-b')).toBe(true);
    expect(catalogued.unchanged('DataFile::/a', { size: 20, mtimeMs: 5, isSymLink: true }, 'fp-b')).toBe(false);
  });

  it('keeps every file apart as it grows past its first arrays', () => {
    const catalogued = new CataloguedFiles();
    const count = 5000;
    for (let i = 0; i < count; i++) catalogued.set(`DataFile::/${i}`, { size: i, mtimeMs: i * 1.5, isSymLink: i % 2 === 0 }, `fp-${i}`);
    for (let i = 0; i < count; i++) {
      expect(catalogued.unchanged(`DataFile::/${i}`, { size: i, mtimeMs: i * 1.5, isSymLink: i % 2 === 0 }, `fp-${i}`)).toBe(true);
    }
    expect(catalogued.unchanged('DataFile::/4999', { size: 4998, mtimeMs: 4999 * 1.5, isSymLink: false }, 'fp-4999')).toBe(false);
  });

  it('finds files stored in name order whichever order they are asked for, deleted ones gone until stored again', () => {
    const catalogued = new CataloguedFiles();
    const names = Array.from({ length: 100 }, (_, i) => `DataFile::/d/${String(i).padStart(3, '0')}`);
    names.forEach((name, i) => catalogued.set(name, { ...file, size: i }, undefined));
    for (const i of [50, 0, 99, 51, 51, 7]) expect(catalogued.unchanged(names[i] as string, { ...file, size: i }, 'fp')).toBe(true);
    expect(catalogued.unchanged('DataFile::/d/050.5', file, 'fp')).toBe(false);
    expect(catalogued.unchanged('DataFile::/d/', file, 'fp')).toBe(false);
    expect(catalogued.unchanged('DataFile::/e', file, 'fp')).toBe(false);
    catalogued.delete(names[10] as string);
    catalogued.delete(names[99] as string);
    expect(catalogued.unchanged(names[10] as string, { ...file, size: 10 }, 'fp')).toBe(false);
    expect(catalogued.unchanged(names[99] as string, { ...file, size: 99 }, 'fp')).toBe(false);
    catalogued.set(names[99] as string, { ...file, size: 99 }, undefined);
    expect(catalogued.unchanged(names[99] as string, { ...file, size: 99 }, 'fp')).toBe(true);
    expect(catalogued.unchanged(names[11] as string, { ...file, size: 11 }, 'fp')).toBe(true);
  });

  it('keeps what it holds when a name arrives out of order, deleted files included', () => {
    const catalogued = new CataloguedFiles();
    catalogued.set('DataFile::/b', { ...file, size: 2 }, 'fp-b');
    catalogued.set('DataFile::/c', { ...file, size: 3 }, 'fp-c');
    catalogued.set('DataFile::/d', { ...file, size: 4 }, 'fp-d');
    catalogued.delete('DataFile::/c');
    catalogued.set('DataFile::/a', { ...file, size: 1 }, 'fp-a');
    expect(catalogued.unchanged('DataFile::/a', { ...file, size: 1 }, 'fp-a')).toBe(true);
    expect(catalogued.unchanged('DataFile::/b', { ...file, size: 2 }, 'fp-b')).toBe(true);
    expect(catalogued.unchanged('DataFile::/c', { ...file, size: 3 }, 'fp-c')).toBe(false);
    expect(catalogued.unchanged('DataFile::/d', { ...file, size: 4 }, 'fp-d')).toBe(true);
    // The deleted file's slot is reused, not mixed up with the file that takes it.
    catalogued.set('DataFile::/0', { ...file, size: 0 }, 'fp-0');
    expect(catalogued.unchanged('DataFile::/0', { ...file, size: 0 }, 'fp-0')).toBe(true);
    expect(catalogued.unchanged('DataFile::/c', { ...file, size: 0 }, 'fp-0')).toBe(false);
    catalogued.set('DataFile::/c', { ...file, size: 3 }, 'fp-c');
    expect(catalogued.unchanged('DataFile::/c', { ...file, size: 3 }, 'fp-c')).toBe(true);
    expect(catalogued.unchanged('DataFile::/0', { ...file, size: 0 }, 'fp-0')).toBe(true);
  });

  it('drops deleted files from its sorted list when files keep coming and going under new names', () => {
    const catalogued = new CataloguedFiles();
    const name = (n: number) => `DataFile::/logs/${String(n).padStart(8, '0')}.log`;
    catalogued.set('DataFile::/kept', { ...file, size: 1 }, 'fp-kept');
    // A dated log a minute, each gone after ten minutes, for a week: always named after everything held.
    for (let n = 0; n < 7 * 24 * 60; n++) {
      catalogued.set(name(n), { ...file, size: n }, `fp-${n}`);
      if (n >= 10) catalogued.delete(name(n - 10));
    }
    expect(catalogued.heldNames).toBeLessThan(3_000);
    expect(catalogued.unchanged('DataFile::/kept', { ...file, size: 1 }, 'fp-kept')).toBe(true);
    const last = 7 * 24 * 60 - 1;
    for (let n = last - 9; n <= last; n++) {
      expect(catalogued.unchanged(name(n), { ...file, size: n }, `fp-${n}`)).toBe(true);
    }
    expect(catalogued.unchanged(name(last - 10), { ...file, size: last - 10 }, `fp-${last - 10}`)).toBe(false);
    // A deleted name stored again is held again, and counts as live.
    catalogued.set(name(5), { ...file, size: 5 }, 'fp-5');
    expect(catalogued.unchanged(name(5), { ...file, size: 5 }, 'fp-5')).toBe(true);
  });
});
