// GET /status through the REST server (real Daemon on the demo configuration, bearer token, routing, JSON) against a
// bare node:http server returning the same bytes, with the same client loop on loopback. "The same bytes" is the whole
// answer: the bare server sends the status line, every header (names and values as the daemon wrote them) and the body
// of a real answer of the daemon, read off the wire from the sample request; only Date, Connection and Keep-Alive are
// left to Node, which adds them to both. The bench checks that the two answers are equal but for Date before it
// measures. (Until stop 20 the bare server sent only Content-Type and Content-Length, five headers fewer than the
// daemon, which flattered the bare server.) The three servers are asked the same request too: the daemon's path, which
// the bare server ignores. (It used to be asked `/status`, 75 bytes shorter, which the client in this process builds
// and the server parses about 1.3 µs faster of some 45 µs per request: that flattered the bare server by about 0.03.)
// Prints requests/s and latency percentiles of both and their ratio (each round runs the servers back to back; the
// figure is the median of the rounds' ratios, which a shared machine's shifting load disturbs less than a ratio of
// medians). A third row serves a fixed status object through the same REST server, to tell the REST layer's own cost
// from the daemon's cost of building its status.
// Run: npx tsx test/bench/rest.bench.ts [requests] [concurrency]
import { Agent, createServer, request } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { IntegrationDaemonStatusResponse } from '../../shared/api/types.js';
import type { DaemonApi } from '../../electron/engine/daemon-api.js';
import { toDisposable } from '../../shared/logic/disposable.js';
import { startRestServer } from '../../electron/engine/rest/server.js';
import { HTTP_TIMEOUTS } from '../../electron/engine/rest/limits.js';
import { startRealDaemon } from '../support/real-daemon.js';

const REQUESTS = Number(process.argv[2] ?? 20_000);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const WARMUP = 1_000;
const ROUNDS = 9;
const TOKEN = 'bench-token-0123456789abcdef';

interface Result {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
}

/** `total` GETs of `url` from `CONCURRENCY` keep-alive connections; latencies in ms. */
async function load(url: string, headers: Record<string, string>, total: number): Promise<Result> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let issued = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const req = request(url, { agent, headers }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
        res.on('data', () => undefined);
        res.on('end', () => {
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          resolve();
        });
      });
      req.on('error', reject);
      req.end();
    });
  const worker = async (): Promise<void> => {
    while (issued < total) {
      issued++;
      await one();
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requestsPerSecond: total / seconds, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? 0 };
}

/** Headers Node writes itself on every answer of both servers; the bare server leaves them to Node too. */
const ADDED_BY_NODE = new Set(['date', 'connection', 'keep-alive']);

interface WireAnswer {
  /** Status line, headers and body as sent, without the Date line (which differs by the second). */
  text: string;
  status: number;
  /** Name, value, name, value, … as written, Date, Connection and Keep-Alive left out (Node adds those). */
  headers: string[];
  body: Buffer;
}

