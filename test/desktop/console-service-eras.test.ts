// The desktop's console service attaching to Egeria daemons of each era (fixture servers over real HTTP): the era is
// found out when the daemon is added and kept in its saved record, actions go the era's way, and what the era lacks
// (retry now, run history) is refused plainly with the message the console shows, without a request that would 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleService } from '../../electron/desktop/console-service.js';
import type { SecretStore } from '../../electron/desktop/secret-store.js';
import { DEFAULT_SETTINGS, type DesktopSettings, type SettingsStore } from '../../electron/desktop/settings.js';
import { ConsoleError } from '../../shared/console-backend.js';
import {
  EGERIA_ERAS,
  EGERIA_SERVER,
  EGERIA_USER,
  startEgeriaFixture,
  type EgeriaEra,
  type EgeriaFixture,
} from '../support/egeria-fixtures.js';

const fixtures = new Map<EgeriaEra, EgeriaFixture>();

beforeAll(async () => {
  for (const era of EGERIA_ERAS) fixtures.set(era, await startEgeriaFixture(era));
});

afterAll(async () => {
  for (const fixture of fixtures.values()) await fixture.close();
});

function service(): { console: ConsoleService; settings: SettingsStore } {
  const values: DesktopSettings = structuredClone(DEFAULT_SETTINGS);
  const settings: SettingsStore = {
    path: '(memory)',
    get: (key) => structuredClone(values[key]),
    set: (key, value) => void (values[key] = structuredClone(value)),
  };
  const tokens = new Map<string, string>();
  const secrets: SecretStore = {
    unavailableReason: async () => undefined,
    setToken: async (id, token) => void tokens.set(id, token),
    getToken: async (id) => tokens.get(id),
    deleteToken: (id) => void tokens.delete(id),
  };
  return { console: new ConsoleService({ settings, secrets }), settings };
}

describe.each(EGERIA_ERAS)('an %s daemon in the console', (era) => {
  it('is remembered with its era; restart goes its way; retry now and run history are refused plainly', async () => {
    const fixture = fixtures.get(era) as EgeriaFixture;
    const { console, settings } = service();
    try {
      const entry = await console.addDaemon({
        label: era,
        url: fixture.url,
        serverName: EGERIA_SERVER,
        userId: EGERIA_USER,
        token: 'egeria-jwt',
      });
      expect(entry.era).toBe(era);
      expect(settings.get('daemons')[0]?.era).toBe(era);

      fixture.calls.length = 0;
      await console.action(entry.id, {
        kind: 'restart',
        scope: 'connector',
        urlMarker: 'files-integrator',
        connectorName: 'OldMarketLandingAreaFilesMonitor',
      });
      const egeria5 = era === 'egeria-5' || era === 'egeria-5-token';
      expect(fixture.calls.find((c) => c.method === 'POST')?.operation).toBe(
        egeria5 ? 'integration-connectors/restart' : 'integration-services/files-integrator/restart',
      );

      fixture.calls.length = 0;
      const retry = console.action(entry.id, { kind: 'retryNow', scope: 'connector', connectorName: 'OldMarketLandingAreaFilesMonitor' });
      await expect(retry).rejects.toBeInstanceOf(ConsoleError);
      await expect(retry).rejects.toMatchObject({
        messageId: 'INTEGRATION-DAEMON-CLIENT-501-001',
        message: expect.stringContaining(`Retry now does not exist on ${EGERIA_SERVER}`),
        userAction: expect.stringContaining('restart the connector instead'),
      });
      await expect(console.runs(entry.id, { limit: 10 })).rejects.toMatchObject({ messageId: 'INTEGRATION-DAEMON-CLIENT-501-001' });
      await expect(console.objectRetries(entry.id)).rejects.toMatchObject({ messageId: 'INTEGRATION-DAEMON-CLIENT-501-001' });
      if (egeria5) {
        await expect(console.action(entry.id, { kind: 'restart', scope: 'service', urlMarker: 'files-integrator' })).rejects.toMatchObject({
          messageId: 'INTEGRATION-DAEMON-CLIENT-501-001',
        });
      } else {
        await expect(console.action(entry.id, { kind: 'restart', scope: 'daemon' })).rejects.toMatchObject({
          userAction: expect.stringContaining('restart each integration service'),
        });
      }
      expect(fixture.calls.filter((c) => c.method === 'POST')).toEqual([]);
    } finally {
      await console.stop();
    }
  });
});
