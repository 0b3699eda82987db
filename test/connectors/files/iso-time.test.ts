// isoTime: the same text as Date.prototype.toISOString for every time a file may have.
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../../electron/connectors/files/iso-time.js';

describe('isoTime', () => {
  it('writes what toISOString writes, fractions of a millisecond, day and year boundaries and far times included', () => {
    const times = [
      0,
      0.999,
      1,
      -1,
      -0.5,
      -86_400_000.25,
      1_765_068_000_000.37,
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1),
      Date.UTC(2024, 1, 29, 12, 0, 0, 5),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(10000, 0, 1),
      Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      -62_198_755_200_000,
    ];
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      times.push((seed / 2 ** 31) * 2 ** 41 + (i % 3) * 0.3);
      times.push(1_765_000_000_000 + i * 4_321.7);
    }
    for (const ms of times) expect(isoTime(ms), String(ms)).toBe(new Date(ms).toISOString());
  });
});
