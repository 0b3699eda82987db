// @vitest-environment happy-dom
// Foreign daemons: the saved daemon's era decides which action buttons the console offers. An action the era lacks
// is disabled, its tooltip the plain sentence saying so and what to do instead; our own daemons offer every one.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConnectorDetails } from '../../../renderer/components/ConnectorDetails.js';
import { ConnectorList } from '../../../renderer/components/ConnectorList.js';
import { DaemonHeader } from '../../../renderer/components/DaemonHeader.js';
import type { DaemonEra } from '../../../shared/client/era.js';
import type { DaemonView } from '../../../shared/console-backend.js';
import { report, view } from '../../support/console-fixtures.js';
import { modelOf, renderConsole } from '../support/render.js';

const RETRY_NOW_ON_EGERIA_5 =
  'Retry now does not exist on an Egeria 5.x integration daemon. Egeria has no automatic retry to run early: restart the connector instead.';

function daemonOf(era: DaemonEra | undefined): DaemonView {
  const v = view('lake', [
    report('Landing', 'RETRYING', {
      retry: { attempt: 1, retryLimit: 5, nextRetryAt: new Date(Date.now() + 60_000).toISOString(), reason: 'unavailable' },
    }),
  ]);
  return { ...v, entry: { ...v.entry, ...(era !== undefined ? { era } : {}) } };
}

function button(name: string | RegExp): HTMLButtonElement {
  return screen.getByRole<HTMLButtonElement>('button', { name });
}

describe('actions by the daemon’s era', () => {
  it('disables retry now on an Egeria 5.x connector, saying why; restart and refresh stay', () => {
    const v = daemonOf('egeria-5');
    const model = { ...modelOf([v]), focus: { daemonId: 'lake', connectorKey: 'files-integrator/Landing' } };
    renderConsole(<ConnectorDetails daemonId="lake" connectorKey="files-integrator/Landing" />, { views: [v], model });
    expect(button('Retry now').disabled).toBe(true);
    expect(button('Retry now').title).toBe(RETRY_NOW_ON_EGERIA_5);
    expect(button('Restart').disabled).toBe(false);
    expect(button('Refresh').disabled).toBe(false);
  });

  it('disables the per-service actions and retry now in the list of an Egeria 5.x daemon', () => {
    renderConsole(<ConnectorList daemonId="lake" />, { views: [daemonOf('egeria-5')] });
    const retry = button('Retry connector Landing now');
    expect(retry.disabled).toBe(true);
    expect(retry.title).toBe(RETRY_NOW_ON_EGERIA_5);
    const restartService = button(/^Restart all connectors of /);
    expect(restartService.disabled).toBe(true);
    expect(restartService.title).toBe(
      'Restart of an integration service does not exist on an Egeria 5.x integration daemon. Egeria 5 restarts connectors by name: restart each connector, or all of them.',
    );
    expect(button('Restart connector Landing').disabled).toBe(false);
  });

  it('disables restart all on an Egeria 4.x daemon, which restarts through each integration service', () => {
    const v = daemonOf('egeria-4');
    const model = modelOf([v]);
    renderConsole(<DaemonHeader daemon={model.daemons.lake!} onEdit={() => {}} />, { views: [v], model });
    expect(button('Restart all…').disabled).toBe(true);
    expect(button('Restart all…').title).toBe(
      'Restart all does not exist on an Egeria 4.x integration daemon. Egeria 2.x–4.x restart connectors through their integration service: restart each integration service.',
    );
    expect(button('Refresh all…').disabled).toBe(false);
    expect(button('Retry all now').disabled).toBe(true);
  });

  it('offers every action on our own daemon', () => {
    const v = daemonOf(undefined);
    const model = modelOf([v]);
    renderConsole(<DaemonHeader daemon={model.daemons.lake!} onEdit={() => {}} />, { views: [v], model });
    expect(button('Restart all…').disabled).toBe(false);
    expect(button('Retry all now').disabled).toBe(false);
    expect(button('Retry all now').title).toBe('');
  });
});
