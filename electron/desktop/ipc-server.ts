// Main's end of the IPC channels: every message is validated (sender and shape), dispatched to the console
// service, and answered as an IpcResult so the message id and the fix survive the trip. Events go to the window
// once it says it has subscribed; before that only a notification click (focus-connector) is kept for it.
import { DaemonClientError } from '../../shared/client/errors.js';
import { INVOKE_CHANNELS, type InvokeChannels, type IpcError, type IpcResult } from '../../shared/ipc/channels.js';
import { ConsoleError, type ConnectorRef, type ConsoleBackend, type ConsoleEvent } from '../../shared/console-backend.js';
import { errorText } from '../../shared/api/error-text.js';
import type { ConnectorTestStep } from '../../shared/api/types.js';
import { validateInvoke, type ValidatedInvoke } from './ipc-validation.js';
import type { IpcPort, WindowPort } from './ports.js';

export function toIpcError(error: unknown): IpcError {
  if (error instanceof ConsoleError || error instanceof DaemonClientError) {
    return { messageId: error.messageId, message: error.message, userAction: error.userAction };
  }
  return {
    messageId: 'INTEGRATION-DAEMON-DESKTOP-500-003',
    message: `INTEGRATION-DAEMON-DESKTOP-500-003 The desktop app failed to carry out the request: ${errorText(error)}`,
    userAction: 'Try again; if it keeps failing, restart the app and report the message.',
  };
}

/** Notification settings the window may change; main owns them (policy and settings file). */
export interface NotificationSettingsPort {
  mutedConnectors(): Promise<ConnectorRef[]>;
  muteConnector(daemonId: string, connectorName: string, muted: boolean): Promise<void>;
}

export class IpcServer {
  private ready = false;
  private pending: ConsoleEvent[] = [];

  constructor(
    private readonly ipc: IpcPort,
    private readonly backend: ConsoleBackend,
    private readonly notificationSettings: NotificationSettingsPort,
    private readonly window: () => WindowPort | undefined,
    private readonly onRefused: (channel: string, error: IpcError) => void = () => {},
  ) {}

  register(): void {
    for (const channel of INVOKE_CHANNELS) {
      this.ipc.handle(channel, async (sender, args) => {
        const win = this.window();
        const trusted = new Set(win && !win.isDestroyed() ? [win.webContentsId] : []);
        const checked = validateInvoke(channel, sender, trusted, args);
        if (!checked.ok) {
          this.onRefused(channel, checked.error);
          return { ok: false, error: checked.error } satisfies IpcResult<never>;
        }
        try {
          return { ok: true, value: await this.dispatch(checked) } satisfies IpcResult<unknown>;
        } catch (error) {
          return { ok: false, error: toIpcError(error) } satisfies IpcResult<never>;
        }
      });
    }
  }

  private async dispatch(call: Extract<ValidatedInvoke, { ok: true }>): Promise<InvokeChannels[typeof call.channel]['result']> {
    const b = this.backend;
    switch (call.channel) {
      case 'daemons:list':
        return b.listDaemons();
      case 'daemons:add':
        return b.addDaemon(...call.args);
      case 'daemons:update':
        return b.updateDaemon(...call.args);
      case 'daemons:remove':
        return b.removeDaemon(...call.args);
      case 'daemon:action':
        return b.action(...call.args);
      case 'daemon:audit-log':
        return b.auditLog(...call.args);
      case 'daemon:runs':
        return b.runs(...call.args);
      case 'daemon:object-retries':
        return b.objectRetries(...call.args);
      case 'daemon:retry-objects-now':
        return b.retryObjectsNow(...call.args);
      case 'daemon:providers':
        return b.listProviders(...call.args);
      case 'daemon:test-connector': {
        const [daemonId, connectorName, testId] = call.args;
        return b.testConnector(daemonId, connectorName, (step) => this.sendTestStep(testId, step));
      }
      case 'daemon:test-connector-entry': {
        const [daemonId, urlMarker, connector, testId] = call.args;
        return b.testConnectorEntry(daemonId, urlMarker, connector, (step) => this.sendTestStep(testId, step));
      }
      case 'daemon:add-connector':
        return b.addConnector(...call.args);
      case 'daemon:connector-entry':
        return b.connectorEntry(...call.args);
      case 'daemon:update-connector':
        return b.updateConnector(...call.args);
      case 'daemon:remove-connector':
        return b.removeConnector(...call.args);
      case 'daemon:create-integration-group':
        return b.createIntegrationGroup(...call.args);
      case 'daemon:delete-integration-group':
        return b.deleteIntegrationGroup(...call.args);
      case 'daemon:add-integration-group-connector':
        return b.addIntegrationGroupConnector(...call.args);
      case 'daemon:remove-integration-group-connector':
        return b.removeIntegrationGroupConnector(...call.args);
      case 'daemon:held-archives':
        return b.heldArchives(...call.args);
      case 'daemon:approve-held-archive':
        return b.approveHeldArchive(...call.args);
      case 'daemon:reject-held-archive':
        return b.rejectHeldArchive(...call.args);
      case 'daemon:catalog-target-action':
        return b.catalogTargetAction(...call.args);
      case 'daemon:status-history':
        return b.statusHistory(...call.args);
      case 'daemon:metadata-elements':
        return b.metadataElements(...call.args);
      case 'daemons:test':
        return b.testRemoteDaemon(...call.args);
      case 'notifications:muted':
        return this.notificationSettings.mutedConnectors();
      case 'notifications:mute':
        return this.notificationSettings.muteConnector(...call.args);
      case 'console:ready':
        this.ready = true;
        this.flush();
        return;
    }
  }

  /** A step of a test the window is waiting for; a window that went away simply misses it. */
  private sendTestStep(testId: string, step: ConnectorTestStep): void {
    const win = this.window();
    if (win && !win.isDestroyed()) win.send('console:test-step', { testId, step });
  }

  /** The page reloaded: it has lost its subscription until it calls console:ready again. */
  windowReloaded(): void {
    this.ready = false;
  }

  send(event: ConsoleEvent): void {
    const win = this.window();
    if (win && !win.isDestroyed() && this.ready) {
      win.send('console:event', lean(event));
      return;
    }
    // The state is fetched with listDaemons on load; only a click on a notice would be lost by waiting.
    if (event.type === 'focus-connector') this.pending = [event];
  }

  private flush(): void {
    const queued = this.pending;
    this.pending = [];
    for (const event of queued) this.send(event);
  }
}

/**
 * Every IPC message is cloned, and a connection re-sends its daemon's view, whole status included, on every
 * event: at 1,000 connectors that is about a megabyte per event. A daemon with an event stream delivers its status
 * in its hello event (the page takes views' status only as a first snapshot), so its views cross without it;
 * a polled daemon has no hello, and keeps it.
 */
function lean(event: ConsoleEvent): ConsoleEvent {
  if (event.type !== 'daemon' || !event.view.eventStream || event.view.status === undefined) return event;
  const { status: _status, ...view } = event.view;
  return { type: 'daemon', view };
}
