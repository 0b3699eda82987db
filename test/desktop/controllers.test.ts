// The notification controller and the IPC server with in-memory ports and a hand-driven clock (pure logic).
import { describe, expect, it } from 'vitest';
import type { ConnectorStatus } from '../../shared/api/types.js';
import type { ConsoleBackend, ConsoleEvent, DaemonView } from '../../shared/console-backend.js';
import type { IpcResult } from '../../shared/ipc/channels.js';
import { DEFAULT_NOTIFICATION_PREFERENCES, NotificationPolicy, type Notice } from '../../shared/logic/notification-policy.js';
import { IpcServer } from '../../electron/desktop/ipc-server.js';
import { APP_URL, type IpcSender } from '../../electron/desktop/ipc-validation.js';
import { NotificationController, STALE_CHECK_EVERY_MS } from '../../electron/desktop/notification-controller.js';
import type { WindowPort } from '../../electron/desktop/ports.js';
import { ManualClock } from '../support/manual-clock.js';
import { auditRecord, report, view } from '../support/console-fixtures.js';

function controller(views: () => DaemonView[]) {
  const timers = new ManualClock(1_000_000);
  const shown: Notice[] = [];
  const policy = new NotificationPolicy(DEFAULT_NOTIFICATION_PREFERENCES, { quietPeriodMs: 1_000, lostGraceMs: 2_000 }, () => timers.now());
  const notifier = {
    isSupported: () => true,
    show: (n: Notice) => {
      shown.push(n);
    },
  };
  const c = new NotificationController(policy, notifier, views, () => {}, timers);
  c.start();
  return { c, timers, shown };
}

