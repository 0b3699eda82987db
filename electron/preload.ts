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
import type { ConnectorTestStep } from '../shared/api/types.js';
import type { ConsoleBackend, ConsoleEvent } from '../shared/console-backend.js';
import { toDisposable } from '../shared/logic/disposable.js';

const EVENT: EventChannel = 'console:event';
const TEST_STEP: EventChannel = 'console:test-step';

async function invoke<C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']): Promise<InvokeChannels[C]['result']> {
  const answer = (await ipcRenderer.invoke(channel, ...args)) as IpcResult<InvokeChannels[C]['result']>;
  if (answer.ok) return answer.value;
  // Only an Error's message crosses the context bridge, so the fix travels inside it.
  throw new Error(answer.error.userAction ? `${answer.error.message}\n${answer.error.userAction}` : answer.error.message);
}

/** Passes the steps main sends for this test (by its id) to `onStep` while the call runs. */
async function withTestSteps<T>(onStep: ((step: ConnectorTestStep) => void) | undefined, run: (testId: string) => Promise<T>): Promise<T> {
  const testId = crypto.randomUUID();
  const onMessage = (_event: unknown, payload: { testId: string; step: ConnectorTestStep }) => {
    if (payload.testId === testId) onStep?.(payload.step);
  };
  ipcRenderer.on(TEST_STEP, onMessage);
  try {
    return await run(testId);
  } finally {
    ipcRenderer.removeListener(TEST_STEP, onMessage);
  }
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
  listProviders: (daemonId) => invoke(M.listProviders, daemonId),
  testConnector: (daemonId, connectorName, onStep) =>
    withTestSteps(onStep, (testId) => invoke(M.testConnector, daemonId, connectorName, testId)),
  testConnectorEntry: (daemonId, urlMarker, connector, onStep) =>
    withTestSteps(onStep, (testId) => invoke(M.testConnectorEntry, daemonId, urlMarker, connector, testId)),
  addConnector: (daemonId, urlMarker, connector) => invoke(M.addConnector, daemonId, urlMarker, connector),
  connectorEntry: (daemonId, connectorName) => invoke(M.connectorEntry, daemonId, connectorName),
  updateConnector: (daemonId, connectorName, connector) => invoke(M.updateConnector, daemonId, connectorName, connector),
  removeConnector: (daemonId, connectorName) => invoke(M.removeConnector, daemonId, connectorName),
  createIntegrationGroup: (daemonId, groupName, description) => invoke(M.createIntegrationGroup, daemonId, groupName, description),
  deleteIntegrationGroup: (daemonId, groupName) => invoke(M.deleteIntegrationGroup, daemonId, groupName),
  addIntegrationGroupConnector: (daemonId, groupName, connector) => invoke(M.addIntegrationGroupConnector, daemonId, groupName, connector),
  removeIntegrationGroupConnector: (daemonId, groupName, connectorName) =>
    invoke(M.removeIntegrationGroupConnector, daemonId, groupName, connectorName),
  heldArchives: (daemonId) => invoke(M.heldArchives, daemonId),
  approveHeldArchive: (daemonId, connectorName, target) => invoke(M.approveHeldArchive, daemonId, connectorName, target),
  rejectHeldArchive: (daemonId, connectorName, target) => invoke(M.rejectHeldArchive, daemonId, connectorName, target),
  catalogTargetAction: (daemonId, connectorName, target, action) => invoke(M.catalogTargetAction, daemonId, connectorName, target, action),
  statusHistory: (daemonId, since) => invoke(M.statusHistory, daemonId, since),
  metadataElements: (daemonId, query) => invoke(M.metadataElements, daemonId, query),
  testRemoteDaemon: (input) => invoke(M.testRemoteDaemon, input),
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
