// @vitest-environment happy-dom
// Adding, editing and removing a connector through the form built from the provider's declarations: the checks of
// a connection test as they complete, problems by their field, and the daemon's calls.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConnectorForm } from '../../../renderer/components/ConnectorForm.js';
import { report, view } from '../../support/console-fixtures.js';
import { FakeBackend } from '../support/fake-backend.js';
import { filesProvider } from '../support/providers.js';
import { renderConsole, settled } from '../support/render.js';

const lake = view('lake', [report('Archive', 'RUNNING')], { label: 'Data lake' });

function setup() {
  const backend = new FakeBackend([lake]);
  backend.providers = [filesProvider];
  let closed = false;
  const rendered = renderConsole(
    <ConnectorForm daemonId="lake" target={{ urlMarker: 'files-integrator' }} onClose={() => (closed = true)} />,
    {
      backend,
    },
  );
  return { ...rendered, backend, closed: () => closed };
}

describe('connector form', () => {
  it('builds its fields from the provider and shows a failed test step by step, then passes once fixed', async () => {
    const { user, backend } = setup();
    await settled();
    expect(screen.getByRole('combobox', { name: 'Kind of connector' })).toHaveProperty('value', 'data-files-monitor');
    expect(screen.getByText('Wait for a missing directory instead of failing. Default: false.')).toBeDefined();
    await user.type(screen.getByRole('textbox', { name: 'Connector name' }), 'NewLanding');
    await user.type(screen.getByRole('textbox', { name: 'Directory (endpoint address)' }), '/data/missing');
    backend.testSteps = [
      {
        name: 'exists',
        status: 'FAILED',
        message: 'The directory /data/missing does not exist',
        messageId: 'X-404-001',
        userAction: 'Create it.',
        durationMs: 3,
      },
      { name: 'isDirectory', status: 'SKIPPED', message: 'needs exists', durationMs: 0 },
    ];
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    await settled();
    const steps = within(screen.getByTestId('test-steps')).getAllByTestId('test-step');
    expect(steps.map((s) => s.dataset.status)).toEqual(['FAILED', 'SKIPPED', 'WAITING', 'WAITING']);
    expect(steps[0]!.textContent).toContain('X-404-001 The directory /data/missing does not exist What to do: Create it.');
    expect(backend.callsOf('testConnectorEntry')[0]).toEqual([
      'lake',
      'files-integrator',
      { connectorName: 'NewLanding', connectorProvider: 'data-files-monitor', endpointAddress: '/data/missing' },
    ]);
    await user.clear(screen.getByRole('textbox', { name: 'Directory (endpoint address)' }));
    await user.type(screen.getByRole('textbox', { name: 'Directory (endpoint address)' }), '/data/landing');
    backend.testSteps = filesProvider.testSteps.map((s) => ({ name: s.name, status: 'PASSED' as const, message: 'ok', durationMs: 1 }));
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    await settled();
    expect(screen.getAllByTestId('test-step').map((s) => s.dataset.status)).toEqual(['PASSED', 'PASSED', 'PASSED', 'PASSED']);
  });

  it('shows each problem next to its field, its own before sending and the daemon’s after, then saves', async () => {
    const { user, backend, store, closed } = setup();
    await settled();
    await user.click(screen.getByRole('button', { name: 'Add connector' }));
    expect(screen.getByRole('textbox', { name: 'Connector name' }).getAttribute('aria-invalid')).toBe('true');
    expect(backend.callsOf('addConnector')).toEqual([]);
    await user.type(screen.getByRole('textbox', { name: 'Connector name' }), 'NewLanding');
    await user.type(screen.getByRole('textbox', { name: 'Directory (endpoint address)' }), '/data/landing');
    await user.type(screen.getByRole('textbox', { name: 'maxDepth' }), '4');
    backend.saveResult = {
      saved: false,
      messageId: 'INTEGRATION-DAEMON-SERVICES-400-101',
      message: 'The connector entry has problems.',
      userAction: 'Correct them.',
      problems: [
        {
          path: 'integrationServices[0].connectors[1].configurationProperties.maxDepth',
          messageId: 'X-400-7',
          message: 'is too deep here',
          fix: 'Use 2.',
        },
      ],
    };
    await user.click(screen.getByRole('button', { name: 'Add connector' }));
    await settled();
    const depth = screen.getByRole('textbox', { name: 'maxDepth' });
    expect(depth.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(depth.getAttribute('aria-describedby')!.split(' ').at(-1)!)?.textContent).toBe(
      'X-400-7 is too deep here Use 2.',
    );
    backend.saveResult = { saved: true };
    await user.click(screen.getByRole('button', { name: 'Add connector' }));
    await waitFor(() => expect(closed()).toBe(true));
    expect(backend.callsOf('addConnector').at(-1)).toEqual([
      'lake',
      'files-integrator',
      {
        connectorName: 'NewLanding',
        connectorProvider: 'data-files-monitor',
        endpointAddress: '/data/landing',
        configurationProperties: { maxDepth: 4 },
      },
    ]);
    expect(store.getState().notices.at(-1)?.text).toBe('Connector NewLanding added and starting');
  });

  it('edits a connector by name and removes it after asking', async () => {
    const backend = new FakeBackend([lake]);
    backend.providers = [filesProvider];
    const { user } = renderConsole(
      <ConnectorForm
        daemonId="lake"
        target={{
          connectorName: 'Archive',
          urlMarker: 'files-integrator',
          entry: { connectorName: 'Archive', connectorProvider: 'data-files-monitor', endpointAddress: '/a' },
        }}
        onClose={() => undefined}
      />,
      { backend },
    );
    await settled();
    expect(screen.getByRole('textbox', { name: 'Connector name' })).toHaveProperty('disabled', true);
    await user.clear(screen.getByRole('textbox', { name: 'Directory (endpoint address)' }));
    await user.type(screen.getByRole('textbox', { name: 'Directory (endpoint address)' }), '/b');
    await user.click(screen.getByRole('button', { name: 'Save and restart' }));
    await settled();
    expect(backend.callsOf('updateConnector')).toEqual([
      ['lake', 'Archive', { connectorName: 'Archive', connectorProvider: 'data-files-monitor', endpointAddress: '/b' }],
    ]);
    await user.click(screen.getByRole('button', { name: 'Remove connector…' }));
    await user.click(
      within(screen.getByRole('dialog', { name: 'Remove connector Archive?' })).getByRole('button', { name: 'Remove connector' }),
    );
    await settled();
    expect(backend.callsOf('removeConnector')).toEqual([['lake', 'Archive']]);
  });
});
