// The one Emitter/Disposable pattern: subscriptions, disposal once, and listeners that throw.
import { describe, expect, it } from 'vitest';
import { Emitter, toDisposable } from '../../../shared/logic/disposable.js';

describe('Emitter', () => {
  it('hands each value to every listener in order until the listener is disposed', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    const a = emitter.event((v) => seen.push(`a${v}`));
    emitter.event((v) => seen.push(`b${v}`));
    emitter.fire(1);
    a.dispose();
    emitter.fire(2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
    expect(emitter.listenerCount).toBe(1);
  });

  it('counts the same function subscribed twice as two subscriptions', () => {
    const emitter = new Emitter<void>();
    let calls = 0;
    const listener = () => void calls++;
    const first = emitter.event(listener);
    emitter.event(listener);
    first.dispose();
    emitter.fire();
    expect(calls).toBe(1);
  });

  it('lets every listener run when one throws, then rethrows', () => {
    const emitter = new Emitter<string>();
    const seen: string[] = [];
    emitter.event(() => {
      throw new Error('first failed');
    });
    emitter.event((v) => seen.push(v));
    expect(() => emitter.fire('x')).toThrow('first failed');
    expect(seen).toEqual(['x']);
    emitter.event(() => {
      throw new Error('third failed');
    });
    expect(() => emitter.fire('y')).toThrow(AggregateError);
    expect(seen).toEqual(['x', 'y']);
  });

  it('drops every listener when disposed', () => {
    const emitter = new Emitter<number>();
    let calls = 0;
    emitter.event(() => void calls++);
    emitter.dispose();
    emitter.fire(1);
    expect(calls).toBe(0);
  });
});

describe('toDisposable', () => {
  it('releases once however often it is disposed', () => {
    let released = 0;
    const d = toDisposable(() => void released++);
    d.dispose();
    d.dispose();
    expect(released).toBe(1);
  });
});
