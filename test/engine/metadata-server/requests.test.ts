import { describe, expect, it } from 'vitest';
import { prefixUpperBound } from '../../../electron/engine/metadata-server/requests.js';

describe('prefix range bound', () => {
  it('increments the last code point, skipping the surrogate block and carrying past U+10FFFF', () => {
    expect(prefixUpperBound('abc')).toBe('abd');
    expect(prefixUpperBound('a%')).toBe('a&');
    expect(prefixUpperBound('x\ud7ff')).toBe('x\ue000');
    expect(prefixUpperBound('😀')).toBe('😁');
    expect(prefixUpperBound('a\u{10ffff}')).toBe('b');
    expect(prefixUpperBound('\u{10ffff}\u{10ffff}')).toBeUndefined();
  });
});
