// The console's Content-Type table, served by the daemon at /console/ and by the desktop at app://console/.
import { extname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeFor, extensionOf, FALLBACK_CONTENT_TYPE } from '../../../shared/logic/content-types.js';

describe('console content types', () => {
  it('names the type of every kind of file a console build holds', () => {
    expect(contentTypeFor('/srv/console/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('assets/index-3f2a.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('assets/INDEX.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('C:\\app\\renderer\\icon.svg')).toBe('image/svg+xml');
    expect(contentTypeFor('fonts/inter.woff2')).toBe('font/woff2');
  });

  it('serves anything else as opaque bytes', () => {
    expect(contentTypeFor('README')).toBe(FALLBACK_CONTENT_TYPE);
    expect(contentTypeFor('archive.tar.exe')).toBe(FALLBACK_CONTENT_TYPE);
    expect(contentTypeFor('/srv/.html')).toBe(FALLBACK_CONTENT_TYPE);
  });

  it('finds the extension the way Node does', () => {
    for (const path of ['a.js', 'dir.d/file', '.env', 'x/.hidden.css', 'a.b.c.HTML', 'trailing.', 'plain', '/abs/p.map', 'a..b'])
      expect(extensionOf(path), path).toBe(extname(path).toLowerCase());
  });
});
