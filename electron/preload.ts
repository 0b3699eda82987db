// The one bridge between the console page and main: `window.integrationDaemon`, a ConsoleBackend over the typed
// channels of shared/ipc/channels.ts. Nothing of Electron reaches the page: no ipcRenderer, no event objects.
import { contextBridge, ipcRenderer } from 'electron';
import {
  BACKEND_METHOD_CHANNELS as M,
  BRIDGE_NAME,
  type EventChannel,
  type InvokeChannel,
  type InvokeChannels,
  type IpcResult,
} from '../shared/ipc/channels.js';
import type { ConsoleBackend, ConsoleEvent } from '../shared/console-backend.js';
import { toDisposable } from '../shared/logic/disposable.js';

const EVENT: EventChannel = 'console:event';

async function invoke<C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']): Promise<InvokeChannels[C]['result']> {
  const answer = (await ipcRenderer.invoke(channel, ...args)) as IpcResult<InvokeChannels[C]['result']>;
  if (answer.ok) return answer.value;
  // Only an Error's message crosses the context bridge, so the fix travels inside it.
  throw new Error(answer.error.userAction ? `${answer.error.message}\n${answer.error.userAction}` : answer.error.message);
}

const backend: ConsoleBackend = {
  listDaemons: () => invoke(M.listDaemons),
  addDaemon: (input) => invoke(M.addDaemon, input),
  updateDaemon: (id, input) => invoke(M.updateDaemon, id, input),
  removeDaemon: (id) => invoke(M.removeDaemon, id),
  action: (daemonId, action) => invoke(M.action, daemonId, action),
  auditLog: (daemonId, query) => invoke(M.auditLog, daemonId, query),
  runs: (daemonId, query) => invoke(M.runs, daemonId, query),
  objectRetries: (daemonId, connectorName) => invoke(M.objectRetries, daemonId, connectorName),
  retryObjectsNow: (daemonId, connectorName, objectKey) => invoke(M.retryObjectsNow, daemonId, connectorName, objectKey),
  mutedConnectors: () => invoke(M.mutedConnectors),
  muteConnector: (daemonId, connectorName, muted) => invoke(M.muteConnector, daemonId, connectorName, muted),
  subscribe(listener) {
    const onEvent = (_event: unknown, payload: ConsoleEvent) => listener(payload);
    ipcRenderer.on(EVENT, onEvent);
    void invoke('console:ready');
    // A plain object whose own `dispose` is a function: the context bridge copies own properties and proxies
    // functions, but drops prototypes, so a class instance would arrive without its method.
    return toDisposable(() => ipcRenderer.removeListener(EVENT, onEvent));
  },
};

contextBridge.exposeInMainWorld(BRIDGE_NAME, backend);
