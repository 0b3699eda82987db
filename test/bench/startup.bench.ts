// Start-up at scale: a real `integration-daemon serve` with N files connectors (one small folder each) on an
// embedded SQLite metadata server. From "listening on" it measures when the REST API and the event stream answer,
// the latency of GET /health throughout start-up, the daemon's longest event-loop block in that time, when every connector has settled, and the resident memory then,
// against the same daemon with one connector measured in the same run.
// GET /status (once settled) is timed from sending the request to the last byte of the answer arriving, with its
// decoding outside the timed part, for the daemon and for a bare node:http server serving the same bytes alike.
//
//   npx tsx test/bench/startup.bench.ts [connectors] [filesPerFolder]     (default 1,000 and 3)
//
// Prints one `figure:` line per measured figure (read by scripts/bench.mjs for its summary table).
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../..');
const CONNECTORS = Number(process.argv[2] ?? 1000);
const FILES_PER_FOLDER = Number(process.argv[3] ?? 3);
const TOKEN = 'bench-token-0123456789abcdef';
const SERVER = 'scaleDL01';
const SETTLE_LIMIT_MS = CONNECTORS >= 5000 ? 300_000 : 120_000;
const SETTLED: ReadonlySet<string> = new Set(['WAITING', 'FAILED', 'CONFIG_FAILED', 'INITIALIZE_FAILED', 'RETRYING', 'STOPPED']);

interface Report {
  connectorName: string;
  connectorStatus: string;
  lastRefreshTime?: string;
}

/**
 * Whether a connector's start-up is over. WAITING alone is not: a connector is WAITING from its start until its first
 * refresh begins, and the refreshes begin a few at a time, so a stream that counted WAITING as settled could see
 * every connector settled between one refresh's end and the next one's beginning, with hundreds still to refresh.
 */
const settledReport = (r: Report): boolean =>
  SETTLED.has(r.connectorStatus) && (r.connectorStatus !== 'WAITING' || r.lastRefreshTime !== undefined);

interface Sample {
  connectors: number;
  listeningMs: number;
  firstHealthMs: number;
  eventStreamFirstByteMs: number;
  eventStreamSnapshotMs: number;
  settledMs: number;
  healthP99Ms: number;
  healthMaxMs: number;
  healthCount: number;
  rssBytes: number;
  notWaiting: number;
  statusMedianMs: number;
  /** The same answer's bytes served by a bare node:http server to the same client: the floor for GET /status. */
  statusBareMedianMs: number;
  statusBytes: number;
  /** The daemon's longest event-loop block between "listening on" and settled (test/bench/loop-blocks.mjs). */
  longestBlockMs: number;
  /** Of that block, the daemon's main thread's time on a core and time waiting for one (the machine is shared). */
  longestBlockOnCoreMs: number;
  longestBlockWaitingMs: number;
  /** The most time the main thread spent on a core in any one block: the daemon's own work, whatever the load. */
  mostOnCoreMs: number;
}

