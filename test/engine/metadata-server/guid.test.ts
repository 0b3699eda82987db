// newGuid and stampGuid: UUID version 7, as text and as bytes, led by the time, random after it.
import { describe, expect, it } from 'vitest';
import { randomFillSync } from 'node:crypto';
import { newGuid, stampGuid } from '../../../electron/engine/metadata-server/guid.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newGuid', () => {
  it('writes UUID version 7 text with the time in milliseconds first', () => {
    const now = Date.UTC(2026, 11, 7, 1, 2, 3, 456);
    const guid = newGuid(now);
    expect(guid).toMatch(UUID_V7);
    expect(parseInt(guid.slice(0, 8) + guid.slice(9, 13), 16)).toBe(now);
  });

  it('never repeats, across many refills of its random bytes, and uses every variant digit', () => {
    const now = Date.now();
    const guids = Array.from({ length: 20_000 }, () => newGuid(now));
    expect(new Set(guids).size).toBe(guids.length);
    for (const guid of guids) expect(guid).toMatch(UUID_V7);
    expect(new Set(guids.map((guid) => guid[19]))).toEqual(new Set(['8', '9', 'a', 'b']));
  });

  it('stamps random bytes into the same guid as bytes: the time first, version 7, variant 10xx', () => {
    const now = Date.UTC(2026, 11, 7, 1, 2, 3, 456);
    for (let i = 0; i < 1_000; i++) {
      const bytes = randomFillSync(Buffer.alloc(18));
      stampGuid(bytes, 1, now);
      const hex = bytes.toString('hex', 1, 17);
      const guid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      expect(guid).toMatch(UUID_V7);
      expect(guid.slice(0, 14)).toBe(newGuid(now).slice(0, 14));
    }
  });
});
