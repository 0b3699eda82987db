// Which desktop notices are shown: grouping, repeats, rate limit, snooze, mute, quiet periods, lost daemons.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_NOTIFICATION_PREFERENCES,
  NotificationPolicy,
  daemonConnectorKey,
  tomorrowMorning,
  type NotificationPreferences,
} from '../../../shared/logic/notification-policy.js';
import { causeOf } from '../../../shared/logic/notification-cause.js';
import { auditRecord, report, view } from '../../support/console-fixtures.js';

let now = 1_000_000;
const clock = () => now;
const timing = {
  groupWindowMs: 60_000,
  updateEveryMs: 5_000,
  quietPeriodMs: 10_000,
  rateLimitCount: 3,
  rateLimitWindowMs: 60_000,
  repeatAfterMs: 600_000,
  lostGraceMs: 0,
};

function policy(prefs: Partial<NotificationPreferences> = {}) {
  const p = new NotificationPolicy({ ...DEFAULT_NOTIFICATION_PREFERENCES, ...prefs }, timing, clock);
  p.appStarted();
  now += 10_000;
  return p;
}

beforeEach(() => {
  now = 1_000_000;
});

/** A vanished folder reports itself twice: the connector's own Error, then the daemon's record of the failed refresh. */
const rootLost = (connectorName: string) =>
  auditRecord({
    connectorName,
    severity: 'Error',
    messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-0035',
    messageText: `The root folder of ${connectorName} has gone`,
  });
const missing = (connectorName: string) =>
  auditRecord({
    connectorName,
    messageId: 'INTEGRATION-DAEMON-SERVICES-0031',
    messageText: `The integration connector ${connectorName} method refresh has returned with a ConnectorError exception`,
    exceptionMessage: `BASIC-FILES-INTEGRATION-CONNECTORS-404-001 The directory named /${connectorName} does not exist`,
  });