describe('notification controller', () => {
  it('announces a lost daemon after the grace period, with the reason it learnt last', async () => {
    const { c, timers, shown } = controller(() => []);
    await timers.advance(1_000);
    const lost = view('r', [], { label: 'Prod', connection: 'disconnected', lastError: 'ECONNRESET' });
    c.handle({ type: 'daemon', view: lost });
    await timers.advance(500);
    c.handle({ type: 'daemon', view: { ...lost, lastError: 'ECONNREFUSED 10.0.0.5:9443' } });
    expect(shown).toEqual([]);
    await timers.advance(1_500);
    expect(shown.map((n) => [n.title, n.body])).toEqual([['Prod is unreachable', 'ECONNREFUSED 10.0.0.5:9443']]);
  });

  it('notifies on failure records after the quiet period and lets a recovered connector notify again', async () => {
    const views = [view('d', [report('files', 'RUNNING')], { label: 'Laptop' })];
    const { c, timers, shown } = controller(() => views);
    c.handle({ type: 'daemon', view: views[0]! });
    const failure: ConsoleEvent = {
      type: 'event',
      daemonId: 'd',
      event: { type: 'audit', sequence: 1, serverTime: '', record: auditRecord({ connectorName: 'files' }) },
    };
    c.handle(failure);
    expect(shown).toEqual([]);
    await timers.advance(1_000);
    c.handle(failure);
    c.handle(failure);
    expect(shown.map((n) => n.title)).toEqual(['files failed on Laptop']);
    c.handle({ type: 'daemon', view: view('d', [report('files', 'RETRYING')], { label: 'Laptop' }) });
    c.handle({ type: 'daemon', view: view('d', [report('files', 'RUNNING')], { label: 'Laptop' }) });
    await timers.advance(120_000);
    c.handle(failure);
    expect(shown).toHaveLength(2);
  });

  describe('a failure its status never showed (a change run failed, the status stayed healthy)', () => {
    const failed = (connectorName: string): ConsoleEvent => ({
      type: 'event',
      daemonId: 'd',
      event: { type: 'audit', sequence: 1, serverTime: '', record: auditRecord({ connectorName }) },
    });
    const statusOf = (connectorName: string, connectorStatus: ConnectorStatus, errors = 0): ConsoleEvent => ({
      type: 'event',
      daemonId: 'd',
      event: {
        type: 'connector-status',
        sequence: 2,
        serverTime: '',
        urlMarker: 'files-integrator',
        report: report(connectorName, connectorStatus, {
          statistics: { elementsCreated: 0, elementsUpdated: 0, elementsArchived: 0, errors },
        }),
      },
    });
    async function started() {
      const views = [view('d', [report('files'), report('folder')], { label: 'Laptop' })];
      const setup = controller(() => views);
      setup.c.handle({ type: 'daemon', view: views[0]! });
      await setup.timers.advance(1_000);
      return setup;
    }

    it('ends with the refresh it asked for: the same cause on another connector a second later is told at once', async () => {
      const { c, timers, shown } = await started();
      c.handle(failed('folder'));
      c.handle(statusOf('folder', 'REFRESHING'));
      c.handle(statusOf('folder', 'WAITING'));
      await timers.advance(1_000);
      c.handle(failed('files'));
      expect(shown.map((n) => n.title)).toEqual(['folder failed on Laptop', 'files failed on Laptop']);
    });

    it('ends with the refresh it asked for: the same connector failing again later is told again', async () => {
      const { c, timers, shown } = await started();
      c.handle(failed('folder'));
      c.handle(statusOf('folder', 'REFRESHING', 3));
      c.handle(statusOf('folder', 'WAITING', 3));
      await timers.advance(120_000);
      c.handle(failed('folder'));
      expect(shown.map((n) => n.title)).toEqual(['folder failed on Laptop', 'folder failed on Laptop']);
    });

    it('does not end with a refresh that was running when it came, nor with one that failed objects', async () => {
      const { c, timers, shown } = await started();
      c.handle(statusOf('folder', 'REFRESHING'));
      c.handle(failed('folder'));
      c.handle(statusOf('folder', 'WAITING'));
      await timers.advance(120_000);
      c.handle(failed('folder'));
      c.handle(statusOf('folder', 'REFRESHING', 1));
      c.handle(statusOf('folder', 'WAITING', 2));
      await timers.advance(120_000);
      c.handle(failed('folder'));
      expect(shown.map((n) => n.title)).toEqual(['folder failed on Laptop']);
    });
  });

  it('checks for quiet connectors once a minute without being asked', async () => {
    const old = new Date(1_000_000 - 60 * 60_000).toISOString();
    const views = [
      view('d', [report('quiet', 'WAITING', { minMinutesBetweenRefresh: 5, lastSuccessfulRefreshTime: old })], { label: 'Laptop' }),
    ];
    const { timers, shown } = controller(() => views);
    expect(shown).toEqual([]);
    await timers.advance(STALE_CHECK_EVERY_MS);
    expect(shown.map((n) => n.kind)).toEqual(['stale']);
    await timers.advance(STALE_CHECK_EVERY_MS);
    expect(shown).toHaveLength(1);
  });
});

describe('notification controller: outages and snooze', () => {
  it('tells a metadata server outage once, from the snapshot or the event, not once per waiting connector', async () => {
    const down = { metadataServerName: 'shared-pg', breakerState: 'OPEN' as const, since: '', waitingConnectors: 2 };
    const first = view('d', [report('a', 'RETRYING'), report('b', 'RETRYING')], { label: 'Laptop' });
    const views = [{ ...first, status: { ...first.status!, metadataServers: [down] } }];
    const { c, timers, shown } = controller(() => views);
    await timers.advance(1_000);
    c.handle({ type: 'daemon', view: views[0]! });
    c.handle({ type: 'event', daemonId: 'd', event: { type: 'metadata-server', sequence: 1, serverTime: '', metadataServer: down } });
    for (const name of ['a', 'b']) {
      const record = auditRecord({
        connectorName: name,
        messageId: 'INTEGRATION-DAEMON-SERVICES-503-032',
        messageParameters: [name, 'refresh', 'E', 'x', 'shared-pg'],
      });
      c.handle({ type: 'event', daemonId: 'd', event: { type: 'audit', sequence: 2, serverTime: '', record } });
    }
    expect(shown.map((n) => [n.kind, n.title])).toEqual([['outage', 'Metadata server shared-pg is unavailable on Laptop']]);
  });

  it('shows the snooze digest when the snooze ends, without being asked', async () => {
    const timers = new ManualClock(1_000_000);
    const shown: Notice[] = [];
    const prefs = { ...DEFAULT_NOTIFICATION_PREFERENCES, snoozedUntil: 1_000_000 + 600_000 };
    const policy = new NotificationPolicy(prefs, { quietPeriodMs: 1_000 }, () => timers.now());
    const c = new NotificationController(
      policy,
      { isSupported: () => true, show: (n: Notice) => void shown.push(n) },
      () => [],
      () => {},
      timers,
    );
    c.start();
    await timers.advance(1_000);
    const record = auditRecord({ connectorName: 'files' });
    c.handle({ type: 'event', daemonId: 'd', event: { type: 'audit', sequence: 1, serverTime: '', record } });
    expect(shown).toEqual([]);
    await timers.advance(600_000);
    expect(shown.map((n) => [n.kind, n.title])).toEqual([['digest', 'While notifications were snoozed: 1 problem']]);
  });
});

