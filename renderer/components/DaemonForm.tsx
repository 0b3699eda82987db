// Add, edit or remove a remote daemon. Validation happens here, before anything reaches the backend, and a daemon
// to add is tested (reachable, token accepted, which era) before it is saved.
import { useEffect, useId, useRef, useState } from 'react';
import type { DaemonEntry, RemoteDaemonEra, RemoteDaemonTest } from '../../shared/console-backend.js';
import { validateDaemonForm, type DaemonField, type DaemonFormValues } from '../logic/daemon-form.js';
import { errorTextWithFix } from '../../shared/logic/error-text.js';
import { useConfirm } from './ConfirmDialog.js';
import { useConsoleContext } from './context.js';

export function DaemonForm({ editing, onClose }: { editing: DaemonEntry | null; onClose: () => void }) {
  const { store, backend, mode } = useConsoleContext();
  const confirm = useConfirm();
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const [values, setValues] = useState<DaemonFormValues>(() => ({
    label: editing?.label ?? '',
    url: editing?.url ?? '',
    serverName: editing?.serverName ?? '',
    userId: editing?.userId ?? '',
    token: '',
  }));
  const [errors, setErrors] = useState<Partial<Record<DaemonField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [checked, setChecked] = useState<string | null>(null);
  const local = editing?.local ?? false;

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const submit = async () => {
    // The local daemon is this page's own origin: only its token can change, so validate against its fixed URL.
    const result = validateDaemonForm(local ? { ...values, url: editing?.url || window.location.origin } : values, { pageDaemon: local });
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      if (editing) {
        const update = local ? (result.input.token ? { token: result.input.token } : {}) : result.input;
        await backend.updateDaemon(editing.id, update);
        store.getState().notify('info', `Daemon ${result.input.label} saved`);
      } else {
        // A daemon is tested before it is saved: reachable, token accepted, and which kind answers.
        setChecked(null);
        const test = await backend.testRemoteDaemon(result.input);
        setChecked(remoteTestText(test));
        if (!test.reachable || test.tokenAccepted === false) {
          setFormError(
            [test.messageId && !test.message.startsWith(test.messageId) ? test.messageId : '', test.message, test.userAction ?? '']
              .filter(Boolean)
              .join(' '),
          );
          return;
        }
        const entry = await backend.addDaemon(result.input);
        store.getState().dispatch({ type: 'select-daemon', daemonId: entry.id });
        store.getState().notify('info', `Daemon ${entry.label} added`);
      }
      onClose();
    } catch (error) {
      setFormError(errorTextWithFix(error));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!editing) return;
    const ok = await confirm(
      `Remove ${editing.label}?`,
      'The console stops watching this daemon. The daemon itself keeps running.',
      'Remove',
    );
    if (!ok) return;
    try {
      await backend.removeDaemon(editing.id);
      store.getState().notify('info', `Daemon ${editing.label} removed`);
      onClose();
    } catch (error) {
      setFormError(errorTextWithFix(error));
    }
  };

  const field = (
    name: DaemonField,
    label: string,
    props: { type?: string; placeholder?: string; autoComplete?: string; disabled?: boolean } = {},
  ) => {
    const id = `${ids}-${name}`;
    const error = errors[name];
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          name={name}
          type={props.type ?? 'text'}
          value={values[name]}
          placeholder={props.placeholder}
          autoComplete={props.autoComplete ?? 'off'}
          disabled={props.disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
        />
        {error && (
          <p id={`${id}-error`} className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
    );
  };

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={`${ids}-title`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2 id={`${ids}-title`}>{editing ? (local ? 'Token of this daemon' : `Edit ${editing.label}`) : 'Add a remote daemon'}</h2>
        {!local && (
          <>
            {field('label', 'Label (optional)', { placeholder: 'Data lake daemon' })}
            {field('url', 'Platform URL', { type: 'url', placeholder: 'https://daemon.example.com:9443' })}
            {field('serverName', 'Server name', { placeholder: 'exchangeDL01' })}
            {field('userId', 'User id', { placeholder: 'exchangeDL01npa' })}
          </>
        )}
        {field('token', editing ? 'Bearer token (leave empty to keep the current one)' : 'Bearer token', {
          type: 'password',
          autoComplete: 'new-password',
        })}
        <p className="hint">
          {mode === 'browser'
            ? 'This browser keeps the daemon list in its local storage. Tokens stay in this tab only (session storage) and are forgotten when the tab closes.'
            : 'The desktop app keeps tokens encrypted by the operating system and never hands them to this window.'}
        </p>
        {checked && (
          <p className="hint" role="status" data-testid="remote-test">
            {checked}
          </p>
        )}
        {formError && (
          <p className="field-error" role="alert">
            {formError}
          </p>
        )}
        <div className="dialog-buttons">
          {editing && !local && (
            <button type="button" className="danger" onClick={() => void remove()}>
              Remove daemon
            </button>
          )}
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {editing ? 'Save' : 'Add daemon'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

const ERA_WORDS: Record<RemoteDaemonEra, string> = {
  'integration-daemon': 'an Integration Daemon',
  'egeria-4': 'an Egeria 4.x/5.x integration daemon',
  'egeria-2': 'an Egeria 2.x/3.x integration daemon',
};

/** The test's findings in one line: each check with its outcome. */
function remoteTestText(test: RemoteDaemonTest): string {
  const parts = [test.reachable ? '✔ reachable' : '✖ not reachable'];
  if (test.tokenAccepted !== undefined) parts.push(test.tokenAccepted ? '✔ token accepted' : '✖ token refused');
  if (test.era) parts.push(`✔ ${ERA_WORDS[test.era]}`);
  return `Test: ${parts.join(' · ')}`;
}
