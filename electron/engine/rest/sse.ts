// The live event stream: a `hello` snapshot first, then every DaemonEvent, with heartbeats so proxies and clients
// can tell a quiet daemon from a dead connection.
import type { ServerResponse } from 'node:http';
import type { DaemonEvent } from '../../../shared/api/types.js';
import { toDisposable, type Disposable } from '../../../shared/logic/disposable.js';
import type { DaemonApi } from '../daemon-api.js';

/** A client that stops reading is cut off past this much queued output; it reconnects and gets a fresh hello. */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

export function formatEvent(event: DaemonEvent): string {
  return `id: ${event.sequence}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export interface EventStreamOptions {
  daemon: DaemonApi;
  heartbeatMs: number;
  /** Sequence of the newest event the server has seen, used as the hello's sequence. */
  lastSequence: () => number;
  headers: Record<string, string>;
}

/** Opens the stream on `response`; disposing the result ends it (server shutdown). */
export function openEventStream(response: ServerResponse, options: EventStreamOptions): Disposable {
  response.writeHead(200, {
    ...options.headers,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  response.flushHeaders();

  let closed = false;
  const write = (chunk: string): void => {
    if (closed) return;
    response.write(chunk);
    if (response.writableLength > MAX_QUEUED_BYTES) {
      end();
      response.destroy();
    }
  };

  // Subscribing and taking the snapshot happen in the same tick, so no event can fall between them.
  const subscription = options.daemon.subscribe((event) => write(formatEvent(event)));
  const status = options.daemon.status();
  const serverTime = new Date().toISOString();
  write(formatEvent({ type: 'hello', sequence: options.lastSequence(), serverTime, status }));

  const heartbeat = setInterval(() => write(`: heartbeat ${new Date().toISOString()}\n\n`), options.heartbeatMs);
  heartbeat.unref();

  function end(): void {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    subscription.dispose();
    response.end();
  }
  response.on('close', end);
  return toDisposable(end);
}
