// A raw HTTP/1.1 client on a TCP socket, because fetch refuses to send what hostile clients send (NUL and spaces
// in the target, invalid header values, conflicting framing headers, unknown methods).
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Map<string, string[]>;
  body: Buffer;
  /** Everything the server sent, for failure messages. */
  raw: string;
}

export interface RawRequest {
  method: string;
  target: string;
  /** Header lines as sent (name, value); repeated names are sent repeatedly. */
  headers: Array<[string, string]>;
  body?: Buffer;
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function parse(received: Buffer): RawResponse | undefined {
  let data = received;
  // Interim answers (100 Continue) come before the real one.
  while (/^HTTP\/1\.[01] 1\d\d /.test(data.toString('latin1', 0, 13)) && data.indexOf('\r\n\r\n') >= 0) {
    data = data.subarray(data.indexOf('\r\n\r\n') + 4);
  }
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine, ...lines] = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
  if (!Number.isInteger(status)) return undefined;
  const headers = new Map<string, string[]>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  let body = data.subarray(headEnd + 4);
  if (headers.get('transfer-encoding')?.includes('chunked')) body = dechunk(body);
  const length = Number(headers.get('content-length')?.[0]);
  if (Number.isInteger(length)) body = body.subarray(0, length);
  return { status, headers, body, raw: data.toString('utf8', 0, Math.min(data.length, 4_000)) };
}

/**
 * Sends one request on its own connection and reads until the server closes it. A server may answer and drop
 * the connection while the body is still being written (413): what it sent before that still counts.
 */
export function rawRequest(port: number, request: RawRequest, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms to ${request.method} ${request.target.slice(0, 200)}`));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      const parsed = parse(Buffer.concat(chunks));
      if (parsed) resolve(parsed);
      else
        reject(
          new Error(
            `the connection closed without an HTTP answer to ${request.method} ${request.target.slice(0, 200)}: ${JSON.stringify(Buffer.concat(chunks).toString('latin1').slice(0, 300))}`,
          ),
        );
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // An event stream never ends by itself: its head is the answer.
      const sofar = Buffer.concat(chunks).toString('latin1');
      if (/\r\ncontent-type: text\/event-stream[^\r]*\r\n(?:[^\r]+\r\n)*\r\n/i.test(sofar)) socket.destroy();
    });
    socket.on('close', finish);
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      const head = `${request.method} ${request.target} HTTP/1.1\r\n${request.headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
      socket.write(Buffer.from(head, 'utf8'));
      if (request.body !== undefined && request.body.length > 0) socket.write(request.body);
    });
  });
}

export function jsonOf(response: RawResponse): unknown {
  return JSON.parse(response.body.toString('utf8')) as unknown;
}
