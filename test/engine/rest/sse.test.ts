// The event stream's opening: headers at once, the hello's reports built only from the loop's next turn, so the
// request that opened the stream is not the one task that builds them.
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { toDisposable } from '../../../shared/logic/disposable.js';
import { openEventStream } from '../../../electron/engine/rest/sse.js';

/** The parts of a ServerResponse the stream uses, keeping what was written. */
function fakeResponse(): { response: ServerResponse; written: string[] } {
  const written: string[] = [];
  const response = {
    writableLength: 0,
    writeHead: () => response,
    flushHeaders: () => undefined,
    write: (chunk: string) => written.push(chunk) > 0,
    end: () => undefined,
    destroy: () => undefined,
    on: () => response,
    once: () => response,
  };
  return { response: response as unknown as ServerResponse, written };
}

describe('openEventStream', () => {
  it('builds none of the hello in the task of the request that opened it, and all of it on later turns', async () => {
    const { response, written } = fakeResponse();
    const taken: string[] = [];
    function* statusPieces(): Generator<string> {
      for (const piece of ['{"a":1', ',"b":2}']) {
        taken.push(piece);
        yield piece;
      }
    }
    const stream = openEventStream(response, {
      daemon: {
        status: () => {
          throw new Error('the pieces are used');
        },
        statusPieces,
        subscribe: () => toDisposable(() => undefined),
      },
      heartbeatMs: 60_000,
      lastSequence: () => 7,
      headers: {},
    });
    expect(taken).toEqual([]);
    expect(written).toEqual([]);
    await new Promise((next) => setImmediate(next));
    await new Promise((next) => setImmediate(next));
    stream.dispose();
    expect(written.join('')).toMatch(
      /^id: 7\nevent: hello\ndata: \{"type":"hello","sequence":7,"serverTime":"[^"]+","status":\{"a":1,"b":2\}\}\n\n$/,
    );
  });
});
