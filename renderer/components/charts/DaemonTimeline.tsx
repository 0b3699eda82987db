// The daemon page's status timeline: the last hours of the daemon's status history, fetched when the operator
// opens it and again each minute while it stays open (the history is the daemon's, kept across page reloads).
import { useEffect, useState } from 'react';
import type { StatusHistoryResponse } from '../../../shared/api/types.js';
import type { DaemonEntry } from '../../../shared/console-backend.js';
import { errorTextWithFix } from '../../../shared/logic/error-text.js';
import { useConsoleContext } from '../context.js';
import { StatusTimeline } from './StatusTimeline.js';

export const TIMELINE_HOURS = 6;
const RELOAD_MS = 60_000;

export function DaemonTimeline({ entry }: { entry: DaemonEntry }) {
  const { backend } = useConsoleContext();
  const [open, setOpen] = useState(false);
  const [loaded, setLoaded] = useState<{ history: StatusHistoryResponse; at: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const daemonId = entry.id;

  useEffect(() => {
    if (!open) return;
    let current = true;
    const load = () => {
      const now = Date.now();
      backend.statusHistory(daemonId, new Date(now - TIMELINE_HOURS * 3_600_000).toISOString()).then(
        (history) => {
          if (!current) return;
          setLoaded({ history, at: now });
          setProblem(null);
        },
        (error: unknown) => current && setProblem(errorTextWithFix(error)),
      );
    };
    load();
    const timer = setInterval(load, RELOAD_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [open, daemonId, backend]);

  // Egeria's daemons keep no status history.
  if (entry.era !== undefined && entry.era !== 'integration-daemon') return null;
  return (
    <details className="daemon-timeline" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Status timeline (last {TIMELINE_HOURS} hours)</summary>
      {problem !== null && (
        <p className="daemon-error" role="alert">
          {problem}
        </p>
      )}
      {open && loaded !== null && <StatusTimeline history={loaded.history} now={loaded.at} hours={TIMELINE_HOURS} />}
    </details>
  );
}
