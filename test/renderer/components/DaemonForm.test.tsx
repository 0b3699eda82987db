// @vitest-environment happy-dom
// Adding, editing and removing a daemon: problems shown next to their field before anything is sent, what is sent
// to the backend, its refusals shown in the form, and the page's own daemon, which can only be given a token.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DaemonForm } from '../../../renderer/components/DaemonForm.js';
import { ConsoleError, type DaemonEntry } from '../../../shared/console-backend.js';
import { view } from '../../support/console-fixtures.js';
import { FakeBackend } from '../support/fake-backend.js';
import { renderConsole, settled } from '../support/render.js';

const lake = view('lake', [], { label: 'Data lake' });
lake.entry.url = 'https://lake.example.com:9443';

function form(editing: DaemonEntry | null, options: { mode?: 'browser' | 'desktop'; backend?: FakeBackend } = {}) {
  let closed = 0;
  const rendered = renderConsole(<DaemonForm editing={editing} onClose={() => closed++} />, {
    backend: options.backend ?? new FakeBackend([lake, view('local', [])]),
    mode: options.mode ?? 'browser',
  });
  return { ...rendered, closed: () => closed };
}

describe('DaemonForm', () => {
  it('shows each problem next to its field and sends nothing, then adds the daemon as corrected', async () => {
    const { user, backend, store, closed } = form(null);
    expect(screen.getByRole('dialog', { name: 'Add a remote daemon' })).toHaveProperty('open', true);
    await user.type(screen.getByLabelText('Platform URL'), 'http://lake.example.com:9443');
    await user.type(screen.getByLabelText('Server name'), 'exchange/DL01');
    await user.type(screen.getByLabelText('User id'), 'npa');
    await user.click(screen.getByRole('button', { name: 'Add daemon' }));
    expect(screen.getByLabelText('Platform URL').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/^INTEGRATION-CONSOLE-400-018 The daemon URL must use https:\/\//)).toBeDefined();
    expect(screen.getByText(/^INTEGRATION-CONSOLE-400-006/)).toBeDefined();
    expect(backend.callsOf('addDaemon')).toEqual([]);

    await user.clear(screen.getByLabelText('Platform URL'));
    await user.type(screen.getByLabelText('Platform URL'), 'https://Lake.example.com:9443/');
    await user.clear(screen.getByLabelText('Server name'));
    await user.type(screen.getByLabelText('Server name'), 'exchangeDL01');
    await user.type(screen.getByLabelText('Bearer token'), ' s3cr3t ');
    await user.click(screen.getByRole('button', { name: 'Add daemon' }));
    await settled();
    expect(backend.callsOf('addDaemon')).toEqual([
      [
        {
          label: 'exchangeDL01 @ lake.example.com:9443',
          url: 'https://lake.example.com:9443',
          serverName: 'exchangeDL01',
          userId: 'npa',
          token: 's3cr3t',
        },
      ],
    ]);
    expect(store.getState().notices.at(-1)?.text).toBe('Daemon exchangeDL01 @ lake.example.com:9443 added');
    expect(closed()).toBe(1);
  });

  it('keeps the form open with the backend’s refusal and its fix', async () => {
    const backend = new FakeBackend([lake]);
    backend.failNext.set(
      'addDaemon',
      new ConsoleError(
        'INTEGRATION-DAEMON-DESKTOP-503-001',
        'Tokens of remote daemons cannot be saved.',
        'Start a keyring (GNOME Keyring, KWallet).',
      ),
    );
    const { user, closed } = form(null, { backend, mode: 'desktop' });
    await user.type(screen.getByLabelText('Platform URL'), 'https://lake.example.com:9443');
    await user.type(screen.getByLabelText('Server name'), 'exchangeDL01');
    await user.type(screen.getByLabelText('User id'), 'npa');
    await user.click(screen.getByRole('button', { name: 'Add daemon' }));
    await settled();
    expect(screen.getByRole('alert').textContent).toBe(
      'INTEGRATION-DAEMON-DESKTOP-503-001 Tokens of remote daemons cannot be saved.\nStart a keyring (GNOME Keyring, KWallet).',
    );
    expect(closed()).toBe(0);
    expect(screen.getByText(/encrypted by the operating system/)).toBeDefined();
  });

  it('edits a remote daemon, keeping its token when the field stays empty', async () => {
    const { user, backend, closed } = form(lake.entry);
    expect(screen.getByRole('dialog', { name: 'Edit Data lake' })).toBeDefined();
    expect(screen.getByLabelText('Platform URL')).toHaveProperty('value', 'https://lake.example.com:9443');
    await user.clear(screen.getByLabelText('Label (optional)'));
    await user.type(screen.getByLabelText('Label (optional)'), 'Lake');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await settled();
    expect(backend.callsOf('updateDaemon')).toEqual([
      ['lake', { label: 'Lake', url: 'https://lake.example.com:9443', serverName: 'exchangeDL01', userId: 'garygeeke' }],
    ]);
    expect(closed()).toBe(1);
  });

  it('removes a daemon only once the operator confirms', async () => {
    const { user, backend, closed } = form(lake.entry);
    const question = () => within(screen.getByRole('dialog', { name: 'Remove Data lake?' }));
    await user.click(screen.getByRole('button', { name: 'Remove daemon' }));
    expect(question().getByText('The console stops watching this daemon. The daemon itself keeps running.')).toBeDefined();
    await user.click(question().getByRole('button', { name: 'Cancel' }));
    expect(backend.callsOf('removeDaemon')).toEqual([]);
    expect(closed()).toBe(0);
    await user.click(screen.getByRole('button', { name: 'Remove daemon' }));
    await user.click(question().getByRole('button', { name: 'Remove' }));
    await settled();
    expect(backend.callsOf('removeDaemon')).toEqual([['lake']]);
    expect(closed()).toBe(1);
  });

  it('gives the page’s own daemon a new token only, wherever it is', async () => {
    const local = view('local', []).entry;
    local.url = 'http://daemon.example.com:9443';
    const { user, backend } = form(local);
    expect(screen.getByRole('dialog', { name: 'Token of this daemon' })).toBeDefined();
    expect(screen.queryByLabelText('Platform URL')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Remove daemon' })).toBeNull();
    await user.type(screen.getByLabelText(/^Bearer token/), 'n3w-t0ken');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await settled();
    expect(backend.callsOf('updateDaemon')).toEqual([['local', { token: 'n3w-t0ken' }]]);
    expect(screen.getByText(/Tokens stay in this tab only/)).toBeDefined();
  });

  it('tests a daemon before adding it and saves nothing when its token is refused', async () => {
    const backend = new FakeBackend([lake]);
    backend.remoteTest = {
      reachable: true,
      tokenAccepted: false,
      era: 'egeria-4',
      message: 'INTEGRATION-DAEMON-CLIENT-401-001 The daemon refused the token.',
      messageId: 'INTEGRATION-DAEMON-CLIENT-401-001',
      userAction: 'Paste the token the daemon printed.',
    };
    const { user, closed } = form(null, { backend });
    await user.type(screen.getByLabelText('Platform URL'), 'https://lake.example.com:9443');
    await user.type(screen.getByLabelText('Server name'), 'exchangeDL01');
    await user.type(screen.getByLabelText('User id'), 'npa');
    await user.type(screen.getByLabelText('Bearer token'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Add daemon' }));
    await settled();
    expect(screen.getByTestId('remote-test').textContent).toBe(
      'Test: ✔ reachable · ✖ token refused · ✔ an Egeria 4.x/5.x integration daemon',
    );
    expect(screen.getByRole('alert').textContent).toBe(
      'INTEGRATION-DAEMON-CLIENT-401-001 The daemon refused the token. Paste the token the daemon printed.',
    );
    expect(backend.callsOf('testRemoteDaemon')).toHaveLength(1);
    expect(backend.callsOf('addDaemon')).toEqual([]);
    backend.remoteTest = { reachable: true, tokenAccepted: true, era: 'integration-daemon', message: 'answers' };
    await user.click(screen.getByRole('button', { name: 'Add daemon' }));
    await settled();
    expect(backend.callsOf('addDaemon')).toHaveLength(1);
    expect(closed()).toBe(1);
  });
});
