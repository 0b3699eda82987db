// The live event stream: a `hello` snapshot first, then every DaemonEvent, with heartbeats so proxies and clients
// can tell a quiet daemon from a dead connection.
import type { ServerResponse } from 'node:http';
import type { DaemonEvent } from '../../../shared/api/types.js';
import { toDisposable, type Disposable } from '../../../shared/logic/disposable.js';
import type { DaemonApi } from '../daemon-api.js';
import { jsonPieces, writeSliced } from './sliced-json.js';

/**
 * A client that stops reading is cut off once this much output waits for it (plus the one event that crossed the
 * line); it reconnects and gets a fresh hello. 120 stalled viewers then hold about 120 MB, not gigabytes.
 */
export const MAX_QUEUED_BYTES = 1024 * 1024;

/**
 * A slice of the hello is handed to the socket once it took this long to build; then the loop gets a turn. The
 * console opens its stream at "listening on", while connectors start: at 8 ms (12 when the loop was slow) the slices
 * with the start-up work of the same turn made the loop thread's longest runs of work, 15-25 ms on a core, and the
 * first GET /health requests waited behind them; at 4 (6), 8-12 ms.
 */
const HELLO_SLICE_MS = 4;
/**
 * ... or up to this long when the loop was slow to give it that turn, so a hello still arrives while thousands of
 * connectors start. Not longer: the loop is slow when other work (first refreshes, their events, a collection) is
 * busy, and that work shares the turn with the slice; at 25 ms the two made turns of 53-55 ms at 10,000 connectors.
 */
const HELLO_SLICE_MAX_MS = 6;

/** Every stream receives the same event objects: each is serialised once, not once per stream. */
const formatted = new WeakMap<DaemonEvent, string>();

export function formatEvent(event: DaemonEvent): string {
  let text = formatted.get(event);
  if (text === undefined) {
    text = `id: ${event.sequence}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
    formatted.set(event, text);
  }
  return text;
}

export interface EventStreamOptions {
  daemon: Pick<DaemonApi, 'subscribe' | 'status' | 'statusPieces'>;
  heartbeatMs: number;
  /** Sequence of the newest event the server has seen, used as the hello's sequence. */
  lastSequence: () => number;
  headers: Record<string, string>;
  /** Told how long the longest slice of the hello took to build and write, in milliseconds. */
  onHelloWritten?: (longestSliceMs: number) => void;
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
  /**
   * Output held back while the hello is being written, so nothing lands inside it; undefined once it is out. It is
   * not counted against MAX_QUEUED_BYTES: it waits on the daemon, not on the client (ten thousand connectors
   * starting publish more than a megabyte while their hello is written), and it lasts as long as the hello does.
   */
  let held: string[] | undefined = [];
  /**
   * Output handed to the socket at once with and right after the hello (megabytes at ten thousand connectors): it
   * waits because the daemon wrote it together, not because the client fell behind, so it is allowed on top of
   * MAX_QUEUED_BYTES until the socket has drained it. Without it a client was cut off by the first event after a
   * large hello.
   */
  let allowance = 0;
  const write = (chunk: string): void => {
    if (closed) return;
    if (held !== undefined) {
      held.push(chunk);
      return;
    }
    // Checked before writing, so one event larger than the limit still reaches a client that keeps up.
    if (response.writableLength > MAX_QUEUED_BYTES + allowance) {
      cutOff();
      return;
    }
    response.write(chunk);
  };

  // Subscribing and taking the snapshot happen in the same tick, so no event can fall between them.
  const subscription = options.daemon.subscribe((event) => write(formatEvent(event)));
  const sequence = options.lastSequence();
  const status = options.daemon.statusPieces?.() ?? jsonPieces(options.daemon.status());
  const serverTime = new Date().toISOString();
  // The hello is one event, as clients read it, but its bytes are built and written in slices: building and
  // serializing ten thousand connectors' reports at once would hold the loop (and /health, and every other client)
  // too long. Its text is that of JSON.stringify of { type, sequence, serverTime, status }. Its first slice is built
  // on the loop's next turn, not in this request's: a GET /health that arrived with it is answered first.
  const yieldToLoop = (): Promise<void> => new Promise((next) => setImmediate(next));
  void yieldToLoop()
    .then(() =>
      closed
        ? undefined
        : writeSliced(
            (function* () {
              yield `id: ${sequence}\nevent: hello\ndata: {"type":"hello","sequence":${sequence},"serverTime":"${serverTime}","status":`;
              yield* status;
              yield '}\n\n';
            })(),
            (slice) => {
              if (!closed) response.write(slice);
            },
            {
              sliceMs: HELLO_SLICE_MS,
              maxSliceMs: HELLO_SLICE_MAX_MS,
              now: () => performance.now(),
              yieldToLoop,
              wanted: () => !closed,
            },
          ),
    )
    .then(
      (longest) => {
        if (longest !== undefined) options.onHelloWritten?.(longest);
        const queued = held ?? [];
        held = undefined;
        if (!closed && queued.length > 0) response.write(queued.join(''));
        if (!closed && response.writableLength > 0) {
          allowance = response.writableLength;
          response.once('drain', () => (allowance = 0));
        }
      },
      () => cutOff(),
    );

  const heartbeat = setInterval(() => write(`: heartbeat ${new Date().toISOString()}\n\n`), options.heartbeatMs);
  heartbeat.unref();

  function cutOff(): void {
    end();
    response.destroy();
  }

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
