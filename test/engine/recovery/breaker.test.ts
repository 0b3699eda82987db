import { describe, expect, it } from 'vitest';
import { ManualClock, settle } from '../../support/manual-clock.js';
import type { MetadataServerStatus } from '../../../shared/api/types.js';
import { MetadataServerBreaker, type MetadataServerBreakerOptions } from '../../../electron/engine/recovery/breaker.js';
import type { ClassifiedError } from '../../../electron/engine/recovery/types.js';
import { MemoryStateStore, expectCatalogued } from './fakes.js';

const unavailable: ClassifiedError = {
  source: 'metadataServer',
  category: 'network',
  scope: 'refresh',
  messageId: 'OMAG-MULTI-TENANT-404-001',
  message: 'OMAG-MULTI-TENANT-404-001 The OMAG Server cocoMDS1 is not available to service a request from user npa',
  userAction: 'Start it',
  retryable: true,
  exceptionClassName: 'MetadataServerUnavailableError',
  detail: 'connect ECONNREFUSED 127.0.0.1:5432',
};

/** A probe whose answer the test decides; counts concurrent calls. */
class ControlledProbe {
  calls: number[] = [];
  inFlight = 0;
  maxInFlight = 0;
  up = false;
  hang = false;
  #pending: (() => void)[] = [];
  constructor(private readonly clock: ManualClock) {}
  probe = (): Promise<void> => {
    this.calls.push(this.clock.now());
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (this.hang)
      return new Promise<void>((resolve) =>
        this.#pending.push(() => {
          this.inFlight--;
          resolve();
        }),
      );
    this.inFlight--;
    return this.up ? Promise.resolve() : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
  };
  answerHungProbes(): void {
    for (const answer of this.#pending.splice(0)) answer();
  }
}

