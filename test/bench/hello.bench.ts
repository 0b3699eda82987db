// The event stream's hello of N connectors (default 10,000): the longest slice the server spends building and
// writing it between turns of the loop, against one JSON.stringify of the same hello measured in the same run (what
// the server did before, in one task). A real node:http server and client on loopback; the reports are the seed's.
//
//   npx tsx test/bench/hello.bench.ts [connectors]
//
// Prints `figure:` lines read by scripts/bench.mjs.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DaemonEvent, IntegrationDaemonStatusResponse } from '../../shared/api/types.js';
import { toDisposable } from '../../shared/logic/disposable.js';
import { openEventStream } from '../../electron/engine/rest/sse.js';
import { seedExamples } from '../engine/rest/seed.js';

const CONNECTORS = Number(process.argv[2] ?? 10_000);
const ROUNDS = 5;

const status = structuredClone(seedExamples().statusFailed) as unknown as IntegrationDaemonStatusResponse;
const [first] = status.integrationServiceSummaries;
const template = first?.integrationConnectorReports[0];
if (first === undefined || template === undefined) throw new Error('the seed has no connector');
first.integrationConnectorReports = Array.from({ length: CONNECTORS }, (_, i) => ({
  ...template,
  connectorName: `Folder${i}Monitor`,
  connectorId: `connector-${i}`,
}));

let longest: ((ms: number) => void) | undefined;
const server = createServer((_request, response) => {
  openEventStream(response, {
    daemon: { status: () => structuredClone(status), subscribe: () => toDisposable(() => undefined) },
    heartbeatMs: 60_000,
    lastSequence: () => 1,
    headers: {},
    onHelloWritten: (ms) => longest?.(ms),
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

/** Opens a stream, reads the whole hello, checks it and returns the server's longest slice. */
async function oneHello(): Promise<{ sliceMs: number; bytes: number }> {
  const sliceMs = new Promise<number>((resolve) => (longest = resolve));
  const text = await new Promise<string>((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', path: '/' }, (res) => {
      let seen = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        seen += chunk;
        if (seen.endsWith('\n\n')) {
          req.destroy();
          resolve(seen);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
  const data = /^id: 1\nevent: hello\ndata: (.*)\n\n$/s.exec(text)?.[1];
  const hello = JSON.parse(data ?? 'null') as Extract<DaemonEvent, { type: 'hello' }> | null;
  if (hello?.status.integrationServiceSummaries[0]?.integrationConnectorReports.length !== CONNECTORS)
    throw new Error('the hello is not whole');
  return { sliceMs: await sliceMs, bytes: text.length };
}

const slices: number[] = [];
const whole: number[] = [];
let bytes = 0;
for (let round = 0; round < ROUNDS; round++) {
  const result = await oneHello();
  slices.push(result.sliceMs);
  bytes = result.bytes;
  const copy = structuredClone(status);
  const began = performance.now();
  JSON.stringify({ type: 'hello', sequence: 1, serverTime: new Date().toISOString(), status: copy });
  whole.push(performance.now() - began);
}
server.close();
const best = (values: number[]): number => Math.min(...values);
console.log(
  `hello of ${CONNECTORS} connectors (${(bytes / 1024 / 1024).toFixed(1)} MB): longest slice ${best(slices).toFixed(1)} ms ` +
    `(best of ${ROUNDS}; all: ${slices.map((s) => s.toFixed(1)).join(', ')}); one JSON.stringify of it ${best(whole).toFixed(1)} ms`,
);
console.log(`figure: hello-${CONNECTORS}-longest-slice-ms ${best(slices).toFixed(1)}`);
console.log(`figure: hello-${CONNECTORS}-stringify-ms ${best(whole).toFixed(1)}`);