function writeSetup(dir: string, connectors: number): string {
  const folders = join(dir, 'folders');
  const entries = [];
  for (let i = 0; i < connectors; i++) {
    const folder = join(folders, `f${i}`);
    mkdirSync(folder, { recursive: true });
    for (let f = 0; f < FILES_PER_FOLDER; f++) writeFileSync(join(folder, `part-${f}.csv`), `id,value\n${f},${i}\n`);
    entries.push({
      connectorName: `Folder${i}Monitor`,
      connectorProvider: 'data-files-monitor',
      endpointAddress: folder,
      refreshTimeInterval: 60,
    });
  }
  const config = {
    serverName: SERVER,
    localServerUserId: 'scaleDL01npa',
    maxPageSize: 1000,
    metadataServer: { name: 'scale-metadata', kind: 'embedded', path: join(dir, 'metadata.db') },
    auditLog: {
      destinations: [
        { kind: 'jsonl', path: join(dir, 'audit', 'audit.jsonl'), maxBytes: 10 * 1024 * 1024, maxFiles: 5 },
        { kind: 'memory', capacity: 10_000 },
      ],
    },
    integrationServices: [{ urlMarker: 'files-integrator', defaultPermittedSynchronization: 'FROM_THIRD_PARTY', connectors: entries }],
  };
  const path = join(dir, 'integration-daemon.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/**
 * One GET; `ms` is from sending the request to the last byte of the answer arriving (its 'end'), so a large
 * answer's joining and decoding, which is the client's own work, is done after the timed part.
 */
function get(url: string): Promise<{ status: number; body: string; ms: number }> {
  return new Promise((resolveGet, reject) => {
    const started = performance.now();
    const req = request(url, { agent, headers: { Authorization: `Bearer ${TOKEN}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - started;
        resolveGet({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms });
      });
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}

const percentile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/**
 * GET /health every 10 ms from a process of its own, from the moment its stdin names the URL until stdin ends; then
 * it prints each request's time (sending to the answer's end, failures included) and when the first 200 came, on the
 * shared clock (performance.timeOrigin + now).
 *
 * A request is sent every 10 ms whether or not the one before has been answered (on up to four connections), so the
 * samples cover start-up evenly in time: one request at a time, sent 10 ms after the last answer, took one sample
 * from a stall of 200 ms and twenty from 200 quiet ms, so the slowest stretches were the least sampled.
 * Before it probes, the process warms its own HTTP client up on a server of its own: a cold client's first request
 * took 9-33 ms of its own (loading and compiling node:http's client side) against a bare server answering warm
 * ones in 1 ms, and that first request, sent right after "listening on", was the slowest sample of most runs.
 */
const HEALTH_PROBE = `
const http = require('node:http');
const PERIOD_MS = 10;
const WARM_UP_REQUESTS = 50;
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const latencies = [];
const details = [];
let firstOkAt = null;
const SCHEDSTAT = '/proc/self/task/' + process.pid + '/schedstat';
const waitingNs = () => {
  try {
    return Number(require('node:fs').readFileSync(SCHEDSTAT, 'utf8').split(' ')[1]);
  } catch {
    return Number.NaN;
  }
};
let url;
let warm = false;
let ticker;
let input = '';
const get = (target, onEnd, onError) => {
  const req = http.get(target, { agent }, (res) => {
    res.resume();
    res.on('end', () => onEnd(res.statusCode));
  });
  req.on('error', onError);
};
const probe = () => {
  const t = performance.now();
  const waitedBefore = waitingNs();
  const finish = (status) => {
    latencies.push(performance.now() - t);
    details.push([performance.timeOrigin + t, performance.now() - t, (waitingNs() - waitedBefore) / 1e6]);
    if (status === 200 && firstOkAt === null) firstOkAt = performance.timeOrigin + performance.now();
  };
  get(url, finish, () => finish(0));
};
const begin = () => {
  if (!warm || url === undefined || ticker !== undefined) return;
  probe();
  ticker = setInterval(probe, PERIOD_MS);
};
const warmUp = http.createServer((_req, res) => res.end('{}'));
warmUp.listen(0, '127.0.0.1', () => {
  const target = 'http://127.0.0.1:' + warmUp.address().port + '/health';
  let left = WARM_UP_REQUESTS;
  const next = () => {
    if (left-- > 0) return get(target, next, next);
    warmUp.close();
    warmUp.closeAllConnections();
    warm = true;
    begin();
  };
  next();
});
process.stdin.setEncoding('utf8').on('data', (c) => {
  input += c;
  if (url === undefined && input.includes('\\n')) {
    url = input.slice(0, input.indexOf('\\n'));
    begin();
  }
});
process.stdin.on('end', () => {
  clearInterval(ticker);
  process.stdout.write(JSON.stringify({ latencies, details, firstOkAt }));
  agent.destroy();
});`;

/** The probe's figures; each detail is [sent at on the shared clock, ms, ms the probe's own thread waited for a core]. */
interface Probed {
  latencies: number[];
  details: [number, number, number][];
  firstOkAt: number | null;
}

function startHealthProbe(): { probe: ChildProcessByStdio<Writable, Readable, null>; probed: Promise<Probed> } {
  const probe = spawn(process.execPath, ['-e', HEALTH_PROBE], { stdio: ['pipe', 'pipe', 'inherit'] });
  const probed = new Promise<Probed>((resolveProbe, reject) => {
    let out = '';
    probe.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    probe.once('exit', (code) => {
      try {
        resolveProbe(JSON.parse(out) as Probed);
      } catch {
        reject(new Error(`BENCH-500-004 The /health probe exited with ${code} without its figures.`));
      }
    });
  });
  return { probe, probed };
}

async function measure(connectors: number): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'startup-bench-'));
  try {
    const configPath = writeSetup(dir, connectors);
    const blocksFile = join(dir, 'loop-blocks.json');
    const { probe: healthProbe, probed: healthProbed } = startHealthProbe();
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [
        // BENCH_CPU_PROF=DIR writes the daemon's CPU profile there, to see what holds start-up up.
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
        '--import',
        pathToFileURL(join(ROOT, 'test/bench/loop-blocks.mjs')).href,
        join(ROOT, 'bin/integration-daemon.mjs'),
        'serve',
        '--config',
        configPath,
        '--port',
        '0',
        '--state-dir',
        join(dir, 'state'),
      ],
      {
        cwd: dir,
        env: { ...process.env, INTEGRATION_DAEMON_TOKEN: TOKEN, BENCH_LOOP_BLOCKS: blocksFile },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening on" within ${SETTLE_LIMIT_MS} ms:\n${output}`)), SETTLE_LIMIT_MS);
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        output += c;
        const m = /listening on (http:\/\/\S+)/.exec(output);
        if (m?.[1]) {
          clearTimeout(timer);
          resolveUrl(m[1].replace(/\/+$/, ''));
        }
      });
      child.once('exit', (code) => reject(new Error(`daemon exited with ${code}:\n${output}`)));
    });
    const listening = performance.now();
    const listeningAt = Date.now();
    const since = (): number => performance.now() - listening;
    const base = `${url}/servers/${SERVER}/open-metadata/integration-daemon/users/garygeeke`;

    let eventStreamFirstByteMs = Number.NaN;
    let eventStreamSnapshotMs = Number.NaN;
    // Settled is watched on the event stream, as the console sees it: the hello's statuses, then each
    // connector-status event. Polling GET /status (megabytes at 10,000 connectors) a few times a second would make
    // the bench's own requests the start-up's largest load; GET /status is measured once settled, below.
    const statuses = new Map<string, boolean>();
    let unsettled = 0;
    let streamSettledMs = Number.NaN;
    let onStreamSettled: () => void = () => undefined;
    const streamSettled = new Promise<void>((r) => (onStreamSettled = r));
    const note = (name: string, settledNow: boolean | undefined): void => {
      if (statuses.get(name) === false) unsettled--;
      if (settledNow === undefined) statuses.delete(name);
      else {
        statuses.set(name, settledNow);
        if (!settledNow) unsettled++;
      }
    };
    const seenEvent = (type: string, data: string): void => {
      if (type === 'hello') {
        const hello = JSON.parse(data) as { status: { integrationServiceSummaries: { integrationConnectorReports: Report[] }[] } };
        statuses.clear();
        unsettled = 0;
        for (const r of hello.status.integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports)) {
          note(r.connectorName, settledReport(r));
        }
      } else if (type === 'connector-status') {
        const { report } = JSON.parse(data) as { report: Report };
        note(report.connectorName, settledReport(report));
      } else if (type === 'connector-removed') {
        note((JSON.parse(data) as { connectorName: string }).connectorName, undefined);
      } else return;
      if (Number.isNaN(streamSettledMs) && statuses.size === connectors && unsettled === 0) {
        streamSettledMs = since();
        onStreamSettled();
      }
    };
    let settled = false;
    let stream: ReturnType<typeof request> | undefined;
    // A stream that ends (cut off as a slow reader) is opened again, as the console does, and starts from a hello.
    const openStream = (): void => {
      const opened = request(`${base}/events`, { headers: { Authorization: `Bearer ${TOKEN}` } }, (res) => {
        let seen = '';
        let scanFrom = 0;
        res.setEncoding('utf8').on('data', (c: string) => {
          if (Number.isNaN(eventStreamFirstByteMs)) eventStreamFirstByteMs = since();
          seen += c;
          let end: number;
          let taken = 0;
          // From where the last look stopped: a hello of megabytes arrives in many chunks.
          while ((end = seen.indexOf('\n\n', Math.max(taken, scanFrom))) >= 0) {
            const block = seen.slice(taken, end);
            taken = end + 2;
            scanFrom = 0;
            const type = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (type === 'hello' && Number.isNaN(eventStreamSnapshotMs)) eventStreamSnapshotMs = since();
            if (type !== undefined && data !== undefined) seenEvent(type, data);
          }
          seen = seen.slice(taken);
          scanFrom = Math.max(0, seen.length - 1);
        });
        res.on('close', () => {
          if (!settled && since() < SETTLE_LIMIT_MS) openStream();
        });
      });
      opened.on('error', () => undefined);
      opened.end();
      stream = opened;
    };
    openStream();

    // /health is probed from a process of its own: this one reads the event stream, and at 10,000 connectors
    // joining and parsing its 16 MB hello stalls this process for about a second, which a prober here would have
    // counted as the daemon's latency (the daemon's own longest loop block meanwhile was about 50 ms).
    healthProbe.stdin.write(`${url}/health\n`);
    const stopHealthProbe = (): void => {
      if (!healthProbe.stdin.writableEnded) healthProbe.stdin.end();
    };
    let notWaiting = connectors;
    let settledMs = Number.NaN;
    await Promise.race([streamSettled, new Promise((w) => setTimeout(w, SETTLE_LIMIT_MS).unref())]);
    const settledOnStream = streamSettledMs;
    const settledAtOnStream = Date.now();
    // Start-up is over: the confirming GET /status below is not part of it.
    if (!Number.isNaN(settledOnStream)) {
      settled = true;
      stopHealthProbe();
    }
    // Confirmed by GET /status; polled until then when the stream did not see it.
    while (since() < SETTLE_LIMIT_MS) {
      const r = await get(`${base}/status`).catch(() => ({ status: 0, body: '' }));
      if (r.status === 200) {
        const status = JSON.parse(r.body) as { integrationServiceSummaries: { integrationConnectorReports: Report[] }[] };
        const reports = status.integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports);
        notWaiting = reports.filter((c) => !settledReport(c)).length;
        if (reports.length === connectors && notWaiting === 0) {
          settledMs = Number.isNaN(settledOnStream) ? since() : settledOnStream;
          break;
        }
      }
      await new Promise((w) => setTimeout(w, 250));
    }
    settled = true;
    stopHealthProbe();
    const settledAt = settledMs === settledOnStream ? settledAtOnStream : Date.now();
    const probed = await healthProbed;
    const latencies = probed.latencies.sort((a, b) => a - b);
    const firstHealthMs = probed.firstOkAt === null ? Number.NaN : probed.firstOkAt - (performance.timeOrigin + listening);
    // GET /status once settled: the median of 50 answers (the report is kept, not rebuilt per request), each timed
    // from sending the request to the answer's last byte (see get), like the bare server's below.
    const statusTimes: number[] = [];
    let statusBody = '';
    for (let i = 0; i < 50; i++) {
      const answer = await get(`${base}/status`);
      statusBody = answer.body;
      statusTimes.push(answer.ms);
    }
    statusTimes.sort((a, b) => a - b);
    const statusMedianMs = percentile(statusTimes, 0.5);
    const rssBytes = rssOf(child.pid ?? 0);
    stream?.destroy();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    const blocks = (JSON.parse(readFileSync(blocksFile, 'utf8')) as [number, number, number, number][]).filter(
      ([at, ms]) => at - ms >= listeningAt && at <= settledAt,
    );
    const longest = blocks.reduce<[number, number, number, number]>((a, b) => (b[1] > a[1] ? b : a), [0, 0, 0, 0]);
    const [, longestBlockMs, longestBlockOnCoreMs, longestBlockWaitingMs] = longest;
    const mostOnCoreMs = Math.max(0, ...blocks.map(([, , onCore]) => onCore));
    // The distribution and the slowest probes with when they were sent, beside the loop's blocks: one figure (the
    // max of a few dozen probes) says little on a shared machine without them.
    const listeningOnClock = performance.timeOrigin + listening;
    const slowest = [...probed.details].sort((a, b) => b[1] - a[1]).slice(0, 5);
    console.log(
      `  ${connectors} connectors, /health: p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p90 ${percentile(latencies, 0.9).toFixed(1)} ms; slowest ` +
        slowest
          .map(
            ([at, ms, waited]) =>
              `${ms.toFixed(1)} ms sent at +${(at - listeningOnClock).toFixed(0)} ms (probe waited ${waited.toFixed(1)})`,
          )
          .join(', '),
    );
    console.log(
      `  ${connectors} connectors, loop blocks (end since listening, length, on a core / waiting): ` +
        blocks.map(([at, ms, onCore, waiting]) => `+${at - listeningAt} ${ms} (${onCore}/${waiting})`).join(', '),
    );
    const bare = await bareStatusMedian(Buffer.from(statusBody, 'utf8'));
    return {
      statusBytes: Buffer.byteLength(statusBody, 'utf8'),
      statusBareMedianMs: bare,
      connectors,
      listeningMs: listening - started,
      firstHealthMs,
      eventStreamFirstByteMs,
      eventStreamSnapshotMs,
      settledMs,
      healthP99Ms: percentile(latencies, 0.99),
      healthMaxMs: latencies.at(-1) ?? 0,
      healthCount: latencies.length,
      rssBytes,
      notWaiting,
      statusMedianMs,
      longestBlockMs,
      longestBlockOnCoreMs,
      longestBlockWaitingMs,
      mostOnCoreMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A bare node:http server in a process of its own, as the daemon is, serving the file argv[1]; prints its port. */
const BARE_SERVER = `
const body = require('node:fs').readFileSync(process.argv[1]);
const server = require('node:http').createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));`;

/**
 * The median of 50 GETs of `body` from a bare node:http server, with the client the daemon's answers were read by.
 * The server runs in its own process like the daemon, so both answers cross the same process boundary: on a loaded
 * machine a server in the client's own process skips the scheduling wake-ups a 1.65 MB answer takes.
 */
async function bareStatusMedian(body: Buffer): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bare-status-'));
  const file = join(dir, 'status.json');
  writeFileSync(file, body);
  const server = spawn(process.execPath, ['-e', BARE_SERVER, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolvePort, reject) => {
      let out = '';
      server.stdout.setEncoding('utf8').on('data', (c: string) => {
        out += c;
        const m = /^(\d+)\n/.exec(out);
        if (m?.[1]) resolvePort(Number(m[1]));
      });
      server.once('exit', (code) => reject(new Error(`the bare server exited with ${code}`)));
    });
    const times: number[] = [];
    for (let i = 0; i < 50; i++) times.push((await get(`http://127.0.0.1:${port}/status`)).ms);
    times.sort((a, b) => a - b);
    return percentile(times, 0.5);
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

const one = await measure(1);
const many = await measure(CONNECTORS);
agent.destroy();
const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MB`;
for (const s of [one, many]) {
  console.log(
    `${String(s.connectors).padStart(6)} connectors: listening after ${(s.listeningMs / 1000).toFixed(1)} s; from then: /health ${s.firstHealthMs.toFixed(0)} ms, ` +
      `event stream first byte ${s.eventStreamFirstByteMs.toFixed(0)} ms, snapshot ${s.eventStreamSnapshotMs.toFixed(0)} ms, ` +
      `settled ${(s.settledMs / 1000).toFixed(1)} s${s.notWaiting > 0 ? ` (${s.notWaiting} not settled)` : ''}; ` +
      `/health p99 ${s.healthP99Ms.toFixed(1)} ms, max ${s.healthMaxMs.toFixed(1)} ms over ${s.healthCount}; ` +
      `longest loop block ${s.longestBlockMs} ms (${s.longestBlockOnCoreMs} on a core, ${s.longestBlockWaitingMs} waiting for one; ` +
      `most on a core in one block ${s.mostOnCoreMs} ms); RSS ${mb(s.rssBytes)}; GET /status median ${s.statusMedianMs.toFixed(1)} ms`,
  );
}
console.log(
  `GET /status at ${many.connectors} connectors: ${(many.statusBytes / 1024).toFixed(0)} KiB, median ${many.statusMedianMs.toFixed(1)} ms; ` +
    `bare node:http serving the same bytes to the same client ${many.statusBareMedianMs.toFixed(1)} ms`,
);
const perConnector = (many.rssBytes - one.rssBytes) / Math.max(1, many.connectors - one.connectors);
console.log(`bytes per connector: ${(perConnector / 1024).toFixed(0)} KiB (RSS difference between ${many.connectors} and 1 connector)`);
const n = many.connectors;
const answeredMs = Math.max(many.firstHealthMs, many.eventStreamSnapshotMs);
console.log(`figure: startup-${n}-api-ms ${answeredMs.toFixed(0)}`);
console.log(`figure: startup-${n}-health-p99-ms ${many.healthP99Ms.toFixed(1)}`);
console.log(`figure: startup-${n}-longest-block-ms ${many.longestBlockMs}`);
console.log(`figure: startup-${n}-settled-s ${(many.settledMs / 1000).toFixed(1)}`);
console.log(`figure: startup-${n}-rss-mb ${(many.rssBytes / 1024 / 1024).toFixed(0)}`);
console.log(`figure: startup-${n}-bytes-per-connector ${perConnector.toFixed(0)}`);
console.log(`figure: status-${n}-connectors-ms ${many.statusMedianMs.toFixed(1)}`);
console.log(`figure: status-${n}-bare-http-ms ${many.statusBareMedianMs.toFixed(1)}`);
