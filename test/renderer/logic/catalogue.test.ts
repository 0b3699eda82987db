// The catalogue's paging: the pages a viewport needs, the page cache of one filter, the queries and properties.
import { describe, expect, it } from 'vitest';
import { EMPTY_CATALOGUE_FILTER, PageCache, pageQuery, pagesFor, propertyRows, visibleRows } from '../../../renderer/logic/catalogue.js';
import type { MetadataElement } from '../../../shared/api/types.js';

const el = (i: number) => ({ guid: `g${i}` }) as MetadataElement;

describe('catalogue paging', () => {
  it('needs the pages that hold the rows in view, clamped to the total', () => {
    expect(pagesFor(0, 30, null)).toEqual([0]);
    expect(pagesFor(190, 230, 100_000)).toEqual([0, 1]);
    expect(pagesFor(50_000, 50_030, 100_000)).toEqual([250]);
    expect(pagesFor(10, 40, 5)).toEqual([]);
    expect(pagesFor(0, 40, 0)).toEqual([]);
    expect(visibleRows(3600, 720, 10)).toEqual([90, 130]);
  });

  it('fetches each page once and learns the total from the count or from a short page', () => {
    const cache = new PageCache();
    expect(cache.take([0, 1])).toEqual([0, 1]);
    expect(cache.take([0, 1, 2])).toEqual([2]);
    cache.put(0, [el(0), el(1)], undefined);
    expect(cache.total).toBe(2);
    expect(cache.row(1)?.guid).toBe('g1');
    cache.failed(1);
    expect(cache.take([1])).toEqual([1]);
    const counted = new PageCache();
    counted.put(
      0,
      Array.from({ length: 200 }, (_, i) => el(i)),
      4000,
    );
    expect(counted.total).toBe(4000);
    expect(counted.row(250)).toBeUndefined();
  });

  it('leaves empty filters out of the query and asks the count when told', () => {
    expect(pageQuery({ ...EMPTY_CATALOGUE_FILTER, typeName: ' DataFile ' }, 3, false)).toEqual({
      connectorName: undefined,
      typeName: 'DataFile',
      qualifiedNamePrefix: undefined,
      text: undefined,
      archived: 'exclude',
      startFrom: 600,
      pageSize: 200,
    });
    expect(pageQuery(EMPTY_CATALOGUE_FILTER, 0, true).count).toBe(true);
  });

  it('lists properties by name, nested values as JSON', () => {
    expect(propertyRows({ properties: { b: { x: 1 }, a: 'text', c: 3 } } as unknown as MetadataElement)).toEqual([
      ['a', 'text'],
      ['b', '{"x":1}'],
      ['c', '3'],
    ]);
  });
});
