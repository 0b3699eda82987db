// The outcome of the operator's actions (confirmations fade, errors stay until dismissed) and the live region that
// reads connector status changes out.
import { useEffect } from 'react';
import { useConsoleContext, useModel } from './context.js';

const INFO_VISIBLE_MS = 6000;

/** Outcomes of operator actions. Errors stay until dismissed; confirmations fade. */
export function Notices() {
  const { store } = useConsoleContext();
  const notices = useModel((s) => s.notices);
  useEffect(() => {
    const infos = notices.filter((n) => n.kind === 'info');
    if (infos.length === 0) return;
    const timer = setTimeout(() => infos.forEach((n) => store.getState().dismiss(n.id)), INFO_VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [notices, store]);
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} data-testid="notice">
          <span>{n.text}</span>
          {n.count > 1 && (
            <span className="notice-count" data-testid="notice-count" title={`Shown ${n.count} times`}>
              ×{n.count}
            </span>
          )}
          <button type="button" className="small" aria-label="Dismiss" title="Dismiss" onClick={() => store.getState().dismiss(n.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}

/** Connector status changes for screen readers; visually hidden. */
export function StatusAnnouncer() {
  const announcement = useModel((s) => s.model.announcement);
  return (
    <div className="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
      {announcement?.text}
    </div>
  );
}
