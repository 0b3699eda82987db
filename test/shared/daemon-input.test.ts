// The one daemon-input schema: what an operator may enter for a remote daemon, and the transport rule both
// backends follow (https:// for a daemon on another machine; http:// only on this one).
import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../shared/console-backend.js';
import {
  applyDaemonUpdate,
  daemonInputSchema,
  isLoopbackHost,
  NOT_A_PLATFORM_URL,
  NOT_THE_PLATFORM_ROOT,
  parseDaemonInput,
  platformUrlProblem,
  TOKEN_IN_CLEAR_TEXT,
} from '../../shared/daemon-input.js';

const entry = { label: 'Lake', url: 'https://lake.example.com:9443', serverName: 'exchangeDL01', userId: 'npa' };

function refusal(run: () => unknown): ConsoleError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConsoleError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('daemon input', () => {
  it('sends a token over plain http:// only to this machine', () => {
    for (const url of ['http://127.0.0.1:9443', 'http://127.8.0.1', 'http://localhost:9443', 'http://LOCALHOST', 'http://[::1]:9443'])
      expect(platformUrlProblem(url), url).toBeUndefined();
    for (const url of ['https://daemon.example.com', 'https://10.0.0.5:9443', 'https://[2001:db8::1]:9443'])
      expect(platformUrlProblem(url), url).toBeUndefined();
    for (const url of [
      'http://daemon.example.com:9443',
      'http://10.0.0.5:9443',
      'http://127.0.0.1.evil.example',
      'http://localhost.evil.example',
      'http://[::2]:9443',
    ])
      expect(platformUrlProblem(url), url).toBe(TOKEN_IN_CLEAR_TEXT);
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });

  it('takes the platform root only, without credentials, and stores it as its origin', () => {
    expect(platformUrlProblem('javascript:alert(1)')).toBe(NOT_A_PLATFORM_URL);
    expect(platformUrlProblem('https://user:pw@h')).toBe(NOT_A_PLATFORM_URL);
    expect(platformUrlProblem('ftp://h')).toBe(NOT_A_PLATFORM_URL);
    expect(platformUrlProblem('https://h:1/servers/x')).toBe(NOT_THE_PLATFORM_ROOT);
    expect(platformUrlProblem('https://h:1/?q')).toBe(NOT_THE_PLATFORM_ROOT);
    expect(parseDaemonInput({ ...entry, url: ' https://Lake.Example.com:9443/ ' }).url).toBe('https://lake.example.com:9443');
  });

  it('trims the fields, keeps a token only when given, and refuses unknown fields', () => {
    expect(parseDaemonInput({ ...entry, label: '  Lake ', token: ' t0k3n ' })).toEqual({ ...entry, token: 't0k3n' });
    expect('token' in parseDaemonInput(entry)).toBe(false);
    expect(daemonInputSchema().safeParse({ ...entry, extra: 1 }).success).toBe(false);
    expect(daemonInputSchema().safeParse({ ...entry, serverName: '   ' }).success).toBe(false);
  });

  it('refuses with a message id naming the field and the rule', () => {
    const refused = refusal(() => parseDaemonInput({ ...entry, url: 'http://lake.example.com:9443' }));
    expect(refused.messageId).toBe('INTEGRATION-CONSOLE-400-017');
    expect(refused.message).toBe(`INTEGRATION-CONSOLE-400-017 The daemon url is not valid: ${TOKEN_IN_CLEAR_TEXT}.`);
    expect(refused.userAction).not.toBe('');
  });

  it('checks an update as the whole entry it makes, so a new token never goes to a refused URL', () => {
    expect(applyDaemonUpdate(entry, { label: 'Renamed', url: undefined })).toEqual({ ...entry, label: 'Renamed' });
    expect(applyDaemonUpdate({ ...entry, url: 'http://127.0.0.1:9443' }, { token: 't' })).toMatchObject({ token: 't' });
    // A list edited by hand may hold a remote http:// daemon: giving it a token is refused.
    expect(refusal(() => applyDaemonUpdate({ ...entry, url: 'http://lake.example.com' }, { token: 't' })).message).toContain(
      TOKEN_IN_CLEAR_TEXT,
    );
    expect(refusal(() => applyDaemonUpdate(entry, { url: 'http://10.0.0.5:9443' })).messageId).toBe('INTEGRATION-CONSOLE-400-017');
  });
});
