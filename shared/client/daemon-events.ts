// The daemon's events as they arrive on the stream: which ones the client knows, and each one checked once here
// (a hello's status normalized, an older daemon's fields brought up to date, a removal naming its connector).
import { z } from 'zod';
import type { DaemonEvent } from '../api/types.js';
import { normalizeStatus } from './normalize.js';
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

/** One event's data, or undefined when it is not a valid daemon event. */
export function parseEvent(data: string): DaemonEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  const parsed = eventSchema.safeParse(json);
  if (!parsed.success) return undefined;
  if (parsed.data.type === 'hello') {
    try {
      return { ...(parsed.data as unknown as DaemonEvent & { type: 'hello' }), status: normalizeStatus(parsed.data.status) };
    } catch {
      return undefined;
    }
  }
  if (parsed.data.type === 'connector-removed') {
    const removed = connectorRemovedSchema.safeParse(parsed.data);
    return removed.success ? removed.data : undefined;
  }
  return currentEvent(parsed.data);
}
