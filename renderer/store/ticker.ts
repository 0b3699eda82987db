// One 1 s ticker for the whole console. Only countdown cells subscribe, so a tick re-renders those cells and
// nothing else; the interval runs only while at least one countdown is on screen.
import { useSyncExternalStore } from 'react';
import { Emitter, toDisposable, type Disposable } from '../../shared/logic/disposable.js';

const ticks = new Emitter<void>();
let now = Date.now();
let interval: Disposable | null = null;

function subscribeTick(listener: () => void): () => void {
  const subscription = ticks.event(listener);
  if (interval === null) {
    const handle = setInterval(() => {
      now = Date.now();
      ticks.fire();
    }, 1000);
    interval = toDisposable(() => clearInterval(handle));
    // The first cells rendered with the time of the last tick, which may be long past. Preact, unlike React, does
    // not look at the snapshot again once it has subscribed, so the cells are told that the time moved on.
    const moved = Date.now();
    if (moved !== now) {
      now = moved;
      ticks.fire();
    }
  }
  // React's useSyncExternalStore wants a plain unsubscribe function.
  return () => {
    subscription.dispose();
    if (ticks.listenerCount === 0 && interval !== null) {
      interval.dispose();
      interval = null;
    }
  };
}

function currentTick(): number {
  return now;
}

/** Local time in ms, updated once a second. */
export function useNow(): number {
  return useSyncExternalStore(subscribeTick, currentTick);
}