describe('notification policy', () => {
  it('notifies on Exception and Error records only', () => {
    const p = policy();
    expect(p.audit('d', 'Laptop', auditRecord({ severity: 'Information', connectorName: 'a' }))).toEqual([]);
    expect(p.audit('d', 'Laptop', auditRecord({ severity: 'Activity', connectorName: 'a' }))).toEqual([]);
    const [n] = p.audit('d', 'Laptop', auditRecord({ severity: 'Error', connectorName: 'a' }));
    expect(n).toMatchObject({ kind: 'failure', daemonId: 'd', connectorName: 'a', title: 'a failed on Laptop' });
    expect(n!.body).toContain('BASIC-FILES-INTEGRATION-CONNECTORS-404-001');
  });

  it('groups a storm with the same cause into one notice, updated in place at most every updateEveryMs', () => {
    const p = policy();
    const first = p.audit('d', 'Laptop', auditRecord({ connectorName: 'c1' }));
    expect(first).toHaveLength(1);
    const key = first[0]!.key;
    now += 100;
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c2' }))).toEqual([]);
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c3' }))).toEqual([]);
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c3' }))).toEqual([]);
    expect(p.nextWakeAt()).toBe(now - 100 + 5_000);
    now += 1_000;
    expect(p.tick()).toEqual([]);
    now += 4_000;
    const [update] = p.tick();
    expect(update).toMatchObject({
      key,
      title: '3 connectors failed on Laptop: BASIC-FILES-INTEGRATION-CONNECTORS-404-001',
      connectorName: 'c1',
    });
    expect(update!.body).toContain('Affected: c1, c2, c3');
    expect(p.tick()).toEqual([]);
  });

  it('keeps different causes and different daemons apart', () => {
    const p = policy();
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c1' }))).toHaveLength(1);
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c2', messageId: 'OMIS-DATABASE-INTEGRATOR-400-001' }))).toHaveLength(1);
    expect(p.audit('e', 'Server', auditRecord({ connectorName: 'c1' }))).toHaveLength(1);
  });

  it('does not repeat for a connector that keeps failing the same way until it recovers', () => {
    const p = policy();
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c1' }))).toHaveLength(1);
    now += 120_000; // past the group window: a retry failing again
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c1' }))).toEqual([]);
    p.connectorRecovered('d', 'c1');
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c1' }))).toHaveLength(1);
    // Recovering and failing again inside the group window is a new failure, not part of the old notice.
    now += 1_000;
    p.connectorRecovered('d', 'c1');
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c1' }))).toHaveLength(1);
    now += 600_000;
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c1' }))).toHaveLength(1);
  });

  it('rate-limits new notices and summarises what it held back once the limit frees up', () => {
    const p = policy();
    const shown = ['m1', 'm2', 'm3', 'm4', 'm5'].flatMap((m) => p.audit('d', 'Laptop', auditRecord({ connectorName: m, messageId: m })));
    expect(shown.map((n) => n.connectorName)).toEqual(['m1', 'm2', 'm3']);
    expect(p.tick()).toEqual([]);
    expect(p.nextWakeAt()).toBe(now + 60_000);
    now += 60_000;
    const [summary] = p.tick();
    expect(summary).toMatchObject({ kind: 'suppressed', title: '2 more problems not shown' });
  });

  it('counts a vanished folder the rate limit held back once, not once per cause', () => {
    const p = policy();
    for (const m of ['m1', 'm2', 'm3']) expect(p.audit('d', 'Laptop', auditRecord({ connectorName: m, messageId: m }))).toHaveLength(1);
    for (const c of ['docs', 'photos']) expect([...p.audit('d', 'Laptop', rootLost(c)), ...p.audit('d', 'Laptop', missing(c))]).toEqual([]);
    now += 60_000;
    const [summary] = p.tick();
    expect(summary).toMatchObject({ kind: 'suppressed', title: '2 more problems not shown' });
  });

  it('stays quiet during the start period and after a reconnect', () => {
    const p = new NotificationPolicy(DEFAULT_NOTIFICATION_PREFERENCES, timing, clock);
    p.appStarted();
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c1' }))).toEqual([]);
    now += 9_999;
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c1' }))).toEqual([]);
    now += 1;
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c1' }))).toHaveLength(1);
    p.daemonConnected('e');
    expect(p.audit('e', 'Server', auditRecord({ connectorName: 'c1' }))).toEqual([]);
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c9', messageId: 'X-1' }))).toHaveLength(1);
    now += 10_000;
    expect(p.audit('e', 'Server', auditRecord({ connectorName: 'c1' }))).toHaveLength(1);
  });

  it('snoozes everything until the snooze ends', () => {
    const p = policy({ snoozedUntil: now + 10_000 + 3_600_000 });
    expect(p.isSnoozed()).toBe(true);
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c1' }))).toEqual([]);
    expect(p.daemonLost('d', 'Laptop', false, 'ECONNREFUSED')).toEqual([]);
    now += 3_600_000;
    expect(p.isSnoozed()).toBe(false);
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c1' }))).toHaveLength(1);
  });

  it('mutes one connector without muting the others', () => {
    const p = policy({ mutedConnectors: [daemonConnectorKey('d', 'noisy')] });
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'noisy' }))).toEqual([]);
    expect(p.audit('e', 'Server', auditRecord({ connectorName: 'noisy' }))).toHaveLength(1);
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'quiet', messageId: 'Y-1' }))).toHaveLength(1);
  });

  it('notifies once per daemon loss, deferring a loss during the quiet period until it ends', () => {
    const p = new NotificationPolicy(DEFAULT_NOTIFICATION_PREFERENCES, timing, clock);
    p.appStarted();
    expect(p.daemonLost('local', 'This computer', true, 'exited with code 1')).toEqual([]);
    expect(p.nextWakeAt()).toBe(now + 10_000);
    now += 10_000;
    const [n] = p.tick();
    expect(n).toMatchObject({ kind: 'daemon-lost', title: 'The local integration daemon stopped', body: 'exited with code 1' });
    expect(p.daemonLost('local', 'This computer', true, 'exited with code 1')).toEqual([]);
    p.daemonConnected('local');
    now += 1; // dies again right after connecting: inside that connection's quiet period, so deferred
    expect(p.daemonLost('local', 'This computer', true, 'exited with code 2')).toEqual([]);
    now += 10_000;
    expect(p.tick()).toMatchObject([{ kind: 'daemon-lost', body: 'exited with code 2' }]);
    expect(p.daemonLost('r', 'Prod', false, 'ECONNREFUSED')[0]).toMatchObject({ title: 'Prod is unreachable' });
  });

  it('announces a loss only if it lasts past the grace period, with the latest reason', () => {
    const p = new NotificationPolicy(DEFAULT_NOTIFICATION_PREFERENCES, { ...timing, lostGraceMs: 1_000 }, clock);
    now += 60_000;
    expect(p.daemonLost('local', 'This computer', true, 'INTEGRATION-DAEMON-CLIENT-503-001 other side closed')).toEqual([]);
    expect(p.daemonLost('local', 'This computer', true, 'The local daemon killed by SIGKILL')).toEqual([]);
    now += 1_000;
    expect(p.tick()).toMatchObject([{ kind: 'daemon-lost', body: 'The local daemon killed by SIGKILL' }]);
    // A restart within the grace period is not worth a notice.
    p.daemonLost('r', 'Prod', false, 'ECONNRESET');
    now += 500;
    p.daemonConnected('r');
    now += 1_000;
    expect(p.tick()).toEqual([]);
  });

  it('groups by the cause the record carries, not by the daemon wrapper message id', () => {
    const p = policy();
    const wrapped = (connectorName: string, cause: string) =>
      auditRecord({
        connectorName,
        messageId: 'INTEGRATION-DAEMON-SERVICES-0031',
        messageText: `The integration connector ${connectorName} method refresh has returned with a ConnectorError exception containing message ${cause}`,
        exceptionMessage: cause,
      });
    const [first] = p.audit(
      'd',
      'Laptop',
      wrapped('files', 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001 The directory named /data does not exist'),
    );
    expect(first!.body).toBe('BASIC-FILES-INTEGRATION-CONNECTORS-404-001 The directory named /data does not exist');
    expect(
      p.audit('d', 'Laptop', wrapped('folder', 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001 The directory named /data does not exist')),
    ).toEqual([]);
    expect(
      p.audit('d', 'Laptop', wrapped('db', 'OMIS-DATABASE-INTEGRATOR-400-001 The connector is not a database connector')),
    ).toHaveLength(1);
    expect(causeOf(auditRecord({ messageId: 'X-0001', messageText: 'no id here' }))).toEqual({
      messageId: 'X-0001',
      text: 'X-0001 no id here',
    });
  });

  it('tells a vanished folder once per connector, though it reports itself as two causes', () => {
    const p = policy();
    const shown = [
      ...p.audit('d', 'Laptop', rootLost('docs')),
      ...p.audit('d', 'Laptop', missing('docs')),
      ...p.audit('d', 'Laptop', missing('photos')),
      ...p.audit('d', 'Laptop', rootLost('photos')),
    ];
    now += 5_000;
    shown.push(...p.tick());
    for (const connector of ['docs', 'photos']) {
      expect(new Set(shown.filter((n) => n.connectors.includes(connector)).map((n) => n.key)).size).toBe(1);
    }
    // The next refresh reports both again: still nothing new.
    now += 60_000;
    for (const c of ['docs', 'photos']) expect([...p.audit('d', 'Laptop', rootLost(c)), ...p.audit('d', 'Laptop', missing(c))]).toEqual([]);
  });

  it('tells a different failure of the same connector once its burst is over or it has recovered', () => {
    const p = policy();
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c1' }))).toHaveLength(1);
    now += 1_000;
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c1', messageId: 'X-1' }))).toEqual([]);
    now += 120_000;
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c1', messageId: 'Y-2' }))).toHaveLength(1);
    now += 1_000;
    p.connectorRecovered('d', 'c1');
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'c1', messageId: 'Z-3' }))).toHaveLength(1);
  });

  it('drops a deferred loss when the daemon connects before the quiet period ends', () => {
    const p = new NotificationPolicy(DEFAULT_NOTIFICATION_PREFERENCES, timing, clock);
    p.appStarted();
    p.daemonLost('r', 'Prod', false, 'ECONNREFUSED');
    p.daemonConnected('r');
    now += 20_000;
    expect(p.tick()).toEqual([]);
  });

  it('notices a connector with no successful refresh for staleMultiple refresh intervals, once per episode', () => {
    const p = policy({ staleMultiple: 3 });
    const at = (ms: number) => new Date(ms).toISOString();
    const fresh = view(
      'd',
      [report('quiet', 'WAITING', { minMinutesBetweenRefresh: 10, lastSuccessfulRefreshTime: at(now - 29 * 60_000) })],
      { label: 'Laptop' },
    );
    expect(p.staleConnectors([fresh])).toEqual([]);
    now += 2 * 60_000;
    const [n] = p.staleConnectors([fresh]);
    expect(n).toMatchObject({ kind: 'stale', connectorName: 'quiet', title: 'quiet has not refreshed for 31 min' });
    expect(p.staleConnectors([fresh])).toEqual([]);
    const refreshed = view('d', [report('quiet', 'WAITING', { minMinutesBetweenRefresh: 10, lastSuccessfulRefreshTime: at(now) })]);
    expect(p.staleConnectors([refreshed])).toEqual([]);
    now += 31 * 60_000;
    expect(p.staleConnectors([refreshed])).toHaveLength(1);
  });

  it('ignores stopped connectors, on-demand connectors, disconnected daemons and staleMultiple 0', () => {
    const old = new Date(0).toISOString();
    const v = view('d', [
      report('stopped', 'STOPPED', { minMinutesBetweenRefresh: 1, lastSuccessfulRefreshTime: old }),
      report('ondemand', 'WAITING', { minMinutesBetweenRefresh: 0, lastSuccessfulRefreshTime: old }),
    ]);
    expect(policy().staleConnectors([v])).toEqual([]);
    const lost = view('d', [report('x', 'WAITING', { minMinutesBetweenRefresh: 1, lastSuccessfulRefreshTime: old })], {
      connection: 'disconnected',
    });
    expect(policy().staleConnectors([lost])).toEqual([]);
    const off = view('d', [report('x', 'WAITING', { minMinutesBetweenRefresh: 1, lastSuccessfulRefreshTime: old })]);
    expect(policy({ staleMultiple: 0 }).staleConnectors([off])).toEqual([]);
    expect(policy().staleConnectors([off])).toHaveLength(1);
  });

  it('counts a connector that never succeeded from when it was first seen', () => {
    const p = policy();
    const v = view('d', [report('never', 'RETRYING', { minMinutesBetweenRefresh: 1 })]);
    expect(p.staleConnectors([v])).toEqual([]);
    now += 3 * 60_000 + 1;
    expect(p.staleConnectors([v])).toHaveLength(1);
  });

  it('collects what happens while snoozed and shows it as one digest when the snooze ends', () => {
    const p = policy({ snoozedUntil: now + 10_000 + 3_600_000 });
    for (const c of ['c1', 'c2', 'c3']) expect(p.audit('d', 'Laptop', auditRecord({ connectorName: c }))).toEqual([]);
    const other = auditRecord({ connectorName: 'db', messageId: 'X', messageText: 'OMIS-DATABASE-INTEGRATOR-400-001 bad schema' });
    expect(p.audit('d', 'Laptop', other)).toEqual([]);
    expect(p.daemonLost('r', 'Prod', false, 'ECONNREFUSED')).toEqual([]);
    expect(p.tick()).toEqual([]);
    expect(p.nextWakeAt()).toBe(now + 3_600_000);
    now += 3_600_000;
    const [digest, ...rest] = p.tick();
    expect(rest).toEqual([]);
    expect(digest).toMatchObject({
      kind: 'digest',
      title: 'While notifications were snoozed: 3 problems',
      connectors: ['c1', 'c2', 'c3', 'db'],
    });
    expect(digest!.body.split('\n')).toEqual([
      'Laptop: BASIC-FILES-INTEGRATION-CONNECTORS-404-001 The directory /data/landing does not exist (c1, c2, c3)',
      'Laptop: OMIS-DATABASE-INTEGRATOR-400-001 bad schema (db)',
      'Prod is unreachable: ECONNREFUSED',
    ]);
    expect(p.tick()).toEqual([]);
    expect(p.nextWakeAt()).toBeUndefined();
  });

  it('gives a vanished folder one digest line, though each refresh reports it as two causes', () => {
    const p = policy({ snoozedUntil: now + 10_000 + 3_600_000 });
    for (let refresh = 0; refresh < 3; refresh++) {
      for (const c of ['docs', 'photos'])
        expect([...p.audit('d', 'Laptop', rootLost(c)), ...p.audit('d', 'Laptop', missing(c))]).toEqual([]);
      now += 60_000;
    }
    // A later refresh that reports the pair the other way round is still the same failure.
    expect([...p.audit('d', 'Laptop', missing('docs')), ...p.audit('d', 'Laptop', rootLost('docs'))]).toEqual([]);
    now += 3_600_000;
    const [digest] = p.tick();
    expect(digest).toMatchObject({ title: 'While notifications were snoozed: 1 problem', connectors: ['docs', 'photos'] });
    expect(digest!.body).toBe('Laptop: BASIC-FILES-INTEGRATION-CONNECTORS-0035 The root folder of docs has gone (docs, photos)');
  });

  it('gives a connector that recovered during the snooze a line for each cause of its next failure', () => {
    const p = policy({ snoozedUntil: now + 10_000 + 3_600_000 });
    expect([...p.audit('d', 'Laptop', rootLost('docs')), ...p.audit('d', 'Laptop', missing('docs'))]).toEqual([]);
    p.connectorRecovered('d', 'docs');
    now += 600_000;
    // Its next failure, reported by the refresh alone, is a new problem rather than the old one told again.
    expect(p.audit('d', 'Laptop', missing('docs'))).toEqual([]);
    now += 3_600_000;
    const [digest] = p.tick();
    expect(digest!.body.split('\n')).toEqual([
      'Laptop: BASIC-FILES-INTEGRATION-CONNECTORS-0035 The root folder of docs has gone (docs)',
      'Laptop: BASIC-FILES-INTEGRATION-CONNECTORS-404-001 The directory named /docs does not exist (docs)',
    ]);
  });

  it('shows no digest when nothing happened during the snooze, and none when notifications are off', () => {
    const quiet = policy({ snoozedUntil: now + 10_000 + 60_000 });
    now += 60_000;
    expect(quiet.tick()).toEqual([]);
    const p = policy({ snoozedUntil: now + 10_000 + 60_000 });
    p.audit('d', 'Laptop', auditRecord({ connectorName: 'c1' }));
    p.setPreferences({ ...p.preferences, enabled: false });
    now += 60_000;
    expect(p.tick()).toEqual([]);
  });

  it('shows one notice for a metadata server outage, not one per connector, until it answers again', () => {
    const p = policy();
    const down = {
      metadataServerName: 'shared-pg',
      breakerState: 'OPEN' as const,
      since: '',
      waitingConnectors: 3,
      lastErrorMessage: 'ECONNREFUSED',
    };
    const [outage] = p.metadataServer('d', 'Laptop', down);
    expect(outage).toMatchObject({ kind: 'outage', title: 'Metadata server shared-pg is unavailable on Laptop' });
    expect(outage!.body).toContain('ECONNREFUSED');
    expect(p.metadataServer('d', 'Laptop', { ...down, breakerState: 'HALF_OPEN' })).toEqual([]);
    const viaServer = (c: string) =>
      auditRecord({
        connectorName: c,
        messageId: 'INTEGRATION-DAEMON-SERVICES-503-032',
        messageParameters: [c, 'refresh', 'Error', 'x', 'shared-pg'],
      });
    for (const c of ['a', 'b', 'c', 'd', 'e']) expect(p.audit('d', 'Laptop', viaServer(c))).toEqual([]);
    // The breaker's own record of the same outage adds nothing.
    expect(
      p.audit('d', 'Laptop', auditRecord({ messageId: 'INTEGRATION-DAEMON-RECOVERY-0004', messageParameters: ['shared-pg'] })),
    ).toEqual([]);
    // A failure with another cause is still told.
    expect(p.audit('d', 'Laptop', auditRecord({ connectorName: 'files' }))).toHaveLength(1);
    expect(p.metadataServer('d', 'Laptop', { ...down, breakerState: 'CLOSED' })).toEqual([]);
    expect(p.audit('d', 'Laptop', viaServer('a'))).toHaveLength(1);
    // The next outage is news again, opened here by the breaker's record.
    const [again] = p.audit(
      'd',
      'Laptop',
      auditRecord({ messageId: 'INTEGRATION-DAEMON-RECOVERY-0004', messageText: 'down', messageParameters: ['shared-pg'] }),
    );
    expect(again).toMatchObject({ kind: 'outage', body: expect.stringContaining('INTEGRATION-DAEMON-RECOVERY-0004 down') });
    p.audit(
      'd',
      'Laptop',
      auditRecord({ severity: 'Information', messageId: 'INTEGRATION-DAEMON-RECOVERY-0006', messageParameters: ['shared-pg'] }),
    );
    now += 60_000; // past the group window of the failure told above
    expect(p.audit('d', 'Laptop', viaServer('b'))).toHaveLength(1);
  });

  it('tells an outage that began while snoozed in the digest', () => {
    const p = policy({ snoozedUntil: now + 10_000 + 60_000 });
    expect(p.metadataServer('d', 'Laptop', { metadataServerName: 'm', breakerState: 'OPEN', since: '', waitingConnectors: 1 })).toEqual([]);
    now += 60_000;
    expect(p.tick().map((n) => n.body)).toEqual(['Metadata server m is unavailable on Laptop']);
  });

  it('"until tomorrow" ends at 08:00 local time the next day', () => {
    const t = new Date(2026, 10, 25, 22, 30).getTime();
    const until = new Date(tomorrowMorning(t));
    expect([until.getDate(), until.getHours(), until.getMinutes()]).toEqual([26, 8, 0]);
  });
});
