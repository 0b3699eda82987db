import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprintOfCanonical } from '../../../electron/engine/metadata-server/canonical.js';
import { InvalidMetadataRequestError } from '../../../electron/engine/metadata-server/types.js';
import { propertiesFingerprint } from '../../../electron/connector-sdk/index.js';

describe('canonical JSON of properties', () => {
  const samples: Record<string, unknown>[] = [
    {},
    { b: 1, a: 2 },
    { nested: { z: [3, { y: null, x: true }], a: 'é😀"\\\n' }, list: [1, undefined, 'x'], skip: undefined },
    { when: new Date(Date.UTC(2025, 5, 1, 12)), n: -0, big: 1e21, small: 5e-7 },
    { B: 1, a: 1, _: 1, '\uffee': 1, '😀': 1, '10': 1, '9': 1 },
  ];

  it('sorts keys at every depth and matches JSON.parse round trips', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: 3 } })).toBe('{"a":{"c":3,"d":[{"e":2,"f":1}]},"b":1}');
    for (const sample of samples) {
      expect(JSON.parse(canonicalJson(sample))).toEqual(JSON.parse(JSON.stringify(sample)));
    }
  });

  it('gives the fingerprint connectors compute with the SDK', () => {
    for (const sample of samples) {
      expect(fingerprintOfCanonical(canonicalJson(sample))).toBe(propertiesFingerprint(sample));
    }
  });

  it('names the path of a value it cannot store', () => {
    const cases: [unknown, RegExp][] = [
      [{ a: [1, { b: 10n }] }, /properties\.a\[1\]\.b is a bigint/],
      [{ a: Infinity }, /properties\.a is Infinity/],
      [{ f: () => 1 }, /properties\.f is a function/],
      [{ s: new Set([1]) }, /properties\.s is a Set, not a plain object/],
      [{ 'bad\u0000key': 1 }, /has a NUL character in its name/],
      [[1, 2], /properties must be a JSON object/],
      [null, /properties must be a JSON object/],
    ];
    for (const [value, message] of cases) {
      expect(() => canonicalJson(value)).toThrow(InvalidMetadataRequestError);
      expect(() => canonicalJson(value)).toThrow(message);
    }
  });

  it('takes the flat fast path only when it gives the same text as the member-by-member path', () => {
    expect(canonicalJson({ a: 'x', b: 2, c: true, d: null })).toBe('{"a":"x","b":2,"c":true,"d":null}');
    // Integer-like keys come first in JavaScript's own order, so key order must be checked, not assumed.
    expect(canonicalJson({ '9': 'nine', '10': 'ten', a: 1 })).toBe('{"10":"ten","9":"nine","a":1}');
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(canonicalJson({ a: 1, b: undefined, c: 3 })).toBe('{"a":1,"c":3}');
    expect(() => canonicalJson({ a: 'nul\u0000inside' })).toThrow(InvalidMetadataRequestError);
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/properties\.a is NaN/);
    expect(() => canonicalJson({ a: '\ud800' })).toThrow(InvalidMetadataRequestError);
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared, shared] })).toBe('{"a":{"x":1},"b":[{"x":1},{"x":1}]}');
  });
});
