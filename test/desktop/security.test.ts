// The console window's security settings and guards: web preferences, CSP, navigation, new windows, app:// files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  SECURE_WEB_PREFERENCES,
  navigationAllowed,
  permissionAllowed,
  resolveAppRequest,
  windowOpenDecision,
} from '../../electron/desktop/security.js';
import { plainNodeForDaemon, PLAIN_NODE_ENV } from '../../electron/desktop/node-launcher.js';
import { installSecurityGuards } from '../../electron/desktop/electron-main.js';
import { FakeElectron, FakeWebContents } from './fake-electron.js';

const root = mkdtempSync(join(tmpdir(), 'desktop-security-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('window security', () => {
  it('isolates the page: context isolation, sandbox, no Node, no webviews', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('has a strict CSP: nothing by default, no inline scripts, no eval, no remote connections', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('allows navigation only within the console page', () => {
    expect(navigationAllowed('app://console/index.html#/daemon/local')).toBe(true);
    expect(navigationAllowed('https://example.com/')).toBe(false);
    expect(navigationAllowed('file:///etc/passwd')).toBe(false);
    expect(navigationAllowed('app://other/index.html')).toBe(false);
  });

  it('denies every new window and hands only https links to the browser', () => {
    expect(windowOpenDecision('https://egeria-project.org/services/omis/')).toEqual({
      action: 'deny',
      openExternally: 'https://egeria-project.org/services/omis/',
    });
    expect(windowOpenDecision('http://example.com')).toEqual({ action: 'deny' });
    expect(windowOpenDecision('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(windowOpenDecision('https://user:pw@example.com')).toEqual({ action: 'deny' });
    expect(windowOpenDecision('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(permissionAllowed()).toBe(false);
  });

  it('serves only files inside the console directory', () => {
    expect(resolveAppRequest('app://console/index.html', root)).toBe(join(root, 'index.html'));
    expect(resolveAppRequest('app://console/', root)).toBe(join(root, 'index.html'));
    expect(resolveAppRequest('app://console/assets/app.js?v=1', root)).toBe(join(root, 'assets', 'app.js'));
    expect(resolveAppRequest('app://console/..%2f..%2fetc/passwd', root)).toBeUndefined();
    // The URL parser already folds %2e%2e segments, so this one stays inside the root.
    expect(resolveAppRequest('app://console/%2e%2e/secret', root)).toBe(join(root, 'secret'));
    expect(resolveAppRequest('app://console/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret', root)).toBeUndefined();
    expect(resolveAppRequest('app://console/a%00b', root)).toBeUndefined();
    expect(resolveAppRequest('app://elsewhere/index.html', root)).toBeUndefined();
    expect(resolveAppRequest('https://console/index.html', root)).toBeUndefined();
  });

  it("lets the environment pick the local daemon's Node only in unpackaged runs", () => {
    expect(plainNodeForDaemon(false, { [PLAIN_NODE_ENV]: '/usr/bin/node' })).toBe('/usr/bin/node');
    expect(plainNodeForDaemon(true, { [PLAIN_NODE_ENV]: '/tmp/evil' })).toBeUndefined();
    expect(plainNodeForDaemon(false, { [PLAIN_NODE_ENV]: '' })).toBeUndefined();
    expect(plainNodeForDaemon(false, {})).toBeUndefined();
  });

  it('guards every web contents the app creates: redirects away, webviews and new windows are stopped', () => {
    const electron = new FakeElectron(join(root, 'guards'));
    installSecurityGuards(electron);
    const contents = new FakeWebContents();
    electron.emitApp('web-contents-created', {}, contents);
    const attempt = (event: string, ...args: unknown[]) => {
      const e = {
        defaultPrevented: false,
        preventDefault() {
          this.defaultPrevented = true;
        },
      };
      contents.emit(event, e, ...args);
      return e.defaultPrevented;
    };
    expect(attempt('will-navigate', 'https://example.com/')).toBe(true);
    expect(attempt('will-navigate', 'app://console/index.html#/x')).toBe(false);
    expect(attempt('will-redirect', 'https://example.com/')).toBe(true);
    expect(attempt('will-attach-webview', {}, {})).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'http://example.com/' })).toEqual({ action: 'deny' });
    expect(electron.opened).toEqual([]);
  });
});
