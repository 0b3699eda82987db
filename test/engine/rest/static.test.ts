// The console's static files: content types, CSP, index fallback, and every traversal attempt refused.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from './fixture.js';

let f: Fixture;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'console-static-'));
  const dir = join(root, 'console');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'app-1234.css'), 'body{}');
  writeFileSync(join(dir, 'assets', 'icon.svg'), '<svg/>');
  writeFileSync(join(root, 'secret.txt'), 'token=do-not-serve');
  symlinkSync(join(root, 'secret.txt'), join(dir, 'assets', 'link.txt'));
  f = await startFixture({ consoleDir: dir });
});
afterAll(async () => {
  await f.server.close();
  rmSync(root, { recursive: true, force: true });
});

/** Sends the path exactly as written (fetch would normalise `..` away before it reaches the server). */
function rawGet(path: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(f.server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('end', () => resolve({ status: Number(data.split(' ')[1]), text: data }));
    socket.on('error', reject);
  });
}

describe('console static files', () => {
  it('serves index.html at /console/ without a token, with the strict CSP', async () => {
    const response = await fetch(`${f.server.url}/console/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('<title>console</title>');
    const csp = response.headers.get('content-security-policy') as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:* http://localhost:* https:;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('redirects /console to /console/', async () => {
    const response = await fetch(`${f.server.url}/console`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/console/');
  });

  it('answers assets with their content types', async () => {
    const types: Record<string, string> = {
      'assets/app-1234.js': 'text/javascript; charset=utf-8',
      'assets/app-1234.css': 'text/css; charset=utf-8',
      'assets/icon.svg': 'image/svg+xml',
    };
    for (const [path, type] of Object.entries(types)) {
      const response = await fetch(`${f.server.url}/console/${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
    }
  });

  it('keeps content-named assets for good and revalidates the rest with an ETag', async () => {
    const asset = await fetch(`${f.server.url}/console/assets/app-1234.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const path of ['', 'daemons/local', 'assets/']) {
      const page = await fetch(`${f.server.url}/console/${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      const etag = page.headers.get('etag') as string;
      expect(etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
      const again = await fetch(`${f.server.url}/console/${path}`, { headers: { 'If-None-Match': `"other", ${etag}` } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
    const changed = await fetch(`${f.server.url}/console/`, { headers: { 'If-None-Match': 'W/"0-0"' } });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain('<title>console</title>');
  });

  it('falls back to index.html for client routes, but a missing asset stays 404', async () => {
    const route = await fetch(`${f.server.url}/console/daemons/local`);
    expect(route.status).toBe(200);
    expect(route.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await fetch(`${f.server.url}/console/assets/missing.js`)).status).toBe(404);
  });

  it('refuses every traversal attempt', async () => {
    for (const path of [
      '/console/../secret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/%2E%2E%2Fsecret.txt',
      '/console/assets/..%2f..%2fsecret.txt',
      '/console/..%5csecret.txt',
      '/console/assets/link.txt',
      '/console/%00index.html',
    ]) {
      const { status, text } = await rawGet(path);
      expect(text, path).not.toContain('do-not-serve');
      expect([400, 401, 404], path).toContain(status);
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await fetch(`${f.server.url}/console/index.html`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${f.server.url}/console/index.html`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('37');
  });
});
