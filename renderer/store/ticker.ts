// One 1 s ticker for the whole console. Only countdown cells subscribe, so a tick re-renders those cells and
// nothing else; the interval runs only while at least one countdown is on screen.
import { useSyncExternalStore } from 'react';

type Listener = () => void;

const listeners = new Set<Listener>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

function tick(): void {
  now = Date.now();
  for (const listener of listeners) listener();
}

function subscribeTick(listener: Listener): () => void {
  listeners.add(listener);
  if (timer === null) {
    now = Date.now();
    timer = setInterval(tick, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
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
