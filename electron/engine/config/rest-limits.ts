// The configuration document's `rest` section: how many connections and event streams the REST server holds, in
// total and per token. The defaults keep a daemon usable under the common open-file limit (`ulimit -n 1024`):
// at most half of the descriptors go to clients, the rest stay for the metadata server, the state file and the
// connectors' own files and sockets.
import { z } from 'zod';

export interface RestLimits {
  /** Open connections in all, with or without a token (the health check needs none). */
  maxConnections: number;
  /** Open connections that carry one token's requests (the operator token, or the viewer token). */
  maxConnectionsPerToken: number;
  /** Event streams (GET /events) in all. */
  maxEventStreams: number;
  /** Event streams opened with one token. */
  maxEventStreamsPerToken: number;
}

export const DEFAULT_REST_LIMITS: Readonly<RestLimits> = Object.freeze({
  maxConnections: 512,
  maxConnectionsPerToken: 192,
  maxEventStreams: 256,
  maxEventStreamsPerToken: 128,
});

/** Beyond this a daemon would run out of file descriptors long before its connection limit means anything. */
const MAX_CONNECTIONS = 65_536;

const count = (name: keyof RestLimits, min: number) => z.int().min(min).max(MAX_CONNECTIONS).default(DEFAULT_REST_LIMITS[name]);

export const restLimitsSchema = z
  .strictObject({
    maxConnections: count('maxConnections', 16),
    maxConnectionsPerToken: count('maxConnectionsPerToken', 2),
    maxEventStreams: count('maxEventStreams', 1),
    maxEventStreamsPerToken: count('maxEventStreamsPerToken', 1),
  })
  .superRefine((limits, context) => {
    // Both tokens at their limit must still leave connections for the health check and for new clients.
    if (limits.maxConnectionsPerToken * 2 >= limits.maxConnections) {
      context.addIssue({
        code: 'custom',
        path: ['maxConnectionsPerToken'],
        message: `is ${limits.maxConnectionsPerToken}, so the operator and viewer tokens together could hold all ${limits.maxConnections} connections (maxConnections) and lock out the health check`,
      });
    }
    if (limits.maxEventStreamsPerToken > limits.maxConnectionsPerToken) {
      context.addIssue({
        code: 'custom',
        path: ['maxEventStreamsPerToken'],
        message: `is ${limits.maxEventStreamsPerToken}, more than the ${limits.maxConnectionsPerToken} connections a token may hold (maxConnectionsPerToken); each event stream is a connection`,
      });
    }
    if (limits.maxEventStreams >= limits.maxConnections) {
      context.addIssue({
        code: 'custom',
        path: ['maxEventStreams'],
        message: `is ${limits.maxEventStreams}, so event streams could hold all ${limits.maxConnections} connections (maxConnections) and leave none for requests`,
      });
    }
  })
  .prefault({});

/** How to fix a bad value in the `rest` section, per field name (see problems.ts). */
export const REST_LIMIT_FIXES: Record<string, string> = {
  rest: 'Set rest to an object with any of maxConnections, maxConnectionsPerToken, maxEventStreams, maxEventStreamsPerToken, or leave it out for the defaults.',
  maxConnections: `Set maxConnections to a whole number from 16 to ${MAX_CONNECTIONS}, at most half of the open-file limit (ulimit -n), e.g. ${DEFAULT_REST_LIMITS.maxConnections}.`,
  maxConnectionsPerToken: `Set maxConnectionsPerToken to a whole number below half of maxConnections, e.g. ${DEFAULT_REST_LIMITS.maxConnectionsPerToken} with maxConnections ${DEFAULT_REST_LIMITS.maxConnections}.`,
  maxEventStreams: `Set maxEventStreams to a whole number below maxConnections, e.g. ${DEFAULT_REST_LIMITS.maxEventStreams}.`,
  maxEventStreamsPerToken: `Set maxEventStreamsPerToken to a whole number no larger than maxConnectionsPerToken, e.g. ${DEFAULT_REST_LIMITS.maxEventStreamsPerToken}.`,
};
