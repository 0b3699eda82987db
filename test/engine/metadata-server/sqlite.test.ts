import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetadataServer } from '../../../electron/engine/metadata-server/index.js';
import { SqliteMetadataServer } from '../../../electron/engine/metadata-server/sqlite.js';
import { MetadataServerUnavailableError } from '../../../electron/engine/metadata-server/types.js';
import { defineMetadataServerConformance } from './conformance.js';

const directories: string[] = [];
function tempDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'metadata-server-sqlite-'));
  directories.push(directory);
  return directory;
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

defineMetadataServerConformance('SQLite', async () => {
  const path = join(tempDirectory(), 'metadata.db');
  const metadataServer = new SqliteMetadataServer('embedded-test', path);
  return {
    metadataServer,
    reopen: () => new SqliteMetadataServer('embedded-test', path),
    cleanup: () => metadataServer.close(),
  };
});

describe('SQLite metadata server', () => {
  it('reports an unreachable file as metadata server unavailable and comes up once it can be opened', async () => {
    const directory = join(tempDirectory(), 'not-yet');
    const metadataServer = new SqliteMetadataServer('embedded-test', join(directory, 'metadata.db'));
    const error: unknown = await metadataServer.open().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MetadataServerUnavailableError);
    expect((error as MetadataServerUnavailableError).metadataServerName).toBe('embedded-test');
    expect((error as Error).message).toContain('cannot open');
    await expect(metadataServer.ping()).rejects.toBeInstanceOf(MetadataServerUnavailableError);

    mkdirSync(directory);
    await metadataServer.ping();
    expect(await metadataServer.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: {} }])).toEqual(['created']);
    await metadataServer.close();
    await expect(metadataServer.ping()).rejects.toBeInstanceOf(MetadataServerUnavailableError);
  });

  it("moves the WAL into the database file on a thread of its own, not in the writer's commits", async () => {
    const path = join(tempDirectory(), 'metadata.db');
    const metadataServer = new SqliteMetadataServer('embedded-test', path);
    await metadataServer.open();
    const before = statSync(path).size;
    const elements = Array.from({ length: 2_000 }, (_, i) => ({ typeName: 'T', qualifiedName: `q${i}`, properties: { n: i } }));
    await metadataServer.upsertElements('src', elements);
    // The commit left its pages in the WAL: the writer no longer checkpoints (far below its fallback threshold anyway).
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    const deadline = Date.now() + 10_000;
    while (statSync(path).size <= before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(statSync(path).size).toBeGreaterThan(before);
    expect((await metadataServer.findElements({ typeName: 'T', startFrom: 0, pageSize: 5_000 })).length).toBe(2_000);
    await metadataServer.close();
  });

  it('names a damaged file and the fix instead of crashing', async () => {
    const path = join(tempDirectory(), 'metadata.db');
    writeFileSync(path, 'this is not a database, just some text that is long enough to look like a header......');
    const metadataServer = new SqliteMetadataServer('embedded-test', path);
    await expect(metadataServer.open()).rejects.toThrow(/INTEGRATION-DAEMON-METADATA-SERVER-500-001 .*damaged.*move the file aside/);
  });

  it('refuses a file written by a newer schema', async () => {
    const path = join(tempDirectory(), 'metadata.db');
    const metadataServer = new SqliteMetadataServer('embedded-test', path);
    await metadataServer.open();
    await metadataServer.close();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    await expect(new SqliteMetadataServer('embedded-test', path).open()).rejects.toThrow(/METADATA-SERVER-500-002 .*version 99/);
  });

  it('brings a schema version 2 file up to the current version with the integration groups table, keeping its elements', async () => {
    const path = join(tempDirectory(), 'metadata.db');
    const metadataServer = new SqliteMetadataServer('embedded-test', path);
    await metadataServer.open();
    await metadataServer.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: {} }]);
    await metadataServer.close();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path);
    db.exec('DROP TABLE integration_groups');
    db.pragma('user_version = 2');
    db.close();
    const upgraded = new SqliteMetadataServer('embedded-test', path);
    await upgraded.open();
    expect(await upgraded.countElements({})).toBe(1);
    expect(await upgraded.createIntegrationGroup('g', { connectors: [] })).toMatchObject({ groupName: 'g', version: 1 });
    await upgraded.close();
    const check = new Database(path);
    expect(check.pragma('user_version', { simple: true })).toBe(4);
    check.close();
  });

  it('brings a schema version 3 file up to version 4 without the guid index, keeping its elements and their guids', async () => {
    const path = join(tempDirectory(), 'metadata.db');
    const created = new SqliteMetadataServer('embedded-test', path);
    await created.upsertElements('src', [
      { typeName: 'T', qualifiedName: 'q', properties: { v: 1 } },
      { typeName: 'U', qualifiedName: 'r', properties: {} },
    ]);
    await created.archiveElements('src', ['r']);
    const before = await created.findElements({ includeArchived: true, startFrom: 0, pageSize: 10 });
    await created.close();
    const Database = (await import('better-sqlite3')).default;
    // The same rows in the elements table as schema version 3 wrote it: its guid UNIQUE, so SQLite kept an index of guids.
    const db = new Database(path);
    db.exec(`ALTER TABLE elements RENAME TO elements_v4;
      CREATE TABLE elements (
        element_id INTEGER PRIMARY KEY, guid TEXT NOT NULL UNIQUE, metadata_source TEXT NOT NULL, qualified_name TEXT NOT NULL,
        type_name TEXT NOT NULL, properties TEXT NOT NULL, fingerprint TEXT NOT NULL, create_time INTEGER NOT NULL,
        update_time INTEGER NOT NULL, archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
        version INTEGER NOT NULL DEFAULT 1, UNIQUE (qualified_name, metadata_source));
      INSERT INTO elements SELECT * FROM elements_v4;
      DROP TABLE elements_v4;
      CREATE INDEX elements_by_source ON elements (metadata_source, archived, qualified_name);
      CREATE INDEX elements_by_type ON elements (type_name, qualified_name);`);
    db.pragma('user_version = 3');
    db.close();

    const upgraded = new SqliteMetadataServer('embedded-test', path);
    await upgraded.open();
    expect(await upgraded.findElements({ includeArchived: true, startFrom: 0, pageSize: 10 })).toEqual(before);
    expect(await upgraded.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: { v: 1 } }])).toEqual(['unchanged']);
    expect(await upgraded.findElements({ typeName: 'U', includeArchived: true, startFrom: 0, pageSize: 10 })).toHaveLength(1);
    await upgraded.close();
    const check = new Database(path);
    expect(check.pragma('user_version', { simple: true })).toBe(4);
    const indexed = (check.pragma('index_list(elements)') as { name: string }[]).map((index) =>
      (check.pragma(`index_info(${index.name})`) as { name: string }[]).map((column) => column.name),
    );
    expect(indexed).not.toContainEqual(['guid']);
    expect(indexed).toHaveLength(3);
    check.close();
  });

  it('writes a new file in 8 KiB pages and keeps the 4 KiB pages and the elements of a file written before', async () => {
    const Database = (await import('better-sqlite3')).default;
    const fresh = join(tempDirectory(), 'metadata.db');
    const created = new SqliteMetadataServer('embedded-test', fresh);
    await created.open();
    await created.close();
    const checkFresh = new Database(fresh);
    expect(checkFresh.pragma('page_size', { simple: true })).toBe(8192);
    checkFresh.close();

    const older = join(tempDirectory(), 'metadata.db');
    const first = new SqliteMetadataServer('embedded-test', older);
    await first.open();
    await first.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: { v: 1 } }]);
    await first.close();
    // A file as an earlier daemon wrote it: the same schema in SQLite's default 4 KiB pages.
    const rewrite = new Database(older);
    rewrite.pragma('journal_mode = DELETE');
    rewrite.pragma('page_size = 4096');
    rewrite.exec('VACUUM');
    rewrite.close();
    const reopened = new SqliteMetadataServer('embedded-test', older);
    await reopened.open();
    expect(await reopened.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: { v: 1 } }])).toEqual(['unchanged']);
    expect(await reopened.upsertElements('src', [{ typeName: 'T', qualifiedName: 'r', properties: {} }])).toEqual(['created']);
    expect(await reopened.countElements({})).toBe(2);
    await reopened.close();
    const checkOlder = new Database(older);
    expect(checkOlder.pragma('page_size', { simple: true })).toBe(4096);
    checkOlder.close();
  });

  it('createMetadataServer resolves a relative embedded path against the base directory and creates its parent', async () => {
    const base = tempDirectory();
    const metadataServer = createMetadataServer({ name: 'local', kind: 'embedded', path: 'state/deep/metadata.db' }, base);
    expect(metadataServer).toBeInstanceOf(SqliteMetadataServer);
    expect(metadataServer.kind).toBe('embedded');
    expect(metadataServer.name).toBe('local');
    expect((metadataServer as SqliteMetadataServer).path).toBe(join(base, 'state/deep/metadata.db'));
    await metadataServer.open();
    await metadataServer.ping();
    await metadataServer.close();

    const absolute = join(tempDirectory(), 'abs.db');
    expect((createMetadataServer({ name: 'x', kind: 'embedded', path: absolute }, base) as SqliteMetadataServer).path).toBe(absolute);
    expect(createMetadataServer({ name: 'pg', kind: 'postgres', connectionString: 'postgresql://127.0.0.1:1/x' }, base).kind).toBe(
      'postgres',
    );
  });

  it('createMetadataServer names an embedded path whose directory cannot be created', () => {
    const base = tempDirectory();
    writeFileSync(join(base, 'a-file'), 'not a directory');
    expect(() => createMetadataServer({ name: 'local', kind: 'embedded', path: 'a-file/metadata.db' }, base)).toThrow(
      /INTEGRATION-DAEMON-METADATA-SERVER-400-008 .*metadata server local.*Set metadataServer.path/,
    );
  });

  it('sees the writes of another metadata server object on the same file', async () => {
    const path = join(tempDirectory(), 'metadata.db');
    const first = new SqliteMetadataServer('embedded-test', path);
    const second = new SqliteMetadataServer('embedded-test', path);
    await first.open();
    await second.open();
    expect(await first.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: { v: 1 } }])).toEqual(['created']);
    expect(await second.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: { v: 1 } }])).toEqual(['unchanged']);
    expect(await second.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: { v: 2 } }])).toEqual(['updated']);
    expect(await first.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: { v: 2 } }])).toEqual(['unchanged']);
    await first.close();
    await second.close();
  });

  it('gives exact outcomes when rows written many to a statement meet rows already there or named twice', async () => {
    const metadataServer = new SqliteMetadataServer('embedded-test', join(tempDirectory(), 'metadata.db'));
    const element = (i: number, v = 1) => ({ typeName: 'T', qualifiedName: `q${String(i).padStart(4, '0')}`, properties: { v } });
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    try {
      // All new: written many rows at a time, and a tail one by one.
      expect(
        await metadataServer.upsertElements(
          'src',
          range(0, 250).map((i) => element(i)),
        ),
      ).toEqual(range(0, 250).map(() => 'created'));
      // Rows already there in the middle of a block of new ones, one of them changed, and a name given twice.
      const batch = [
        ...range(250, 400).map((i) => element(i)),
        element(120),
        element(121, 2),
        element(399, 3),
        ...range(400, 450).map((i) => element(i)),
      ];
      const outcomes = await metadataServer.upsertElements('src', batch);
      expect(outcomes.filter((o) => o === 'created')).toHaveLength(200);
      expect(outcomes.slice(150, 153)).toEqual(['unchanged', 'updated', 'updated']);
      expect(await metadataServer.countElements({ metadataSource: 'src' })).toBe(450);
      const [changed] = await metadataServer.findElements({
        metadataSource: 'src',
        qualifiedNamePrefix: 'q0121',
        startFrom: 0,
        pageSize: 1,
      });
      expect(changed?.properties).toEqual({ v: 2 });
      expect(changed?.version).toBe(2);
      // New again after rows that were not: still exact.
      expect(
        await metadataServer.upsertElements(
          'src',
          range(450, 700).map((i) => element(i)),
        ),
      ).toEqual(range(450, 700).map(() => 'created'));
      expect(
        await metadataServer.upsertElements(
          'src',
          range(0, 700).map((i) => element(i)),
        ),
      ).toEqual(range(0, 700).map((i) => (i === 121 || i === 399 ? 'updated' : 'unchanged')));
    } finally {
      await metadataServer.close();
    }
  });
});
