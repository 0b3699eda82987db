// GET /status's kept text: rebuilt when the daemon publishes an event or after a second, never per request, and
// always with the current serverTime.
import { describe, expect, it } from 'vitest';
import type { IntegrationDaemonStatusResponse } from '../../../shared/api/types.js';
import { StatusCache } from '../../../electron/engine/daemon/status-cache.js';

function setup() {
  let builds = 0;
  let version = 1;
  let now = Date.parse('2026-12-05T10:00:00.000Z');
  const cache = new StatusCache(
    (): IntegrationDaemonStatusResponse => {
      builds++;
      return {
        class: 'IntegrationDaemonStatusResponse',
        relatedHTTPCode: 200,
        integrationServiceSummaries: [],
        serverName: `build-${builds}`,
        serverTime: 'replaced',
        metadataServers: [],
      };
    },
    () => version,
    () => now,
  );
  return {
    json: () => cache.json('plain', (status) => status),
    cache,
    builds: () => builds,
    publish: () => version++,
    advance: (ms: number) => (now += ms),
  };
}

describe('StatusCache', () => {
  it('answers from the kept text while nothing is published, with the current serverTime each time', () => {
    const s = setup();
    const first = JSON.parse(s.json()) as IntegrationDaemonStatusResponse;
    s.advance(250);
    const second = JSON.parse(s.json()) as IntegrationDaemonStatusResponse;
    expect(s.builds()).toBe(1);
    expect(first.serverTime).toBe('2026-12-05T10:00:00.000+00:00');
    expect(second.serverTime).toBe('2026-12-05T10:00:00.250+00:00');
    expect(second.serverName).toBe('build-1');
    expect(Object.keys(second)).toEqual([
      'class',
      'relatedHTTPCode',
      'integrationServiceSummaries',
      'serverName',
      'serverTime',
      'metadataServers',
    ]);
  });

  it('rebuilds after an event is published', () => {
    const s = setup();
    s.json();
    s.publish();
    expect((JSON.parse(s.json()) as IntegrationDaemonStatusResponse).serverName).toBe('build-2');
  });

  it('rebuilds a report older than a second, for counters that move between events', () => {
    const s = setup();
    s.json();
    s.advance(999);
    s.json();
    expect(s.builds()).toBe(1);
    s.advance(1);
    s.json();
    expect(s.builds()).toBe(2);
  });

  it('keeps each shape apart and puts the current time wherever a shape repeats serverTime', () => {
    const s = setup();
    const wrapped = (): string =>
      s.cache.json('wrapped', (status) => ({
        outer: status.serverTime,
        inner: { serverTime: status.serverTime, name: status.serverName },
      }));
    expect(JSON.parse(wrapped())).toEqual({
      outer: '2026-12-05T10:00:00.000+00:00',
      inner: { serverTime: '2026-12-05T10:00:00.000+00:00', name: 'build-1' },
    });
    s.json();
    s.advance(10);
    expect(JSON.parse(wrapped()).inner.serverTime).toBe('2026-12-05T10:00:00.010+00:00');
    expect(s.builds()).toBe(2);
  });

  it('rebuilds when the clock goes back', () => {
    const s = setup();
    s.json();
    s.advance(-5_000);
    s.json();
    expect(s.builds()).toBe(2);
  });
});
