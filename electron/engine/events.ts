// The daemon's event bus: every status change, audit record, run and object retry goes through here to the
// SSE stream, the desktop main process and tests. Publishing never waits for a listener: each subscriber has
// its own queue drained on a later turn of the event loop, so a slow, async or throwing listener (an SSE
// client on a stalled socket, a buggy test hook) cannot hold up the connector that published the event.
import type { DaemonEvent } from '../../shared/api/types.js';
import { toDisposable, type Disposable } from '../../shared/logic/disposable.js';
import { errorText } from '../../shared/api/error-text.js';

/** `Omit` that keeps a union a union (plain `Omit` over a union collapses it to the common fields). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as a publisher hands it over; the bus assigns the sequence. */
export type DaemonEventInput = DistributiveOmit<DaemonEvent, 'sequence'>;

/** A listener may return a promise; the next event for that listener waits for it (back-pressure per listener). */
export type DaemonEventListener = (event: DaemonEvent) => void | Promise<void>;

export interface SubscribeOptions {
  /**
   * Most events kept waiting for this listener. When exceeded the listener is unsubscribed and `onOverflow` is
   * called, so a consumer that cannot keep up (an SSE client on a stalled socket) reconnects and starts again
   * from a snapshot instead of silently missing events. Default: no limit (in-process listeners that must see
   * every event, whatever the burst).
   */
  maxQueued?: number;
  onOverflow?: (droppedAtSequence: number) => void;
}

export interface EventBusOptions {
  /** Called when a listener throws or its promise rejects; the event still reaches every other listener. */
  onListenerError?: (error: unknown, event: DaemonEvent) => void;
  /** Sequence given to the first event; lets tests and restarts start past an earlier range. Default 1. */
  firstSequence?: number;
}

interface Subscriber {
  listener: DaemonEventListener;
  queue: DaemonEvent[];
  head: number;
  draining: boolean;
  active: boolean;
  maxQueued: number;
  onOverflow: ((droppedAtSequence: number) => void) | undefined;
}

/**
 * How long the drain hands events to one listener before it yields to the event loop, so timers and sockets keep
 * running: a thousand connector-status events formatted for an event-stream client took 50 ms.
 */
const DRAIN_SLICE_MS = 5;

export class EventBus {
  private nextSequence: number;
  private readonly subscribers = new Set<Subscriber>();
  private readonly watchers = new Set<(event: DaemonEvent) => void>();
  private readonly onListenerError: (error: unknown, event: DaemonEvent) => void;
  private idleWaiters: Array<() => void> = [];

  constructor(options: EventBusOptions = {}) {
    this.nextSequence = options.firstSequence ?? 1;
    this.onListenerError =
      options.onListenerError ??
      ((error, event) => {
        const text = (error instanceof Error ? error.stack : undefined) ?? errorText(error);
        process.stderr.write(`INTEGRATION-DAEMON-EVENTS-0001 An event listener failed on ${event.type} event ${event.sequence}: ${text}\n`);
      });
  }

  /** Sequence of the most recent event published (0 before the first when firstSequence is 1). */
  get lastSequence(): number {
    return this.nextSequence - 1;
  }

  get listenerCount(): number {
    return this.subscribers.size;
  }

  /** Assigns the next sequence, queues the event for every current listener and returns immediately. */
  publish(input: DaemonEventInput): DaemonEvent {
    const event = { ...input, sequence: this.nextSequence++ };
    for (const watcher of this.watchers) watcher(event);
    for (const subscriber of this.subscribers) {
      if (subscriber.queue.length - subscriber.head >= subscriber.maxQueued) {
        this.dropSubscriber(subscriber, event);
        continue;
      }
      subscriber.queue.push(event);
      this.scheduleDrain(subscriber);
    }
    return event;
  }

  /**
   * Calls `watcher` inside publish, before it returns: for the daemon's own kept views (the status report) that
   * must never answer from before an event whose sequence is already out. It must be quick and must not throw.
   */
  watch(watcher: (event: DaemonEvent) => void): Disposable {
    this.watchers.add(watcher);
    return toDisposable(() => this.watchers.delete(watcher));
  }

  /** Disposing the result unsubscribes; events already queued for the listener are then discarded. */
  subscribe(listener: DaemonEventListener, options: SubscribeOptions = {}): Disposable {
    const subscriber: Subscriber = {
      listener,
      queue: [],
      head: 0,
      draining: false,
      active: true,
      maxQueued: options.maxQueued ?? Number.POSITIVE_INFINITY,
      onOverflow: options.onOverflow,
    };
    this.subscribers.add(subscriber);
    return toDisposable(() => this.remove(subscriber));
  }

  /** Resolves once every event published so far has been handed to (and awaited by) every listener. */
  idle(): Promise<void> {
    if (![...this.subscribers].some((s) => s.draining)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private remove(subscriber: Subscriber): void {
    subscriber.active = false;
    subscriber.queue = [];
    subscriber.head = 0;
    this.subscribers.delete(subscriber);
    this.notifyIfIdle();
  }

  private dropSubscriber(subscriber: Subscriber, event: DaemonEvent): void {
    this.remove(subscriber);
    if (!subscriber.onOverflow) {
      this.onListenerError(
        new Error(`INTEGRATION-DAEMON-EVENTS-0002 A listener fell more than ${subscriber.maxQueued} events behind and was unsubscribed`),
        event,
      );
      return;
    }
    try {
      subscriber.onOverflow(event.sequence);
    } catch (error) {
      this.onListenerError(error, event);
    }
  }

  private scheduleDrain(subscriber: Subscriber): void {
    if (subscriber.draining) return;
    subscriber.draining = true;
    setImmediate(() => void this.drain(subscriber));
  }

  private async drain(subscriber: Subscriber): Promise<void> {
    let sliceBegan = performance.now();
    while (subscriber.active && subscriber.head < subscriber.queue.length) {
      if (performance.now() - sliceBegan >= DRAIN_SLICE_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceBegan = performance.now();
      }
      if (!subscriber.active) break;
      const event = subscriber.queue[subscriber.head] as DaemonEvent;
      subscriber.head++;
      try {
        const result = subscriber.listener(event);
        if (result !== undefined && typeof result.then === 'function') await result;
      } catch (error) {
        this.onListenerError(error, event);
      }
      // Compact now and then so a long-lived subscriber's queue does not grow without bound.
      if (subscriber.head > 1024 && subscriber.head * 2 > subscriber.queue.length) {
        subscriber.queue = subscriber.queue.slice(subscriber.head);
        subscriber.head = 0;
      }
    }
    subscriber.draining = false;
    this.notifyIfIdle();
  }

  private notifyIfIdle(): void {
    if (this.idleWaiters.length === 0) return;
    if ([...this.subscribers].some((s) => s.draining)) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
