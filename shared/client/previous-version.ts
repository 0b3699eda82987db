// What a daemon of the previous version says differently, read into today's names so an upgraded console still
// attaches to a daemon that is not upgraded yet: its breaker and object-retry states were written in camelCase
// (closed, open, halfOpen; pending, gaveUp), and the URL marker of its connector-status events and audit records
// was called integrationServiceURLMarker. Nothing else in the code uses these names.
import {
  BREAKER_STATES,
  OBJECT_RETRY_STATES,
  type AuditRecord,
  type BreakerState,
  type DaemonEvent,
  type ObjectRetry,
  type ObjectRetryState,
} from '../api/types.js';

export const PREVIOUS_BREAKER_STATES = { closed: 'CLOSED', open: 'OPEN', halfOpen: 'HALF_OPEN' } as const satisfies Record<
  string,
  BreakerState
>;
const PREVIOUS_OBJECT_RETRY_STATES: Record<string, ObjectRetryState> = { pending: 'PENDING', gaveUp: 'GAVE_UP' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function breakerState(value: unknown): unknown {
  if ((BREAKER_STATES as readonly unknown[]).includes(value)) return value;
  return typeof value === 'string' && Object.hasOwn(PREVIOUS_BREAKER_STATES, value)
    ? PREVIOUS_BREAKER_STATES[value as keyof typeof PREVIOUS_BREAKER_STATES]
    : value;
}

/** An object retry as the REST list or an event carries it, with today's state name. */
export function currentObjectRetry(retry: Record<string, unknown>): ObjectRetry {
  const state = retry.state;
  const known = (OBJECT_RETRY_STATES as readonly unknown[]).includes(state);
  const upgraded = !known && typeof state === 'string' ? PREVIOUS_OBJECT_RETRY_STATES[state] : undefined;
  return (upgraded === undefined ? retry : { ...retry, state: upgraded }) as unknown as ObjectRetry;
}

/** Moves integrationServiceURLMarker to urlMarker (our events and audit records; Egeria's summaries keep theirs). */
function withUrlMarker(value: Record<string, unknown>): Record<string, unknown> {
  if (value.urlMarker !== undefined || typeof value.integrationServiceURLMarker !== 'string') return value;
  const { integrationServiceURLMarker, ...rest } = value;
  return { ...rest, urlMarker: integrationServiceURLMarker };
}

/** An audit record as the REST list or an event carries it, its URL marker named urlMarker. */
export function currentAuditRecord(record: Record<string, unknown>): AuditRecord {
  return withUrlMarker(record) as unknown as AuditRecord;
}

/** An event (other than hello, whose status is normalized) with today's names. */
export function currentEvent(event: Record<string, unknown>): DaemonEvent {
  switch (event.type) {
    case 'connector-status':
      return withUrlMarker(event) as unknown as DaemonEvent;
    case 'audit':
      return (isRecord(event.record) ? { ...event, record: currentAuditRecord(event.record) } : event) as unknown as DaemonEvent;
    case 'metadata-server':
      return (isRecord(event.metadataServer)
        ? { ...event, metadataServer: { ...event.metadataServer, breakerState: breakerState(event.metadataServer.breakerState) } }
        : event) as unknown as DaemonEvent;
    case 'object-retry':
      return (isRecord(event.objectRetry)
        ? { ...event, objectRetry: currentObjectRetry(event.objectRetry) }
        : event) as unknown as DaemonEvent;
    default:
      return event as unknown as DaemonEvent;
  }
}
