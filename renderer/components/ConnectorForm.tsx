// Add, edit or remove one connector through a form built from what its provider declares (endpoint, configuration
// properties with type, default and description). "Test connection" runs the provider's checks on the entry as
// typed and shows each as it completes; saving lets the daemon validate, and each problem shows by its field.
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ConfigurationPropertyDeclaration, ConnectorProviderDescription, ConnectorTestStep } from '../../shared/api/types.js';
import type { ConnectorEntry } from '../../shared/console-backend.js';
import { errorTextWithFix } from '../../shared/logic/error-text.js';
import {
  connectorEntry,
  fieldsNotInForm,
  formValues,
  placeProblems,
  propertyField,
  refusalText,
  type ConnectorFormValues,
  type FieldProblems,
} from '../logic/connector-form.js';
import { changeUnavailable } from '../store/selectors.js';
import { useConfirm } from './ConfirmDialog.js';
import { useConsoleContext, useModel } from './context.js';
import { TestSteps } from './TestSteps.js';

export interface ConnectorFormTarget {
  /** Absent when adding. */
  connectorName?: string | undefined;
  urlMarker: string;
  /** The entry as configured, when known; editing without it starts from the name alone. */
  entry?: ConnectorEntry | null | undefined;
  /**
   * Adding to this integration group rather than to the configuration document: the daemon places the connector
   * in the integration service of its kind, so the form offers every kind and no service.
   */
  groupName?: string | undefined;
}

