// The windowed connector list's layout: row offsets, the row under a pixel, and the rows to mount.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONNECTOR_ROW_HEIGHT,
  EXPANDED_EXTRA_HEIGHT,
  layoutRows,
  rowAt,
  SERVICE_ROW_HEIGHT,
  totalHeight,
  visibleRange,
  type ListRow,
} from '../../../renderer/logic/rows.js';

function rows(heights: number[]): ListRow[] {
  return heights.map((height, i) => ({ kind: 'empty', key: String(i), urlMarker: 'm', height }));
}

describe('windowing', () => {
  const layout = layoutRows(rows([50, 60, 60, 170, 60]));

  it('computes offsets and total height', () => {
    expect(layout.offsets).toEqual([0, 50, 110, 170, 340, 400]);
    expect(totalHeight(layout)).toBe(400);
  });

  it('finds the row under a pixel', () => {
    expect(rowAt(layout, 0)).toBe(0);
    expect(rowAt(layout, 49)).toBe(0);
    expect(rowAt(layout, 50)).toBe(1);
    expect(rowAt(layout, 339)).toBe(3);
    expect(rowAt(layout, 10_000)).toBe(4);
  });

  it('mounts only the rows in view plus overscan', () => {
    expect(visibleRange(layout, 110, 100, 0)).toEqual([2, 4]);
    expect(visibleRange(layout, 110, 100, 1)).toEqual([1, 5]);
    expect(visibleRange(layoutRows([]), 0, 100, 3)).toEqual([0, 0]);
  });

  it('keeps a 1,000-row window small', () => {
    const big = layoutRows(rows(new Array(1000).fill(64)));
    const [start, end] = visibleRange(big, 64 * 500, 800, 6);
    expect(end - start).toBeLessThanOrEqual(26);
    expect(start).toBe(494);
  });
});

describe('row heights', () => {
  it('are the same in the stylesheet and in the layout maths', () => {
    const css = readFileSync(new URL('../../../renderer/styles/theme.css', import.meta.url), 'utf8');
    const px = (name: string) => Number(new RegExp(`--${name}: (\\d+)px`).exec(css)?.[1]);
    expect(px('row-service')).toBe(SERVICE_ROW_HEIGHT);
    expect(px('row-connector')).toBe(CONNECTOR_ROW_HEIGHT);
    expect(px('row-expanded')).toBe(CONNECTOR_ROW_HEIGHT + EXPANDED_EXTRA_HEIGHT);
  });
});
