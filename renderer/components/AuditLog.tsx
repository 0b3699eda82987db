// The live audit log of one daemon: the records already held, filtered locally, with new records streaming in.
import { useEffect, useMemo, useState } from 'react';
import { AUDIT_SEVERITIES, type AuditSeverity } from '../../shared/api/types.js';
import { EMPTY_AUDIT_FILTER, filterAudit, type AuditFilter } from '../logic/audit-filter.js';
import { formatTime } from '../logic/words.js';
import { connectorNames } from '../store/selectors.js';
import { errorTextWithFix } from '../../shared/logic/error-text.js';
import { useConsoleContext, useModel } from './context.js';

const INITIAL_LOAD = 500;
const SHOWN = 300;

/** "Problems" is the filter operators reach for first, so it is one choice rather than two clicks. */
const PROBLEMS: AuditSeverity[] = ['Error', 'Exception'];

export function AuditLog({ daemonId }: { daemonId: string }) {
  const { store, backend } = useConsoleContext();
  const records = useModel((s) => s.model.daemons[daemonId]?.audit);
  const daemon = useModel((s) => s.model.daemons[daemonId]);
  const connected = daemon?.connection === 'connected';
  const services = daemon?.services;
  const names = useMemo(() => connectorNames(services ?? []), [services]);
  const [filter, setFilter] = useState<AuditFilter>(EMPTY_AUDIT_FILTER);

  useEffect(() => {
    if (!connected) return;
    let current = true;
    backend.auditLog(daemonId, { limit: INITIAL_LOAD }).then(
      (list) => current && store.getState().dispatch({ type: 'audit-loaded', daemonId, records: list }),
      (error: unknown) => current && store.getState().notify('error', `Audit log: ${errorTextWithFix(error)}`),
    );
    return () => {
      current = false;
    };
  }, [daemonId, connected, backend, store]);

  const matching = useMemo(() => filterAudit(records ?? [], filter), [records, filter]);
  const shown = matching.slice(-SHOWN).reverse();
  const severityValue =
    filter.severities.length === 0 ? '' : filter.severities.length === 2 ? 'problems' : (filter.severities[0] as string);

  return (
    <section className="audit" aria-label="Audit log">
      <div className="list-filters" role="search">
        <label>
          Severity
          <select
            value={severityValue}
            onChange={(e) => {
              const v = e.target.value;
              const severities = v === '' ? [] : v === 'problems' ? PROBLEMS : [v as AuditSeverity];
              setFilter((f) => ({ ...f, severities }));
            }}
          >
            <option value="">All severities</option>
            <option value="problems">Errors and exceptions</option>
            {AUDIT_SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Connector
          <select value={filter.connectorName} onChange={(e) => setFilter((f) => ({ ...f, connectorName: e.target.value }))}>
            <option value="">All connectors</option>
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Text
          <input
            type="search"
            value={filter.text}
            placeholder="message id or words"
            onChange={(e) => setFilter((f) => ({ ...f, text: e.target.value }))}
          />
        </label>
        <span className="list-count" aria-live="polite">
          {matching.length === shown.length ? `${matching.length} records` : `latest ${shown.length} of ${matching.length} records`}
        </span>
      </div>
      <div className="audit-scroller">
        <table className="audit-table" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Severity</th>
              <th scope="col">Message id</th>
              <th scope="col">Connector</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={`${r.sequence}|${r.timeStamp}`} className={`sev-${r.severity.toLowerCase()}`} data-testid="audit-row">
                <td title={r.timeStamp}>{formatTime(r.timeStamp)}</td>
                <td>{r.severity}</td>
                <td>
                  <code>{r.messageId}</code>
                </td>
                <td>{r.connectorName ?? ''}</td>
                <td>
                  {r.messageText}
                  {r.userAction && (r.severity === 'Error' || r.severity === 'Exception') && (
                    <div className="muted">What to do: {r.userAction}</div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {shown.length === 0 && <p className="empty">No audit record matches.</p>}
      </div>
    </section>
  );
}