describe('IPC server', () => {
  function setup() {
    const handlers = new Map<string, (sender: IpcSender, args: unknown[]) => Promise<unknown>>();
    const sent: ConsoleEvent[] = [];
    let destroyed = false;
    const win: WindowPort = {
      webContentsId: 3,
      show() {},
      focus() {},
      hide() {},
      isVisible: () => true,
      isDestroyed: () => destroyed,
      send: (_channel, payload) => sent.push(payload as ConsoleEvent),
      onClose() {},
      onClosed() {},
      onReload() {},
    };
    const backend = {
      listDaemons: async () => [],
      removeDaemon: async () => {
        throw new Error('disk full');
      },
    } as unknown as ConsoleBackend;
    const server = new IpcServer(
      { handle: (channel, handler) => void handlers.set(channel, handler) },
      backend,
      { mutedConnectors: async () => [], muteConnector: async () => {} },
      () => win,
    );
    server.register();
    const call = (channel: string, args: unknown[] = []) =>
      handlers.get(channel)!({ webContentsId: 3, frameUrl: APP_URL, isMainFrame: true }, args) as Promise<IpcResult<unknown>>;
    return { server, sent, call, destroy: () => (destroyed = true) };
  }

  it('sends events only once the page is ready, keeping a notification click for it', async () => {
    const { server, sent, call } = setup();
    const daemonEvent: ConsoleEvent = { type: 'daemon-removed', daemonId: 'x' };
    const focus: ConsoleEvent = { type: 'focus-connector', daemonId: 'local', connectorName: 'files' };
    server.send(daemonEvent);
    server.send(focus);
    expect(sent).toEqual([]);
    await call('console:ready');
    expect(sent).toEqual([focus]);
    server.send(daemonEvent);
    expect(sent).toEqual([focus, daemonEvent]);
    server.windowReloaded();
    server.send(daemonEvent);
    expect(sent).toHaveLength(2);
  });

  it('sends a daemon view without its status when the daemon has an event stream (its hello carries it)', async () => {
    const { server, sent, call } = setup();
    await call('console:ready');
    const streamed = view('local', [report('files', 'WAITING')]);
    const polled = view('egeria', [report('files', 'WAITING')], { eventStream: false });
    server.send({ type: 'daemon', view: streamed });
    server.send({ type: 'daemon', view: polled });
    const [first, second] = sent as Array<Extract<ConsoleEvent, { type: 'daemon' }>>;
    expect(first!.view.status).toBeUndefined();
    expect(first!.view).toMatchObject({ connection: 'connected', eventStream: true, entry: streamed.entry });
    expect(second!.view.status).toEqual(polled.status);
  });

  it('answers failures of the backend as an envelope with a message id instead of throwing', async () => {
    const { call, destroy } = setup();
    expect(await call('daemons:remove', ['x'])).toMatchObject({
      ok: false,
      error: { messageId: 'INTEGRATION-DAEMON-DESKTOP-500-003', message: expect.stringContaining('disk full') },
    });
    destroy();
    expect(await call('daemons:list')).toMatchObject({ ok: false, error: { messageId: 'INTEGRATION-DAEMON-DESKTOP-403-001' } });
  });
});
