// The SSE stream end to end over a real socket: hello snapshot first, then events with id = sequence,
// heartbeats, unsubscribe on disconnect, and shutdown that does not hang on open streams.
import { afterEach, describe, expect, it } from 'vitest';
import type { DaemonEvent } from '../../../shared/api/types.js';
import { startFixture, VIEWER_TOKEN, type Fixture } from './fixture.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.server.close();
  f = undefined;
});

interface RawEvent {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** Reads raw SSE blocks from a fetch body (independent of the shared client, which is tested elsewhere). */
async function* blocks(response: Response): AsyncGenerator<RawEvent> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let index: number;
    while ((index = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, index);
      buffer = buffer.slice(index + 2);
      const raw: RawEvent = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) raw.comment = line.slice(1).trim();
        const [field, ...rest] = line.split(': ');
        if (field === 'id' || field === 'event' || field === 'data') raw[field] = rest.join(': ');
      }
      yield raw;
    }
  }
}

describe('GET /events', () => {
  it('sends a hello snapshot, then every daemon event with id = sequence', async () => {
    f = await startFixture();
    const before = f.daemon.emit({ type: 'audit', record: auditRecord(1) });
    const controller = new AbortController();
    const response = await fetch(`${f.base}/events`, { headers: f.auth, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const stream = blocks(response);

    const hello = (await stream.next()).value as RawEvent;
    expect(hello.event).toBe('hello');
    const helloData = JSON.parse(hello.data as string) as Extract<DaemonEvent, { type: 'hello' }>;
    expect(helloData.sequence).toBe(before.sequence);
    expect(hello.id).toBe(String(before.sequence));
    expect(helloData.status.integrationServiceSummaries).toHaveLength(2);
    expect(Date.parse(helloData.serverTime)).toBeGreaterThan(Date.now() - 5_000);

    const report = {
      connectorName: 'OakDeneLandingAreaFilesMonitor',
      connectorStatus: 'RUNNING' as const,
      minMinutesBetweenRefresh: 10,
      connectorId: 'c-1',
    };
    const sent = [
      f.daemon.emit({ type: 'connector-status', urlMarker: 'files-integrator', report }),
      f.daemon.emit({ type: 'audit', record: auditRecord(2) }),
    ];
    for (const expected of sent) {
      const raw = (await stream.next()).value as RawEvent;
      expect(raw.id).toBe(String(expected.sequence));
      expect(raw.event).toBe(expected.type);
      expect(JSON.parse(raw.data as string)).toEqual(expected);
    }
    // The server's own sequence tracker plus one stream.
    expect(f.daemon.listenerCount()).toBe(2);
    const aborted = Date.now();
    controller.abort();
    await expect.poll(() => f?.daemon.listenerCount(), { interval: 5 }).toBe(1);
    expect(Date.now() - aborted).toBeLessThan(1_500);
  });

  it('sends the hello of 10,000 connectors whole and in order, and events published meanwhile after it', async () => {
    f = await startFixture();
    const status = f.daemon.status();
    const [first] = status.integrationServiceSummaries;
    const template = first?.integrationConnectorReports[0];
    if (first === undefined || template === undefined) throw new Error('the seed has no connector');
    first.integrationConnectorReports = Array.from({ length: 10_000 }, (_, i) => ({
      ...template,
      connectorName: `Folder${i}Monitor`,
      connectorId: `connector-${i}`,
    }));
    f.daemon.setStatus(status);
    // Published on the loop's first turn after the snapshot is taken: while the hello is still being written.
    const daemon = f.daemon;
    const snapshot = daemon.status.bind(daemon);
    let during: DaemonEvent | undefined;
    daemon.status = () => {
      setImmediate(() => (during = daemon.emit({ type: 'audit', record: auditRecord(3) })));
      return snapshot();
    };
    const controller = new AbortController();
    const response = await fetch(`${f.base}/events`, { headers: f.auth, signal: controller.signal });
    const stream = blocks(response);

    const hello = (await stream.next()).value as RawEvent;
    expect(hello.event).toBe('hello');
    const helloData = JSON.parse(hello.data as string) as Extract<DaemonEvent, { type: 'hello' }>;
    expect(helloData.status).toEqual(status);
    expect(helloData.status.integrationServiceSummaries[0]?.integrationConnectorReports.map((r) => r.connectorName)).toEqual(
      Array.from({ length: 10_000 }, (_, i) => `Folder${i}Monitor`),
    );
    const next = (await stream.next()).value as RawEvent;
    expect(next.id).toBe(String(during?.sequence));
    expect(JSON.parse(next.data as string)).toEqual(during);
    controller.abort();
  });

  it('sends heartbeat comments while quiet, and the viewer may listen', async () => {
    f = await startFixture({ heartbeatMs: 50 });
    const controller = new AbortController();
    const response = await fetch(`${f.base}/events`, { headers: { Authorization: `Bearer ${VIEWER_TOKEN}` }, signal: controller.signal });
    const stream = blocks(response);
    expect(((await stream.next()).value as RawEvent).event).toBe('hello');
    const beat = (await stream.next()).value as RawEvent;
    expect(beat.comment).toMatch(/^heartbeat \d{4}-/);
    controller.abort();
  });

  it('needs a token like every other operation', async () => {
    f = await startFixture();
    const response = await fetch(`${f.base}/events`);
    expect(response.status).toBe(401);
  });

  it('close() ends open streams promptly and stops tracking', async () => {
    f = await startFixture();
    const response = await fetch(`${f.base}/events`, { headers: f.auth });
    const stream = blocks(response);
    await stream.next();
    const started = Date.now();
    await f.server.close();
    // Without ending the streams, close() would wait for the clients to hang up.
    expect(Date.now() - started).toBeLessThan(2_500);
    expect((await stream.next()).done).toBe(true);
    expect(f.daemon.listenerCount()).toBe(0);
  });
});

function auditRecord(sequence: number) {
  return {
    sequence,
    timeStamp: new Date().toISOString(),
    serverName: 'exchangeDL01',
    severity: 'Information' as const,
    messageId: 'INTEGRATION-DAEMON-SERVICES-0041',
    messageText: 'refreshing',
    messageParameters: [],
  };
}
