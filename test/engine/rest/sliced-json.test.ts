// The hello's JSON in pieces: joined, exactly JSON.stringify's text, whatever the value holds; written in slices
// with a turn of the loop between them, and abandoned when the client has gone.
import { describe, expect, it } from 'vitest';
import { jsonPieces, writeSliced } from '../../../electron/engine/rest/sliced-json.js';

const awkward = {
  text: 'line\nbreak "quoted" \u2028 é',
  omitted: undefined,
  method: () => 1,
  when: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
  list: [1, undefined, () => 2, null, { deep: { deeper: { deepest: [undefined, 'x'] } } }, [[[[]]]], {}],
  nested: { a: { b: { c: { d: { e: 'five levels' } } } } },
  custom: { toJSON: (key: string) => `custom ${key}` },
  '\u0000key': -0,
  number: 1e21,
  nan: Number.NaN,
};

describe('jsonPieces', () => {
  it('joins to exactly what JSON.stringify writes, at every depth', () => {
    for (const depth of [0, 1, 2, 3, 4, 8]) {
      expect([...jsonPieces(awkward, depth)].join('')).toBe(JSON.stringify(awkward));
    }
    for (const value of [null, 3, 'text', [], {}, [undefined], new Date(0)]) {
      expect([...jsonPieces(value)].join('')).toBe(JSON.stringify(value));
    }
  });

  it('hands a large list over one element at a time', () => {
    const status = { summaries: [{ reports: Array.from({ length: 1000 }, (_, i) => ({ connectorName: `c${i}`, n: i })) }] };
    const pieces = [...jsonPieces(status)];
    expect(pieces.length).toBeGreaterThan(2000);
    expect(pieces.join('')).toBe(JSON.stringify(status));
  });
});

describe('writeSliced', () => {
  /** A clock that moves one millisecond each time it is read: a slice ends after a set number of pieces. */
  function ticking(): () => number {
    let now = 0;
    return () => now++;
  }

  it('writes every piece, in order, in several slices with a yield between each', async () => {
    const written: string[] = [];
    let yields = 0;
    const pieces = Array.from({ length: 100 }, (_, i) => `${i},`);
    const longest = await writeSliced(pieces, (slice) => written.push(slice), {
      sliceMs: 10,
      now: ticking(),
      yieldToLoop: () => {
        yields++;
        return Promise.resolve();
      },
      wanted: () => true,
    });
    expect(written.join('')).toBe(pieces.join(''));
    expect(written.length).toBeGreaterThan(5);
    expect(yields).toBe(written.length - 1);
    expect(longest).toBeGreaterThanOrEqual(10);
  });

  it('stops once the rest is no longer wanted', async () => {
    const written: string[] = [];
    let wanted = true;
    const result = await writeSliced(
      Array.from({ length: 100 }, (_, i) => `${i},`),
      (slice) => {
        written.push(slice);
        wanted = false;
      },
      { sliceMs: 10, now: ticking(), yieldToLoop: () => Promise.resolve(), wanted: () => wanted },
    );
    expect(result).toBeUndefined();
    expect(written).toHaveLength(1);
  });

  it('takes longer slices after the loop was slow to come back, up to maxSliceMs', async () => {
    let now = 0;
    const slices: number[] = [];
    let waits = [40, 100, 0];
    await writeSliced(
      Array.from({ length: 200 }, (_, i) => `${i},`),
      (slice) => slices.push(slice.split(',').length - 1),
      {
        sliceMs: 10,
        maxSliceMs: 30,
        now: () => now++,
        yieldToLoop: () => {
          // The loop was busy elsewhere for this long before the next slice's turn.
          now += waits[0] ?? 0;
          waits = waits.slice(1);
          return Promise.resolve();
        },
        wanted: () => true,
      },
    );
    // One piece per millisecond: 10 before the first yield, 30 after the 40 ms and the 100 ms waits, 10 after none.
    expect(slices.slice(0, 4)).toEqual([10, 30, 30, 10]);
  });
});
