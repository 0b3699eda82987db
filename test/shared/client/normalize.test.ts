// normalizeStatus reads the seed's (Egeria 2.x/3.x) shape and Egeria 4.x's integrationDaemonStatus wrapper.
import { describe, expect, it } from 'vitest';
import { normalizeStatus, StatusShapeError } from '../../../shared/client/normalize.js';
import { diagnoseEgeriaMessage } from '../../../shared/logic/egeria-diagnosis.js';
import { seedExamples } from '../../engine/rest/seed.js';

type Json = Record<string, unknown>;

describe('normalizeStatus', () => {
  it('keeps every field of the three seed examples, adding only connectorId, the parsed message id and its diagnosis', () => {
    const seed = seedExamples();
    for (const example of [seed.statusFailed, seed.statusAfterRestart, seed.statusRunning]) {
      const normalized = normalizeStatus(example);
      const summaries = example.integrationServiceSummaries as Json[];
      expect(normalized.class).toBe('IntegrationDaemonStatusResponse');
      expect(normalized.relatedHTTPCode).toBe(200);
      expect(normalized.integrationServiceSummaries).toHaveLength(summaries.length);
      normalized.integrationServiceSummaries.forEach((summary, i) => {
        const raw = summaries[i] as Json;
        const { integrationConnectorReports: rawReports, ...rawRest } = raw;
        const { integrationConnectorReports: reports, ...rest } = summary;
        expect(rest).toEqual(rawRest);
        reports.forEach((report, j) => {
          const rawReport = (rawReports as Json[])[j] as Json;
          const message = rawReport.failingExceptionMessage as string | undefined;
          const diagnosis = diagnoseEgeriaMessage(undefined, message);
          expect(report).toEqual({
            ...rawReport,
            connectorId: rawReport.connectorName,
            ...(message !== undefined ? { failingExceptionMessageId: message.split(' ')[0] } : {}),
            ...(diagnosis !== undefined
              ? { errorSource: diagnosis.errorSource, errorCategory: diagnosis.errorCategory, userAction: diagnosis.userAction }
              : {}),
          });
        });
      });
    }
    const first = normalizeStatus(seed.statusFailed).integrationServiceSummaries[0]?.integrationConnectorReports[0];
    expect(first?.failingExceptionMessageId).toBe('OMAG-MULTI-TENANT-404-001');
    const later = normalizeStatus(seed.statusAfterRestart).integrationServiceSummaries[0]?.integrationConnectorReports[0];
    expect(later?.failingExceptionMessageId).toBe('BASIC-FILES-INTEGRATION-CONNECTORS-404-001');
    expect(first?.errorSource).toBe('metadataServer');
    expect(later?.errorSource).toBe('thirdParty');
  });

  it('reads the Egeria 4.x wrapper: groups become summaries, loose connector reports are gathered once', () => {
    const egeria4 = {
      class: 'IntegrationDaemonStatusResponse',
      relatedHTTPCode: 200,
      integrationDaemonStatus: {
        integrationConnectorReports: [
          {
            connectorId: 'id-1',
            connectorGUID: 'guid-1',
            connectorName: 'FilesCataloguer',
            connection: { class: 'Connection' },
            connectorInstanceId: 'inst-1',
            connectorStatus: 'WAITING',
            lastStatusChange: '2024-11-12T16:41:55.000+00:00',
            lastRefreshTime: '2024-11-12T16:41:55.000+00:00',
            minMinutesBetweenRefresh: 60,
            statistics: {},
          },
          { connectorName: 'SampleDataCataloguer', connectorStatus: 'INITIALIZE FAILED', minMinutesBetweenRefresh: 1440 },
        ],
        integrationGroupSummaries: [
          {
            integrationGroupName: 'Egeria:IntegrationGroup:DefaultIntegrationGroup',
            integrationGroupGUID: 'g-1',
            integrationGroupDescription: 'default group',
            integrationGroupStatus: 'RUNNING',
            integrationConnectorReports: [
              { connectorName: 'FilesCataloguer', connectorId: 'id-1', connectorStatus: 'WAITING', minMinutesBetweenRefresh: 60 },
            ],
          },
        ],
      },
    };
    const status = normalizeStatus(egeria4);
    expect(status.integrationServiceSummaries.map((s) => [s.integrationServiceFullName, s.integrationServiceURLMarker])).toEqual([
      ['Egeria:IntegrationGroup:DefaultIntegrationGroup', ''],
      ['Integration connectors', ''],
    ]);
    expect(status.integrationServiceSummaries[0]?.integrationConnectorReports.map((r) => r.connectorName)).toEqual(['FilesCataloguer']);
    const loose = status.integrationServiceSummaries[1]?.integrationConnectorReports ?? [];
    expect(loose).toEqual([
      {
        connectorName: 'SampleDataCataloguer',
        connectorId: 'SampleDataCataloguer',
        connectorStatus: 'INITIALIZE_FAILED',
        minMinutesBetweenRefresh: 1440,
      },
    ]);
  });

  it('reads a 4.x wrapper with service summaries only, and keeps our extensions', () => {
    const status = normalizeStatus({
      class: 'IntegrationDaemonStatusResponse',
      relatedHTTPCode: 200,
      serverName: 'd1',
      serverTime: '2026-01-01T00:00:00.000Z',
      integrationDaemonStatus: {
        integrationServiceSummaries: [
          {
            integrationServiceId: 4005,
            integrationServiceFullName: 'Files Integrator OMIS',
            integrationServiceURLMarker: 'files-integrator',
            integrationConnectorReports: [
              {
                connectorName: 'F',
                connectorId: 'c',
                connectorStatus: 'RETRYING',
                minMinutesBetweenRefresh: 0,
                errorSource: 'thirdParty',
                retry: { attempt: 2, retryLimit: null, nextRetryAt: '2026-01-01T00:01:00.000Z', reason: 'missing directory' },
                pendingObjectRetries: 3,
              },
            ],
          },
        ],
      },
    });
    expect(status.serverTime).toBe('2026-01-01T00:00:00.000Z');
    const report = status.integrationServiceSummaries[0]?.integrationConnectorReports[0];
    expect(report?.retry?.attempt).toBe(2);
    expect(report?.errorSource).toBe('thirdParty');
    expect(report?.pendingObjectRetries).toBe(3);
    expect(status.integrationServiceSummaries[0]?.integrationServiceDescription).toBe('');
  });

  it('keeps the provider and the endpoint, with the password of any connection string redacted on arrival', () => {
    const endpoints = [
      ['postgresql://meta:s3cr%40t@db.example.com:5432/lake', 'postgresql://meta:***@db.example.com:5432/lake'],
      ['host=db.example.com user=meta password=s3cret dbname=lake', 'host=db.example.com user=meta password=*** dbname=lake'],
      ['jdbc:postgresql://db.example.com/lake?user=meta&password=s3cret', 'jdbc:postgresql://db.example.com/lake?user=meta&password=***'],
      ['/data/landing-area', '/data/landing-area'],
    ];
    for (const [sent, shown] of endpoints) {
      const status = normalizeStatus({
        class: 'IntegrationDaemonStatusResponse',
        relatedHTTPCode: 200,
        integrationServiceSummaries: [
          {
            integrationServiceURLMarker: 'database-integrator',
            integrationConnectorReports: [
              {
                connectorName: 'D',
                connectorId: 'd',
                connectorStatus: 'RUNNING',
                connectorProvider: 'postgres-monitor',
                endpointAddress: sent,
              },
            ],
          },
        ],
      });
      const report = status.integrationServiceSummaries[0]?.integrationConnectorReports[0];
      expect(report?.connectorProvider).toBe('postgres-monitor');
      expect(report?.endpointAddress).toBe(shown);
    }
  });

  it('an unknown connector status counts as FAILED and says so', () => {
    const status = normalizeStatus({
      integrationServiceSummaries: [{ integrationConnectorReports: [{ connectorName: 'X', connectorStatus: 'EXPLODED' }] }],
    });
    const report = status.integrationServiceSummaries[0]?.integrationConnectorReports[0];
    expect(report?.connectorStatus).toBe('FAILED');
    expect(report?.failingExceptionMessage).toContain('EXPLODED');
  });

  it('refuses answers that are not a status, naming the problem', () => {
    expect(() => normalizeStatus({ class: 'VoidResponse', relatedHTTPCode: 200 })).toThrow(StatusShapeError);
    expect(() => normalizeStatus('nope')).toThrow(StatusShapeError);
    expect(() =>
      normalizeStatus({ integrationServiceSummaries: [{ integrationConnectorReports: [{ connectorStatus: 'RUNNING' }] }] }),
    ).toThrow(/connectorName/);
  });
});