/** One GET on a fresh connection, read as bytes off the wire. */
function wireAnswer(url: string, headers: Record<string, string>): Promise<WireAnswer> {
  const { hostname, port, pathname } = new URL(url);
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\n${head}\r\n`));
    let received = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const fields = lines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()] as const);
      const length = Number(fields.find(([name]) => name.toLowerCase() === 'content-length')?.[1]);
      if (received.length < end + 4 + length) return;
      socket.destroy();
      resolve({
        text: received.toString('latin1').replace(/\r\nDate: [^\r]*/, ''),
        status: Number(statusLine.split(' ')[1]),
        headers: fields.filter(([name]) => !ADDED_BY_NODE.has(name.toLowerCase())).flat(),
        body: received.subarray(end + 4, end + 4 + length),
      });
    });
  });
}

function median(results: Result[]): Result {
  const pick = (key: keyof Result): number => [...results].sort((a, b) => a[key] - b[key])[Math.floor(results.length / 2)]?.[key] ?? 0;
  return { requestsPerSecond: pick('requestsPerSecond'), p50: pick('p50'), p99: pick('p99'), max: pick('max') };
}

async function main(): Promise<void> {
  const real = await startRealDaemon({ token: TOKEN });
  const { daemon } = real;
  const url = `${real.base}/status`;
  const auth = { Authorization: `Bearer ${TOKEN}` };

  const answer = await wireAnswer(url, auth);
  if (answer.status !== 200) throw new Error(`BENCH: GET /status answered ${answer.status}`);
  const sample = answer.body;
  // Only what GET /status touches; the fixed snapshot is the real daemon's own answer.
  const snapshot = JSON.parse(sample.toString()) as IntegrationDaemonStatusResponse;
  const fixed: Pick<DaemonApi, 'serverName' | 'status' | 'statusJson' | 'subscribe' | 'maxPageSize'> = {
    serverName: daemon.serverName,
    status: () => snapshot,
    // The answer the real daemon gave, whatever shape is asked for.
    statusJson: () => [sample],
    subscribe: () => toDisposable(() => undefined),
    maxPageSize: daemon.maxPageSize,
  };
  const layerOnly = await startRestServer({ daemon: fixed as DaemonApi, port: 0, token: TOKEN, log: () => undefined });
  const path = new URL(url).pathname;
  const layerUrl = `${layerOnly.url}${path}`;
  const sameHeaders = answer.headers;
  const bare = createServer((_req, res) => {
    res.writeHead(200, sameHeaders);
    res.end(sample);
  });
  // Node's Keep-Alive header names the server's keep-alive timeout: the daemon's, so that header is the same too.
  bare.keepAliveTimeout = HTTP_TIMEOUTS.keepAliveTimeout;
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}${path}`;

  try {
    const bareBytes = (await wireAnswer(bareUrl, auth)).text;
    if (bareBytes !== answer.text) {
      throw new Error(`BENCH: the bare server's answer differs from the daemon's:\n${answer.text}\n---\n${bareBytes}`);
    }
    await load(url, auth, WARMUP);
    await load(layerUrl, auth, WARMUP);
    await load(bareUrl, auth, WARMUP);
    // The machine is shared and its load moves within seconds: each round measures the three servers back to back
    // (in a rotating order, so none always runs first), ratios are taken within a round, and the median round's
    // figures and the median of the rounds' ratios are shown.
    const servers = { ours: url, layer: layerUrl, baseline: bareUrl };
    const names = Object.keys(servers) as (keyof typeof servers)[];
    const rounds: Record<keyof typeof servers, Result[]> = { ours: [], layer: [], baseline: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(round + i) % names.length] as keyof typeof servers;
        rounds[name].push(await load(servers[name], auth, Math.round(REQUESTS / ROUNDS)));
      }
    }
    const ours = median(rounds.ours);
    const layer = median(rounds.layer);
    const baseline = median(rounds.baseline);
    const medianRatio = (of: Result[], key: 'requestsPerSecond' | 'p99'): number => {
      const ratios = of.map((r, round) => r[key] / (rounds.baseline[round]?.[key] ?? Number.NaN)).sort((a, b) => a - b);
      return ratios[Math.floor(ratios.length / 2)] ?? Number.NaN;
    };
    const row = (name: string, r: Result): string =>
      `${name.padEnd(28)} ${r.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms   max ${r.max.toFixed(1)} ms`;
    console.log(
      `GET /status, ${sample.length} bytes, ${REQUESTS} requests in ${ROUNDS} rounds per server (median round shown), ${CONCURRENCY} keep-alive connections, loopback`,
    );
    console.log(row('REST server (real Daemon)', ours));
    console.log(row('REST server (fixed status)', layer));
    console.log(row('bare node:http, same bytes', baseline));
    const ratio = (of: Result[]): string =>
      `throughput ${medianRatio(of, 'requestsPerSecond').toFixed(2)}x, p99 ${medianRatio(of, 'p99').toFixed(2)}x (median of the rounds' ratios)`;
    console.log(`ratio REST/bare: ${ratio(rounds.ours)}`);
    console.log(`ratio REST layer alone/bare: ${ratio(rounds.layer)}`);
    console.log(`figure: status-throughput-ratio ${medianRatio(rounds.ours, 'requestsPerSecond').toFixed(2)}`);
  } finally {
    bare.close();
    await layerOnly.close();
    await real.stop();
  }
}

await main();
