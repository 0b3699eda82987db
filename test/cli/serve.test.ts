// `integration-daemon serve` end to end as the package's bin in a child process: the real Daemon on a demo
// configuration, port 0, the `listening on` line, the token file, the client commands against it, SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedExamples } from '../engine/rest/seed.js';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/integration-daemon.mjs');

interface Started {
  child: ChildProcess;
  url: string;
  lines: string[];
  stderr: () => string;
  exit: Promise<number | null>;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => done({ code, out, err }));
  });
}

function serve(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], {
    cwd: root,
    env: { ...process.env, INTEGRATION_DAEMON_TOKEN: '', ...env },
  });
  const lines: string[] = [];
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no listening line within 30 s; stdout:\n${lines.join('\n')}\nstderr:\n${err}`)), 30_000);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      lines.push(line);
      const match = /^listening on (http:\/\/\S+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        done({ child, url: match[1] as string, lines, stderr: () => err, exit });
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      fail(new Error(`serve exited with ${code} before listening; stderr:\n${err}`));
    });
  });
}

let dir: string;
let config: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'serve-'));
  const demo = await cli(['demo', '--data-dir', join(dir, 'data')]);
  expect(demo.code).toBe(0);
  config = demo.out.trim();
  writeFileSync(join(dir, 'data', 'landing-area', 'a.csv'), 'id\n1\n');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('integration-daemon serve', () => {
  it('serves the real daemon: listening line, token file 0600, status and clients, SIGTERM exits 0', async () => {
    const stateDir = join(dir, 'state');
    const started = await serve(['--config', config, '--port', '0', '--state-dir', stateDir]);
    try {
      expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(started.url).not.toMatch(/:0$/);
      expect(started.lines.filter((l) => l.startsWith('listening on'))).toHaveLength(1);
      const tokenFile = join(stateDir, 'token');
      expect(started.lines).toContain(`token file ${tokenFile}`);
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      // The seed's start-up sequence was printed by the console audit destination before the server listened.
      expect(started.lines.some((l) => l.includes('INTEGRATION-DAEMON-SERVICES-0013'))).toBe(true);

      const status = await cli(['status', '--json', '--url', started.url, '--token-file', tokenFile]);
      expect(status.err).toBe('');
      expect(status.code).toBe(0);
      const json = JSON.parse(status.out) as {
        serverName: string;
        integrationServiceSummaries: {
          integrationServiceURLMarker: string;
          integrationConnectorReports: { connectorName: string; connectorStatus: string }[];
        }[];
      };
      expect(json.serverName).toBe('exchangeDL01');
      const files = json.integrationServiceSummaries.find((s) => s.integrationServiceURLMarker === 'files-integrator');
      expect(files?.integrationConnectorReports.map((r) => r.connectorName).sort()).toEqual([
        'LandingAreaFilesMonitor',
        'LandingAreaFolderMonitor',
      ]);

      const raw = await fetch(`${started.url}/servers/exchangeDL01/open-metadata/integration-daemon/users/exchangeDL01npa/status`, {
        headers: { Authorization: `Bearer ${readFileSync(tokenFile, 'utf8').trim()}` },
      });
      const body = (await raw.json()) as Record<string, unknown>;
      // The seed's shape, field by field, with our extensions beside it.
      expect(body.class).toBe('IntegrationDaemonStatusResponse');
      expect(body.relatedHTTPCode).toBe(200);
      const summary = (body.integrationServiceSummaries as Record<string, unknown>[])[0] as Record<string, unknown>;
      const seedSummary = (seedExamples().statusRunning as { integrationServiceSummaries: object[] })
        .integrationServiceSummaries[0] as object;
      expect(Object.keys(summary)).toEqual(Object.keys(seedSummary));
      expect(summary.integrationServiceId).toBe(4005);
      const report = (summary.integrationConnectorReports as Record<string, unknown>[])[0] as Record<string, unknown>;
      expect(Object.keys(report)).toEqual(
        expect.arrayContaining(['connectorName', 'connectorStatus', 'minMinutesBetweenRefresh', 'connectorId']),
      );

      await expect
        .poll(async () => (await cli(['metadata-elements', '--json', '--url', started.url, '--token-file', tokenFile])).out, {
          timeout: 15_000,
          interval: 500,
        })
        .toContain('a.csv');
      const restart = await cli(['restart', '--connector', 'LandingAreaFilesMonitor', '--url', started.url, '--token-file', tokenFile]);
      expect(restart.code).toBe(0);
      const ghost = await cli(['restart', '--connector', 'Ghost', '--url', started.url, '--token-file', tokenFile]);
      expect(ghost.code).toBe(1);
      expect(ghost.err).toContain('INTEGRATION-DAEMON-SERVICES-400-031');
    } finally {
      started.child.kill('SIGTERM');
    }
    expect(await started.exit).toBe(0);
    expect(started.lines.some((l) => l.includes('INTEGRATION-DAEMON-SERVICES-0026') || l.includes('Shutdown'))).toBe(true);
  }, 90_000);

  it('keeps the generated token across restarts and honours INTEGRATION_DAEMON_TOKEN', async () => {
    const stateDir = join(dir, 'state2');
    const first = await serve(['--config', config, '--port', '0', '--state-dir', stateDir]);
    const token = readFileSync(join(stateDir, 'token'), 'utf8');
    first.child.kill('SIGINT');
    expect(await first.exit).toBe(0);
    const fromEnv = 'env-token-0123456789abcdef';
    const second = await serve(['--config', config, '--port', '0', '--state-dir', stateDir], { INTEGRATION_DAEMON_TOKEN: fromEnv });
    try {
      expect(readFileSync(join(stateDir, 'token'), 'utf8')).toBe(token);
      expect(second.lines).toContain('token from INTEGRATION_DAEMON_TOKEN');
      const ok = await fetch(`${second.url}/servers/exchangeDL01/open-metadata/integration-daemon/users/u/status`, {
        headers: { Authorization: `Bearer ${fromEnv}` },
      });
      expect(ok.status).toBe(200);
    } finally {
      second.child.kill('SIGTERM');
    }
    expect(await second.exit).toBe(0);
  }, 90_000);

  it('a configuration error prints every problem and exits 2; a taken port exits 1', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ serverName: 'x', integrationServices: [{ urlMarker: 'nope-integrator', connectors: [] }], extra: 1 }),
    );
    const result = await cli(['serve', '--config', bad, '--port', '0', '--state-dir', join(dir, 'state3')]);
    expect(result.code).toBe(2);
    expect(result.err.match(/INTEGRATION-DAEMON-CONFIG-400-\d{3}/g)?.length).toBeGreaterThanOrEqual(2);
    expect(result.err).not.toMatch(/\n\s+at /);
    expect(result.out).not.toContain('listening on');

    const holder = await serve(['--config', config, '--port', '0', '--state-dir', join(dir, 'state4')]);
    try {
      const port = new URL(holder.url).port;
      mkdirSync(join(dir, 'state5'));
      const clash = await cli(['serve', '--config', config, '--port', port, '--state-dir', join(dir, 'state5')]);
      expect(clash.code).toBe(1);
      expect(clash.err).toContain(`INTEGRATION-DAEMON-CLI-500-001 Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      holder.child.kill('SIGTERM');
    }
    expect(await holder.exit).toBe(0);
  }, 90_000);

  it('bad serve arguments exit 2 without a stack', async () => {
    const result = await cli(['serve', '--config', config, '--port', 'http']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('INTEGRATION-DAEMON-CLI-400-013');
    expect(result.err).not.toMatch(/\n\s+at /);
  }, 30_000);
});
