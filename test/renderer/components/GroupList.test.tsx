// @vitest-environment happy-dom
// Integration groups in the console: the daemon header lists each group with its status (kept current by its
// connectors' events), and a group's connectors carry the group's tag in the list.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { IntegrationGroupSummary } from '../../../shared/api/egeria5.js';
import { ConnectorList } from '../../../renderer/components/ConnectorList.js';
import { DaemonHeader } from '../../../renderer/components/DaemonHeader.js';
import { reduce } from '../../../renderer/store/reducer.js';
import type { DaemonView } from '../../../shared/console-backend.js';
import { report, view } from '../../support/console-fixtures.js';
import { modelOf, renderConsole } from '../support/render.js';

const group = (name: string, status: IntegrationGroupSummary['integrationGroupStatus'], extra: Partial<IntegrationGroupSummary> = {}) => ({
  integrationGroupName: name,
  integrationGroupStatus: status,
  integrationConnectorReports: [],
  ...extra,
});

function withGroups(): DaemonView {
  const v = view('lake', [report('Plain', 'WAITING'), report('G1', 'WAITING', { integrationGroupName: 'landing' })]);
  return {
    ...v,
    ...(v.status
      ? {
          status: {
            ...v.status,
            integrationGroupSummaries: [
              group('landing', 'RUNNING'),
              group('empty', 'ASSIGNED', { integrationGroupProblem: 'Integration group empty is not defined in metadata server m.' }),
            ],
          },
        }
      : {}),
  };
}

describe('integration groups in the console', () => {
  it('lists the groups in the daemon header with their status and why a group is not running', () => {
    const v = withGroups();
    const model = modelOf([v]);
    renderConsole(<DaemonHeader daemon={model.daemons.lake!} onEdit={() => undefined} />, { views: [v], model });
    const groups = screen.getAllByTestId('integration-group');
    expect(groups.map((g) => g.textContent)).toEqual(['✔landing RUNNING (1 connector)', expect.stringContaining('empty ASSIGNED')]);
    expect(groups[1]?.getAttribute('title')).toContain('not defined');
  });

  it('offers a viewer token no way to create, delete or add to a group, and still lists the groups', () => {
    const v = { ...withGroups(), mayChange: false };
    const model = modelOf([v]);
    renderConsole(<DaemonHeader daemon={model.daemons.lake!} onEdit={() => undefined} />, { views: [v], model });
    expect(screen.getAllByTestId('integration-group')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'New integration group…' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add connector to group landing' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete group landing' })).toBeNull();
  });

  it("turns a group FAILED when one of its connectors fails, from the connector's event", () => {
    const v = withGroups();
    const model = reduce(modelOf([v]), {
      type: 'console',
      now: Date.now(),
      event: {
        type: 'event',
        daemonId: 'lake',
        event: {
          type: 'connector-status',
          sequence: 9,
          serverTime: new Date().toISOString(),
          urlMarker: 'files-integrator',
          report: report('G1', 'FAILED', { integrationGroupName: 'landing' }),
        },
      },
    });
    renderConsole(<DaemonHeader daemon={model.daemons.lake!} onEdit={() => undefined} />, { views: [v], model });
    expect(screen.getAllByTestId('integration-group')[0]?.textContent).toContain('landing FAILED');
  });

  it("clears a group's stale 'not defined' once a new connector of the group reports, and not for another group", () => {
    const v = withGroups();
    const event = (name: string, groupName: string) => ({
      type: 'console' as const,
      now: Date.now(),
      event: {
        type: 'event' as const,
        daemonId: 'lake',
        event: {
          type: 'connector-status' as const,
          sequence: 11,
          serverTime: new Date().toISOString(),
          urlMarker: 'files-integrator',
          report: report(name, 'WAITING', { integrationGroupName: groupName }),
        },
      },
    });
    const other = reduce(modelOf([v]), event('New1', 'landing'));
    expect(other.daemons.lake!.groups[1]?.integrationGroupProblem).toContain('not defined');
    const model = reduce(modelOf([v]), event('New2', 'empty'));
    renderConsole(<DaemonHeader daemon={model.daemons.lake!} onEdit={() => undefined} />, { views: [v], model });
    const empty = screen.getAllByTestId('integration-group')[1];
    expect(empty?.textContent).toContain('empty RUNNING (1 connector)');
    expect(empty?.getAttribute('title')).toBeNull();
  });

  it('drops the row of a connector taken out of its group, but not one shut down with its daemon', () => {
    const v = withGroups();
    const event = (groupName: string | undefined) => ({
      type: 'console' as const,
      now: Date.now(),
      event: {
        type: 'event' as const,
        daemonId: 'lake',
        event: {
          type: 'connector-status' as const,
          sequence: 10,
          serverTime: new Date().toISOString(),
          urlMarker: 'files-integrator',
          report: report('G1', 'SHUTDOWN', groupName === undefined ? {} : { integrationGroupName: groupName }),
        },
      },
    });
    const names = (m: ReturnType<typeof modelOf>) => Object.values(m.daemons.lake!.connectors).map((c) => c.report.connectorName);
    expect(names(reduce(modelOf([v]), event(undefined)))).toEqual(['Plain']);
    expect(names(reduce(modelOf([v]), event('landing')))).toEqual(['Plain', 'G1']);
  });

  it("tags a group's connectors with the group, and no other", () => {
    const v = withGroups();
    renderConsole(<ConnectorList daemonId="lake" />, { views: [v] });
    const tags = screen.getAllByTestId('group-tag');
    expect(tags.map((t) => t.textContent)).toEqual(['group landing']);
    expect(tags[0]?.closest('[data-testid="connector-row"]')?.getAttribute('data-connector')).toBe('G1');
  });

  it('says a daemon names no group, and offers to create one', () => {
    const v = view('plain', [report('A')]);
    const model = modelOf([v]);
    renderConsole(<DaemonHeader daemon={model.daemons.plain!} onEdit={() => undefined} />, { views: [v], model });
    expect(screen.getByTestId('integration-groups').textContent).toContain('none named in this daemon’s configuration');
    expect(screen.queryAllByTestId('integration-group')).toEqual([]);
    expect(screen.getByRole('button', { name: 'New integration group…' })).toBeTruthy();
  });
});
