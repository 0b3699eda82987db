// The preload with Electron's renderer modules replaced: it must expose exactly one object, call only the listed
// channels, unwrap main's result envelopes, and never hand Electron's event object to the page.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BACKEND_METHOD_CHANNELS, BRIDGE_NAME, INVOKE_CHANNELS, type IpcResult } from '../../shared/ipc/channels.js';
import type { ConsoleBackend, ConsoleEvent } from '../../shared/console-backend.js';

const exposed: [string, unknown][] = [];
const invoked: [string, unknown[]][] = [];
const listeners = new Map<string, ((event: unknown, payload: unknown) => void)[]>();
let nextAnswer: IpcResult<unknown> = { ok: true, value: [] };

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => exposed.push([name, api]) },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => {
      invoked.push([channel, args]);
      return channel === 'console:ready' ? { ok: true, value: undefined } : nextAnswer;
    },
    on: (channel: string, l: (event: unknown, payload: unknown) => void) => listeners.set(channel, [...(listeners.get(channel) ?? []), l]),
    removeListener: (channel: string, l: (event: unknown, payload: unknown) => void) =>
      listeners.set(
        channel,
        (listeners.get(channel) ?? []).filter((x) => x !== l),
      ),
  },
}));

let api: ConsoleBackend;
beforeAll(async () => {
  await import('../../electron/preload.js');
  api = exposed[0]![1] as ConsoleBackend;
});

describe('preload bridge', () => {
  it('exposes one object, window.integrationDaemon, with exactly the ConsoleBackend methods', () => {
    expect(exposed.map(([name]) => name)).toEqual([BRIDGE_NAME]);
    expect(Object.keys(api).sort()).toEqual([...Object.keys(BACKEND_METHOD_CHANNELS), 'subscribe'].sort());
  });

  it('calls the listed channel of each method and returns the unwrapped value', async () => {
    nextAnswer = { ok: true, value: [{ connectorName: 'a' }] };
    expect(await api.objectRetries('local', 'a')).toEqual([{ connectorName: 'a' }]);
    await api.action('local', { kind: 'restart', scope: 'daemon' });
    for (const [channel] of invoked) expect(INVOKE_CHANNELS).toContain(channel);
    expect(invoked.at(-2)).toEqual(['daemon:object-retries', ['local', 'a']]);
    expect(invoked.at(-1)).toEqual(['daemon:action', ['local', { kind: 'restart', scope: 'daemon' }]]);
  });

  it('turns a refusal into an Error carrying the message id and the fix', async () => {
    nextAnswer = {
      ok: false,
      error: {
        messageId: 'INTEGRATION-DAEMON-DESKTOP-404-002',
        message: 'INTEGRATION-DAEMON-DESKTOP-404-002 There is no daemon with id x.',
        userAction: 'Reload the console window.',
      },
    };
    await expect(api.removeDaemon('x')).rejects.toThrow(
      'INTEGRATION-DAEMON-DESKTOP-404-002 There is no daemon with id x.\nReload the console window.',
    );
  });

  it('delivers events without Electron event objects, says it is ready, and unsubscribes', () => {
    const got: ConsoleEvent[] = [];
    const subscription = api.subscribe((e) => got.push(e));
    expect(invoked.at(-1)).toEqual(['console:ready', []]);
    const event: ConsoleEvent = { type: 'daemon-removed', daemonId: 'r' };
    for (const l of listeners.get('console:event') ?? []) l({ sender: 'ipcRenderer leaks here' }, event);
    expect(got).toEqual([event]);
    // What the page gets back survives the context bridge: an own `dispose` function, no prototype needed.
    expect(Object.keys(subscription)).toEqual(['dispose']);
    subscription.dispose();
    expect(listeners.get('console:event')).toEqual([]);
  });
});
