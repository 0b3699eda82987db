// A text/event-stream parser over a fetch body. EventSource cannot send an Authorization header, so the
// console, the desktop and the CLI read the stream through fetch and parse it here (WHATWG SSE rules).

export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

export interface SseHandlers {
  onMessage: (message: SseMessage) => void;
  /** Any bytes arrived (events or heartbeat comments): the connection is alive. */
  onActivity?: () => void;
}

/** Incremental parser: feed it decoded text in any chunking, it dispatches complete messages. */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  private sawCarriageReturn = false;

  constructor(private readonly onMessage: (message: SseMessage) => void) {}

  feed(chunk: string): void {
    let text = chunk;
    // A CRLF split across two chunks: the LF belongs to the CR already handled.
    if (this.sawCarriageReturn && text.startsWith('\n')) text = text.slice(1);
    this.sawCarriageReturn = text.endsWith('\r');
    this.buffer += text;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (match === null) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }

  private dispatch(): void {
    if (this.data.length > 0) {
      const message: SseMessage = { event: this.event === '' ? 'message' : this.event, data: this.data.join('\n') };
      if (this.id !== undefined) message.id = this.id;
      this.onMessage(message);
    }
    this.data = [];
    this.event = '';
  }
}

/** Reads the stream to its end (resolves) or its failure (rejects with the read error). */
export async function readEventStream(body: ReadableStream<Uint8Array>, handlers: SseHandlers): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser(handlers.onMessage);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      handlers.onActivity?.();
      parser.feed(decoder.decode(value, { stream: true }));
    }
    parser.feed(decoder.decode());
  } finally {
    reader.releaseLock();
  }
}
