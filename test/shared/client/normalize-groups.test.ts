// Integration groups in a status answer: ours lists a group's connectors in the service summaries (tagged), so they
// are not listed twice; Egeria 5 lists them only in the group. Both keep the group summaries for the console header.
import { describe, expect, it } from 'vitest';
import { normalizeStatus } from '../../../shared/client/normalize.js';

const report = (connectorName: string, extra: Record<string, unknown> = {}) => ({
  connectorName,
  connectorId: `${connectorName}-id`,
  connectorStatus: 'WAITING',
  minMinutesBetweenRefresh: 1,
  ...extra,
});
const files = (reports: unknown[]) => ({
  integrationServiceId: 4005,
  integrationServiceFullName: 'Files Integrator OMIS',
  integrationServiceURLMarker: 'files-integrator',
  integrationServiceDescription: '',
  integrationServiceWiki: '',
  integrationConnectorReports: reports,
});
const group = {
  integrationGroupName: 'landing',
  integrationGroupGUID: '0190f0f0-0000-7000-8000-000000000001',
  integrationGroupStatus: 'RUNNING',
  integrationConnectorReports: [report('G1')],
  integrationGroupVersion: 4,
};

describe('normalizeStatus: integration groups', () => {
  it("lists our group's connectors once, tagged with the group, and keeps the group summaries", () => {
    const status = normalizeStatus({
      class: 'IntegrationDaemonStatusResponse',
      integrationServiceSummaries: [files([report('Plain'), report('G1', { integrationGroupName: 'landing' })])],
      integrationGroupSummaries: [group],
      integrationDaemonStatus: { integrationServiceSummaries: [], integrationGroupSummaries: [group], integrationConnectorReports: [] },
    });
    expect(status.integrationServiceSummaries).toHaveLength(1);
    const reports = status.integrationServiceSummaries[0]?.integrationConnectorReports ?? [];
    expect(reports.map((r) => [r.connectorName, r.integrationGroupName])).toEqual([
      ['Plain', undefined],
      ['G1', 'landing'],
    ]);
    expect(status.integrationGroupSummaries).toEqual([
      expect.objectContaining({ integrationGroupName: 'landing', integrationGroupStatus: 'RUNNING', integrationGroupVersion: 4 }),
    ]);
  });

  it("shows an Egeria 5 group's connectors in a summary of their own, tagged, and an unknown group status as FAILED", () => {
    const status = normalizeStatus({
      class: 'IntegrationDaemonStatusResponse',
      integrationDaemonStatus: {
        integrationServiceSummaries: [],
        integrationGroupSummaries: [{ ...group, integrationGroupStatus: 'SLEEPING' }],
        integrationConnectorReports: [report('G1')],
      },
    });
    expect(status.integrationServiceSummaries.map((s) => s.integrationServiceFullName)).toEqual(['landing']);
    expect(status.integrationServiceSummaries[0]?.integrationConnectorReports[0]?.integrationGroupName).toBe('landing');
    expect(status.integrationGroupSummaries?.[0]?.integrationGroupStatus).toBe('FAILED');
  });
});
