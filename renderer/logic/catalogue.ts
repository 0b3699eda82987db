// The catalogue browser's paging: which pages of `GET /metadata-elements` a viewport needs, the query for each,
// and the cache that keeps pages of the current filter. Rows have one fixed height, so 100,000 elements are a
// tall spacer with 30 rows mounted, and only the pages in view are ever fetched.
import type { ArchivedFilter, MetadataElement } from '../../shared/api/types.js';
import type { MetadataElementsQuery } from '../../shared/console-backend.js';

export const CATALOGUE_PAGE_SIZE = 200;
export const ELEMENT_ROW_HEIGHT = 36;

export interface CatalogueFilter {
  connectorName: string;
  typeName: string;
  qualifiedNamePrefix: string;
  text: string;
  archived: ArchivedFilter;
}

export const EMPTY_CATALOGUE_FILTER: CatalogueFilter = {
  connectorName: '',
  typeName: '',
  qualifiedNamePrefix: '',
  text: '',
  archived: 'exclude',
};

/** The query for one page; empty filters are left out, and the count is asked with the first page fetched. */
export function pageQuery(filter: CatalogueFilter, page: number, count: boolean): MetadataElementsQuery {
  const trimmed = (s: string) => (s.trim() === '' ? undefined : s.trim());
  return {
    connectorName: trimmed(filter.connectorName),
    typeName: trimmed(filter.typeName),
    qualifiedNamePrefix: trimmed(filter.qualifiedNamePrefix),
    text: trimmed(filter.text),
    archived: filter.archived,
    startFrom: page * CATALOGUE_PAGE_SIZE,
    pageSize: CATALOGUE_PAGE_SIZE,
    ...(count ? { count: true } : {}),
  };
}

/** Pages holding rows [first, last] (inclusive), clamped to the total when it is known. */
export function pagesFor(first: number, last: number, total: number | null): number[] {
  const lastRow = total === null ? last : Math.min(last, total - 1);
  if (lastRow < first || lastRow < 0) return total === null ? [0] : [];
  const pages: number[] = [];
  for (let p = Math.floor(Math.max(0, first) / CATALOGUE_PAGE_SIZE); p <= Math.floor(lastRow / CATALOGUE_PAGE_SIZE); p++) pages.push(p);
  return pages;
}

/** The rows a scroller shows, with `overscan` rows either side. */
export function visibleRows(scrollTop: number, viewport: number, overscan: number): [first: number, last: number] {
  const first = Math.max(0, Math.floor(scrollTop / ELEMENT_ROW_HEIGHT) - overscan);
  return [first, Math.ceil((scrollTop + viewport) / ELEMENT_ROW_HEIGHT) + overscan];
}

/** The pages of one filter; a new filter starts a new cache, so late answers for an old filter are dropped. */
export class PageCache {
  private readonly pages = new Map<number, MetadataElement[]>();
  private readonly pending = new Set<number>();
  total: number | null = null;

  /** Pages still to fetch, marked as pending. */
  take(pages: readonly number[]): number[] {
    const missing = pages.filter((p) => !this.pages.has(p) && !this.pending.has(p));
    for (const p of missing) this.pending.add(p);
    return missing;
  }

  put(page: number, elements: MetadataElement[], total: number | undefined): void {
    this.pending.delete(page);
    this.pages.set(page, elements);
    if (total !== undefined) this.total = total;
    // Without a count, a short page is the end.
    else if (this.total === null && elements.length < CATALOGUE_PAGE_SIZE) this.total = page * CATALOGUE_PAGE_SIZE + elements.length;
  }

  failed(page: number): void {
    this.pending.delete(page);
  }

  row(index: number): MetadataElement | undefined {
    return this.pages.get(Math.floor(index / CATALOGUE_PAGE_SIZE))?.[index % CATALOGUE_PAGE_SIZE];
  }
}

/** An element's properties as label and text, for the details panel: nested values as compact JSON. */
export function propertyRows(element: MetadataElement): [string, string][] {
  return Object.entries(element.properties)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]);
}
