// The binary array parameters, byte by byte; postgres.test.ts shows the server reading them back unchanged.
import { describe, expect, it } from 'vitest';
import { jsonbArray, textArray, uuidArray } from '../../../../electron/engine/metadata-server/postgres/binary.js';

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

  it('writes each uuid as its 16 bytes', () => {
    const buffer = uuidArray(['0190f6a2-1b2c-7d3e-8f40-123456789abc']);
    expect(header(buffer)).toEqual([1, 0, 2950, 1, 1]);
    expect(buffer.readInt32BE(20)).toBe(16);
    expect(buffer.toString('hex', 24)).toBe('0190f6a21b2c7d3e8f40123456789abc');
  });
});
