// The SSE parser against the WHATWG rules that matter in practice: any chunking, CR/LF/CRLF, comments,
// multi-line data, ids.
import { describe, expect, it } from 'vitest';
import { readEventStream, SseParser, type SseMessage } from '../../../shared/client/sse.js';

function parseAll(chunks: string[]): SseMessage[] {
  const out: SseMessage[] = [];
  const parser = new SseParser((m) => out.push(m));
  for (const chunk of chunks) parser.feed(chunk);
  return out;
}

describe('SseParser', () => {
  const stream = 'id: 7\nevent: audit\ndata: {"a":1}\n\n: heartbeat\n\nevent: run\ndata: line1\ndata: line2\n\ndata:no-space\n\n';
  const expected: SseMessage[] = [
    { id: '7', event: 'audit', data: '{"a":1}' },
    { id: '7', event: 'run', data: 'line1\nline2' },
    { id: '7', event: 'message', data: 'no-space' },
  ];

  it('parses whole streams', () => {
    expect(parseAll([stream])).toEqual(expected);
  });

  it('gives the same result for every split into two chunks and for one character at a time', () => {
    for (let i = 0; i <= stream.length; i++) expect(parseAll([stream.slice(0, i), stream.slice(i)])).toEqual(expected);
    expect(parseAll([...stream])).toEqual(expected);
  });

  it('accepts CRLF and CR line ends, also split between chunks', () => {
    const crlf = stream.replace(/\n/g, '\r\n');
    for (let i = 0; i <= crlf.length; i++) expect(parseAll([crlf.slice(0, i), crlf.slice(i)])).toEqual(expected);
    expect(parseAll([stream.replace(/\n/g, '\r')])).toEqual(expected);
  });

  it('dispatches nothing for comment-only blocks or an unterminated last block', () => {
    expect(parseAll([': hello\n\n', 'data: partial'])).toEqual([]);
  });
});

describe('readEventStream', () => {
  it('reads a byte stream with multi-byte characters split across chunks and reports activity', async () => {
    const bytes = new TextEncoder().encode('event: audit\ndata: {"text":"Zürich ✓"}\n\n: beat\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.slice(i, i + 3));
        controller.close();
      },
    });
    const messages: SseMessage[] = [];
    let activity = 0;
    await readEventStream(body, { onMessage: (m) => messages.push(m), onActivity: () => activity++ });
    expect(messages).toEqual([{ event: 'audit', data: '{"text":"Zürich ✓"}' }]);
    expect(activity).toBe(Math.ceil(bytes.length / 3));
  });
});
