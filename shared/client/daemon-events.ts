// The daemon events an event stream carries: which event names are ours, and one message's data checked and
// brought to the current shape (a hello's status normalized, an older daemon's fields renamed).
import { z } from 'zod';
import type { DaemonEvent } from '../api/types.js';
import { normalizeStatus } from './normalize.js';
import { currentEvent } from './previous-version.js';

const eventSchema = z.looseObject({ type: z.string(), sequence: z.number(), serverTime: z.string() });
export const KNOWN_EVENTS: ReadonlySet<string> = new Set([
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

/** One event message's data as a daemon event, or undefined when it is not valid JSON of one. */
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
