import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRepository } from '../../../electron/engine/metadata-server/index.js';
import { SqliteMetadataRepository } from '../../../electron/engine/metadata-server/sqlite.js';
import { MetadataServerUnavailableError } from '../../../electron/engine/metadata-server/types.js';
import { defineRepositoryConformance } from './conformance.js';

const directories: string[] = [];
function tempDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'repository-sqlite-'));
  directories.push(directory);
  return directory;
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

defineRepositoryConformance('SQLite', async () => {
  const path = join(tempDirectory(), 'metadata.db');
  const repository = new SqliteMetadataRepository('embedded-test', path);
  return {
    repository,
    reopen: () => new SqliteMetadataRepository('embedded-test', path),
    cleanup: () => repository.close(),
  };
});

describe('SQLite metadata repository', () => {
  it('reports an unreachable file as metadata server unavailable and comes up once it can be opened', async () => {
    const directory = join(tempDirectory(), 'not-yet');
    const repository = new SqliteMetadataRepository('embedded-test', join(directory, 'metadata.db'));
    const error: unknown = await repository.open().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MetadataServerUnavailableError);
    expect((error as MetadataServerUnavailableError).metadataServerName).toBe('embedded-test');
    expect((error as Error).message).toContain('cannot open');
    await expect(repository.ping()).rejects.toBeInstanceOf(MetadataServerUnavailableError);

    mkdirSync(directory);
    await repository.ping();
    expect(await repository.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: {} }])).toEqual(['created']);
    await repository.close();
    await expect(repository.ping()).rejects.toBeInstanceOf(MetadataServerUnavailableError);
  });

  it('names a damaged file and the fix instead of crashing', async () => {
    const path = join(tempDirectory(), 'metadata.db');
    writeFileSync(path, 'this is not a database, just some text that is long enough to look like a header......');
    const repository = new SqliteMetadataRepository('embedded-test', path);
    await expect(repository.open()).rejects.toThrow(/INTEGRATION-DAEMON-REPOSITORY-500-001 .*damaged.*move the file aside/);
  });

  it('refuses a file written by a newer schema', async () => {
    const path = join(tempDirectory(), 'metadata.db');
    const repository = new SqliteMetadataRepository('embedded-test', path);
    await repository.open();
    await repository.close();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    await expect(new SqliteMetadataRepository('embedded-test', path).open()).rejects.toThrow(/REPOSITORY-500-002 .*version 99/);
  });

  it('createRepository resolves a relative embedded path against the base directory and creates its parent', async () => {
    const base = tempDirectory();
    const repository = createRepository({ name: 'local', kind: 'embedded', path: 'state/deep/metadata.db' }, base);
    expect(repository).toBeInstanceOf(SqliteMetadataRepository);
    expect(repository.kind).toBe('embedded');
    expect(repository.name).toBe('local');
    expect((repository as SqliteMetadataRepository).path).toBe(join(base, 'state/deep/metadata.db'));
    await repository.open();
    await repository.ping();
    await repository.close();

    const absolute = join(tempDirectory(), 'abs.db');
    expect((createRepository({ name: 'x', kind: 'embedded', path: absolute }, base) as SqliteMetadataRepository).path).toBe(absolute);
    expect(createRepository({ name: 'pg', kind: 'postgres', connectionString: 'postgresql://127.0.0.1:1/x' }, base).kind).toBe('postgres');
  });

  it('createRepository names an embedded path whose directory cannot be created', () => {
    const base = tempDirectory();
    writeFileSync(join(base, 'a-file'), 'not a directory');
    expect(() => createRepository({ name: 'local', kind: 'embedded', path: 'a-file/metadata.db' }, base)).toThrow(
      /INTEGRATION-DAEMON-REPOSITORY-400-008 .*metadata server local.*Set metadataServer.path/,
    );
  });

  it('sees the writes of another repository object on the same file', async () => {
    const path = join(tempDirectory(), 'metadata.db');
    const first = new SqliteMetadataRepository('embedded-test', path);
    const second = new SqliteMetadataRepository('embedded-test', path);
    await first.open();
    await second.open();
    expect(await first.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: { v: 1 } }])).toEqual(['created']);
    expect(await second.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: { v: 1 } }])).toEqual(['unchanged']);
    expect(await second.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: { v: 2 } }])).toEqual(['updated']);
    expect(await first.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: { v: 2 } }])).toEqual(['unchanged']);
    await first.close();
    await second.close();
  });
});
