// The shared client finds out each era when a daemon is added, and operates it the era's way: per-service restart
// on Egeria 2.x–4.x, by name on Egeria 5; retry now and run history come back as "unsupported", never as a 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EraClient } from '../../../shared/client/era-client.js';
import { detectEra, EraDetectionError, type DaemonEra } from '../../../shared/client/era.js';
import { DaemonClientError } from '../../../shared/client/errors.js';
import { EGERIA_ERAS, EGERIA_SERVER, EGERIA_USER, startEgeriaFixture, type EgeriaFixture } from '../../support/egeria-fixtures.js';
import { OPERATOR_TOKEN, SERVER_NAME, USER_ID, startFixture, type Fixture } from '../../engine/rest/fixture.js';

const fixtures = new Map<DaemonEra, EgeriaFixture>();
let ours: Fixture;

beforeAll(async () => {
  for (const era of EGERIA_ERAS) fixtures.set(era, await startEgeriaFixture(era));
  ours = await startFixture();
});

afterAll(async () => {
  for (const fixture of fixtures.values()) await fixture.close();
  await ours?.server.close();
});

const options = (fixture: EgeriaFixture) => ({ url: fixture.url, serverName: EGERIA_SERVER, userId: EGERIA_USER, token: 'egeria-jwt' });

describe('detectEra', () => {
  it.each(EGERIA_ERAS)('recognises %s', async (era) => {
    expect(await detectEra(options(fixtures.get(era) as EgeriaFixture))).toBe(era);
  });

  it('recognises our daemon by its health answer', async () => {
    expect(await detectEra({ url: ours.server.url, serverName: SERVER_NAME, userId: USER_ID, token: OPERATOR_TOKEN })).toBe(
      'integration-daemon',
    );
  });

  it('says plainly when nothing there answers a status, and rejects when nothing answers at all', async () => {
    const fixture = fixtures.get('egeria-5') as EgeriaFixture;
    await expect(detectEra({ ...options(fixture), serverName: 'NoSuchServer' })).rejects.toBeInstanceOf(EraDetectionError);
    const closed = await startEgeriaFixture('egeria-seed');
    await closed.close();
    await expect(detectEra(options(closed))).rejects.toMatchObject({ kind: 'network' });
  });
});

describe('EraClient', () => {
  it('restarts a connector through its integration service on the seed and 4.x, by name on 5.x', async () => {
    for (const era of EGERIA_ERAS) {
      const fixture = fixtures.get(era) as EgeriaFixture;
      const client = new EraClient(options(fixture), era);
      const status = await client.status();
      const name = status.integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports)[0]?.connectorName as string;
      fixture.calls.length = 0;
      expect(await client.restartConnector(name)).toEqual({ supported: true, value: undefined });
      const operation = fixture.calls.find((c) => c.method === 'POST')?.operation;
      expect(operation, era).toBe(
        era === 'egeria-seed' || era === 'egeria-4' ? 'integration-services/files-integrator/restart' : 'integration-connectors/restart',
      );
      expect(fixture.calls.find((c) => c.method === 'POST')?.body).toContain(name);
      expect(await client.refreshAll()).toMatchObject({ supported: true });
      expect(await client.restartAll()).toMatchObject({ supported: true });
    }
  });

  it('answers retry now, run history and object retries on Egeria as unsupported, with what to do instead', async () => {
    for (const era of EGERIA_ERAS) {
      const fixture = fixtures.get(era) as EgeriaFixture;
      const client = new EraClient(options(fixture), era);
      fixture.calls.length = 0;
      const retry = await client.retryNow('OakDeneLandingAreaFilesMonitor');
      expect(retry).toMatchObject({ supported: false, action: 'retryNow', era, messageId: 'INTEGRATION-DAEMON-CLIENT-501-001' });
      if (!retry.supported) {
        expect(retry.message).toContain('Retry now does not exist on exchangeDL01');
        expect(retry.userAction).toContain('restart the connector');
      }
      expect(await client.runs()).toMatchObject({ supported: false, action: 'runHistory' });
      expect(await client.objectRetries()).toMatchObject({ supported: false });
      expect(await client.auditLog()).toMatchObject({ supported: false });
      expect(fixture.calls, 'nothing was sent for an unsupported action').toEqual([]);
    }
    const five = new EraClient(options(fixtures.get('egeria-5') as EgeriaFixture), 'egeria-5');
    expect(await five.restartService('files-integrator')).toMatchObject({ supported: false, action: 'restartService' });
  });

  it('normalizes each era’s status with the diagnosis of foreign message ids (ERROR SOURCE)', async () => {
    const sources = new Map<string, string | undefined>();
    for (const era of EGERIA_ERAS) {
      const client = new EraClient(options(fixtures.get(era) as EgeriaFixture), era);
      for (const report of (await client.status()).integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports)) {
        if (report.failingExceptionMessage !== undefined) sources.set(`${era} ${report.connectorName}`, report.errorSource);
      }
    }
    expect(sources.get('egeria-seed LandingAreaFilesMonitor') ?? [...sources].find(([k]) => k.startsWith('egeria-seed'))?.[1]).toBe(
      'metadataServer',
    );
    expect(sources.get('egeria-4 OldMarketLandingAreaFilesMonitor')).toBe('thirdParty');
    expect(sources.get('egeria-5 CocoLineageCataloguer')).toBe('metadataServer');
    expect(sources.get('egeria-5-token OldMarketLandingAreaFilesMonitor')).toBe('thirdParty');
  });

  it('our daemon offers every action', async () => {
    const client = new EraClient(
      { url: ours.server.url, serverName: SERVER_NAME, userId: USER_ID, token: OPERATOR_TOKEN },
      'integration-daemon',
    );
    await expect(client.retryNow('NoSuchConnector')).rejects.toBeInstanceOf(DaemonClientError);
    expect(await client.runs()).toMatchObject({ supported: true });
  });
});
