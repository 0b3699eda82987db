// The mass-archive fail-safe's question to the operator: a run would have archived more than the connector's
// threshold of its live elements, so it archived nothing. The preview says how many and names some of them;
// "Archive them" lets the archive go ahead, "Keep them" drops it. Rendered from the held archive the daemon lists.
import { useEffect, useState } from 'react';
import type { HeldArchive } from '../../shared/api/types.js';
import { errorTextWithFix } from '../../shared/logic/error-text.js';
import { formatTime } from '../logic/words.js';
import { changeUnavailable } from '../store/selectors.js';
import { useConsoleContext, useModel } from './context.js';

/**
 * The preview of one connector's held archive, in its details. The report says only that one is held (count and
 * time); the sample of names is asked for each time a new one is held.
 */
export function ConnectorHeldArchive({ daemonId, connectorName, heldAt }: { daemonId: string; connectorName: string; heldAt: string }) {
  const { store, backend } = useConsoleContext();
  const [held, setHeld] = useState<HeldArchive | null>(null);
  const viewerWhy = useModel((s) => changeUnavailable(s.model.daemons[daemonId]));

  useEffect(() => {
    let current = true;
    backend.heldArchives(daemonId).then(
      (list) => current && setHeld(list.find((h) => h.connectorName === connectorName) ?? null),
      (error: unknown) => current && store.getState().notify('error', `Held archive of ${connectorName}: ${errorTextWithFix(error)}`),
    );
    return () => {
      current = false;
    };
  }, [daemonId, connectorName, heldAt, backend, store]);

  if (held === null) return null;
  const answer = async (approve: boolean) => {
    const { notify } = store.getState();
    try {
      if (approve) {
        const count = await backend.approveHeldArchive(daemonId, connectorName);
        notify('info', `${connectorName}: ${count.toLocaleString()} element${count === 1 ? '' : 's'} archived`);
      } else {
        await backend.rejectHeldArchive(daemonId, connectorName);
        notify('info', `${connectorName}: the ${held.count.toLocaleString()} elements are kept`);
      }
      setHeld(null);
    } catch (error) {
      notify('error', `${approve ? 'Archive them' : 'Keep them'} (${connectorName}) failed: ${errorTextWithFix(error)}`);
    }
  };
  return <HeldArchivePreview held={held} why={viewerWhy} onApprove={() => answer(true)} onReject={() => answer(false)} />;
}

export function HeldArchivePreview({
  held,
  why = null,
  onApprove,
  onReject,
}: {
  held: HeldArchive;
  /** Why this console may not answer (a viewer token): both answers are disabled with it as their tooltip. */
  why?: string | null;
  onApprove: () => Promise<void>;
  onReject: () => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const act = async (f: () => Promise<void>) => {
    setBusy(true);
    try {
      await f();
    } finally {
      setBusy(false);
    }
  };
  const share = held.liveCount > 0 ? Math.round((held.count / held.liveCount) * 100) : 100;
  return (
    <section className="held-archive" aria-labelledby="held-title" data-testid="held-archive">
      <h3 id="held-title">⚠ {held.count.toLocaleString()} elements held back from archiving</h3>
      <p>
        The run at {formatTime(held.heldAt)} would have archived {held.count.toLocaleString()} of {held.liveCount.toLocaleString()} live
        elements ({share}%, above the {held.thresholdPercent}% this connector allows), so it archived none. If the files or tables are
        really gone, archive them; if the third-party technology was only out of reach, keep them.
      </p>
      {held.sample.length > 0 && (
        <>
          <p className="muted">{held.sample.length < held.count ? `The first ${held.sample.length}:` : 'They are:'}</p>
          <ul className="held-sample">
            {held.sample.map((name) => (
              <li key={name}>
                <code>{name}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="toolbar">
        <button
          type="button"
          className="danger"
          disabled={busy || why !== null}
          title={why ?? undefined}
          onClick={() => void act(onApprove)}
        >
          Archive them
        </button>
        <button type="button" disabled={busy || why !== null} title={why ?? undefined} onClick={() => void act(onReject)}>
          Keep them
        </button>
      </div>
    </section>
  );
}
