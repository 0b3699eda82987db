// The connector list is windowed: with 1,000 connectors only the rows in view (plus a margin) are mounted. Rows
// have known heights (a connector row grows by a fixed amount when its message is expanded), so the layout is a
// prefix sum and finding the first visible row is a binary search.

export const SERVICE_ROW_HEIGHT = 56;
export const CONNECTOR_ROW_HEIGHT = 64;
export const EXPANDED_EXTRA_HEIGHT = 112;

export type ListRow =
  | { kind: 'service'; key: string; urlMarker: string; height: number }
  | { kind: 'connector'; key: string; urlMarker: string; connectorKey: string; expanded: boolean; height: number }
  | { kind: 'empty'; key: string; urlMarker: string; height: number };

export interface RowLayout {
  rows: ListRow[];
  /** offsets[i] = top of row i; offsets[rows.length] = total height. */
  offsets: number[];
}

export function layoutRows(rows: ListRow[]): RowLayout {
  const offsets = new Array<number>(rows.length + 1);
  offsets[0] = 0;
  for (let i = 0; i < rows.length; i++) offsets[i + 1] = (offsets[i] as number) + (rows[i] as ListRow).height;
  return { rows, offsets };
}

export function totalHeight(layout: RowLayout): number {
  return layout.offsets[layout.rows.length] as number;
}

/** Index of the row containing pixel `y` (clamped to the list). */
export function rowAt(layout: RowLayout, y: number): number {
  const n = layout.rows.length;
  if (n === 0) return 0;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((layout.offsets[mid] as number) <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Half-open [start, end) of the rows to mount for a viewport, with `overscan` extra rows either side. */
export function visibleRange(layout: RowLayout, scrollTop: number, viewportHeight: number, overscan: number): [number, number] {
  const n = layout.rows.length;
  if (n === 0) return [0, 0];
  const first = rowAt(layout, Math.max(0, scrollTop));
  const last = rowAt(layout, Math.max(0, scrollTop + viewportHeight - 1));
  return [Math.max(0, first - overscan), Math.min(n, last + 1 + overscan)];
}
