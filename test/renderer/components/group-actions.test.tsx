// @vitest-environment happy-dom
// Changing integration groups from the console: create a group (problems by their field), delete one after a
// confirmation, add a connector to one through the connector form, and take a group's connector out of its group.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { IntegrationGroupSummary } from '../../../shared/api/egeria5.js';
import { ConnectorDetails } from '../../../renderer/components/ConnectorDetails.js';
import { DaemonHeader } from '../../../renderer/components/DaemonHeader.js';
import type { DaemonView } from '../../../shared/console-backend.js';
import { report, view } from '../../support/console-fixtures.js';
import { FakeBackend } from '../support/fake-backend.js';
import { filesProvider } from '../support/providers.js';
import { modelOf, renderConsole, settled } from '../support/render.js';

function lake(): DaemonView {
  const v = view('lake', [report('G1', 'RUNNING', { integrationGroupName: 'landing' })]);
  const landing: IntegrationGroupSummary = {
    integrationGroupName: 'landing',
    integrationGroupStatus: 'RUNNING',
    integrationConnectorReports: [],
  };
  return { ...v, ...(v.status ? { status: { ...v.status, integrationGroupSummaries: [landing] } } : {}) };
}

function header() {
  const v = lake();
  const backend = new FakeBackend([v]);
  backend.providers = [filesProvider];
  const model = modelOf([v]);
  return renderConsole(<DaemonHeader daemon={model.daemons.lake!} onEdit={() => undefined} />, { backend, model });
}

const refusal = (path: string, message: string) => ({
  saved: false as const,
  messageId: 'INTEGRATION-DAEMON-CONFIG-400-001',
  message: 'The request is not valid',
  userAction: 'Correct the fields shown.',
  problems: [{ path, messageId: 'INTEGRATION-DAEMON-CONFIG-400-002', message, fix: 'Fix it.' }],
});

describe('integration group actions in the console', () => {
  it('creates a group, showing the daemon’s problem by the group name first', async () => {
    const { user, backend } = header();
    await user.click(screen.getByRole('button', { name: 'New integration group…' }));
    const form = screen.getByRole('dialog', { name: 'New integration group' });
    await user.type(within(form).getByRole('textbox', { name: 'Group name' }), 'bad name');
    await user.type(within(form).getByRole('textbox', { name: 'Description' }), 'Landing zone');
    backend.saveResult = refusal('groupName', 'must be letters, digits, dot, dash or underscore');
    await user.click(within(form).getByRole('button', { name: 'Create group' }));
    await settled();
    const name = within(form).getByRole('textbox', { name: 'Group name' });
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(
      within(form)
        .getAllByRole('alert')
        .map((a) => a.textContent),
    ).toEqual([
      'INTEGRATION-DAEMON-CONFIG-400-002 must be letters, digits, dot, dash or underscore Fix it.',
      'INTEGRATION-DAEMON-CONFIG-400-001 The request is not valid Correct the fields shown.',
    ]);
    await user.clear(name);
    await user.type(name, 'landing2');
    backend.saveResult = { saved: true };
    await user.click(within(form).getByRole('button', { name: 'Create group' }));
    await settled();
    expect(backend.callsOf('createIntegrationGroup')).toEqual([
      ['lake', 'bad name', 'Landing zone'],
      ['lake', 'landing2', 'Landing zone'],
    ]);
    expect(screen.queryByRole('dialog', { name: 'New integration group' })).toBeNull();
  });

  it('deletes a group only once confirmed', async () => {
    const { user, backend } = header();
    await user.click(screen.getByRole('button', { name: 'Delete group landing' }));
    await user.click(
      within(screen.getByRole('dialog', { name: 'Delete integration group landing?' })).getByRole('button', { name: 'Cancel' }),
    );
    expect(backend.callsOf('deleteIntegrationGroup')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Delete group landing' }));
    await user.click(
      within(screen.getByRole('dialog', { name: 'Delete integration group landing?' })).getByRole('button', { name: 'Delete group' }),
    );
    await settled();
    expect(backend.callsOf('deleteIntegrationGroup')).toEqual([['lake', 'landing']]);
  });

  it('adds a connector to a group through the connector form: tested in its kind’s service, saved to the group', async () => {
    const { user, backend } = header();
    await user.click(screen.getByRole('button', { name: 'Add connector to group landing' }));
    await settled();
    const form = screen.getByRole('dialog', { name: 'Add a connector to integration group landing' });
    expect(within(form).queryByRole('combobox', { name: 'Integration service' })).toBeNull();
    await user.type(within(form).getByRole('textbox', { name: 'Connector name' }), 'Inbox');
    await user.type(within(form).getByRole('textbox', { name: 'Directory (endpoint address)' }), '/data/nowhere');
    await user.click(within(form).getByRole('button', { name: 'Test connection' }));
    await settled();
    const entry = { connectorName: 'Inbox', connectorProvider: 'data-files-monitor', endpointAddress: '/data/nowhere' };
    expect(backend.callsOf('testConnectorEntry')[0]).toEqual(['lake', 'files-integrator', entry]);
    backend.saveResult = refusal('connectors[1].endpointAddress', 'does not exist');
    await user.click(within(form).getByRole('button', { name: 'Add to group' }));
    await settled();
    const directory = within(form).getByRole('textbox', { name: 'Directory (endpoint address)' });
    expect(directory.getAttribute('aria-invalid')).toBe('true');
    expect(within(form).getAllByRole('alert')[0]?.textContent).toBe('INTEGRATION-DAEMON-CONFIG-400-002 does not exist Fix it.');
    expect(backend.callsOf('addIntegrationGroupConnector')).toEqual([['lake', 'landing', entry]]);
    expect(backend.callsOf('addConnector')).toEqual([]);
  });

  it('removes a group’s connector from its group, not from the configuration document', async () => {
    const v = lake();
    const backend = new FakeBackend([v]);
    const { user } = renderConsole(<ConnectorDetails daemonId="lake" connectorKey="files-integrator/G1" />, { backend });
    await settled();
    expect(screen.queryByRole('button', { name: 'Edit…' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Remove from group…' }));
    await user.click(
      within(screen.getByRole('dialog', { name: 'Remove connector G1 from integration group landing?' })).getByRole('button', {
        name: 'Remove from group',
      }),
    );
    await settled();
    expect(backend.callsOf('removeIntegrationGroupConnector')).toEqual([['lake', 'landing', 'G1']]);
    expect(backend.callsOf('removeConnector')).toEqual([]);
  });
});
