// The workbench from the real CLI (bin/integration-daemon.mjs in child processes): `serve` answering /console/
// (the built console, or a 404 that says why, never a 401), `--no-console`, `test NAME` and `test --entry`, and
// `metadata-elements --connector --archived`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FFDCErrorResponse } from '../../shared/api/types.js';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/integration-daemon.mjs');
const TOKEN = 'workbench-cli-token-0123456789';

function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, INTEGRATION_DAEMON_TOKEN: TOKEN } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => done({ code, out, err }));
  });
}

async function serve(args: string[]): Promise<{ child: ChildProcess; url: string; lines: string[] }> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], { cwd: root, env: { ...process.env, INTEGRATION_DAEMON_TOKEN: TOKEN } });
  const lines: string[] = [];
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no console line within 30 s; stderr:\n${err}`)), 30_000);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      lines.push(line);
      if (/^(console at|no console)/.test(line)) {
        clearTimeout(timer);
        const url = lines.map((l) => /^listening on (\S+)$/.exec(l)?.[1]).find((u) => u !== undefined) as string;
        done({ child, url, lines });
      }
    });
    child.on('exit', (code) => fail(new Error(`serve exited with ${code}; stderr:\n${err}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((done) => child.on('exit', done));
  child.kill('SIGTERM');
  await exited;
}

let dir: string;
let config: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'workbench-cli-'));
  const demo = await cli(['demo', '--data-dir', join(dir, 'data')]);
  expect(demo.code).toBe(0);
  config = demo.out.trim();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('serve and the console', () => {
  it('serves the built console at /console/ by default, or says why it cannot; --no-console turns it off', async () => {
    const plain = await serve(['--config', config, '--port', '0', '--state-dir', join(dir, 'state-a')]);
    try {
      const page = await fetch(`${plain.url}/console/`);
      if (existsSync(join(root, 'dist/renderer/index.html'))) {
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toContain('text/html');
        expect(plain.lines).toContain(`console at ${plain.url}/console/`);
      } else {
        expect(page.status).toBe(404);
        expect(((await page.json()) as FFDCErrorResponse).exceptionUserAction).toContain('npm run build:console');
      }
    } finally {
      await stop(plain.child);
    }
    const off = await serve(['--config', config, '--port', '0', '--state-dir', join(dir, 'state-b'), '--no-console']);
    try {
      const page = await fetch(`${off.url}/console/`);
      expect(page.status).toBe(404);
      const body = (await page.json()) as FFDCErrorResponse;
      expect(body.exceptionErrorMessageId).toBe('INTEGRATION-DAEMON-REST-404-002');
      expect(body.exceptionErrorMessage).toContain('--no-console');
      expect(off.lines).toContain('no console: it was started with --no-console');
    } finally {
      await stop(off.child);
    }
  }, 90_000);
});

describe('test and metadata-elements', () => {
  it('tests a configured connector and an entry from a file step by step; lists the catalogue by connector', async () => {
    const daemon = await serve(['--config', config, '--port', '0', '--state-dir', join(dir, 'state-c'), '--no-console']);
    const common = ['--url', daemon.url];
    try {
      const good = await cli(['test', 'LandingAreaFilesMonitor', ...common]);
      expect(good.code).toBe(0);
      expect(good.out).toMatch(/^ok {4}directory exists/m);
      expect(good.out).toContain('every step passed');

      const entry = join(dir, 'entry.json');
      writeFileSync(
        entry,
        JSON.stringify({ connectorName: 'Elsewhere', connectorProvider: 'data-files-monitor', endpointAddress: join(dir, 'missing') }),
      );
      const bad = await cli(['test', '--entry', entry, '--service', 'files-integrator', ...common]);
      expect(bad.code).toBe(1);
      expect(bad.out).toMatch(/^FAIL {2}directory exists .*BASIC-FILES-INTEGRATION-CONNECTORS-404-001/m);
      expect(bad.out).toMatch(/fix: Create the directory/);
      expect(bad.out).toMatch(/^skip {2}is a directory/m);

      const unknown = await cli(['test', '--entry', entry, '--service', 'files-integratr', ...common]);
      expect(unknown.code).toBe(1);
      expect(unknown.err).toContain('files-integratr');

      const usage = await cli(['test', ...common]);
      expect(usage.code).toBe(2);

      let listed = await cli(['metadata-elements', '--connector', 'LandingAreaFilesMonitor', '--json', ...common]);
      for (let i = 0; i < 100 && JSON.parse(listed.out).length === 0; i++) {
        await new Promise((r) => setTimeout(r, 200));
        listed = await cli(['metadata-elements', '--connector', 'LandingAreaFilesMonitor', '--json', ...common]);
      }
      const live = JSON.parse(listed.out) as { qualifiedName: string; connectorName: string }[];
      expect(live.length).toBeGreaterThan(0);
      expect(live.every((e) => e.connectorName === 'LandingAreaFilesMonitor')).toBe(true);

      unlinkSync(join(dir, 'data', 'landing-area', live[0]?.qualifiedName.split('/').at(-1) ?? ''));
      expect((await cli(['refresh', '--connector', 'LandingAreaFilesMonitor', ...common])).code).toBe(0);
      let archived: { archived: boolean }[] = [];
      for (let i = 0; i < 100 && archived.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 200));
        archived = JSON.parse(
          (await cli(['metadata-elements', '--connector', 'LandingAreaFilesMonitor', '--archived', 'only', '--json', ...common])).out,
        );
      }
      expect(archived).toHaveLength(1);
      const all = JSON.parse(
        (await cli(['metadata-elements', '--connector', 'LandingAreaFilesMonitor', '--archived', 'include', '--json', ...common])).out,
      );
      expect(all).toHaveLength(live.length);
      expect((await cli(['metadata-elements', '--archived', 'sometimes', ...common])).code).toBe(2);
    } finally {
      await stop(daemon.child);
    }
  }, 120_000);
});
