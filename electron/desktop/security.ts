// The console window's security settings and request guards (Electron's security checklist: isolation, sandbox,
// no Node in the page, a strict CSP, no navigation or new windows). Pure values and functions, so tests assert them
// without Electron.
import { resolve, sep } from 'node:path';
import { APP_ORIGIN, isOwnPage } from './ipc-validation.js';

/** webPreferences for the console window; `preload` is added by the caller. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false,
} as const;

/**
 * The console talks to daemons only through the preload's IPC object, so it needs no network at all: no
 * connect-src beyond its own origin, scripts and styles from its own files only.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** will-navigate / will-redirect: only our own page (in-page hash changes do not fire these). */
export function navigationAllowed(url: string): boolean {
  return isOwnPage(url);
}

/** setWindowOpenHandler: never a new Electron window; https links go to the system browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally?: string } {
  try {
    const u = new URL(url);
    if (u.protocol === 'https:' && u.username === '' && u.password === '') return { action: 'deny', openExternally: u.toString() };
  } catch {
    // Not a URL: nothing to open.
  }
  return { action: 'deny' };
}

/** Permission requests (camera, notifications, clipboard, …): the console needs none. */
export function permissionAllowed(): boolean {
  return false;
}

/**
 * Maps an `app://console/...` request to a file inside `root` (the built console), or undefined for anything
 * else: another host, encoded traversal (`%2e%2e`), or a path that resolves outside the root.
 */
export function resolveAppRequest(requestUrl: string, root: string): string | undefined {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== APP_ORIGIN.protocol || url.host !== APP_ORIGIN.host) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  const base = resolve(root);
  const file = resolve(base, `.${path === '/' ? '/index.html' : path}`);
  return file === base || !file.startsWith(base + sep) ? undefined : file;
}
