// The Content-Type of each file the built console consists of. The daemon serves the console at /console/ and the
// desktop app at app://console/; both answer from this one table, so a file never changes type between the two.

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** What unknown files are served as: never sniffed into something executable (the servers add nosniff). */
export const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

/**
 * The extension of the last path segment, lower-cased, as Node's `path.extname` gives it (`.js`; '' for `README`
 * and for dot-files such as `.env`). Written out because shared code has no `node:path`.
 */
export function extensionOf(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/** The Content-Type of a console file by its extension. */
export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extensionOf(path)] ?? FALLBACK_CONTENT_TYPE;
}
