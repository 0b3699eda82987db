// The add/edit daemon form's own checks: each problem next to its field, with a message id and the fix.
import { describe, expect, it } from 'vitest';
import { validateDaemonForm } from '../../../renderer/logic/daemon-form.js';

const good = {
  label: '',
  url: 'https://daemon.example.com:9443/',
  serverName: 'exchangeDL01',
  userId: 'exchangeDL01npa',
  token: '  abc123  ',
};

describe('daemon form validation', () => {
  it('accepts a platform root, normalizes it and derives a label', () => {
    const r = validateDaemonForm(good);
    expect(r).toEqual({
      ok: true,
      input: {
        label: 'exchangeDL01 @ daemon.example.com:9443',
        url: 'https://daemon.example.com:9443',
        serverName: 'exchangeDL01',
        userId: 'exchangeDL01npa',
        token: 'abc123',
      },
    });
  });

  it('leaves the token out when empty', () => {
    const r = validateDaemonForm({ ...good, token: '' });
    expect(r.ok && 'token' in r.input).toBe(false);
  });

  it('rejects a URL with a path, another scheme or no URL at all, naming the fix', () => {
    const path = validateDaemonForm({ ...good, url: 'https://d.example.com/servers/x' });
    expect(!path.ok && path.errors.url).toMatch(/^INTEGRATION-CONSOLE-400-005 .*Remove "\/servers\/x"/);
    const ftp = validateDaemonForm({ ...good, url: 'ftp://d.example.com' });
    expect(!ftp.ok && ftp.errors.url).toMatch(/^INTEGRATION-CONSOLE-400-004/);
    const junk = validateDaemonForm({ ...good, url: 'not a url' });
    expect(!junk.ok && junk.errors.url).toMatch(/^INTEGRATION-CONSOLE-400-003/);
    const empty = validateDaemonForm({ ...good, url: ' ' });
    expect(!empty.ok && empty.errors.url).toMatch(/^INTEGRATION-CONSOLE-400-002/);
  });

  it('rejects server names and user ids that would break the API path', () => {
    const r = validateDaemonForm({ ...good, serverName: 'a/b', userId: '' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.serverName).toMatch(/^INTEGRATION-CONSOLE-400-006/);
      expect(r.errors.userId).toMatch(/^INTEGRATION-CONSOLE-400-007/);
    }
  });

  it('rejects a token with spaces inside', () => {
    const r = validateDaemonForm({ ...good, token: 'abc def' });
    expect(!r.ok && r.errors.token).toMatch(/^INTEGRATION-CONSOLE-400-008/);
  });

  it('asks for https:// for a daemon on another machine, next to the URL, but not for the page’s own daemon', () => {
    const remote = validateDaemonForm({ ...good, url: 'http://daemon.example.com:9443' });
    expect(!remote.ok && remote.errors.url).toMatch(
      /^INTEGRATION-CONSOLE-400-018 The daemon URL must use https:\/\/ for a daemon on another machine/,
    );
    expect(validateDaemonForm({ ...good, url: 'http://127.0.0.1:9443' }).ok).toBe(true);
    expect(validateDaemonForm({ ...good, url: 'http://daemon.example.com:9443' }, { pageDaemon: true }).ok).toBe(true);
  });
});
