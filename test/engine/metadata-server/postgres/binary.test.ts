// The binary array parameters, byte by byte; postgres.test.ts shows the server reading them back unchanged.
import { describe, expect, it } from 'vitest';
import { jsonbArray, newGuidArray, textArray } from '../../../../electron/engine/metadata-server/postgres/binary.js';

function header(buffer: Buffer): number[] {
  return [0, 4, 8, 12, 16].map((offset) => buffer.readInt32BE(offset));
}

describe('binary array parameters', () => {
  it('writes a one-dimensional text[] with each element as its UTF-8 byte length and bytes', () => {
    const buffer = textArray(['a"b', 'é😀', '']);
    expect(header(buffer)).toEqual([1, 0, 25, 3, 1]);
    expect(buffer.readInt32BE(20)).toBe(3);
    expect(buffer.toString('utf8', 24, 27)).toBe('a"b');
    expect(buffer.readInt32BE(27)).toBe(6);
    expect(buffer.toString('utf8', 31, 37)).toBe('é😀');
    expect(buffer.readInt32BE(37)).toBe(0);
    expect(buffer.length).toBe(41);
  });

  it('leads each jsonb element with the format version', () => {
    const buffer = jsonbArray(['{"a":1}']);
    expect(header(buffer)).toEqual([1, 0, 3802, 1, 1]);
    expect(buffer.readInt32BE(20)).toBe(8);
    expect(buffer[24]).toBe(1);
    expect(buffer.toString('utf8', 25)).toBe('{"a":1}');
  });

  it('writes new guids as 16 bytes each: UUID version 7 led by the time, random apart from version and variant', () => {
    const now = Date.UTC(2026, 11, 7, 1, 15);
    const buffer = newGuidArray(3, now);
    expect(header(buffer)).toEqual([1, 0, 2950, 3, 1]);
    expect(buffer.length).toBe(20 + 3 * 20);
    const guids = [0, 1, 2].map((i) => {
      expect(buffer.readInt32BE(20 + i * 20)).toBe(16);
      return buffer.toString('hex', 24 + i * 20, 40 + i * 20);
    });
    for (const guid of guids) {
      expect(guid).toMatch(/^[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
      expect(guid.slice(0, 12)).toBe(now.toString(16).padStart(12, '0'));
    }
    expect(new Set(guids.map((g) => g.slice(13))).size).toBe(3);
  });
});
