// The daemons in a sidebar, each with its health in words and symbol, its connector counts or reconnect countdown;
// a click selects it.
import { memo } from 'react';
import { daemonHealthLabel, summarizeDaemon } from '../store/selectors.js';
import { ReconnectCountdown } from './Countdown.js';
import { useConsoleContext, useModel } from './context.js';
import { HealthMark } from './HealthBadge.js';

export function Sidebar({ onAdd }: { onAdd: () => void }) {
  const order = useModel((s) => s.model.order);
  return (
    <nav className="sidebar" aria-label="Daemons">
      <h2 className="sidebar-title">Daemons</h2>
      <ul className="daemon-list">
        {order.map((id) => (
          <DaemonItem key={id} daemonId={id} />
        ))}
      </ul>
      <button type="button" className="add-daemon" onClick={onAdd}>
        + Add remote daemon
      </button>
    </nav>
  );
}

const DaemonItem = memo(function DaemonItem({ daemonId }: { daemonId: string }) {
  const { store } = useConsoleContext();
  const daemon = useModel((s) => s.model.daemons[daemonId]);
  const selected = useModel((s) => s.model.selectedDaemonId === daemonId);
  if (!daemon) return null;
  const summary = summarizeDaemon(daemon);
  const { counts, health } = summary;
  return (
    <li>
      <button
        type="button"
        className={`daemon-item${selected ? ' selected' : ''}`}
        aria-current={selected ? 'true' : undefined}
        data-testid="daemon-item"
        data-health={health}
        onClick={() => store.getState().dispatch({ type: 'select-daemon', daemonId })}
      >
        <span className="daemon-label">
          {daemon.entry.label}
          {daemon.entry.local && <span className="tag">local</span>}
          {!daemon.mayChange && <span className="tag">viewer</span>}
        </span>
        <HealthMark health={health} label={daemonHealthLabel(health, daemon.connection)} />
        <span className="daemon-counts">
          {daemon.connection === 'disconnected' ? (
            <ReconnectCountdown at={daemon.nextReconnectAt} />
          ) : daemon.hasSnapshot ? (
            `${counts.failed} failed · ${counts.retrying} retrying · ${counts.healthy} ok`
          ) : (
            'no status yet'
          )}
        </span>
      </button>
    </li>
  );
});
