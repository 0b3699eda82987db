// normalizeStatusInSlices reads a status as normalizeStatus does, checking its connector reports a slice at a time.
import { describe, expect, it } from 'vitest';
import { normalizeStatus, normalizeStatusInSlices, REPORTS_PER_SLICE, StatusShapeError } from '../../../shared/client/normalize.js';
import { seedExamples } from '../../engine/rest/seed.js';

function reports(prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    connectorName: `${prefix}${i}`,
    connectorStatus: i % 3 === 0 ? 'FAILED' : 'RUNNING',
    failingExceptionMessage: i % 3 === 0 ? 'OMAG-MULTI-TENANT-404-001 The OMAG Server is not available' : undefined,
    lastRefreshTime: 1_700_000_000_000 + i,
  }));
}

/** Ours and Egeria 4.x's shapes at once: services at the top and in the wrapper, groups, loose reports. */
const big = {
  class: 'IntegrationDaemonStatusResponse',
  relatedHTTPCode: 200,
  serverName: 'big',
  integrationServiceSummaries: [
    { integrationServiceURLMarker: 'files-integrator', integrationConnectorReports: reports('files', 450) },
    { integrationServiceURLMarker: 'database-integrator', integrationConnectorReports: reports('db', 120) },
  ],
  integrationDaemonStatus: {
    integrationServiceSummaries: [{ integrationServiceURLMarker: 'topic-integrator', integrationConnectorReports: reports('topic', 30) }],
    integrationGroupSummaries: [
      { integrationGroupName: 'g1', integrationGroupStatus: 'RUNNING', integrationConnectorReports: reports('g', 5) },
    ],
    integrationConnectorReports: reports('loose', 7),
  },
};

const counting = () => {
  const pauses = { count: 0 };
  return { pauses, pause: async () => void pauses.count++ };
};

describe('normalizeStatusInSlices', () => {
  it('reads every shape as normalizeStatus does, pausing before each slice of reports', async () => {
    const seed = seedExamples();
    for (const example of [seed.statusFailed, seed.statusAfterRestart, seed.statusRunning, big]) {
      const { pause } = counting();
      expect(await normalizeStatusInSlices(example, pause)).toEqual(normalizeStatus(example));
    }
    const { pauses, pause } = counting();
    await normalizeStatusInSlices(big, pause);
    // Two before the reports: before building the schemas, and before checking the envelope.
    expect(pauses.count).toBe(2 + Math.ceil((450 + 120 + 30 + 5 + 7) / REPORTS_PER_SLICE));
  });

  it('refuses what normalizeStatus refuses, with the same words', async () => {
    const bad = structuredClone(big);
    const list = bad.integrationServiceSummaries[1]?.integrationConnectorReports as Record<string, unknown>[];
    delete list[3]?.connectorName;
    const { pause } = counting();
    const expected = (() => {
      try {
        normalizeStatus(bad);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    })();
    expect(expected).toContain('integrationServiceSummaries.1.integrationConnectorReports.3.connectorName');
    await expect(normalizeStatusInSlices(bad, pause)).rejects.toThrow(expected);

    // A group's report is checked on the same path as a service's, under the wrapper.
    const badGroup = structuredClone(big);
    const groupReports = badGroup.integrationDaemonStatus.integrationGroupSummaries[0]?.integrationConnectorReports as Record<
      string,
      unknown
    >[];
    delete groupReports[2]?.connectorStatus;
    await expect(normalizeStatusInSlices(badGroup, pause)).rejects.toThrow(
      'integrationDaemonStatus.integrationGroupSummaries.0.integrationConnectorReports.2.connectorStatus',
    );
    await expect(normalizeStatusInSlices('nope', pause)).rejects.toBeInstanceOf(StatusShapeError);
    await expect(normalizeStatusInSlices({ class: 'VoidResponse', relatedHTTPCode: 200 }, pause)).rejects.toBeInstanceOf(StatusShapeError);
  });
});
