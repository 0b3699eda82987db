// The one behaviour both metadata server backends must share. Each backend's test file calls
// defineMetadataServerConformance with a factory that hands out a fresh, empty metadata server per test.
import { afterEach, describe, expect, it } from 'vitest';
import {
  InvalidMetadataRequestError,
  type MetadataRelationship,
  type MetadataServer,
} from '../../../electron/engine/metadata-server/types.js';
import { defineIntegrationGroupConformance } from './group-conformance.js';
import { propertiesFingerprint, type ElementInput } from '../../../electron/connector-sdk/index.js';

export type InspectableMetadataServer = MetadataServer & {
  listRelationships(metadataSource: string): Promise<MetadataRelationship[]>;
};

export interface ConformanceTarget {
  metadataServer: InspectableMetadataServer;
  /** A second metadata server object on the same storage, as after a daemon restart. */
  reopen(): InspectableMetadataServer;
  cleanup(): Promise<void>;
}

const file = (name: string, size: number): ElementInput => ({
  typeName: 'DataFile',
  qualifiedName: `/data/${name}`,
  properties: { name, size },
});

async function all(metadataServer: MetadataServer, includeArchived = false) {
  return metadataServer.findElements({ startFrom: 0, pageSize: 10_000, includeArchived });
}

/** Code point order, which both backends use (SQLite BINARY, PostgreSQL "C"); JS sort is UTF-16 order. */
function byCodePoint(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return x.length - y.length;
}

async function rejection(promise: Promise<unknown>): Promise<InvalidMetadataRequestError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidMetadataRequestError);
  return error as InvalidMetadataRequestError;
}

