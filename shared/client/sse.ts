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
  /** The line being read: the chunks received since its last line end (a hello of 1,000 connectors is one line). */
  private partial: string[] = [];
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
    // Only the new chunk is searched for line ends: searching the whole unfinished line again at every chunk made
    // reading a hello of a megabyte in 64 KB chunks quadratic.
    const lineEnd = /\r\n|\r|\n/g;
    let from = 0;
    for (let match = lineEnd.exec(text); match !== null; match = lineEnd.exec(text)) {
      const rest = text.slice(from, match.index);
      const line = this.partial.length === 0 ? rest : [...this.partial, rest].join('');
      this.partial = [];
      from = match.index + match[0].length;
      this.line(line);
    }
    if (from < text.length) this.partial.push(from === 0 ? text : text.slice(from));
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
