// GET /status through the REST server (real Daemon on the demo configuration, bearer token, routing, JSON) against
// a bare node:http server returning the same bytes, with the same client loop on loopback. Prints requests/s and
// latency percentiles of both and their ratio.  Run: npx tsx test/bench/rest.bench.ts [requests] [concurrency]
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_BASE } from '../../shared/api/types.js';
import { demoConfig, loadConfigFile, writeConfigAtomically } from '../../electron/engine/config/load.js';
import { Daemon } from '../../electron/engine/daemon.js';
import { createDefaultProviderRegistry } from '../../electron/engine/providers.js';
import { startRestServer } from '../../electron/engine/rest/server.js';

const REQUESTS = Number(process.argv[2] ?? 20_000);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const WARMUP = 1_000;
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

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rest-bench-'));
  const data = join(dir, 'data');
  mkdirSync(join(data, 'landing-area'), { recursive: true });
  const configPath = join(dir, 'integration-daemon.json');
  const document = demoConfig({ dataDirectory: data });
  document.auditLog = { destinations: [{ kind: 'memory', capacity: 1000 }] };
  await writeConfigAtomically(configPath, document);
  const providers = createDefaultProviderRegistry();
  const loaded = await loadConfigFile(configPath, { providers });
  const daemon = await Daemon.start({ config: loaded.config, configPath, document: loaded.document, stateDir: join(dir, 'state'), providers, log: () => undefined });
  const server = await startRestServer({ daemon, port: 0, token: TOKEN, log: () => undefined });
  const url = `${server.url}${API_BASE(daemon.serverName, 'bench')}/status`;
  const auth = { Authorization: `Bearer ${TOKEN}` };

  const sample = Buffer.from(await (await fetch(url, { headers: auth })).arrayBuffer());
  const bare = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(sample.length) });
    res.end(sample);
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/status`;

  try {
    await load(url, auth, WARMUP);
    await load(bareUrl, auth, WARMUP);
    const ours = await load(url, auth, REQUESTS);
    const baseline = await load(bareUrl, auth, REQUESTS);
    const row = (name: string, r: Result): string =>
      `${name.padEnd(28)} ${r.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms   max ${r.max.toFixed(1)} ms`;
    console.log(`GET /status, ${sample.length} bytes, ${REQUESTS} requests, ${CONCURRENCY} keep-alive connections, loopback`);
    console.log(row('REST server (real Daemon)', ours));
    console.log(row('bare node:http, same bytes', baseline));
    console.log(
      `ratio REST/bare: throughput ${(ours.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)}x, p99 ${(ours.p99 / baseline.p99).toFixed(2)}x`,
    );
  } finally {
    bare.close();
    await server.close();
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
