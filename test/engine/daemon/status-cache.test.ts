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
    cache,
    builds: () => builds,
    publish: () => version++,
    advance: (ms: number) => (now += ms),
  };
}

describe('StatusCache', () => {
  it('answers from the kept text while nothing is published, with the current serverTime each time', () => {
    const s = setup();
    const first = JSON.parse(s.cache.json()) as IntegrationDaemonStatusResponse;
    s.advance(250);
    const second = JSON.parse(s.cache.json()) as IntegrationDaemonStatusResponse;
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
    s.cache.json();
    s.publish();
    expect((JSON.parse(s.cache.json()) as IntegrationDaemonStatusResponse).serverName).toBe('build-2');
  });

  it('rebuilds a report older than a second, for counters that move between events', () => {
    const s = setup();
    s.cache.json();
    s.advance(999);
    s.cache.json();
    expect(s.builds()).toBe(1);
    s.advance(1);
    s.cache.json();
    expect(s.builds()).toBe(2);
  });

  it('rebuilds when the clock goes back', () => {
    const s = setup();
    s.cache.json();
    s.advance(-5_000);
    s.cache.json();
    expect(s.builds()).toBe(2);
  });
});
