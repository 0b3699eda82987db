// The windowed list of services and connectors. Only rows in view are mounted; rows are memoized and each one
// subscribes to its own connector, so a status event re-renders one row and a tick re-renders only countdowns.
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { connectorAction, eraActionUnavailable, type ActionKind } from '../../shared/console-actions.js';
import type { ConsoleAction } from '../../shared/console-backend.js';
import { layoutRows, SERVICE_ROW_HEIGHT, totalHeight, visibleRange, type ListRow } from '../logic/rows.js';
import { errorSourceWords, formatTime, messageWithoutId } from '../logic/words.js';
import { reportLevel } from '../../shared/logic/aggregate.js';
import { failingTargetsText } from '../../shared/api/catalog-targets.js';
import { formatElapsed } from '../../shared/logic/duration.js';
import { retryNowUnavailable } from '../logic/outcome.js';
import {
  changeUnavailable,
  countMatching,
  LIST_SORTS,
  listRows,
  retryingConnectors,
  rowsFollowStatus,
  serviceCounts,
  type ListFilter,
  type ListSort,
} from '../store/selectors.js';
import { retryNow, runAction } from '../store/store.js';
import { ActionButton } from './ActionButton.js';
import { useConfirm } from './ConfirmDialog.js';
import { ConnectorForm } from './ConnectorForm.js';
import { RefreshCountdown, RetryCountdown } from './Countdown.js';
import { useConsoleContext, useModel } from './context.js';
import { StatusBadge } from './HealthBadge.js';
import { useScrollTop } from './scroll.js';

const OVERSCAN = 6;
/**
 * Rows mounted at most per task while the list fills a window it has not filled before (the first snapshot, a
 * taller window): a row's render and first layout cost about 1 ms of CPU each, and the 25 rows of a first screen
 * mounted with the snapshot made its task 17-30 ms of CPU and the next one's layout 10-17 ms. The rest follow a
 * frame at a time.
 */
export const ROWS_PER_TASK = 8;

export function ConnectorList({ daemonId }: { daemonId: string }) {
  const services = useModel((s) => s.model.daemons[daemonId]?.services);
  const connectors = useModel((s) => s.model.daemons[daemonId]?.connectors);
  const hasSnapshot = useModel((s) => s.model.daemons[daemonId]?.hasSnapshot ?? false);
  const stale = useModel((s) => s.model.daemons[daemonId]?.connection !== 'connected');
  const mayChange = useModel((s) => s.model.daemons[daemonId]?.mayChange ?? true);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [filter, setFilter] = useState<ListFilter>({ attentionOnly: false, text: '', sort: 'service' });
  const { store, backend } = useConsoleContext();
  const [adding, setAdding] = useState(false);

  // Without a filter or a sort by severity the rows depend only on the services: status events keep the layout.
  const rowsSource = rowsFollowStatus(filter) ? connectors : null;
  const layout = useMemo(
    () => layoutRows(services ? listRows(services, rowsSource ?? null, expanded, filter) : []),
    [services, rowsSource, expanded, filter],
  );

  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, onScrolled] = useScrollTop();
  // The window's height fills any list; reading the list's own now would force a layout in the task mounting the rows.
  const [viewport, setViewport] = useState(() => window.innerHeight);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
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

  const [start, wanted] = visibleRange(layout, scrollTop, viewport, OVERSCAN);
  // A list waiting for its first snapshot mounts no row in the snapshot's task: that task renders the rest of the
  // page anew (counts, header, sidebar), and the rows follow in tasks of their own.
  const [mountable, setMountable] = useState(() => (hasSnapshot ? ROWS_PER_TASK : 0));
  const end = Math.min(wanted, start + mountable);
  // The effect runs once the rows mounted so far are shown; the next ones are mounted in a task of their own.
  useEffect(() => {
    if (end >= wanted) return;
    const next = setTimeout(() => setMountable((m) => m + ROWS_PER_TASK), 0);
    return () => clearTimeout(next);
  }, [end, wanted]);
  const top = layout.offsets[start] ?? 0;
  const bottom = totalHeight(layout) - (layout.offsets[end] ?? 0);
  const counts = useMemo(() => countMatching(connectors ?? {}, filter), [connectors, filter]);

  // Each row shows its connector's last run: the newest runs of the whole daemon, once a snapshot is there.
  useEffect(() => {
    if (!hasSnapshot) return;
    let current = true;
    backend.runs(daemonId, { limit: RECENT_RUNS }).then(
      (runs) => current && store.getState().dispatch({ type: 'recent-runs-loaded', daemonId, runs }),
      () => undefined, // The rows then show no last run; the details panel reports a failing run history.
    );
    return () => {
      current = false;
    };
  }, [daemonId, hasSnapshot, backend, store]);

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
        <label>
          Sort
          <select value={filter.sort} onChange={(e) => setFilter((f) => ({ ...f, sort: e.target.value as ListSort }))}>
            {LIST_SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {SORT_WORDS[sort]}
              </option>
            ))}
          </select>
        </label>
        {/* A viewer token may not add anything: the button is left out rather than shown to fail. */}
        {mayChange && (
          <button type="button" className="primary" disabled={stale || !services?.length} onClick={() => setAdding(true)}>
            + Add connector
          </button>
        )}
        <span className="list-count" aria-live="polite" data-testid="connector-count">
          {counts.shown === counts.total ? '' : `${counts.shown} of `}
          {counts.total} connector{counts.total === 1 ? '' : 's'}
        </span>
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
          onScroll={(e) => onScrolled(e.currentTarget.scrollTop)}
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
      {adding && mayChange && services?.[0] && (
        <ConnectorForm daemonId={daemonId} target={{ urlMarker: services[0].urlMarker }} onClose={() => setAdding(false)} />
      )}
    </section>
  );
}

