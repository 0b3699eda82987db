// The daemon's events as they arrive on the stream: which ones the client knows, and each one checked once here
// (a hello's status normalized, an older daemon's fields brought up to date, a removal naming its connector).
import { z } from 'zod';
import type { DaemonEvent, IntegrationDaemonStatusResponse } from '../api/types.js';
import { normalizeStatus, normalizeStatusInSlices } from './normalize.js';
import { currentEvent } from './previous-version.js';

const eventSchema = z.looseObject({ type: z.string(), sequence: z.number(), serverTime: z.string() });
/** Event types this client applies; others (from a newer daemon) are skipped. */
export const KNOWN_EVENTS = new Set([
  'hello',
  'connector-status',
  'audit',
  'run',
  'metadata-server',
  'object-retry',
  'held-archive',
  'connector-removed',
]);
const connectorRemovedSchema = z.object({
  type: z.literal('connector-removed'),
  sequence: z.number(),
  serverTime: z.string(),
  urlMarker: z.string(),
  connectorName: z.string(),
});

type EventData = z.infer<typeof eventSchema>;

function eventData(data: string): EventData | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  const parsed = eventSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

function hello(data: EventData, status: IntegrationDaemonStatusResponse): DaemonEvent {
  return { ...(data as unknown as DaemonEvent & { type: 'hello' }), status };
}

function otherEvent(data: EventData): DaemonEvent | undefined {
  if (data.type === 'connector-removed') {
    const removed = connectorRemovedSchema.safeParse(data);
    return removed.success ? removed.data : undefined;
  }
  return currentEvent(data);
}

/** One event's data, or undefined when it is not a valid daemon event. */
export function parseEvent(data: string): DaemonEvent | undefined {
  const parsed = eventData(data);
  if (parsed === undefined) return undefined;
  if (parsed.type !== 'hello') return otherEvent(parsed);
  try {
    return hello(parsed, normalizeStatus(parsed.status));
  } catch {
    return undefined;
  }
}

/** parseEvent with a hello's connector reports checked a slice at a time, `pause()` awaited before each slice. */
export async function parseEventInSlices(data: string, pause: () => Promise<void>): Promise<DaemonEvent | undefined> {
  const parsed = eventData(data);
  if (parsed === undefined) return undefined;
  if (parsed.type !== 'hello') return otherEvent(parsed);
  try {
    return hello(parsed, await normalizeStatusInSlices(parsed.status, pause));
  } catch {
    return undefined;
  }
}

/** Lets the thread's other work run before the next slice. */
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * How long the events queued behind a hello are delivered in one task before the thread is let go: a daemon
 * starting 1,000 connectors sends hundreds of status events while its hello is being checked, and each one
 * delivered replaces a report in a status of 1,000 (10-15 ms of CPU for all of them in the hello's last slice).
 */
const DELIVERY_SLICE_MS = 4;

/**
 * Turns a stream's messages into daemon events, handed to `deliver` in the stream's order (undefined for one that
 * is not a valid daemon event). A hello of thousands of connectors is checked a slice at a time, so the thread stays
 * free between slices; the events behind it wait their turn, and are delivered a few milliseconds' worth per task.
 */
export function orderedEvents(deliver: (name: string, event: DaemonEvent | undefined) => void): {
  read: (name: string, data: string) => void;
  /** Resolves once every message read so far has been delivered. */
  drained: () => Promise<void>;
} {
  let queue: Promise<void> = Promise.resolve();
  let waiting = 0;
  let sliceStart = Date.now();
  const pauseForNextSlice = async () => {
    await pause();
    sliceStart = Date.now();
  };
  return {
    read(name, data) {
      if (waiting === 0 && name !== 'hello') {
        deliver(name, parseEvent(data));
        return;
      }
      if (waiting === 0) sliceStart = Date.now();
      waiting++;
      queue = queue.then(async () => {
        if (Date.now() - sliceStart >= DELIVERY_SLICE_MS) await pauseForNextSlice();
        const event = await parseEventInSlices(data, pauseForNextSlice);
        waiting--;
        deliver(name, event);
      });
    },
    drained: () => queue,
  };
}