export function defineMetadataServerConformance(backend: string, create: () => Promise<ConformanceTarget>): void {
  describe(`metadata server conformance: ${backend}`, () => {
    const targets: ConformanceTarget[] = [];
    const fresh = async (): Promise<InspectableMetadataServer> => {
      const target = await create();
      targets.push(target);
      await target.metadataServer.open();
      return target.metadataServer;
    };
    afterEach(async () => {
      for (const target of targets.splice(0)) await target.cleanup();
    });

    defineIntegrationGroupConformance(fresh, () => {
      const target = targets.at(-1);
      if (target === undefined) throw new Error('reopen before fresh');
      return target.reopen();
    });

    it('filters the catalogue by source, archived (exclude, include, only) and text in names and values, and counts', async () => {
      const metadataServer = await fresh();
      await metadataServer.upsertElements('one', [file('Alpha.csv', 1), file('beta.csv', 2), file('gamma.csv', 3)]);
      await metadataServer.upsertElements('two', [
        { typeName: 'DataFile', qualifiedName: '/other/x', properties: { owner: 'ALPHA team' } },
        { typeName: 'DataFolder', qualifiedName: '/other', properties: { name: 'other' } },
      ]);
      await metadataServer.archiveElements('one', ['/data/gamma.csv']);
      const names = async (query: Parameters<MetadataServer['findElements']>[0]) =>
        (await metadataServer.findElements(query)).map((e) => e.qualifiedName);
      expect(await names({ startFrom: 0, pageSize: 10, metadataSource: 'one' })).toEqual(['/data/Alpha.csv', '/data/beta.csv']);
      expect(await names({ startFrom: 0, pageSize: 10, metadataSource: 'one', archived: 'only' })).toEqual(['/data/gamma.csv']);
      expect(await names({ startFrom: 0, pageSize: 10, metadataSource: 'one', archived: 'include' })).toHaveLength(3);
      expect(await names({ startFrom: 0, pageSize: 10, text: 'alpha' })).toEqual(['/data/Alpha.csv', '/other/x']);
      expect(await names({ startFrom: 0, pageSize: 10, text: 'name' })).toEqual([]);
      expect(await names({ startFrom: 1, pageSize: 1, metadataSource: 'one' })).toEqual(['/data/beta.csv']);
      expect(await metadataServer.countElements({ metadataSource: 'one' })).toBe(2);
      expect(await metadataServer.countElements({ archived: 'include' })).toBe(5);
      expect(await metadataServer.countElements({ typeName: 'DataFolder', text: 'OTHER' })).toBe(1);
      expect(await metadataServer.countLiveElements(['one', 'two', 'none'])).toEqual(
        new Map([
          ['one', 2],
          ['two', 2],
          ['none', 0],
        ]),
      );
      expect(await metadataServer.countLiveElements()).toEqual(
        new Map([
          ['one', 2],
          ['two', 2],
        ]),
      );
    });

    it('creates new elements, leaves identical ones unchanged and updates changed ones', async () => {
      const metadataServer = await fresh();
      expect(await metadataServer.upsertElements('src', [file('a.csv', 1), file('b.csv', 2), file('c.csv', 3)])).toEqual([
        'created',
        'created',
        'created',
      ]);
      const [before] = await metadataServer.findElements({ startFrom: 0, pageSize: 1 });
      expect(before).toMatchObject({
        qualifiedName: '/data/a.csv',
        typeName: 'DataFile',
        metadataSource: 'src',
        version: 1,
        archived: false,
        properties: { name: 'a.csv', size: 1 },
      });
      expect(before?.guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

      await new Promise((r) => setTimeout(r, 5));
      expect(await metadataServer.upsertElements('src', [file('a.csv', 1), file('b.csv', 2), file('c.csv', 3)])).toEqual([
        'unchanged',
        'unchanged',
        'unchanged',
      ]);
      const [same] = await metadataServer.findElements({ startFrom: 0, pageSize: 1 });
      expect(same).toEqual(before);

      expect(await metadataServer.upsertElements('src', [file('a.csv', 100), file('b.csv', 2)])).toEqual(['updated', 'unchanged']);
      const [after] = await metadataServer.findElements({ startFrom: 0, pageSize: 1 });
      expect(after).toMatchObject({ guid: before?.guid, createTime: before?.createTime, version: 2, properties: { size: 100 } });
      expect(Date.parse(after?.updateTime ?? '')).toBeGreaterThan(Date.parse(before?.updateTime ?? ''));

      expect(await metadataServer.upsertElements('src', [{ ...file('b.csv', 2), typeName: 'CSVFile' }])).toEqual(['updated']);
      expect(await metadataServer.upsertElements('src', [])).toEqual([]);
    });

    it('never duplicates an element when a batch is sent again or names it twice', async () => {
      const metadataServer = await fresh();
      const batch = Array.from({ length: 50 }, (_, i) => file(`f${String(i).padStart(2, '0')}.csv`, i));
      for (let round = 0; round < 3; round++) await metadataServer.upsertElements('src', batch);
      expect(await all(metadataServer)).toHaveLength(50);
      expect(await metadataServer.listElementSummaries('src')).toHaveLength(50);

      expect(await metadataServer.upsertElements('src', [file('twice.csv', 1), file('twice.csv', 2), file('twice.csv', 2)])).toEqual([
        'created',
        'updated',
        'unchanged',
      ]);
      const twice = (await all(metadataServer)).filter((e) => e.qualifiedName === '/data/twice.csv');
      expect(twice).toHaveLength(1);
      expect(twice[0]).toMatchObject({ version: 2, properties: { size: 2 } });
    });

    it('archives elements, hides them by default and un-archives them when they are sent again', async () => {
      const metadataServer = await fresh();
      await metadataServer.upsertElements('src', [file('a', 1), file('b', 2), file('c', 3)]);
      expect(await metadataServer.archiveElements('src', ['/data/a', '/data/b', '/data/unknown'])).toBe(2);
      expect(await metadataServer.archiveElements('src', ['/data/a'])).toBe(0);

      expect((await all(metadataServer)).map((e) => e.qualifiedName)).toEqual(['/data/c']);
      const withArchived = await all(metadataServer, true);
      expect(withArchived.map((e) => [e.qualifiedName, e.archived, e.version])).toEqual([
        ['/data/a', true, 2],
        ['/data/b', true, 2],
        ['/data/c', false, 1],
      ]);
      expect((await metadataServer.listElementSummaries('src')).map((s) => s.qualifiedName)).toEqual(['/data/c']);
      expect((await metadataServer.listElementSummaries('src', { includeArchived: true })).map((s) => s.archived)).toEqual([
        true,
        true,
        false,
      ]);

      expect(await metadataServer.upsertElements('src', [file('a', 1), file('b', 2)])).toEqual(['updated', 'updated']);
      expect((await all(metadataServer)).map((e) => [e.qualifiedName, e.archived, e.version])).toEqual([
        ['/data/a', false, 3],
        ['/data/b', false, 3],
        ['/data/c', false, 1],
      ]);
      expect(await metadataServer.archiveElements('src', [])).toBe(0);
    });

    it('keeps the same qualifiedName from two metadata sources as two elements', async () => {
      const metadataServer = await fresh();
      expect(await metadataServer.upsertElements('connector-1', [file('shared.csv', 1)])).toEqual(['created']);
      expect(await metadataServer.upsertElements('connector-2', [file('shared.csv', 1)])).toEqual(['created']);
      const elements = await all(metadataServer);
      expect(elements.map((e) => e.metadataSource)).toEqual(['connector-1', 'connector-2']);
      expect(new Set(elements.map((e) => e.guid)).size).toBe(2);

      expect(await metadataServer.archiveElements('connector-1', ['/data/shared.csv'])).toBe(1);
      expect((await metadataServer.listElementSummaries('connector-2')).map((s) => s.archived)).toEqual([false]);
      expect(await metadataServer.findElements({ startFrom: 0, pageSize: 10, metadataSource: 'connector-1' })).toEqual([]);
      expect(await metadataServer.findElements({ startFrom: 0, pageSize: 10, metadataSource: 'connector-2' })).toHaveLength(1);
    });

    it('pages through elements in qualifiedName order', async () => {
      const metadataServer = await fresh();
      const names = Array.from({ length: 25 }, (_, i) => `n${String((i * 7) % 25).padStart(2, '0')}`);
      await metadataServer.upsertElements(
        'src',
        names.map((n) => file(n, 0)),
      );
      const pages: string[][] = [];
      for (let startFrom = 0; startFrom < 30; startFrom += 10) {
        pages.push((await metadataServer.findElements({ startFrom, pageSize: 10 })).map((e) => e.qualifiedName));
      }
      expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
      expect(pages.flat()).toEqual([...names].sort().map((n) => `/data/${n}`));
      expect(await metadataServer.findElements({ startFrom: 25, pageSize: 10 })).toEqual([]);
    });

    it('orders and matches prefixes by code point, with % and _ as ordinary characters', async () => {
      const metadataServer = await fresh();
      const names = ['a%b/x', 'a_b/y', 'axb/z', 'a%bc', 'A%b', 'a%', 'é/1', 'z/1', '😀/1', '\uffee/1', 'a\\b'];
      await metadataServer.upsertElements(
        'src',
        names.map((qualifiedName) => ({ typeName: 'T', qualifiedName, properties: {} })),
      );
      const find = async (qualifiedNamePrefix: string) =>
        (await metadataServer.findElements({ startFrom: 0, pageSize: 100, qualifiedNamePrefix })).map((e) => e.qualifiedName);

      expect(await find('')).toEqual([...names].sort(byCodePoint));
      expect(await find('a%b')).toEqual(['a%b/x', 'a%bc']);
      expect(await find('a_')).toEqual(['a_b/y']);
      expect(await find('a%')).toEqual(['a%', 'a%b/x', 'a%bc']);
      expect(await find('a\\')).toEqual(['a\\b']);
      expect(await find('😀')).toEqual(['😀/1']);
      expect(await find('\uffee')).toEqual(['\uffee/1']);
      expect(await find('nothing')).toEqual([]);
      expect((await metadataServer.listElementSummaries('src', { qualifiedNamePrefix: 'a_' })).map((s) => s.qualifiedName)).toEqual([
        'a_b/y',
      ]);
    });

    it('filters by typeName and metadataSource', async () => {
      const metadataServer = await fresh();
      await metadataServer.upsertElements('s1', [file('a', 1), { typeName: 'DataFolder', qualifiedName: '/data', properties: {} }]);
      await metadataServer.upsertElements('s2', [file('b', 1)]);
      const find = async (filter: { typeName?: string; metadataSource?: string }) =>
        (await metadataServer.findElements({ startFrom: 0, pageSize: 100, ...filter })).map(
          (e) => `${e.metadataSource}:${e.qualifiedName}`,
        );
      expect(await find({ typeName: 'DataFile' })).toEqual(['s1:/data/a', 's2:/data/b']);
      expect(await find({ typeName: 'DataFolder' })).toEqual(['s1:/data']);
      expect(await find({ metadataSource: 's2' })).toEqual(['s2:/data/b']);
      expect(await find({ metadataSource: 's1', typeName: 'DataFile' })).toEqual(['s1:/data/a']);
      expect((await metadataServer.listElementSummaries('s1', { typeName: 'DataFolder' })).map((s) => s.qualifiedName)).toEqual(['/data']);
    });

    it('takes the sources under a prefix beside the source itself (a connector and its catalog targets), and only with it', async () => {
      const metadataServer = await fresh();
      await metadataServer.upsertElements('c1', [file('own', 1)]);
      await metadataServer.upsertElements('c1::t::a', [file('a', 1)]);
      await metadataServer.upsertElements('c1::t::b', [file('b', 1)]);
      await metadataServer.upsertElements('c10', [file('other', 1)]);
      const filter = { metadataSource: 'c1', metadataSourcePrefix: 'c1::t::' };
      const found = await metadataServer.findElements({ startFrom: 0, pageSize: 100, ...filter });
      expect(found.map((e) => `${e.metadataSource}:${e.qualifiedName}`)).toEqual(['c1::t::a:/data/a', 'c1::t::b:/data/b', 'c1:/data/own']);
      expect(await metadataServer.countElements(filter)).toBe(3);
      expect(await metadataServer.countElements({ metadataSourcePrefix: 'c1::t::' })).toBe(4);
    });

    it('upserts relationships idempotently', async () => {
      const metadataServer = await fresh();
      await metadataServer.upsertElements('src', [file('a', 1), { typeName: 'DataFolder', qualifiedName: '/data', properties: {} }]);
      const link = { typeName: 'NestedFile', end1QualifiedName: '/data', end2QualifiedName: '/data/a' };
      expect(await metadataServer.upsertRelationships('src', [link, { ...link, typeName: 'Other' }])).toEqual(['created', 'created']);
      expect(await metadataServer.upsertRelationships('src', [link, { ...link, typeName: 'Other', properties: {} }])).toEqual([
        'unchanged',
        'unchanged',
      ]);
      expect(await metadataServer.upsertRelationships('src', [{ ...link, properties: { weight: 2 } }])).toEqual(['updated']);
      expect(await metadataServer.upsertRelationships('src', [link, link])).toEqual(['updated', 'unchanged']);
      expect(await metadataServer.upsertRelationships('other-source', [link])).toEqual(['created']);

      const stored = await metadataServer.listRelationships('src');
      expect(stored.map((r) => [r.typeName, r.end1QualifiedName, r.end2QualifiedName, r.version, r.properties])).toEqual([
        ['NestedFile', '/data', '/data/a', 3, {}],
        ['Other', '/data', '/data/a', 1, {}],
      ]);
      expect(await metadataServer.listRelationships('other-source')).toHaveLength(1);
    });

    it('computes the same fingerprint whatever the key order', async () => {
      const metadataServer = await fresh();
      const one = { b: 2, a: { y: [1, { q: 1, p: 2 }], x: 'text' }, d: new Date(Date.UTC(2024, 0, 2)) };
      const other = { d: '2024-01-02T00:00:00.000Z', a: { x: 'text', y: [1, { p: 2, q: 1 }] }, b: 2, skipped: undefined };
      expect(await metadataServer.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: one }])).toEqual(['created']);
      expect(await metadataServer.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: other }])).toEqual(['unchanged']);
      const [summary] = await metadataServer.listElementSummaries('src');
      expect(summary?.fingerprint).toBe(propertiesFingerprint(other));
      expect(propertiesFingerprint(one)).not.toBe(propertiesFingerprint({ ...one, b: 3 }));
      const [element] = await all(metadataServer);
      expect(element?.properties).toEqual({ a: { x: 'text', y: [1, { p: 2, q: 1 }] }, b: 2, d: '2024-01-02T00:00:00.000Z' });
    });

    it('rejects bad input with a message id and writes nothing of the batch', async () => {
      const metadataServer = await fresh();
      const empty = await rejection(
        metadataServer.upsertElements('src', [file('ok', 1), { typeName: 'T', qualifiedName: '', properties: {} }]),
      );
      expect(empty.messageId).toBe('INTEGRATION-DAEMON-METADATA-SERVER-400-001');
      expect(empty.message).toContain('element 1 of the batch from metadata source src');
      expect(empty.userAction).toMatch(/non-empty qualifiedName/);
      expect(await all(metadataServer)).toEqual([]);

      const badType = await rejection(metadataServer.upsertElements('src', [{ typeName: ' ', qualifiedName: 'q', properties: {} }]));
      expect(badType.messageId).toBe('INTEGRATION-DAEMON-METADATA-SERVER-400-002');
      const notANumber = await rejection(
        metadataServer.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: { size: { n: NaN } } }]),
      );
      expect(notANumber.messageId).toBe('INTEGRATION-DAEMON-METADATA-SERVER-400-003');
      expect(notANumber.message).toContain('properties of element "q".size.n is NaN');
      const cycle: Record<string, unknown> = {};
      cycle.self = cycle;
      expect(
        (await rejection(metadataServer.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: cycle }]))).message,
      ).toContain('cycle');
      expect(
        (await rejection(metadataServer.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: { m: new Map() } }])))
          .message,
      ).toContain('is a Map');
      expect(
        (await rejection(metadataServer.upsertElements('src', [{ typeName: 'T', qualifiedName: 'a\u0000b', properties: {} }]))).message,
      ).toContain('NUL character');
      expect(
        (await rejection(metadataServer.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: { s: 'x\ud800' } }])))
          .message,
      ).toContain('surrogate');
      const long = await rejection(
        metadataServer.upsertElements('src', [{ typeName: 'T', qualifiedName: 'é'.repeat(1001), properties: {} }]),
      );
      expect(long.message).toContain('2002 bytes long in UTF-8; the limit is 2000');
      expect((await rejection(metadataServer.findElements({ startFrom: 0, pageSize: 1, qualifiedNamePrefix: '\u0000' }))).messageId).toBe(
        'INTEGRATION-DAEMON-METADATA-SERVER-400-009',
      );
      expect((await rejection(metadataServer.upsertElements('', [file('a', 1)]))).messageId).toBe(
        'INTEGRATION-DAEMON-METADATA-SERVER-400-004',
      );
      expect((await rejection(metadataServer.findElements({ startFrom: -1, pageSize: 10 }))).messageId).toBe(
        'INTEGRATION-DAEMON-METADATA-SERVER-400-005',
      );
      expect((await rejection(metadataServer.findElements({ startFrom: 0, pageSize: 0 }))).messageId).toBe(
        'INTEGRATION-DAEMON-METADATA-SERVER-400-005',
      );
      expect(
        (await rejection(metadataServer.upsertRelationships('src', [{ typeName: 'R', end1QualifiedName: 'a', end2QualifiedName: '' }])))
          .messageId,
      ).toBe('INTEGRATION-DAEMON-METADATA-SERVER-400-006');
      expect((await rejection(metadataServer.archiveElements('src', ['']))).messageId).toBe('INTEGRATION-DAEMON-METADATA-SERVER-400-001');
      expect(await all(metadataServer, true)).toEqual([]);
    });

    it('keeps everything for the next metadata server object on the same storage', async () => {
      const target = await create();
      targets.push(target);
      await target.metadataServer.open();
      await target.metadataServer.upsertElements('src', [file('kept', 1)]);
      await target.metadataServer.upsertRelationships('src', [
        { typeName: 'R', end1QualifiedName: '/data', end2QualifiedName: '/data/kept' },
      ]);
      await target.metadataServer.close();

      const reopened = target.reopen();
      await reopened.open();
      try {
        expect(await reopened.upsertElements('src', [file('kept', 1)])).toEqual(['unchanged']);
        expect((await all(reopened)).map((e) => e.qualifiedName)).toEqual(['/data/kept']);
        expect(await reopened.listRelationships('src')).toHaveLength(1);
      } finally {
        await reopened.close();
      }
    });

    it('stores qualifiedNames up to the documented limit', async () => {
      const metadataServer = await fresh();
      const longest = `/${'d'.repeat(998)}/${'é'.repeat(500)}`;
      expect(await metadataServer.upsertElements('src', [{ typeName: 'T', qualifiedName: longest, properties: {} }])).toEqual(['created']);
      expect((await metadataServer.findElements({ startFrom: 0, pageSize: 1, qualifiedNamePrefix: longest }))[0]?.qualifiedName).toBe(
        longest,
      );
    });

    it('opens twice without harm and pings', async () => {
      const metadataServer = await fresh();
      await metadataServer.open();
      await metadataServer.ping();
      expect(await metadataServer.upsertElements('src', [file('a', 1)])).toEqual(['created']);
    });
  });
}
