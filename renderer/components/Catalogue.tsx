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

const OVERSCAN = 10;
/** Typing settles before a query is sent. */
const FILTER_DELAY_MS = 250;
const ARCHIVED_WORDS: Record<ArchivedFilter, string> = { exclude: 'not archived', include: 'archived too', only: 'archived only' };

export function Catalogue({ daemonId, connectorName }: { daemonId: string; connectorName?: string | undefined }) {
  const { backend } = useConsoleContext();
  const services = useModel((s) => s.model.daemons[daemonId]?.services);
  const label = useModel((s) => s.model.daemons[daemonId]?.entry.label ?? daemonId);
  const names = useMemo(() => (services ? connectorNames(services) : []), [services]);
  const [filter, setFilter] = useState<CatalogueFilter>({ ...EMPTY_CATALOGUE_FILTER, connectorName: connectorName ?? '' });
  const [applied, setApplied] = useState(filter);
  // A new cache for every filter (and reload): answers for an older one land in a cache nobody reads.
  const [cache, setCache] = useState(() => new PageCache());
  const [, setLoaded] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<MetadataElement | null>(null);

  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setViewport(el.clientHeight);
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const query = useCallback((next: CatalogueFilter) => {
    setApplied(next);
    setCache(new PageCache());
    scroller.current?.scrollTo({ top: 0 });
    setScrollTop(0);
  }, []);
  useEffect(() => {
    if (filter === applied) return;
    const timer = setTimeout(() => query(filter), FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [filter, applied, query]);

  const [first, last] = visibleRows(scrollTop, viewport, OVERSCAN);
  const total = cache.total;
  useEffect(() => {
    for (const page of cache.take(pagesFor(first, last, cache.total))) {
      backend.metadataElements(daemonId, pageQuery(applied, page, cache.total === null)).then(
        (answer) => {
          cache.put(page, answer.elements, answer.totalCount);
          setError(null);
          setLoaded((n) => n + 1);
        },
        (e: unknown) => {
          cache.failed(page);
          setError(errorTextWithFix(e));
        },
      );
    }
  }, [backend, daemonId, applied, cache, first, last, total]);

  const rowCount = total ?? 0;
  const end = Math.min(last, rowCount - 1);
  const rows: number[] = [];
  for (let i = first; i <= end; i++) rows.push(i);
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
        <button type="button" title="Ask the daemon again" onClick={() => query(applied)}>
          Reload
        </button>
        <span className="list-count" aria-live="polite" data-testid="element-count-total">
          {total === null ? 'loading…' : `${total.toLocaleString()} element${total === 1 ? '' : 's'}`}
        </span>
      </div>
      {error && (
        <p className="daemon-error" role="alert">
          {error}
        </p>
      )}
      <div className="catalogue-body">
        <div
          className="list-scroller element-scroller"
          ref={scroller}
          // Kept to whole rows: React skips the render while the scroll stays within one row.
          onScroll={(e) => setScrollTop(Math.floor(e.currentTarget.scrollTop / ELEMENT_ROW_HEIGHT) * ELEMENT_ROW_HEIGHT)}
          data-testid="catalogue-scroller"
        >
          <div role="table" aria-label={`Metadata elements on ${label}`} aria-rowcount={rowCount + 1} className="element-table">
            <div role="row" aria-rowindex={1} className="element-row element-head">
              {['Type', 'Qualified name', 'Connector', 'Daemon', 'Created', 'Updated', 'Archived'].map((h) => (
                <span key={h} role="columnheader">
                  {h}
                </span>
              ))}
            </div>
            <div style={{ height: first * ELEMENT_ROW_HEIGHT }} />
            {rows.map((i) => (
              <ElementRow key={i} index={i} element={cache.row(i)} daemonLabel={label} selected={selected} onSelect={setSelected} />
            ))}
            <div style={{ height: Math.max(0, rowCount - 1 - end) * ELEMENT_ROW_HEIGHT }} />
          </div>
          {total === 0 && <p className="empty">No element matches the filter.</p>}
        </div>
        {selected && <ElementDetails element={selected} daemonLabel={label} onClose={() => setSelected(null)} />}
      </div>
    </section>
  );
}

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
  selected: MetadataElement | null;
  onSelect: (element: MetadataElement) => void;
}) {
  if (!element) {
    return (
      <div role="row" aria-rowindex={index + 2} className="element-row loading">
        <span role="cell">loading…</span>
      </div>
    );
  }
  const isSelected = selected?.guid === element.guid;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={isSelected}
      className={`element-row${element.archived ? ' archived' : ''}${isSelected ? ' selected' : ''}`}
      data-testid="element-row"
      data-qualified-name={element.qualifiedName}
    >
      <span role="cell" className="element-type">
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
      <span role="cell" className="muted">
        {element.connectorName ? daemonLabel : '—'}
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
