// One way to let go of things: whatever is subscribed, armed or opened returns a Disposable, and one Emitter
// replaces the hand-rolled listener sets. A listener that throws does not keep the event from the others.

export interface Disposable {
  dispose(): void;
}

/** A Disposable that runs `release` once, however often it is disposed. */
export function toDisposable(release: () => void): Disposable {
  let released = false;
  return {
    dispose() {
      if (released) return;
      released = true;
      release();
    },
  };
}

export type Listener<T> = (value: T) => void;

export class Emitter<T> implements Disposable {
  private readonly listeners = new Set<Listener<T>>();

  /** Adds a listener; disposing the result removes it. */
  readonly event = (listener: Listener<T>): Disposable => {
    // A wrapper per subscription, so the same function subscribed twice is two subscriptions.
    const entry: Listener<T> = (value) => listener(value);
    this.listeners.add(entry);
    return toDisposable(() => this.listeners.delete(entry));
  };

  get listenerCount(): number {
    return this.listeners.size;
  }

  /**
   * Hands `value` to every listener, in subscription order. A listener that throws does not stop the others; the
   * first error is rethrown once all have run (several become one AggregateError).
   */
  fire(value: T): void {
    const errors: unknown[] = [];
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} listeners failed`);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
