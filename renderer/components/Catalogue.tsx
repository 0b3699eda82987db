// The catalogue browser: the metadata elements the daemon's connectors catalogued, filtered by connector, type,
// qualified-name prefix and text (archived ones on request), in a windowed list fetched page by page as it
// scrolls, and one element's details with all its properties.
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ARCHIVED_FILTERS, type ArchivedFilter, type MetadataElement } from '../../shared/api/types.js';
import { errorTextWithFix } from '../../shared/logic/error-text.js';
import {
  ELEMENT_ROW_HEIGHT,
  EMPTY_CATALOGUE_FILTER,
  PageCache,
  pageQuery,
  pagesFor,
  propertyRows,
  visibleRows,
  type CatalogueFilter,
} from '../logic/catalogue.js';
import { formatTime } from '../logic/words.js';
import { connectorNames } from '../store/selectors.js';
import { useConsoleContext, useModel } from './context.js';
import { useScrollTop } from './scroll.js';

const OVERSCAN = 4;
/** Typing settles before a query is sent. */
const FILTER_DELAY_MS = 250;
const ARCHIVED_WORDS: Record<ArchivedFilter, string> = { exclude: 'not archived', include: 'archived too', only: 'archived only' };

export function Catalogue({ daemonId, connectorName }: { daemonId: string; connectorName?: string | undefined }) {
  const services = useModel((s) => s.model.daemons[daemonId]?.services);
  const label = useModel((s) => s.model.daemons[daemonId]?.entry.label ?? daemonId);
  const names = useMemo(() => (services ? connectorNames(services) : []), [services]);
  const { backend } = useConsoleContext();
  const [filter, setFilter] = useState<CatalogueFilter>({ ...EMPTY_CATALOGUE_FILTER, connectorName: connectorName ?? '' });
  /** The filter last asked for; `applied` is the one the rows shown answer. */
  const [requested, setRequested] = useState(filter);
  const [applied, setApplied] = useState(filter);
  // A new cache for every filter (and reload): answers for an older one land in a cache nobody reads. The list is
  // keyed by it, so a new query starts at the top.
  const [source, setSource] = useState(() => ({ cache: new PageCache(), generation: 0 }));
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<MetadataElement | null>(null);
  // While a new query's first page is on its way the previous rows stay, dimmed: an operator refining a filter
  // keeps what they were reading instead of an empty table. Only the newest query may replace them.
  const [updating, setUpdating] = useState(false);
  const latest = useRef(0);

  const query = useCallback(
    (next: CatalogueFilter) => {
      const generation = ++latest.current;
      const cache = new PageCache();
      setRequested(next);
      setUpdating(true);
      const show = () => {
        if (generation !== latest.current) return;
        setApplied(next);
        setSource({ cache, generation });
        setTotal(cache.total);
        setUpdating(false);
      };
      for (const page of cache.take([0])) {
        backend.metadataElements(daemonId, pageQuery(next, page, true)).then(
          (answer) => {
            cache.put(page, answer.elements, answer.totalCount);
            if (generation === latest.current) setError(null);
            show();
          },
          (e: unknown) => {
            cache.failed(page);
            if (generation === latest.current) setError(errorTextWithFix(e));
            show();
          },
        );
      }
    },
    [backend, daemonId],
  );
  useEffect(() => {
    if (filter === requested) return;
    const timer = setTimeout(() => query(filter), FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [filter, requested, query]);

  const set = (patch: Partial<CatalogueFilter>) => setFilter((f) => ({ ...f, ...patch }));

  return (
    <section className={`catalogue${selected ? ' with-element' : ''}`} aria-label="Catalogue">
      <div className="list-filters" role="search">
        <label>
          Connector
          <select value={filter.connectorName} onChange={(e) => set({ connectorName: e.target.value })}>
            <option value="">every connector</option>
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Type
          <input type="search" value={filter.typeName} placeholder="e.g. DataFile" onChange={(e) => set({ typeName: e.target.value })} />
        </label>
        <label>
          Name starts with
          <input
            type="search"
            value={filter.qualifiedNamePrefix}
            placeholder="qualified name prefix"
            onChange={(e) => set({ qualifiedNamePrefix: e.target.value })}
          />
        </label>
        <label>
          Text
          <input type="search" value={filter.text} placeholder="in names and properties" onChange={(e) => set({ text: e.target.value })} />
        </label>
        <label>
          Archived
          <select value={filter.archived} onChange={(e) => set({ archived: e.target.value as ArchivedFilter })}>
            {ARCHIVED_FILTERS.map((a) => (
              <option key={a} value={a}>
                {ARCHIVED_WORDS[a]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" title="Ask the daemon again" onClick={() => query(requested)}>
          Reload
        </button>
        <span className="list-count" aria-live="polite" data-testid="element-count-total">
          {updating ? 'updating…' : total === null ? 'loading…' : `${total.toLocaleString()} element${total === 1 ? '' : 's'}`}
        </span>
      </div>
      {error && (
        <p className="daemon-error" role="alert">
          {error}
        </p>
      )}
      <div className="catalogue-body">
        <ElementList
          key={source.generation}
          daemonId={daemonId}
          filter={applied}
          cache={source.cache}
          daemonLabel={label}
          selectedGuid={selected?.guid ?? null}
          updating={updating}
          onSelect={setSelected}
          onTotal={setTotal}
          onError={setError}
        />
        {selected && <ElementDetails element={selected} daemonLabel={label} onClose={() => setSelected(null)} />}
      </div>
    </section>
  );
}

const COLUMNS = ['Type', 'Qualified name', 'Connector', 'Daemon', 'Created', 'Updated', 'Archived'];
const EMPTY_CELLS = COLUMNS.slice(1);

/**
 * The scrolled part alone, so scrolling re-renders neither the filters nor the details. Rows have one fixed height
 * (no layout is read per row), only the rows in view are mounted, and a row re-renders only when its element or
 * its selection changes.
 */
const ElementList = memo(function ElementList({
  daemonId,
  filter,
  cache,
  daemonLabel,
  selectedGuid,
  updating,
  onSelect,
  onTotal,
  onError,
}: {
  daemonId: string;
  filter: CatalogueFilter;
  cache: PageCache;
  daemonLabel: string;
  selectedGuid: string | null;
  /** A newer query is loading: these rows are the previous answer's, shown dimmed until the new ones arrive. */
  updating: boolean;
  onSelect: (element: MetadataElement) => void;
  onTotal: (total: number | null) => void;
  onError: (error: string | null) => void;
}) {
  const { backend } = useConsoleContext();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, onScrolled] = useScrollTop();
  const [viewport, setViewport] = useState(600);
  const [, setLoaded] = useState(0);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    // Read once and on resize only: never during a scroll.
    const observer = new ResizeObserver(([entry]) => setViewport(entry?.contentRect.height ?? el.clientHeight));
    setViewport(el.clientHeight);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Answers arriving after a new query replaced this list (and its cache) must not touch the new one's total.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const [first, last] = visibleRows(scrollTop, viewport, OVERSCAN);
  const total = cache.total;
  useEffect(() => {
    for (const page of cache.take(pagesFor(first, last, cache.total))) {
      backend.metadataElements(daemonId, pageQuery(filter, page, cache.total === null)).then(
        (answer) => {
          cache.put(page, answer.elements, answer.totalCount);
          if (!mounted.current) return;
          onTotal(cache.total);
          onError(null);
          setLoaded((n) => n + 1);
        },
        (e: unknown) => {
          cache.failed(page);
          if (mounted.current) onError(errorTextWithFix(e));
        },
      );
    }
  }, [backend, daemonId, filter, cache, first, last, total, onTotal, onError]);

  const rowCount = total ?? 0;
  const end = Math.min(last, rowCount - 1);
  const rows: number[] = [];
  for (let i = first; i <= end; i++) rows.push(i);
  return (
    // The scroller sits in a plain block, not straight in the catalogue's grid: Chromium then treats it (size and
    // layout contained) as a relayout boundary, so a scroll step lays out the rows that changed, not the page.
    <div className={`element-viewport${updating ? ' updating' : ''}`} aria-busy={updating}>
      <div
        className="list-scroller element-scroller"
        ref={scroller}
        // Kept to whole rows: no render while the scroll stays within one row.
        onScroll={(e) => onScrolled(Math.floor(e.currentTarget.scrollTop / ELEMENT_ROW_HEIGHT) * ELEMENT_ROW_HEIGHT)}
        data-testid="catalogue-scroller"
      >
        <div role="table" aria-label={`Metadata elements on ${daemonLabel}`} aria-rowcount={rowCount + 1} className="element-table">
          <div role="row" aria-rowindex={1} className="element-row element-head">
            {COLUMNS.map((h) => (
              <span key={h} role="columnheader">
                {h}
              </span>
            ))}
          </div>
          <div style={{ height: first * ELEMENT_ROW_HEIGHT }} />
          {rows.map((i) => {
            const element = cache.row(i);
            return (
              <ElementRow
                key={i}
                index={i}
                element={element}
                daemonLabel={daemonLabel}
                selected={element !== undefined && element.guid === selectedGuid}
                onSelect={onSelect}
              />
            );
          })}
          <div style={{ height: Math.max(0, rowCount - 1 - end) * ELEMENT_ROW_HEIGHT }} />
        </div>
        {total === 0 && <p className="empty">No element matches the filter.</p>}
      </div>
    </div>
  );
});

const ElementRow = memo(function ElementRow({
  index,
  element,
  daemonLabel,
  selected,
  onSelect,
}: {
  index: number;
  element: MetadataElement | undefined;
  daemonLabel: string;
  selected: boolean;
  onSelect: (element: MetadataElement) => void;
}) {
  if (!element) {
    // The same cells as a loaded row, so the answer changes text rather than rebuilding the row.
    return (
      <div role="row" aria-rowindex={index + 2} className="element-row loading">
        <span role="cell" className="muted">
          loading…
        </span>
        {EMPTY_CELLS.map((c) => (
          <span key={c} role="cell" />
        ))}
      </div>
    );
  }
  const daemonCell = element.connectorName ? daemonLabel : null;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`element-row${element.archived ? ' archived' : ''}${selected ? ' selected' : ''}`}
      data-testid="element-row"
      data-qualified-name={element.qualifiedName}
    >
      <span role="cell" className="element-type" title={element.typeName}>
        {element.typeName}
      </span>
      <span role="cell" className="element-name">
        <button
          type="button"
          className="link"
          title={element.qualifiedName}
          aria-label={`Details of element ${element.qualifiedName}`}
          onClick={() => onSelect(element)}
        >
          {element.qualifiedName}
        </button>
      </span>
      <span role="cell" className="element-connector" title={element.connectorName ?? element.metadataSource}>
        {element.connectorName ?? <span className="muted">another daemon’s</span>}
      </span>
      <span
        role="cell"
        className="muted"
        data-testid="element-daemon"
        title={daemonCell ?? 'Catalogued by a connector of another daemon sharing this metadata server'}
      >
        {daemonCell ?? '—'}
      </span>
      <span role="cell" title={element.createTime}>
        {formatTime(element.createTime)}
      </span>
      <span role="cell" title={element.updateTime}>
        {formatTime(element.updateTime)}
      </span>
      <span role="cell">{element.archived ? formatTime(element.updateTime) : ''}</span>
    </div>
  );
});

function ElementDetails({ element, daemonLabel, onClose }: { element: MetadataElement; daemonLabel: string; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [element.guid]);
  return (
    <aside className="element-details" aria-labelledby="element-title" data-testid="element-details">
      <div className="details-head">
        <h3 id="element-title" ref={heading} tabIndex={-1}>
          {element.qualifiedName}
        </h3>
        <button type="button" onClick={onClose} aria-label="Close element details" title="Close element details">
          ✕
        </button>
      </div>
      <dl className="facts">
        <dt>Type</dt>
        <dd>{element.typeName}</dd>
        <dt>Connector</dt>
        <dd>{element.connectorName ? `${element.connectorName} on ${daemonLabel}` : 'a connector of another daemon'}</dd>
        <dt>Metadata source</dt>
        <dd>
          <code>{element.metadataSource}</code>
        </dd>
        <dt>GUID</dt>
        <dd>
          <code>{element.guid}</code>
        </dd>
        <dt>Created</dt>
        <dd title={element.createTime}>{formatTime(element.createTime)}</dd>
        <dt>Updated</dt>
        <dd title={element.updateTime}>
          {formatTime(element.updateTime)} (version {element.version})
        </dd>
        <dt>Archived</dt>
        <dd>{element.archived ? `yes, at ${formatTime(element.updateTime)}` : 'no'}</dd>
      </dl>
      <h4>Properties</h4>
      <table className="properties" data-testid="element-properties">
        <tbody>
          {propertyRows(element).map(([key, value]) => (
            <tr key={key}>
              <th scope="row">{key}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </aside>
  );
}
