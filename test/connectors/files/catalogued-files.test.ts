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
});
