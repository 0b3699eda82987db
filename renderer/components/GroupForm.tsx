// Create an integration group from the console: its name and description go to the daemon, which keeps the group's
// definition in its metadata server; each problem the daemon finds shows by its field, the rest above the buttons.
import { useEffect, useId, useRef, useState } from 'react';
import { errorTextWithFix } from '../../shared/logic/error-text.js';
import { refusalText } from '../logic/connector-form.js';
import { useConsoleContext } from './context.js';

const FIELDS = ['groupName', 'description'] as const;
type Field = (typeof FIELDS)[number];

export function GroupForm({ daemonId, onClose }: { daemonId: string; onClose: () => void }) {
  const { store, backend } = useConsoleContext();
  const ids = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [groupName, setGroupName] = useState('');
  const [description, setDescription] = useState('');
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => dialog.current?.showModal(), []);

  const save = async () => {
    setBusy(true);
    setProblems({});
    setGeneral([]);
    try {
      const name = groupName.trim();
      const result = await backend.createIntegrationGroup(daemonId, name, description.trim() || undefined);
      if (result.saved) {
        store.getState().notify('info', `Integration group ${name} created; daemons whose configuration names it pick it up`);
        onClose();
        return;
      }
      const fields: Partial<Record<Field, string>> = {};
      const rest: string[] = [];
      for (const p of result.problems) {
        const text = `${p.messageId} ${p.message} ${p.fix}`.trim();
        const field = p.path === 'groupName' || p.path === 'description' ? p.path : undefined;
        if (field) fields[field] = text;
        else rest.push(p.path ? `${p.path}: ${text}` : text);
      }
      // A request body the daemon refuses whole comes without problems; its words name the field (`groupName: …`).
      const named = FIELDS.find((f) => result.problems.length === 0 && result.message.includes(`${f}: `));
      if (named !== undefined) {
        setProblems({ [named]: refusalText(result) });
        return;
      }
      setProblems(fields);
      setGeneral([refusalText(result), ...rest]);
    } catch (error) {
      setGeneral([errorTextWithFix(error)]);
    } finally {
      setBusy(false);
    }
  };

  const field = (key: Field, label: string, hint: string, value: string, onChange: (value: string) => void) => {
    const id = `${ids}-${key}`;
    const problem = problems[key];
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          value={value}
          autoComplete="off"
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${id}-hint${problem ? ` ${id}-error` : ''}`}
          onChange={(e) => onChange(e.target.value)}
        />
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
        {problem && (
          <p id={`${id}-error`} className="field-error" role="alert">
            {problem}
          </p>
        )}
      </div>
    );
  };

  return (
    <dialog
      ref={dialog}
      className="dialog group-form"
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
          void save();
        }}
      >
        <h2 id={`${ids}-title`}>New integration group</h2>
        {field(
          'groupName',
          'Group name',
          'Letters, digits, dot, dash and underscore; daemons name it in their integrationGroups.',
          groupName,
          setGroupName,
        )}
        {field('description', 'Description', 'Optional: what the group’s connectors are for.', description, setDescription)}
        {general.map((line) => (
          <p key={line} className="field-error" role="alert">
            {line}
          </p>
        ))}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create group'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
