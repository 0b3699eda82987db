// The mass-archive fail-safe's question to the operator: a run would have archived more than the connector's
// threshold of its live elements, so it archived nothing. The preview says how many and names some of them;
// "Archive them" lets the archive go ahead, "Keep them" drops it. Rendered from the held archives the daemon lists:
// the connector's own and each of its catalog targets', which are decided one by one.
import { useEffect, useId, useState } from 'react';
import type { HeldArchive } from '../../shared/api/types.js';
import { errorTextWithFix } from '../../shared/logic/error-text.js';
import { formatTime } from '../logic/words.js';
import { changeUnavailable } from '../store/selectors.js';
import { useConsoleContext, useModel } from './context.js';

/**
 * The preview of one connector's held archives, in its details. The report says only that some are held (count and
 * time); the samples of names are asked for each time a new one is held.
 */
export function ConnectorHeldArchive({ daemonId, connectorName, heldAt }: { daemonId: string; connectorName: string; heldAt: string }) {
  const { store, backend } = useConsoleContext();
  const [held, setHeld] = useState<HeldArchive[]>([]);
  const viewerWhy = useModel((s) => changeUnavailable(s.model.daemons[daemonId]));

  useEffect(() => {
    let current = true;
    backend.heldArchives(daemonId).then(
      (list) => current && setHeld(list.filter((h) => h.connectorName === connectorName)),
      (error: unknown) => current && store.getState().notify('error', `Held archive of ${connectorName}: ${errorTextWithFix(error)}`),
    );
    return () => {
      current = false;
    };
  }, [daemonId, connectorName, heldAt, backend, store]);

  const answer = async (one: HeldArchive, approve: boolean) => {
    const { notify } = store.getState();
    const target = one.catalogTargetName;
    const whose = target === undefined ? connectorName : `${connectorName} (catalog target ${target})`;
    try {
      if (approve) {
        const count = await backend.approveHeldArchive(daemonId, connectorName, target);
        notify('info', `${whose}: ${count.toLocaleString()} element${count === 1 ? '' : 's'} archived`);
      } else {
        await backend.rejectHeldArchive(daemonId, connectorName, target);
        notify('info', `${whose}: the ${one.count.toLocaleString()} elements are kept`);
      }
      setHeld((list) => list.filter((h) => h !== one));
    } catch (error) {
      notify('error', `${approve ? 'Archive them' : 'Keep them'} (${whose}) failed: ${errorTextWithFix(error)}`);
    }
  };
  return (
    <>
      {held.map((one) => (
        <HeldArchivePreview
          key={one.catalogTargetName ?? ''}
          held={one}
          why={viewerWhy}
          onApprove={() => answer(one, true)}
          onReject={() => answer(one, false)}
        />
      ))}
    </>
  );
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
  const titleId = useId();
  const share = held.liveCount > 0 ? Math.round((held.count / held.liveCount) * 100) : 100;
  const ofTarget = held.catalogTargetName === undefined ? '' : ` of catalog target ${held.catalogTargetName}`;
  return (
    <section className="held-archive" aria-labelledby={titleId} data-testid="held-archive">
      <h3 id={titleId}>
        ⚠ {held.count.toLocaleString()} elements{ofTarget} held back from archiving
      </h3>
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
