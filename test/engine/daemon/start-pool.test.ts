// The start pool: at most `limit` connectors beginning at once, in the order asked, the first at once; a place is
// handed on when work settles or, for work that never does, after the hold time.
import { describe, expect, it } from 'vitest';
import { StartPool } from '../../../electron/engine/daemon/start-pool.js';

/** Work that settles when told to, noting when it began. */
function gate(began: number[], id: number): { work: () => Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const settled = new Promise<void>((resolve) => (open = resolve));
  return {
    work: () => {
      began.push(id);
      return settled;
    },
    open: () => open(),
  };
}

describe('StartPool', () => {
  it('begins at most `limit` at once, synchronously while places are free, the rest in order as places free', async () => {
    const pool = new StartPool(2, 60_000);
    const began: number[] = [];
    const gates = [0, 1, 2, 3, 4].map((id) => gate(began, id));
    const begun = gates.map((g) => pool.begin(g.work));
    expect(began).toEqual([0, 1]);
    gates[1]?.open();
    await begun[2];
    expect(began).toEqual([0, 1, 2]);
    gates[0]?.open();
    gates[2]?.open();
    await Promise.all(begun);
    expect(began).toEqual([0, 1, 2, 3, 4]);
  });

  it('hands on the place of work that does not settle once the hold time has passed', async () => {
    const pool = new StartPool(1, 20);
    const began: number[] = [];
    const stuck = gate(began, 0);
    void pool.begin(stuck.work);
    await pool.begin(gate(began, 1).work);
    expect(began).toEqual([0, 1]);
    stuck.open();
  });

  it('hands on the place of work that fails', async () => {
    const pool = new StartPool(1, 60_000);
    void pool.begin(() => Promise.reject(new Error('initialize failed')));
    let second = false;
    await pool.begin(() => {
      second = true;
      return Promise.resolve();
    });
    expect(second).toBe(true);
  });

  it('begins the connectors of places freed together over several turns when each takes the turn budget', async () => {
    const pool = new StartPool(3, 60_000);
    const turns: number[] = [];
    let turn = 0;
    const ticking = setInterval(() => turn++, 0);
    const first = [0, 1, 2].map((id) => gate([], id));
    for (const g of first) void pool.begin(g.work);
    const slow = (): Promise<void> => {
      turns.push(turn);
      // Longer than the pool's budget for one turn.
      const until = performance.now() + 10;
      while (performance.now() < until);
      return new Promise(() => undefined);
    };
    const rest = [0, 1, 2].map(() => pool.begin(slow));
    for (const g of first) g.open();
    await Promise.all(rest);
    clearInterval(ticking);
    expect(turns).toHaveLength(3);
    expect(new Set(turns).size).toBe(3);
  });

  it('with a busy share, holds a waiting connector while the loop is busy and another runs, and begins it once the loop is not', async () => {
    const pool = new StartPool(2, 60_000, 0.5);
    const began: number[] = [];
    const gates = [0, 1, 2].map((id) => gate(began, id));
    const begun = gates.map((g) => pool.begin(g.work));
    const busyFor = (ms: number): void => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    // A loop that has been busy all along: every turn works for 5 ms and never waits for anything.
    busyFor(30);
    gates[0]?.open();
    const busyUntil = performance.now() + 150;
    while (performance.now() < busyUntil) {
      busyFor(5);
      await new Promise((next) => setImmediate(next));
    }
    expect(began).toEqual([0, 1]);
    // Idle now: the held connector begins.
    await begun[2];
    expect(began).toEqual([0, 1, 2]);
    gates[1]?.open();
    gates[2]?.open();
  });

  it('with a busy share, still begins the next connector when none is running, however busy the loop', async () => {
    const pool = new StartPool(1, 60_000, 0.5);
    const began: number[] = [];
    const gates = [0, 1].map((id) => gate(began, id));
    const begun = gates.map((g) => pool.begin(g.work));
    const until = performance.now() + 30;
    while (performance.now() < until);
    gates[0]?.open();
    await new Promise((next) => setImmediate(next));
    await new Promise((next) => setImmediate(next));
    expect(began).toEqual([0, 1]);
    gates[1]?.open();
    await Promise.all(begun);
  });
});
