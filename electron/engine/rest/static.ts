// Serves the built console (renderer) at /console/. The files hold no data, so no token is needed; the data
// comes from the REST API, which does need one. Paths are resolved inside the console directory only. The build
// names every file under assets/ by its content, so those are cached for good; the rest (index.html) is revalidated
// on each load with its ETag, so a reloaded console costs one 304 per file instead of a download.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { contentTypeFor } from '../../../shared/logic/content-types.js';

export const CONSOLE_PREFIX = '/console/';

/**
 * The console's CSP. Scripts, styles, images and fonts only from this daemon. `connect-src` allows this daemon,
 * any loopback daemon on any port (the desktop's local daemon, a second local one) and, for remote daemons, any
 * HTTPS origin: the operator adds remote daemons at run time, so their origins cannot be listed when the page is
 * served, and a bearer token should only travel to a remote host over TLS (the console refuses a remote daemon on
 * plain HTTP for the same reason). Chromium refuses IPv6 literals in host sources, so a daemon on [::1] is reached
 * as localhost.
 */
export function consoleCsp(): string {
  const connect = ["'self'", 'http://127.0.0.1:*', 'http://localhost:*', 'https:'];
  return [
    "default-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface StaticResult {
  status: number;
  message?: string;
}

/**
 * Answers a request whose path starts with /console (already checked by the caller). Returns the status sent so
 * the caller can log it; never throws for a missing or hostile path.
 */
export async function serveConsoleFile(
  request: IncomingMessage,
  response: ServerResponse,
  consoleDir: string,
  pathname: string,
  csp: string,
): Promise<StaticResult> {
  const common = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
  const plain = (status: number, text: string, extra: Record<string, string> = {}): StaticResult => {
    response.writeHead(status, { ...common, 'Content-Type': 'text/plain; charset=utf-8', ...extra });
    response.end(request.method === 'HEAD' ? undefined : text);
    return { status, message: text };
  };

  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return plain(405, 'The console only answers GET and HEAD.', { Allow: 'GET, HEAD' });
  }
  if (pathname === '/console') {
    response.writeHead(301, { ...common, Location: CONSOLE_PREFIX });
    response.end();
    return { status: 301 };
  }

  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice(CONSOLE_PREFIX.length));
  } catch {
    return plain(400, 'The console path is not correctly encoded.');
  }
  if (relative.includes('\0')) return plain(400, 'The console path is not valid.');

  const root = await realpath(consoleDir).catch(() => undefined);
  if (root === undefined) return plain(404, `The console directory ${consoleDir} does not exist; build the console first.`);

  const inside = (candidate: string): boolean => candidate === root || candidate.startsWith(root + sep);
  const requested = resolve(root, `.${sep}${relative}`);
  if (!inside(requested)) return plain(404, 'Not found.');

  let file = await existingFile(requested, inside);
  if (file === undefined && (relative === '' || relative.endsWith('/') || extname(relative) === '')) {
    // Directory requests and client-side routes get the app shell; a missing asset stays a 404 so the browser
    // never receives HTML where it expected a script.
    file = await existingFile(resolve(root, 'index.html'), inside);
  }
  if (file === undefined) return plain(404, 'Not found.');

  const validator = {
    ETag: file.etag,
    'Cache-Control': file.path.startsWith(resolve(root, HASHED_ASSETS) + sep) ? CACHED_FOR_GOOD : 'no-cache',
  };
  if (matchesEtag(request.headers['if-none-match'], file.etag)) {
    response.writeHead(304, { ...common, ...validator });
    response.end();
    return { status: 304 };
  }
  const type = contentTypeFor(file.path);
  response.writeHead(200, { ...common, ...validator, 'Content-Type': type, 'Content-Length': String(file.size) });
  if (request.method === 'HEAD') {
    response.end();
    return { status: 200 };
  }
  await new Promise<void>((done) => {
    const stream = createReadStream(file.path);
    stream.on('error', () => {
      response.destroy();
      done();
    });
    stream.on('end', done);
    stream.pipe(response);
  });
  return { status: 200 };
}

const HASHED_ASSETS = 'assets';
const CACHED_FOR_GOOD = 'public, max-age=31536000, immutable';

/** Weak: the same size and modification time stand for the same bytes, which is all a console file needs. */
function etagOf(size: number, mtimeMs: number): string {
  return `W/"${size.toString(16)}-${Math.trunc(mtimeMs).toString(16)}"`;
}

/** `If-None-Match` compares weakly: a list of tags (each with or without `W/`) or `*`. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const bare = (tag: string): string => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

/** The real path of a regular file inside the console directory (symlinks resolved), or undefined. */
async function existingFile(
  candidate: string,
  inside: (p: string) => boolean,
): Promise<{ path: string; size: number; etag: string } | undefined> {
  try {
    const real = await realpath(candidate);
    if (!inside(real)) return undefined;
    const info = await stat(real);
    if (info.isDirectory()) return existingFile(resolve(real, 'index.html'), inside);
    return info.isFile() ? { path: real, size: info.size, etag: etagOf(info.size, info.mtimeMs) } : undefined;
  } catch {
    return undefined;
  }
}