export function ConnectorForm({ daemonId, target, onClose }: { daemonId: string; target: ConnectorFormTarget; onClose: () => void }) {
  const { store, backend } = useConsoleContext();
  const confirm = useConfirm();
  const ids = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const services = useModel((s) => s.model.daemons[daemonId]?.services);
  // The form is not offered to a viewer token; one that becomes a viewer's while the form is open may not save either.
  const viewerWhy = useModel((s) => changeUnavailable(s.model.daemons[daemonId]));
  const editing = target.connectorName !== undefined;
  const [providers, setProviders] = useState<ConnectorProviderDescription[] | null>(null);
  const [values, setValues] = useState<ConnectorFormValues>(() => ({
    ...formValues(target.urlMarker, target.entry ?? null, ''),
    ...(target.connectorName !== undefined ? { connectorName: target.connectorName } : {}),
  }));
  const [problems, setProblems] = useState<FieldProblems>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [steps, setSteps] = useState<ConnectorTestStep[] | null>(null);
  const [busy, setBusy] = useState<'test' | 'save' | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
    let current = true;
    backend.listProviders(daemonId).then(
      (list) => {
        if (!current) return;
        setProviders(list);
        // Without a kind chosen yet, the first one the service accepts.
        setValues((v) =>
          v.providerName ? v : { ...v, providerName: list.find((p) => p.urlMarkers.includes(v.urlMarker))?.providerName ?? '' },
        );
      },
      (error: unknown) => current && setGeneral([`Connector kinds: ${errorTextWithFix(error)}`]),
    );
    return () => {
      current = false;
    };
  }, [backend, daemonId]);

  const group = target.groupName;
  const offered = useMemo(() => {
    if (group !== undefined) return providers ?? [];
    const forService = (providers ?? []).filter((p) => p.urlMarkers.includes(values.urlMarker));
    return forService.length > 0 ? forService : (providers ?? []);
  }, [providers, values.urlMarker, group]);
  const provider = providers?.find((p) => p.providerName === values.providerName || p.aliases.includes(values.providerName));

  const build = () => {
    const result = connectorEntry(values, provider);
    setProblems(result.ok ? {} : result.problems);
    setGeneral([]);
    return result.ok ? { ...fieldsNotInForm(target.entry), ...result.entry } : null;
  };

  const test = async () => {
    const entry = build();
    if (!entry) return;
    setBusy('test');
    setSteps([]);
    try {
      // A group's connector is tested in the service of its kind, where every daemon running the group puts it.
      const marker = group !== undefined ? (provider?.urlMarkers[0] ?? values.urlMarker) : values.urlMarker;
      const answer = await backend.testConnectorEntry(daemonId, marker, entry, (step) => setSteps((s) => [...(s ?? []), step]));
      setSteps(answer.steps);
    } catch (error) {
      setGeneral([`Test connection: ${errorTextWithFix(error)}`]);
    } finally {
      setBusy(null);
    }
  };

  const save = async () => {
    const entry = build();
    if (!entry) return;
    setBusy('save');
    try {
      const result =
        editing && target.connectorName !== undefined
          ? await backend.updateConnector(daemonId, target.connectorName, entry)
          : group !== undefined
            ? await backend.addIntegrationGroupConnector(daemonId, group, entry)
            : await backend.addConnector(daemonId, values.urlMarker, entry);
      if (result.saved) {
        const done = editing ? 'saved and restarted' : group !== undefined ? `added to integration group ${group}` : 'added and starting';
        store.getState().notify('info', `Connector ${String(entry.connectorName)} ${done}`);
        onClose();
        return;
      }
      const shown = new Set(['connectorName', 'connectorProvider', 'endpointAddress', 'refreshTimeInterval']);
      for (const d of provider?.configurationProperties ?? []) shown.add(propertyField(d.name));
      const placed = placeProblems(result.problems, shown);
      setProblems(placed.fields);
      setGeneral([refusalText(result), ...placed.general]);
    } catch (error) {
      setGeneral([errorTextWithFix(error)]);
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    const name = target.connectorName;
    if (name === undefined) return;
    const ok = await confirm(
      `Remove connector ${name}?`,
      'The daemon stops it and deletes its entry from the configuration document. What it catalogued stays in the metadata server.',
      'Remove connector',
    );
    if (!ok) return;
    try {
      const result = await backend.removeConnector(daemonId, name);
      if (!result.saved) return setGeneral([refusalText(result)]);
      store.getState().dispatch({ type: 'connector-removed', daemonId, connectorName: name });
      store.getState().notify('info', `Connector ${name} removed`);
      onClose();
    } catch (error) {
      setGeneral([errorTextWithFix(error)]);
    }
  };

  const set = (patch: Partial<ConnectorFormValues>) => setValues((v) => ({ ...v, ...patch }));
  const field = (
    key: string,
    label: string,
    hint: string | undefined,
    control: (id: string, described: string | undefined) => ReactNode,
  ) => {
    const id = `${ids}-${key}`;
    const problem = problems[key];
    const described = [hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
    return (
      <div className="field" key={key}>
        <label htmlFor={id}>{label}</label>
        {control(id, described)}
        {hint && (
          <span id={`${id}-hint`} className="hint">
            {hint}
          </span>
        )}
        {problem && (
          <p id={`${id}-error`} className="field-error" role="alert">
            {problem}
          </p>
        )}
      </div>
    );
  };
  const invalid = (key: string) => (problems[key] ? true : undefined);

  return (
    <dialog
      ref={dialog}
      className="dialog connector-form"
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
        <h2 id={`${ids}-title`}>
          {editing
            ? `Edit connector ${target.connectorName}`
            : group !== undefined
              ? `Add a connector to integration group ${group}`
              : 'Add a connector'}
        </h2>
        {group !== undefined && <p className="hint">Every daemon that runs the group starts it, in the integration service of its kind.</p>}
        {!editing &&
          group === undefined &&
          field('urlMarker', 'Integration service', undefined, (id) => (
            <select id={id} value={values.urlMarker} onChange={(e) => set({ urlMarker: e.target.value })}>
              {(services ?? []).map((s) => (
                <option key={s.urlMarker} value={s.urlMarker}>
                  {s.fullName} ({s.urlMarker})
                </option>
              ))}
            </select>
          ))}
        {field(
          'connectorName',
          'Connector name',
          editing ? 'The name cannot change; remove and add to rename.' : undefined,
          (id, described) => (
            <input
              id={id}
              value={values.connectorName}
              disabled={editing}
              autoComplete="off"
              aria-invalid={invalid('connectorName')}
              aria-describedby={described}
              onChange={(e) => set({ connectorName: e.target.value })}
            />
          ),
        )}
        {field('connectorProvider', 'Kind of connector', provider?.description, (id, described) => (
          <select
            id={id}
            value={provider?.providerName ?? values.providerName}
            aria-invalid={invalid('connectorProvider')}
            aria-describedby={described}
            onChange={(e) => set({ providerName: e.target.value, properties: {} })}
          >
            {providers === null && <option value="">loading…</option>}
            {offered.map((p) => (
              <option key={p.providerName} value={p.providerName}>
                {p.providerName}
              </option>
            ))}
          </select>
        ))}
        {provider &&
          provider.endpoint.kind !== 'none' &&
          field('endpointAddress', endpointLabel(provider), provider.endpoint.description, (id, described) => (
            <input
              id={id}
              value={values.endpointAddress}
              placeholder={provider.endpoint.example}
              autoComplete="off"
              aria-invalid={invalid('endpointAddress')}
              aria-describedby={described}
              onChange={(e) => set({ endpointAddress: e.target.value })}
            />
          ))}
        {field(
          'refreshTimeInterval',
          'Minutes between refreshes',
          'Empty for the daemon’s default; 0 refreshes only at start and on request.',
          (id, described) => (
            <input
              id={id}
              inputMode="decimal"
              value={values.refreshTimeInterval}
              aria-invalid={invalid('refreshTimeInterval')}
              aria-describedby={described}
              onChange={(e) => set({ refreshTimeInterval: e.target.value })}
            />
          ),
        )}
        {provider && provider.configurationProperties.length > 0 && (
          <fieldset className="properties-fieldset">
            <legend>Configuration properties</legend>
            {provider.configurationProperties.map((d) =>
              field(propertyField(d.name), d.name + (d.required ? ' (required)' : ''), propertyHint(d), (id, described) => (
                <PropertyInput
                  id={id}
                  declaration={d}
                  value={values.properties[d.name] ?? ''}
                  invalid={invalid(propertyField(d.name))}
                  described={described}
                  onChange={(value) => set({ properties: { ...values.properties, [d.name]: value } })}
                />
              )),
            )}
          </fieldset>
        )}
        {steps !== null && provider && <TestSteps declared={provider.testSteps} steps={steps} running={busy === 'test'} />}
        {general.map((line) => (
          <p key={line} className="field-error" role="alert">
            {line}
          </p>
        ))}
        <div className="dialog-buttons">
          {editing && (
            <button
              type="button"
              className="danger"
              disabled={viewerWhy !== null}
              title={viewerWhy ?? undefined}
              onClick={() => void remove()}
            >
              Remove connector…
            </button>
          )}
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            disabled={busy !== null || !provider || viewerWhy !== null}
            title={viewerWhy ?? undefined}
            onClick={() => void test()}
          >
            {busy === 'test' ? 'Testing…' : 'Test connection'}
          </button>
          <button type="submit" className="primary" disabled={busy !== null || viewerWhy !== null} title={viewerWhy ?? undefined}>
            {busy === 'save' ? 'Saving…' : editing ? 'Save and restart' : group !== undefined ? 'Add to group' : 'Add connector'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

function endpointLabel(provider: ConnectorProviderDescription): string {
  const words = { directory: 'Directory', file: 'File', connectionString: 'Connection string', url: 'URL', none: '' } as const;
  return `${words[provider.endpoint.kind]} (endpoint address)${provider.endpoint.required ? '' : ', optional'}`;
}

function propertyHint(d: ConfigurationPropertyDeclaration): string {
  const shown = Array.isArray(d.default) ? d.default.join(', ') : d.default === undefined ? '' : String(d.default);
  const fallback = shown === '' ? '' : ` Default: ${shown}.`;
  const list = d.type === 'stringList' ? ' Separate values with commas.' : '';
  return `${d.description}${list}${fallback}`;
}

function PropertyInput({
  id,
  declaration: d,
  value,
  invalid,
  described,
  onChange,
}: {
  id: string;
  declaration: ConfigurationPropertyDeclaration;
  value: string;
  invalid: true | undefined;
  described: string | undefined;
  onChange: (value: string) => void;
}) {
  const choices = d.type === 'boolean' ? ['true', 'false'] : d.allowedValues;
  if (choices) {
    return (
      <select id={id} value={value} aria-invalid={invalid} aria-describedby={described} onChange={(e) => onChange(e.target.value)}>
        <option value="">default{d.default === undefined ? '' : ` (${String(d.default)})`}</option>
        {choices.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    );
  }
  return (
    <input
      id={id}
      type={d.type === 'secret' ? 'password' : 'text'}
      inputMode={d.type === 'integer' || d.type === 'number' ? 'decimal' : undefined}
      autoComplete={d.type === 'secret' ? 'new-password' : 'off'}
      value={value}
      placeholder={d.default === undefined ? undefined : Array.isArray(d.default) ? d.default.join(', ') : String(d.default)}
      aria-invalid={invalid}
      aria-describedby={described}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