const RECENT_RUNS = 1000;
const SORT_WORDS: Record<ListSort, string> = { service: 'as configured', severity: 'failed first', name: 'by name' };

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
  // A viewer token rules out every change; then what the daemon's era lacks.
  const eraWhy = (kind: ActionKind) => changeUnavailable(daemon) ?? eraActionUnavailable(daemon.entry.era, { kind, scope: 'service' });
  const act = (action: ConsoleAction, what: string) => void runAction(store, backend, daemonId, action, what);
  const refresh = async () => {
    const ok = await confirm(
      `Refresh every connector of ${name}?`,
      `${counts.total} connectors will read their third-party technology again in full. This can take a long time.`,
      'Refresh service',
    );
    if (ok) act({ kind: 'refresh', scope: 'service', urlMarker }, `Refresh ${name}`);
  };
  const restart = async () => {
    const ok = await confirm(
      `Restart every connector of ${name}?`,
      `${counts.total} connectors will stop, start afresh and refresh. Work in progress is abandoned.`,
      'Restart service',
    );
    if (ok) act({ kind: 'restart', scope: 'service', urlMarker }, `Restart ${name}`);
  };
  return (
    <div role="row" aria-rowindex={index} className="row row-service" data-testid="service-row" data-service={urlMarker}>
      <span role="rowheader" className="service-name">
        {/* The spaces keep the words apart in the text a screen reader or a copy gets; the gaps space them on screen. */}
        <strong>{name}</strong> <span className="muted">{urlMarker}</span>{' '}
        <span className="service-counts" data-testid="service-counts">
          {counts.failed > 0 && <ServiceCount level="failed" icon="✖" count={counts.failed} words="failed" />}
          {counts.retrying > 0 && <ServiceCount level="retrying" icon="↻" count={counts.retrying} words="retrying" />}
          <ServiceCount level="healthy" icon="✔" count={counts.healthy} words="ok" />
        </span>
      </span>
      <span role="cell" className="actions">
        <ActionButton
          icon="⟲"
          text="Restart…"
          label={`Restart all connectors of ${name}`}
          disabled={!connected || eraWhy('restart') !== null}
          why={eraWhy('restart')}
          onClick={() => void restart()}
        />
        <ActionButton
          icon="⟳"
          text="Refresh…"
          label={`Refresh all connectors of ${name}`}
          disabled={!connected || eraWhy('refresh') !== null}
          why={eraWhy('refresh')}
          onClick={() => void refresh()}
        />
        <ActionButton
          icon="▶"
          text="Retry now"
          label={`Retry now every retrying connector of ${name}`}
          disabled={!connected || counts.retrying === 0 || eraWhy('retryNow') !== null}
          why={eraWhy('retryNow') ?? `No connector of ${name} is waiting for an automatic retry.`}
          onClick={() => void retryNow(store, backend, retryingConnectors(daemon, urlMarker), `Retry now in ${name}`)}
        />
      </span>
    </div>
  );
});

