// Every IPC message from the console window checked before a handler sees it: sender, channel and arguments.
import { describe, expect, it } from 'vitest';
import { APP_URL, isOwnPage, validateInvoke, type IpcSender } from '../../electron/desktop/ipc-validation.js';
import { BACKEND_METHOD_CHANNELS, INVOKE_CHANNELS } from '../../shared/ipc/channels.js';
import { invokeArgSchemas } from '../../shared/ipc/schemas.js';

const own: IpcSender = { webContentsId: 7, frameUrl: APP_URL, isMainFrame: true };
const trusted = new Set([7]);

describe('IPC validation', () => {
  it('accepts our own window with well-formed arguments', () => {
    const input = {
      label: 'Prod',
      url: 'https://daemon.example.com:9443',
      serverName: 'integration-daemon',
      userId: 'garygeeke',
      token: 's3cret',
    };
    expect(validateInvoke('daemons:add', own, trusted, [input])).toEqual({ ok: true, channel: 'daemons:add', args: [input] });
    expect(validateInvoke('daemons:list', own, trusted, [])).toMatchObject({ ok: true });
    expect(
      validateInvoke('daemon:object-retries', { ...own, frameUrl: `${APP_URL}#/daemon/local` }, trusted, ['local', undefined]),
    ).toEqual({
      ok: true,
      channel: 'daemon:object-retries',
      args: ['local'],
    });
  });

  it('refuses a sender that is not our window, not the main frame, or not our page', () => {
    const cases: IpcSender[] = [
      { ...own, webContentsId: 8 },
      { ...own, isMainFrame: false },
      { ...own, frameUrl: 'https://evil.example.com/index.html' },
      { ...own, frameUrl: 'app://console.evil.example.com/index.html' },
      { ...own, frameUrl: 'file:///tmp/index.html' },
      { ...own, frameUrl: undefined },
    ];
    for (const sender of cases) {
      const result = validateInvoke('daemons:list', sender, trusted, []);
      expect(result, JSON.stringify(sender)).toMatchObject({ ok: false, error: { messageId: 'INTEGRATION-DAEMON-DESKTOP-403-001' } });
    }
    expect(isOwnPage('app://console/index.html')).toBe(true);
    expect(isOwnPage('not a url')).toBe(false);
  });

  it('refuses unknown channels', () => {
    expect(validateInvoke('shell:openExternal', own, trusted, ['https://x'])).toMatchObject({
      ok: false,
      error: { messageId: 'INTEGRATION-DAEMON-DESKTOP-404-001' },
    });
  });

  it('refuses wrong shapes with the path of each problem', () => {
    const bad = validateInvoke('daemons:add', own, trusted, [
      { label: '', url: 'javascript:alert(1)', serverName: 'x', userId: 'y', extra: 1 },
    ]);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.messageId).toBe('INTEGRATION-DAEMON-DESKTOP-400-001');
    expect(bad.error.message).toContain('0.label');
    expect(bad.error.message).toContain('0.url: must be an http:// or https:// platform URL');
    expect(bad.error.message).toContain('extra');
    expect(validateInvoke('daemons:add', own, trusted, [{ label: 'x', url: 'https://user:pw@h', serverName: 'x', userId: 'y' }]).ok).toBe(
      false,
    );
  });

  it('sends tokens over plain HTTP only to this machine', () => {
    const add = (url: string) =>
      validateInvoke('daemons:add', own, trusted, [{ label: 'x', url, serverName: 'x', userId: 'y', token: 't' }]);
    for (const url of [
      'http://127.0.0.1:9443',
      'http://localhost:9443',
      'http://[::1]:9443',
      'https://daemon.example.com',
      'https://10.0.0.5:9443',
    ]) {
      expect(add(url).ok, url).toBe(true);
    }
    for (const url of [
      'http://daemon.example.com:9443',
      'http://10.0.0.5:9443',
      'http://127.0.0.1.evil.example',
      'http://localhost.evil.example',
    ]) {
      const refused = add(url);
      expect(refused.ok, url).toBe(false);
      if (!refused.ok) expect(refused.error.message).toContain('must use https:// for a daemon on another machine');
    }
    expect(validateInvoke('daemons:update', own, trusted, ['id-1', { url: 'http://daemon.example.com' }]).ok).toBe(false);
    expect(validateInvoke('daemon:action', own, trusted, ['local', { kind: 'restart', scope: 'connector' }])).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('names the connector') },
    });
    expect(validateInvoke('daemon:action', own, trusted, ['local', { kind: 'retryNow', scope: 'daemon' }]).ok).toBe(false);
    expect(validateInvoke('daemon:audit-log', own, trusted, ['local', { limit: 0 }]).ok).toBe(false);
    expect(validateInvoke('daemon:audit-log', own, trusted, ['local', { limit: 50, severity: ['Panic'] }]).ok).toBe(false);
    expect(validateInvoke('daemons:remove', own, trusted, []).ok).toBe(false);
    expect(validateInvoke('daemons:remove', own, trusted, ['a', 'b']).ok).toBe(false);
  });

  it('has one schema per channel and a channel for every backend method', () => {
    expect(Object.keys(invokeArgSchemas).sort()).toEqual([...INVOKE_CHANNELS].sort());
    for (const channel of Object.values(BACKEND_METHOD_CHANNELS)) expect(INVOKE_CHANNELS).toContain(channel);
  });
});
