// The windowed list of services and connectors. Only rows in view are mounted; rows are memoized and each one
// subscribes to its own connector, so a status event re-renders one row and a tick re-renders only countdowns.
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { connectorAction, type ActionKind } from '../../shared/console-actions.js';
import type { ConsoleAction } from '../../shared/console-backend.js';
import { layoutRows, SERVICE_ROW_HEIGHT, totalHeight, visibleRange, type ListRow } from '../logic/rows.js';
import { errorSourceWords, formatTime, messageWithoutId } from '../logic/words.js';
import { connectorLevel } from '../../shared/logic/aggregate.js';
import { isFiltering, listRows, retryingConnectors, serviceCounts, type ListFilter } from '../store/selectors.js';
import { retryNow, runAction } from '../store/store.js';
import { useConfirm } from './ConfirmDialog.js';
import { RefreshCountdown, RetryCountdown } from './Countdown.js';
import { useConsoleContext, useModel } from './context.js';
import { StatusBadge } from './HealthBadge.js';

const OVERSCAN = 6;

export function ConnectorList({ daemonId }: { daemonId: string }) {
  const services = useModel((s) => s.model.daemons[daemonId]?.services);
  const connectors = useModel((s) => s.model.daemons[daemonId]?.connectors);
  const hasSnapshot = useModel((s) => s.model.daemons[daemonId]?.hasSnapshot ?? false);
  const stale = useModel((s) => s.model.daemons[daemonId]?.connection !== 'connected');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [filter, setFilter] = useState<ListFilter>({ attentionOnly: false, text: '' });
  const filtering = isFiltering(filter);

  // Without a filter the rows depend only on the services, so status events do not rebuild the layout.
  const rowsSource = filtering ? connectors : null;
  const layout = useMemo(
    () => layoutRows(services ? listRows(services, rowsSource ?? null, expanded, filter) : []),
    [services, rowsSource, expanded, filter],
  );

  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setViewport(el.clientHeight);
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
    // The scroller exists only once a snapshot has arrived.
  }, [hasSnapshot]);

  // A connector focused from elsewhere (a notification click, the details panel) is scrolled into view.
  const focusedKey = useModel((s) => (s.model.focus?.daemonId === daemonId ? s.model.focus.connectorKey : null));
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (!focusedKey) {
      scrolledTo.current = null;
      return;
    }
    if (focusedKey === scrolledTo.current) return;
    const index = layout.rows.findIndex((row) => row.kind === 'connector' && row.connectorKey === focusedKey);
    const el = scroller.current;
    if (index < 0 || !el) return;
    scrolledTo.current = focusedKey;
    const top = layout.offsets[index] ?? 0;
    const bottom = layout.offsets[index + 1] ?? top;
    if (top < el.scrollTop || bottom > el.scrollTop + el.clientHeight) el.scrollTo({ top: Math.max(0, top - SERVICE_ROW_HEIGHT) });
  }, [focusedKey, layout]);

  const toggle = useCallback((key: string) => {
    setExpanded((old) => {
      const next = new Set(old);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);

  const [start, end] = visibleRange(layout, scrollTop, viewport, OVERSCAN);
  const top = layout.offsets[start] ?? 0;
  const bottom = totalHeight(layout) - (layout.offsets[end] ?? 0);
  const connectorCount = connectors ? Object.keys(connectors).length : 0;

  return (
    <section className="connectors" aria-label="Integration services and connectors">
      <div className="list-filters" role="search">
        <label>
          Find connector
          <input
            type="search"
            value={filter.text}
            placeholder="name, status or message id"
            onChange={(e) => setFilter((f) => ({ ...f, text: e.target.value }))}
          />
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={filter.attentionOnly}
            onChange={(e) => setFilter((f) => ({ ...f, attentionOnly: e.target.checked }))}
          />
          Only failed or retrying
        </label>
        <span className="list-count">{connectorCount} connectors</span>
      </div>
      {hasSnapshot && stale && (
        <p className="stale-note" data-testid="stale-note">
          Last known state: the daemon cannot be reached, so these statuses may be out of date.
        </p>
      )}
      {!hasSnapshot ? (
        <p className="empty">No status received from this daemon yet.</p>
      ) : (
        <div
          className={`list-scroller${stale ? ' stale' : ''}`}
          ref={scroller}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
          tabIndex={-1}
        >
          <div role="table" aria-label="Connectors by integration service" aria-rowcount={layout.rows.length} className="list-table">
            <div className="spacer" style={{ height: top }} />
            {layout.rows.slice(start, end).map((row, i) => (
              <Row key={row.key} row={row} index={start + i + 1} daemonId={daemonId} onToggle={toggle} />
            ))}
            <div className="spacer" style={{ height: bottom }} />
          </div>
          {layout.rows.length === 0 && <p className="empty">No connector matches the filter.</p>}
        </div>
      )}
    </section>
  );
}

/** Words on wide lists, a symbol on narrow ones; the button's aria-label names the action either way. */
function ActionLabel({ icon, text }: { icon: string; text: string }) {
  return (
    <>
      <span className="action-icon" aria-hidden="true" title={text}>
        {icon}
      </span>
      <span className="action-text">{text}</span>
    </>
  );
}

const Row = memo(function Row({
  row,
  index,
  daemonId,
  onToggle,
}: {
  row: ListRow;
  index: number;
  daemonId: string;
  onToggle: (key: string) => void;
}) {
  switch (row.kind) {
    case 'service':
      return <ServiceRow daemonId={daemonId} urlMarker={row.urlMarker} index={index} />;
    case 'empty':
      return (
        <div role="row" aria-rowindex={index} className="row row-empty">
          <span role="cell">This integration service has no connectors.</span>
        </div>
      );
    case 'connector':
      return <ConnectorRow daemonId={daemonId} connectorKey={row.connectorKey} expanded={row.expanded} index={index} onToggle={onToggle} />;
  }
});

const ServiceRow = memo(function ServiceRow({ daemonId, urlMarker, index }: { daemonId: string; urlMarker: string; index: number }) {
  const { store, backend } = useConsoleContext();
  const confirm = useConfirm();
  const service = useModel((s) => s.model.daemons[daemonId]?.services.find((x) => x.urlMarker === urlMarker));
  const daemon = useModel((s) => s.model.daemons[daemonId]);
  const connectors = daemon?.connectors;
  const counts = useMemo(() => (connectors && service ? serviceCounts(connectors, service) : null), [connectors, service]);
  if (!service || !counts || !daemon) return null;
  const connected = daemon.connection === 'connected';
  const name = service.fullName;
  const act = (action: ConsoleAction, what: string) => void runAction(store, backend, daemonId, action, what);
  const refresh = async () => {
    const ok = await confirm(
      `Refresh every connector of ${name}?`,
      `${counts.total} connectors will read their third-party technology again in full. This can take a long time.`,
      'Refresh service',
    );
    if (ok) act({ kind: 'refresh', scope: 'service', urlMarker }, `Refresh ${name}`);
  };
  return (
    <div role="row" aria-rowindex={index} className="row row-service" data-testid="service-row" data-service={urlMarker}>
      <span role="rowheader" className="service-name">
        <strong>{name}</strong> <span className="muted">{urlMarker}</span>
        <span className="service-counts">
          {counts.failed > 0 && <span className="health-failed">✖ {counts.failed} failed </span>}
          {counts.retrying > 0 && <span className="health-retrying">↻ {counts.retrying} retrying </span>}
          <span className="health-healthy">✔ {counts.healthy} ok</span>
        </span>
      </span>
      <span role="cell" className="actions">
        <button
          type="button"
          disabled={!connected}
          aria-label={`Restart all connectors of ${name}`}
          onClick={() => act({ kind: 'restart', scope: 'service', urlMarker }, `Restart ${name}`)}
        >
          <ActionLabel icon="⟲" text="Restart" />
        </button>
        <button type="button" disabled={!connected} aria-label={`Refresh all connectors of ${name}`} onClick={() => void refresh()}>
          <ActionLabel icon="⟳" text="Refresh…" />
        </button>
        <button
          type="button"
          disabled={!connected || counts.retrying === 0}
          aria-label={`Retry now every retrying connector of ${name}`}
          onClick={() => void retryNow(store, backend, retryingConnectors(daemon, urlMarker), `Retry now in ${name}`)}
        >
          <ActionLabel icon="▶" text="Retry now" />
        </button>
      </span>
    </div>
  );
});

const ConnectorRow = memo(function ConnectorRow({
  daemonId,
  connectorKey,
  expanded,
  index,
  onToggle,
}: {
  daemonId: string;
  connectorKey: string;
  expanded: boolean;
  index: number;
  onToggle: (key: string) => void;
}) {
  const { store, backend } = useConsoleContext();
  const entry = useModel((s) => s.model.daemons[daemonId]?.connectors[connectorKey]);
  const skew = useModel((s) => s.model.daemons[daemonId]?.clockSkewMs ?? 0);
  const connected = useModel((s) => s.model.daemons[daemonId]?.connection === 'connected');
  const focused = useModel((s) => s.model.focus?.daemonId === daemonId && s.model.focus.connectorKey === connectorKey);
  if (!entry) return null;
  const r = entry.report;
  const name = r.connectorName;
  const health = connectorLevel(r.connectorStatus);
  const act = (kind: ActionKind, what: string) =>
    void runAction(
      store,
      backend,
      daemonId,
      connectorAction(kind, { daemonId, connectorName: name, urlMarker: entry.urlMarker }),
      `${what} ${name}`,
    );
  const messageId = `msg-${connectorKey}`;
  return (
    <div
      role="row"
      aria-rowindex={index}
      className={`row row-connector health-row-${health}${expanded ? ' expanded' : ''}${focused ? ' focused' : ''}`}
      data-testid="connector-row"
      data-connector={name}
    >
      <span role="rowheader" className="cell-name">
        <button
          type="button"
          className="link"
          title={name}
          aria-label={`Details of connector ${name}`}
          onClick={() => store.getState().dispatch({ type: 'focus-connector', daemonId, connectorKey })}
        >
          {name}
        </button>
        <span className="muted" title={r.lastStatusChange}>
          changed {formatTime(r.lastStatusChange)}
        </span>
      </span>
      <span role="cell" className="cell-status">
        <StatusBadge status={r.connectorStatus} />
        {r.errorSource && (
          <span className="muted" data-testid="error-source">
            cause: {errorSourceWords(r.errorSource)}
          </span>
        )}
      </span>
      <span role="cell" className="cell-message">
        {r.failingExceptionMessageId || r.failingExceptionMessage ? (
          <>
            <span className="message-line">
              <code>{r.failingExceptionMessageId}</code>{' '}
              <span className="message-text">{messageWithoutId(r.failingExceptionMessage, r.failingExceptionMessageId)}</span>
            </span>
            <button
              type="button"
              className="link small"
              aria-expanded={expanded}
              aria-controls={messageId}
              onClick={() => onToggle(connectorKey)}
            >
              {expanded ? 'Hide message' : 'Show message and fix'}
            </button>
          </>
        ) : (
          <span className="muted">no problem reported</span>
        )}
      </span>
      <span role="cell" className="cell-timing">
        {r.retry ? (
          <RetryCountdown retry={r.retry} clockSkewMs={skew} />
        ) : (
          <span>
            next refresh <RefreshCountdown at={r.nextRefreshAt} clockSkewMs={skew} />
          </span>
        )}
        <span className="muted" title={r.lastRefreshTime}>
          last refresh {formatTime(r.lastRefreshTime)}
        </span>
      </span>
      <span role="cell" className="actions">
        <button type="button" disabled={!connected} aria-label={`Restart connector ${name}`} onClick={() => act('restart', 'Restart')}>
          <ActionLabel icon="⟲" text="Restart" />
        </button>
        <button type="button" disabled={!connected} aria-label={`Refresh connector ${name}`} onClick={() => act('refresh', 'Refresh')}>
          <ActionLabel icon="⟳" text="Refresh" />
        </button>
        <button
          type="button"
          disabled={!connected || r.connectorStatus !== 'RETRYING'}
          aria-label={`Retry connector ${name} now`}
          onClick={() => act('retryNow', 'Retry now')}
        >
          <ActionLabel icon="▶" text="Retry now" />
        </button>
      </span>
      {expanded && (
        <div id={messageId} role="cell" className="message-details">
          <p>
            <code>{r.failingExceptionMessageId}</code> {messageWithoutId(r.failingExceptionMessage, r.failingExceptionMessageId)}
          </p>
          {r.userAction && (
            <p>
              <strong>What to do:</strong> {r.userAction}
            </p>
          )}
          {r.retry && r.retry.reason !== r.failingExceptionMessage && (
            <p>
              <strong>Retry reason:</strong> {r.retry.reason}
            </p>
          )}
        </div>
      )}
    </div>
  );
});