function setup(over: Partial<MetadataServerBreakerOptions> = {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const store = new MemoryStateStore();
  const probe = new ControlledProbe(clock);
  const changes: MetadataServerStatus[] = [];
  const audits: [string, string[]][] = [];
  const make = (extra: Partial<MetadataServerBreakerOptions> = {}) =>
    new MetadataServerBreaker({
      metadataServerName: 'cocoMDS1',
      clock,
      random: () => 0.5,
      store,
      probe: probe.probe,
      onChange: (s) => changes.push(s),
      onAudit: (id, params) => audits.push([id, params]),
      ...over,
      ...extra,
    });
  return { clock, store, probe, changes, audits, breaker: make(), make };
}

describe('MetadataServerBreaker', () => {
  it('lets connectors through while closed', async () => {
    const { breaker } = setup();
    expect(breaker.state).toBe('CLOSED');
    await expect(breaker.waitUntilClosed(new AbortController().signal)).resolves.toBeUndefined();
    expect(breaker.waitingConnectors).toBe(0);
  });

  it('opens on an availability failure, persists it and schedules the first probe', () => {
    const { breaker, clock, store, changes, audits } = setup();
    const t0 = clock.now();
    breaker.reportUnavailable(unavailable);
    expect(breaker.state).toBe('OPEN');
    expect(breaker.status()).toEqual({
      metadataServerName: 'cocoMDS1',
      breakerState: 'OPEN',
      since: new Date(t0).toISOString(),
      unavailableSince: new Date(t0).toISOString(),
      nextProbeAt: new Date(t0 + 2_000).toISOString(),
      waitingConnectors: 0,
      lastErrorMessage: 'connect ECONNREFUSED 127.0.0.1:5432',
    });
    expect(store.getBreaker('cocoMDS1')).toEqual({
      metadataServerName: 'cocoMDS1',
      state: 'OPEN',
      since: t0,
      nextProbeAt: t0 + 2_000,
      openCount: 1,
      lastErrorMessage: 'connect ECONNREFUSED 127.0.0.1:5432',
    });
    expect(changes.at(-1)?.breakerState).toBe('OPEN');
    expect(audits).toEqual([
      ['INTEGRATION-DAEMON-RECOVERY-0004', ['cocoMDS1', 'connect ECONNREFUSED 127.0.0.1:5432', new Date(t0 + 2_000).toISOString()]],
    ]);
    expectCatalogued(audits);
  });

  it('ignores failures that say the server is up (a rejected request)', () => {
    const { breaker } = setup();
    breaker.reportUnavailable({ ...unavailable, category: 'conflict' });
    breaker.reportUnavailable({ ...unavailable, source: 'thirdParty' });
    expect(breaker.state).toBe('CLOSED');
  });

  it('keeps exactly one probe in flight while 100 connectors wait, with growing capped intervals', async () => {
    const { breaker, clock, probe, audits } = setup({ openIntervalMs: { initial: 2_000, max: 16_000 } });
    const t0 = clock.now();
    breaker.reportUnavailable(unavailable);
    const waits = Array.from({ length: 100 }, () => breaker.waitUntilClosed(new AbortController().signal));
    await settle();
    expect(breaker.waitingConnectors).toBe(100);
    for (let i = 0; i < 100; i++) breaker.reportUnavailable(unavailable);
    await clock.advance(60_000);
    // Probes at 2 s, then +4, +8, +16, +16, … (±20 % jitter fixed at the middle).
    expect(probe.calls.map((t) => t - t0)).toEqual([2_000, 6_000, 14_000, 30_000, 46_000]);
    expect(probe.maxInFlight).toBe(1);
    expect(breaker.maxConcurrentProbes).toBe(1);
    expect(breaker.probeCount).toBe(5);
    // Probes move neither the outage's start nor `since`, and write no audit record each.
    expect(breaker.status()).toMatchObject({ since: new Date(t0).toISOString(), unavailableSince: new Date(t0).toISOString() });
    expect(audits.map(([id]) => id)).toEqual(['INTEGRATION-DAEMON-RECOVERY-0004']);
    expect(breaker.state).toBe('OPEN');
    expect(breaker.waitingConnectors).toBe(100);
    probe.up = true;
    await clock.advance(20_000);
    await Promise.all(waits);
    expect(breaker.state).toBe('CLOSED');
    expect(breaker.waitingConnectors).toBe(0);
    expect(probe.calls).toHaveLength(6);
  });

  it('is half-open while the probe runs and releases waiters spread within releaseSpreadMs', async () => {
    const { breaker, clock, probe, audits } = setup({ releaseSpreadMs: 1_000 });
    breaker.reportUnavailable(unavailable);
    const released: number[] = [];
    const waits = Array.from({ length: 100 }, () =>
      breaker.waitUntilClosed(new AbortController().signal).then(() => released.push(clock.now())),
    );
    probe.hang = true;
    await clock.advance(2_000);
    expect(breaker.state).toBe('HALF_OPEN');
    expect(breaker.status().nextProbeAt).toBeUndefined();
    const closedAt = clock.now();
    probe.answerHungProbes();
    await settle();
    expect(breaker.state).toBe('CLOSED');
    expect(audits).toEqual([
      ['INTEGRATION-DAEMON-RECOVERY-0004', ['cocoMDS1', 'connect ECONNREFUSED 127.0.0.1:5432', expect.any(String)]],
      ['INTEGRATION-DAEMON-RECOVERY-0006', ['cocoMDS1', '2.0 s', '100, resuming now']],
    ]);
    expectCatalogued(audits);
    await clock.advance(1_000);
    await Promise.all(waits);
    const offsets = released.map((t) => t - closedAt);
    expect(offsets).toHaveLength(100);
    expect(Math.min(...offsets)).toBe(0);
    expect(Math.max(...offsets)).toBeLessThan(1_000);
    expect(Math.max(...offsets)).toBeGreaterThanOrEqual(900);
    // Evenly spread: no 100 ms window holds more than a fifth of them.
    for (let from = 0; from < 1_000; from += 100) {
      expect(offsets.filter((o) => o >= from && o < from + 100).length).toBeLessThanOrEqual(20);
    }
  });

  it('stops releasing when the server fails again during the spread; the rest wait for the next close', async () => {
    const { breaker, clock, probe } = setup({ releaseSpreadMs: 1_000 });
    breaker.reportUnavailable(unavailable);
    let released = 0;
    for (let i = 0; i < 50; i++) void breaker.waitUntilClosed(new AbortController().signal).then(() => released++);
    probe.up = true;
    await clock.advance(2_000);
    expect(breaker.state).toBe('CLOSED');
    await clock.advance(100);
    const early = released;
    expect(early).toBeGreaterThan(0);
    expect(early).toBeLessThan(50);
    breaker.reportUnavailable(unavailable);
    await clock.advance(1_000);
    expect(released).toBe(early);
    expect(breaker.waitingConnectors).toBe(50 - early);
    await clock.advance(10_000);
    expect(released).toBe(50);
  });

  it('counts a hung probe as failed but never starts a second one beside it', async () => {
    const { breaker, clock, probe } = setup({ probeTimeoutMs: 5_000, openIntervalMs: { initial: 2_000, max: 4_000 } });
    breaker.reportUnavailable(unavailable);
    probe.hang = true;
    await clock.advance(60_000);
    expect(probe.calls).toHaveLength(1);
    expect(probe.maxInFlight).toBe(1);
    expect(breaker.state).toBe('OPEN');
    expect(breaker.status().lastErrorMessage).toBe('the previous probe has not answered yet');
    probe.hang = false;
    probe.up = true;
    probe.answerHungProbes();
    await settle();
    // A late answer still proves the server is back.
    expect(breaker.state).toBe('CLOSED');
  });

  it('resumes a persisted open state as probe-first after a daemon restart', async () => {
    const { store, clock, probe, make } = setup();
    store.putBreaker({
      metadataServerName: 'cocoMDS1',
      state: 'HALF_OPEN',
      since: clock.now() - 3_600_000,
      nextProbeAt: null,
      openCount: 6,
      lastErrorMessage: 'connect ECONNREFUSED',
    });
    const breaker = make();
    expect(breaker.state).toBe('OPEN');
    let through = false;
    void breaker.waitUntilClosed(new AbortController().signal).then(() => (through = true));
    expect(probe.calls).toHaveLength(0);
    await clock.advance(0);
    expect(probe.calls).toEqual([clock.now()]);
    expect(through).toBe(false);
    // Still down: the interval continues from the stored open count (6 → 7: capped at 60 s).
    expect(store.getBreaker('cocoMDS1')).toMatchObject({ state: 'OPEN', openCount: 7, nextProbeAt: clock.now() + 60_000 });
    probe.up = true;
    await clock.advance(61_000);
    expect(through).toBe(true);
    expect(store.getBreaker('cocoMDS1')).toMatchObject({ state: 'CLOSED', nextProbeAt: null });
  });

  it('rejects a parked connector with the signal’s reason when it is aborted', async () => {
    const { breaker, changes, clock } = setup();
    breaker.reportUnavailable(unavailable);
    const controller = new AbortController();
    const parked = breaker.waitUntilClosed(controller.signal);
    const other = breaker.waitUntilClosed(new AbortController().signal);
    const before = changes.length;
    await settle();
    expect(breaker.waitingConnectors).toBe(2);
    // Waiting-count changes are reported once per 250 ms, not once per connector.
    expect(changes).toHaveLength(before);
    await clock.advance(250);
    expect(changes).toHaveLength(before + 1);
    expect(changes.at(-1)?.waitingConnectors).toBe(2);
    const reason = new Error('connector restarted');
    controller.abort(reason);
    await expect(parked).rejects.toBe(reason);
    expect(breaker.waitingConnectors).toBe(1);
    await expect(breaker.waitUntilClosed(controller.signal)).rejects.toBe(reason);
    breaker.dispose();
    await expect(other).rejects.toThrow(/circuit breaker of metadata server cocoMDS1 has been shut down/);
  });

  it('probes at once on request and closes on a successful call reported by a connector', async () => {
    const { breaker, clock, probe } = setup();
    breaker.reportUnavailable(unavailable);
    await expect(breaker.probeNow()).resolves.toBe('OPEN');
    expect(probe.calls).toEqual([clock.now()]);
    breaker.reportAvailable();
    expect(breaker.state).toBe('CLOSED');
    await expect(breaker.probeNow()).resolves.toBe('CLOSED');
    expect(probe.calls).toHaveLength(1);
  });

  it('starts each outage from the initial interval by default', async () => {
    const { breaker, clock, probe } = setup();
    breaker.reportUnavailable(unavailable);
    await clock.advance(2_000);
    probe.up = true;
    await clock.advance(4_000);
    expect(breaker.state).toBe('CLOSED');
    breaker.reportUnavailable(unavailable);
    expect(breaker.status().nextProbeAt).toBe(new Date(clock.now() + 2_000).toISOString());
  });

  it('keeps growing the interval for a flapping server until it has been closed for resetAfterClosedMs', async () => {
    const { breaker, clock, probe } = setup({ resetAfterClosedMs: 300_000 });
    breaker.reportUnavailable(unavailable);
    await clock.advance(2_000);
    await clock.advance(4_000);
    probe.up = true;
    await clock.advance(8_000);
    expect(breaker.state).toBe('CLOSED');
    await clock.advance(10_000);
    breaker.reportUnavailable(unavailable);
    expect(breaker.status().nextProbeAt).toBe(new Date(clock.now() + 16_000).toISOString());
    breaker.reportAvailable();
    await clock.advance(300_000);
    breaker.reportUnavailable(unavailable);
    expect(breaker.status().nextProbeAt).toBe(new Date(clock.now() + 2_000).toISOString());
  });

  it('keeps working in memory and says so when the state store cannot save', () => {
    const { store, audits, make } = setup();
    store.putBreaker = () => {
      throw new Error('SQLITE_FULL: database or disk is full');
    };
    const breaker = make();
    breaker.reportUnavailable(unavailable);
    expect(breaker.state).toBe('OPEN');
    expect(audits.map(([id]) => id)).toEqual(['INTEGRATION-DAEMON-RECOVERY-0050', 'INTEGRATION-DAEMON-RECOVERY-0004']);
    expect(audits[0]?.[1][1]).toBe('SQLITE_FULL: database or disk is full');
    expectCatalogued(audits);
  });
});