/** One count of a service row: its symbol, a space, the number and its word, then a space before the next. */
function ServiceCount({ level, icon, count, words }: { level: string; icon: string; count: number; words: string }) {
  return (
    <span className={`health-${level}`}>
      <span aria-hidden="true">{icon}</span> {count} {words}{' '}
    </span>
  );
}

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
  const era = useModel((s) => s.model.daemons[daemonId]?.entry.era);
  const viewerWhy = useModel((s) => changeUnavailable(s.model.daemons[daemonId]));
  const focused = useModel((s) => s.model.focus?.daemonId === daemonId && s.model.focus.connectorKey === connectorKey);
  const runs = useModel((s) => (entry ? s.model.daemons[daemonId]?.runs[entry.report.connectorName] : undefined));
  if (!entry) return null;
  const r = entry.report;
  const name = r.connectorName;
  const health = reportLevel(r);
  const targetsFailing = failingTargetsText(r.catalogTargets);
  const act = (kind: ActionKind, what: string) =>
    void runAction(
      store,
      backend,
      daemonId,
      connectorAction(kind, { daemonId, connectorName: name, urlMarker: entry.urlMarker }),
      `${what} ${name}`,
    );
  const messageId = `msg-${connectorKey}`;
  // A viewer token first, then what the daemon's era lacks (Egeria has no retry now), then this connector's state.
  const eraWhy = (kind: ActionKind) => viewerWhy ?? eraActionUnavailable(era, { kind, scope: 'connector' });
  const retryWhy = eraWhy('retryNow') ?? retryNowUnavailable(r);
  const lastRun = runs?.[0];
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
        {(r.connectorProvider !== undefined || r.endpointAddress !== undefined) && (
          <span className="connector-where">
            {r.connectorProvider !== undefined && <span data-testid="connector-provider">{r.connectorProvider}</span>}
            {r.endpointAddress !== undefined && (
              <span className="endpoint" title={r.endpointAddress} data-testid="connector-endpoint">
                {r.endpointAddress}
              </span>
            )}
          </span>
        )}
        {/* The group shares the last line: a row has a fixed height, and a line of its own would be cut off. */}
        <span className="connector-when">
          {r.integrationGroupName !== undefined && (
            <span className="group-tag" data-testid="group-tag" title={`Picked up from integration group ${r.integrationGroupName}`}>
              group {r.integrationGroupName}
            </span>
          )}
          <span className="muted" title={r.lastStatusChange}>
            changed {formatTime(r.lastStatusChange)}
          </span>
        </span>
      </span>
      <span role="cell" className="cell-status">
        <StatusBadge status={r.connectorStatus} health={health} />
        {/* A row has room for one line under the badge: failing catalog targets say more than their cause. */}
        {targetsFailing ? (
          <span className="muted" data-testid="targets-failing">
            {targetsFailing}
          </span>
        ) : (
          r.errorSource && (
            <span className="muted" data-testid="error-source">
              cause: {errorSourceWords(r.errorSource)}
            </span>
          )
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
          <RetryCountdown retry={r.retry} clockSkewMs={skew} errorSource={r.errorSource} connected={connected} />
        ) : (
          <span>
            next refresh <RefreshCountdown at={r.nextRefreshAt} clockSkewMs={skew} connected={connected} />
          </span>
        )}
        <span className="muted" title={r.lastRefreshTime}>
          last refresh {formatTime(r.lastRefreshTime)}
        </span>
        <span className="muted">
          {lastRun?.durationMs !== undefined && <span data-testid="last-run-duration">took {formatElapsed(lastRun.durationMs)}</span>}
          {lastRun?.durationMs !== undefined && r.elementCount !== undefined && ' · '}
          {r.elementCount !== undefined && (
            <span data-testid="element-count">
              {r.elementCount.toLocaleString()} element{r.elementCount === 1 ? '' : 's'}
            </span>
          )}
        </span>
      </span>
      <span role="cell" className="actions">
        <ActionButton
          icon="⟲"
          text="Restart"
          label={`Restart connector ${name}`}
          disabled={!connected || eraWhy('restart') !== null}
          why={eraWhy('restart')}
          onClick={() => act('restart', 'Restart')}
        />
        <ActionButton
          icon="⟳"
          text="Refresh"
          label={`Refresh connector ${name}`}
          disabled={!connected || eraWhy('refresh') !== null}
          why={eraWhy('refresh')}
          onClick={() => act('refresh', 'Refresh')}
        />
        <ActionButton
          icon="▶"
          text="Retry now"
          label={`Retry connector ${name} now`}
          disabled={!connected || retryWhy !== null}
          why={retryWhy}
          onClick={() => act('retryNow', 'Retry now')}
        />
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
