// Raw GETs that keep their connection: event streams held open (or left unread, as a stalled client leaves them),
// and refusals read with their envelope, for the hostile resource-limit tests and the limits benchmark.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { FFDCErrorResponse } from '../../shared/api/types.js';

export interface HeldAnswer {
  status: number;
  socket: Socket;
  /** The envelope of a refusal; undefined for an event stream. */
  envelope?: FFDCErrorResponse;
  closed: Promise<void>;
}

/**
 * Sends `GET path` on a new connection and resolves once the answer's head (and a refusal's body) has arrived.
 * An event stream stays open and is read and dropped; `stall` stops reading it after its head, as a client that no
 * longer reads would. Every socket is added to `open` until it closes.
 */
export function holdGet(
  port: number,
  path: string,
  token: string | undefined,
  open: Set<Socket>,
  options: { stall?: boolean } = {},
): Promise<HeldAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    open.add(socket);
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    void closed.then(() => open.delete(socket));
    let received = Buffer.alloc(0);
    let answered = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to GET ${path} within 60 s`));
    }, 60_000);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      if (!answered) reject(new Error(`connection closed without an answer to GET ${path}: ${received.toString('latin1', 0, 200)}`));
    });
    socket.on('data', (chunk: Buffer) => {
      if (answered) return;
      received = Buffer.concat([received, chunk]);
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = received.subarray(0, headEnd).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
      if (/content-type: text\/event-stream/i.test(head)) {
        answered = true;
        clearTimeout(timer);
        received = Buffer.alloc(0);
        if (options.stall) socket.pause();
        resolve({ status, socket, closed });
        return;
      }
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1]);
      const body = received.subarray(headEnd + 4);
      if (body.length < length) return;
      answered = true;
      clearTimeout(timer);
      resolve({ status, socket, closed, envelope: JSON.parse(body.subarray(0, length).toString('utf8')) as FFDCErrorResponse });
    });
    socket.on('connect', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: daemon\r\n${token === undefined ? '' : `Authorization: Bearer ${token}\r\n`}\r\n`);
    });
  });
}

/** Runs `count` tasks, `width` at a time (opening 1,100 connections at once would only test the listen backlog). */
export async function inWaves<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += width) {
    results.push(...(await Promise.all(Array.from({ length: Math.min(width, count - start) }, (_, k) => task(start + k)))));
  }
  return results;
}

/** Resident set size of a process on Linux, in MiB. */
export function rssMiB(pid: number): number {
  const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kib / 1024;
}
