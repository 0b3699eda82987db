// The selected daemon's header: where it is, why it cannot be reached, its metadata server, and the daemon-wide
// actions (restart all and refresh all after a confirmation, retry now every retrying connector).
import { eraActionUnavailable, type ActionKind } from '../../shared/console-actions.js';
import type { MetadataServerStatus } from '../../shared/api/types.js';
import type { ConsoleAction } from '../../shared/console-backend.js';
import type { DaemonModel } from '../store/model.js';
import { changeUnavailable, daemonHealthLabel, retryingConnectors, summarizeDaemon } from '../store/selectors.js';
import { retryNow, runAction } from '../store/store.js';
import { useConfirm } from './ConfirmDialog.js';
import { ProbeCountdown, ReconnectCountdown } from './Countdown.js';
import { useConsoleContext } from './context.js';
import { HealthMark } from './HealthBadge.js';
import { GroupList } from './GroupList.js';
import { formatTime } from '../logic/words.js';

export function DaemonHeader({ daemon, onEdit }: { daemon: DaemonModel; onEdit: () => void }) {
  const { store, backend, mode } = useConsoleContext();
  const confirm = useConfirm();
  const summary = summarizeDaemon(daemon);
  const id = daemon.entry.id;
  const label = daemon.entry.label;
  const connected = daemon.connection === 'connected';
  // A viewer token rules out every change; then what the daemon's era lacks.
  const viewerWhy = changeUnavailable(daemon);
  const eraWhy = (kind: ActionKind) => viewerWhy ?? eraActionUnavailable(daemon.entry.era, { kind, scope: 'daemon' });
  const act = (action: ConsoleAction, what: string) => void runAction(store, backend, id, action, what);

  const refreshAll = async () => {
    const ok = await confirm(
      `Refresh every connector on ${label}?`,
      `All ${summary.counts.total} connectors will read their third-party technology again in full and update the metadata server. This can take a long time and load both.`,
      'Refresh all',
    );
    if (ok) act({ kind: 'refresh', scope: 'daemon' }, `Refresh all on ${label}`);
  };

  const restartAll = async () => {
    const ok = await confirm(
      `Restart every connector on ${label}?`,
      `All ${summary.counts.total} connectors will stop, start afresh and refresh. Work in progress is abandoned, and each connector reads its third-party technology again.`,
      'Restart all',
    );
    if (ok) act({ kind: 'restart', scope: 'daemon' }, `Restart all on ${label}`);
  };

  return (
    <header className="daemon-header">
      <div className="daemon-title">
        <h1>{label}</h1>
        {viewerWhy !== null && (
          <span className="tag" data-testid="viewer-badge" title={viewerWhy}>
            viewer
          </span>
        )}
        <HealthMark health={summary.health} label={daemonHealthLabel(summary.health, daemon.connection)} />
        {daemon.connection === 'disconnected' && <ReconnectCountdown at={daemon.nextReconnectAt} />}
      </div>
      <p className="daemon-meta">
        <span>
          server <strong>{daemon.entry.serverName}</strong> as <strong>{daemon.entry.userId}</strong> at{' '}
          {daemon.entry.url || 'this page’s daemon'}
        </span>
        {!daemon.eventStream && connected && <span> · polled (no event stream)</span>}
      </p>
      {daemon.lastError && daemon.connection !== 'connected' && (
        <p className="daemon-error" role="alert">
          {daemon.lastError}
        </p>
      )}
      {connected &&
        daemon.metadataServers.map((m) => (
          <p key={m.metadataServerName} className="metadata-server" data-testid="metadata-server">
            {m.breakerState === 'CLOSED' ? (
              <HealthMark health="healthy" label={`metadata server ${m.metadataServerName}: available`} />
            ) : (
              <>
                <HealthMark health="retrying" label={metadataServerDown(m)} />{' '}
                <ProbeCountdown at={m.nextProbeAt} clockSkewMs={daemon.clockSkewMs} />
                {m.lastErrorMessage && <span className="muted"> — {m.lastErrorMessage}</span>}
              </>
            )}
          </p>
        ))}
      {connected && <GroupList daemon={daemon} />}
      <div className="toolbar" role="group" aria-label={`Actions for daemon ${label}`}>
        <button
          type="button"
          disabled={!connected || eraWhy('restart') !== null}
          title={eraWhy('restart') ?? undefined}
          onClick={() => void restartAll()}
        >
          Restart all…
        </button>
        <button
          type="button"
          disabled={!connected || eraWhy('refresh') !== null}
          title={eraWhy('refresh') ?? undefined}
          onClick={() => void refreshAll()}
        >
          Refresh all…
        </button>
        <button
          type="button"
          disabled={!connected || summary.counts.retrying === 0 || eraWhy('retryNow') !== null}
          title={eraWhy('retryNow') ?? undefined}
          onClick={() => void retryNow(store, backend, retryingConnectors(daemon), `Retry now on ${label}`)}
        >
          Retry all now
        </button>
        {/* The desktop app runs its local daemon and holds its token itself; a browser tab may need to be told it. */}
        {!(daemon.entry.local && mode === 'desktop') && (
          <button type="button" onClick={onEdit}>
            {daemon.entry.local ? 'Token…' : 'Edit daemon…'}
          </button>
        )}
      </div>
    </header>
  );
}

/** Since the outage began (probes do not move it), and who waits for it: never "0 connectors waiting". */
function metadataServerDown(m: MetadataServerStatus): string {
  const since = m.unavailableSince ?? m.since;
  const waiting = m.waitingConnectors === 0 ? '' : `; ${m.waitingConnectors} connector${m.waitingConnectors === 1 ? '' : 's'} waiting`;
  return `metadata server ${m.metadataServerName} unavailable since ${formatTime(since)}${waiting}`;
}
