// Runs against a real PostgreSQL 15 started by the test harness, including stopping it under a live metadata server.
import { createHook } from 'node:async_hooks';
import { connect, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ElementInput } from '../../../electron/connector-sdk/index.js';
import { PostgresMetadataServer } from '../../../electron/engine/metadata-server/postgres.js';
import { MetadataServerUnavailableError } from '../../../electron/engine/metadata-server/types.js';
import { startPostgres, type PgServer } from '../../support/postgres.js';
import { defineMetadataServerConformance } from './conformance.js';

let server: PgServer;
let databases = 0;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.destroy();
});

async function freshDatabase(): Promise<string> {
  databases += 1;
  return server.createDatabase(`metadata_server_${databases}`);
}

/** A metadata server open on a fresh database and an admin connection to that database, both closed after `test`. */
async function withAdmin(
  test: (metadataServer: PostgresMetadataServer, admin: pg.Client) => Promise<void>,
  options?: ConstructorParameters<typeof PostgresMetadataServer>[2],
): Promise<void> {
  const connectionString = await freshDatabase();
  const metadataServer = new PostgresMetadataServer('shared-test', connectionString, options);
  await metadataServer.open();
  const admin = new pg.Client({ connectionString });
  await admin.connect();
  try {
    await test(metadataServer, admin);
  } finally {
    await admin.end();
    await metadataServer.close();
  }
}

/** Two daemons' metadata servers, open on one fresh database. */
async function twoDaemonsOnOneDatabase(): Promise<[PostgresMetadataServer, PostgresMetadataServer]> {
  const connectionString = await freshDatabase();
  const first = new PostgresMetadataServer('shared-test', connectionString);
  const second = new PostgresMetadataServer('shared-test', connectionString);
  await Promise.all([first.open(), second.open()]);
  return [first, second];
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

defineMetadataServerConformance('PostgreSQL', async () => {
  const connectionString = await freshDatabase();
  const metadataServer = new PostgresMetadataServer('shared-test', connectionString);
  return {
    metadataServer,
    reopen: () => new PostgresMetadataServer('shared-test', connectionString),
    cleanup: () => metadataServer.close(),
  };
});

describe('PostgreSQL metadata server', () => {
  /** The element table's constraints and indexes, each as `name: definition`, in name order. */
  async function elementIndexes(client: pg.Client): Promise<string[]> {
    const result = await client.query<{ line: string }>(
      `SELECT indexname || ': ' || regexp_replace(indexdef, '^.* USING ', '') AS line FROM pg_indexes
        WHERE tablename = 'metadata_elements' ORDER BY indexname`,
    );
    return result.rows.map((row) => row.line);
  }

  for (const older of [1, 2]) {
    it(`brings a schema version ${older} database up to version 3 in place, keeping its elements and dropping the guid index`, async () => {
      const connectionString = await freshDatabase();
      const first = new PostgresMetadataServer('shared-test', connectionString);
      await first.open();
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        const created = await elementIndexes(client);
        // The element table as versions 1 and 2 made it: the guid its primary key.
        await client.query('ALTER TABLE metadata_elements ADD PRIMARY KEY (guid)');
        if (older === 1) await client.query('DROP TABLE metadata_integration_groups');
        await client.query('UPDATE metadata_repository_schema SET version = $1', [older]);
        await first.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: {} }]);
        await first.close();

        const upgraded = new PostgresMetadataServer('shared-test', connectionString);
        await upgraded.open();
        expect((await client.query('SELECT max(version) AS v FROM metadata_repository_schema')).rows[0]).toEqual({ v: 3 });
        expect(await elementIndexes(client)).toEqual(created);
        expect(created).toEqual([
          'metadata_elements_by_source: btree (metadata_source, archived, qualified_name)',
          'metadata_elements_by_type: btree (type_name, qualified_name)',
          'metadata_elements_qualified_name_metadata_source_key: btree (qualified_name, metadata_source)',
        ]);
        expect(await upgraded.countElements({})).toBe(1);
        expect(await upgraded.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: { changed: true } }])).toEqual([
          'updated',
        ]);
        expect(await upgraded.createIntegrationGroup('g', { connectors: [] })).toMatchObject({ groupName: 'g', version: 1 });
        await upgraded.close();
      } finally {
        await client.end();
      }
    });
  }

  it('refuses a database written by a newer daemon, naming both schema versions', async () => {
    const connectionString = await freshDatabase();
    const first = new PostgresMetadataServer('shared-test', connectionString);
    await first.open();
    await first.close();
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      await client.query('UPDATE metadata_repository_schema SET version = 4');
      await expect(new PostgresMetadataServer('shared-test', connectionString).open()).rejects.toThrow(
        /METADATA-SERVER-500-002 .*schema version 4, newer than this daemon understands \(3\)/,
      );
    } finally {
      await client.end();
    }
  });

  it('reports a stopped server as unavailable within seconds and works again, without reopening, once it is back', async () => {
    const metadataServer = new PostgresMetadataServer('shared-test', await freshDatabase());
    await metadataServer.open();
    const element = { typeName: 'DataFile', qualifiedName: '/data/a.csv', properties: { size: 1 } };
    expect(await metadataServer.upsertElements('src', [element])).toEqual(['created']);

    await server.stop();
    try {
      for (const operation of [
        () => metadataServer.ping(),
        () => metadataServer.upsertElements('src', [element]),
        () => metadataServer.findElements({ startFrom: 0, pageSize: 10 }),
        () => metadataServer.listElementSummaries('src'),
        () => metadataServer.archiveElements('src', ['/data/a.csv']),
        () => metadataServer.upsertRelationships('src', [{ typeName: 'R', end1QualifiedName: 'a', end2QualifiedName: 'b' }]),
      ]) {
        const started = Date.now();
        const error = await failure(operation());
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(error).toBeInstanceOf(MetadataServerUnavailableError);
        expect((error as MetadataServerUnavailableError).metadataServerName).toBe('shared-test');
        expect((error as Error).message).toMatch(/^The metadata server shared-test is not available: /);
      }
    } finally {
      await server.start();
    }

    await metadataServer.ping();
    expect(await metadataServer.upsertElements('src', [element, { ...element, qualifiedName: '/data/b.csv' }])).toEqual([
      'unchanged',
      'created',
    ]);
    expect(await metadataServer.findElements({ startFrom: 0, pageSize: 10 })).toHaveLength(2);
    await metadataServer.close();
  });

  it('replaces pooled connections the server has terminated without surfacing an error', async () => {
    const connectionString = await freshDatabase();
    const metadataServer = new PostgresMetadataServer('shared-test', connectionString);
    await metadataServer.open();
    await Promise.all([metadataServer.ping(), metadataServer.ping(), metadataServer.ping()]);
    const admin = new pg.Client({ connectionString });
    await admin.connect();
    const terminated = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE application_name = 'integration-daemon' AND datname = current_database()`);
    await admin.end();
    expect(terminated.rowCount).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) {
      expect(await metadataServer.upsertElements('src', [{ typeName: 'T', qualifiedName: `q${i}`, properties: {} }])).toEqual(['created']);
    }
    await metadataServer.close();
  });

  it('goes on past every dead pooled connection to a new one, however many the pool holds', async () => {
    const relay = await startRelay(server.port);
    try {
      const connectionString = (await freshDatabase()).replace(`:${server.port}/`, `:${relay.port}/`);
      const metadataServer = new PostgresMetadataServer('shared-test', connectionString);
      await metadataServer.open();
      await Promise.all([metadataServer.ping(), metadataServer.ping(), metadataServer.ping()]);
      // Three idle pooled connections, each of which fails only when next used: one retry is not enough.
      expect(relay.cut()).toBeGreaterThanOrEqual(3);
      for (let i = 0; i < 3; i++) {
        expect(await metadataServer.upsertElements('src', [{ typeName: 'T', qualifiedName: `q${i}`, properties: {} }])).toEqual([
          'created',
        ]);
      }
      await metadataServer.close();
    } finally {
      await relay.close();
    }
  });

  it('retries on a new connection when the server drops the connection under a running call', async () => {
    await withAdmin(async (metadataServer, admin) => {
      // The first insert of 'slow' waits inside the database long enough for the test to terminate its connection.
      await admin.query(`CREATE TABLE slow_seen (n int);
      CREATE FUNCTION slow_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.qualified_name = 'slow' AND NOT EXISTS (SELECT 1 FROM slow_seen) THEN
        PERFORM pg_sleep(30); END IF; RETURN NEW; END $$;
      CREATE TRIGGER slow_once BEFORE INSERT ON metadata_elements FOR EACH ROW EXECUTE FUNCTION slow_once();`);
      const upsert = metadataServer.upsertElements('src', [{ typeName: 'T', qualifiedName: 'slow', properties: {} }]);
      let terminated = 0;
      for (let i = 0; i < 100 && terminated === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const result = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'integration-daemon' AND datname = current_database() AND wait_event = 'PgSleep'`);
        terminated = result.rowCount ?? 0;
      }
      expect(terminated).toBe(1);
      await admin.query('INSERT INTO slow_seen VALUES (1)');
      expect(await upsert).toEqual(['created']);
    });
  });

  it('fails open() while the server is down and succeeds on a later open() once it is up', async () => {
    const metadataServer = new PostgresMetadataServer('shared-test', await freshDatabase());
    await server.stop();
    try {
      expect(await failure(metadataServer.open())).toBeInstanceOf(MetadataServerUnavailableError);
      expect(await failure(metadataServer.ping())).toBeInstanceOf(MetadataServerUnavailableError);
    } finally {
      await server.start();
    }
    await metadataServer.ping();
    await metadataServer.open();
    expect(await metadataServer.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: {} }])).toEqual(['created']);
    await metadataServer.close();
  });

  it('creates the schema on first use even when open() never succeeded', async () => {
    const connectionString = await freshDatabase();
    await server.stop();
    const metadataServer = new PostgresMetadataServer('shared-test', connectionString);
    try {
      expect(await failure(metadataServer.open())).toBeInstanceOf(MetadataServerUnavailableError);
    } finally {
      await server.start();
    }
    expect(await metadataServer.upsertElements('src', [{ typeName: 'T', qualifiedName: 'q', properties: {} }])).toEqual(['created']);
    await metadataServer.close();
  });

  it('reports a server that accepts connections but never answers as unavailable after the connect timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const metadataServer = new PostgresMetadataServer('shared-test', `postgresql://postgres@127.0.0.1:${port}/x`, {
      connectTimeoutMs: 500,
    });
    try {
      const started = Date.now();
      const error = await failure(metadataServer.ping());
      expect(error).toBeInstanceOf(MetadataServerUnavailableError);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await metadataServer.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('reports nothing listening on the port as unavailable', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise((resolve) => probe.close(resolve));
    const metadataServer = new PostgresMetadataServer('shared-test', `postgresql://postgres@127.0.0.1:${port}/x`);
    const error = await failure(metadataServer.open());
    expect(error).toBeInstanceOf(MetadataServerUnavailableError);
    expect((error as Error).message).toContain('ECONNREFUSED');
    await metadataServer.close();
  });

  it('keeps errors that are not about reaching the server as ordinary errors', async () => {
    const metadataServer = new PostgresMetadataServer('shared-test', server.connectionString.replace(/\/postgres$/, '/no_such_database'));
    const error = await failure(metadataServer.open());
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(MetadataServerUnavailableError);
    expect((error as Error).message).toContain('does not exist');
    await metadataServer.close();
  });

  it('lets two daemons upsert the same batch at once without duplicates', async () => {
    const [first, second] = await twoDaemonsOnOneDatabase();
    const batch = Array.from({ length: 2_000 }, (_, i) => ({ typeName: 'T', qualifiedName: `q${i}`, properties: { i } }));
    const [a, b] = await Promise.all([first.upsertElements('src', batch), second.upsertElements('src', batch)]);
    const created = [...a, ...b].filter((o) => o === 'created').length;
    const unchanged = [...a, ...b].filter((o) => o === 'unchanged').length;
    expect([created, unchanged]).toEqual([2_000, 2_000]);
    expect(await first.listElementSummaries('src')).toHaveLength(2_000);
    await Promise.all([first.close(), second.close()]);
  });

  it('splits a large batch over several statements in one transaction', async () => {
    const connectionString = await freshDatabase();
    const metadataServer = new PostgresMetadataServer('shared-test', connectionString);
    await metadataServer.open();
    const batch = Array.from({ length: 12_000 }, (_, i) => ({
      typeName: 'T',
      qualifiedName: `q${String(i).padStart(5, '0')}`,
      properties: { i },
    }));
    const outcomes = await metadataServer.upsertElements('src', batch);
    expect(outcomes.every((o) => o === 'created')).toBe(true);
    // A trigger makes the third statement fail inside the database, after two statements have already run.
    const admin = new pg.Client({ connectionString });
    await admin.connect();
    await admin.query(`CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.qualified_name = 'boom' THEN RAISE EXCEPTION 'boom refused'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_boom BEFORE INSERT ON metadata_elements FOR EACH ROW EXECUTE FUNCTION refuse_boom();`);
    await admin.end();
    const bad = [
      ...batch.slice(0, 11_000).map((e) => ({ ...e, properties: { i: -1 } })),
      { typeName: 'T', qualifiedName: 'boom', properties: {} },
    ];
    const error = await failure(metadataServer.upsertElements('src', bad));
    expect((error as Error).message).toContain('boom refused');
    expect(error).not.toBeInstanceOf(MetadataServerUnavailableError);
    const summaries = await metadataServer.listElementSummaries('src');
    expect(summaries).toHaveLength(12_000);
    // The first two statements were rolled back with the third.
    expect((await metadataServer.findElements({ startFrom: 0, pageSize: 1 }))[0]).toMatchObject({
      qualifiedName: 'q00000',
      version: 1,
      properties: { i: 0 },
    });
    expect((await metadataServer.findElements({ startFrom: 9_999, pageSize: 1 }))[0]).toMatchObject({
      qualifiedName: 'q09999',
      version: 1,
    });
    await metadataServer.close();
  });
});

describe('PostgreSQL metadata server writing a batch a part at a time', () => {
  it('rejects an element well past the first part and keeps nothing of the parts already written', async () => {
    const metadataServer = new PostgresMetadataServer('shared-test', await freshDatabase());
    await metadataServer.open();
    const batch: ElementInput[] = Array.from({ length: 1_000 }, (_, i) => ({ typeName: 'T', qualifiedName: `q${i}`, properties: { i } }));
    batch[700] = { typeName: 'T', qualifiedName: '', properties: {} };
    const error = await failure(metadataServer.upsertElements('src', batch));
    expect((error as Error).message).toContain('element 700 of the batch from metadata source src');
    expect(await metadataServer.countElements({})).toBe(0);
    await metadataServer.close();
  });

  it('lets the last of two mentions of an element in different parts of one batch win', async () => {
    const metadataServer = new PostgresMetadataServer('shared-test', await freshDatabase());
    await metadataServer.open();
    const batch: ElementInput[] = Array.from({ length: 600 }, (_, i) => ({ typeName: 'T', qualifiedName: `q${i}`, properties: { i } }));
    batch[550] = { typeName: 'T', qualifiedName: 'q3', properties: { i: 'last' } };
    const outcomes = await metadataServer.upsertElements('src', batch);
    expect([outcomes[3], outcomes[550]]).toEqual(['created', 'updated']);
    expect(await metadataServer.findElements({ startFrom: 0, pageSize: 1, qualifiedNamePrefix: 'q3' })).toMatchObject([
      { qualifiedName: 'q3', properties: { i: 'last' }, version: 2 },
    ]);
    expect(await metadataServer.countElements({})).toBe(599);
    await metadataServer.close();
  });

  it('writes the first elements of a new source with plain inserts and falls back when another daemon wrote one meanwhile', async () => {
    const [first, second] = await twoDaemonsOnOneDatabase();
    expect(await first.upsertElements('src', [{ typeName: 'T', qualifiedName: 'a', properties: {} }])).toEqual(['created']);
    expect(await second.upsertElements('src', [{ typeName: 'T', qualifiedName: 'b', properties: { by: 'second' } }])).toEqual(['created']);
    const batch = Array.from({ length: 600 }, (_, i) => ({ typeName: 'T', qualifiedName: `n${i}`, properties: {} }));
    const outcomes = await first.upsertElements('src', [...batch, { typeName: 'T', qualifiedName: 'b', properties: { by: 'first' } }]);
    expect(outcomes.slice(0, 600).every((o) => o === 'created')).toBe(true);
    expect(outcomes[600]).toBe('updated');
    expect(await first.countElements({ metadataSource: 'src' })).toBe(602);
    expect(await first.findElements({ startFrom: 0, pageSize: 1, qualifiedNamePrefix: 'b' })).toMatchObject([
      { properties: { by: 'first' }, version: 2 },
    ]);
    // Known to have elements now: sending them again reports them unchanged.
    expect(await first.upsertElements('src', [{ typeName: 'T', qualifiedName: 'a', properties: {} }])).toEqual(['unchanged']);
    await Promise.all([first.close(), second.close()]);
  });

  it('writes a new source with COPY exactly as the upsert statement writes the same elements', async () => {
    await withAdmin(async (metadataServer, admin) => {
      // More than one part, multi-byte text, quotes and backslashes in names and properties, two types.
      const batch = Array.from({ length: 700 }, (_, i) => ({
        typeName: i % 2 === 0 ? 'DataFile' : 'T"ype',
        qualifiedName: `/data/é 😀 "${i}" \\`,
        properties: { i, text: 'a "quoted" \\ back\\slash, é', nested: { list: [i, null, true] } },
      }));
      const serverTime = async (): Promise<Date> => (await admin.query<{ t: Date }>('SELECT clock_timestamp() AS t')).rows[0]!.t;
      const before = await serverTime();
      expect(await metadataServer.upsertElements('copied', batch)).toEqual(batch.map(() => 'created'));
      const after = await serverTime();
      // A source that has an element already takes the upsert statement.
      await metadataServer.upsertElements('upserted', [{ typeName: 'T', qualifiedName: 'seed', properties: {} }]);
      expect(await metadataServer.upsertElements('upserted', batch)).toEqual(batch.map(() => 'created'));

      const pairs = await admin.query<{ same: boolean }>(
        `SELECT c.type_name = u.type_name AND c.properties = u.properties AND c.fingerprint = u.fingerprint
          AND c.version = u.version AND c.archived = u.archived AND c.create_time = c.update_time
          AND u.create_time = u.update_time AND c.version = 1 AND NOT c.archived AS same
         FROM metadata_elements c JOIN metadata_elements u USING (qualified_name)
        WHERE c.metadata_source = 'copied' AND u.metadata_source = 'upserted'`,
      );
      expect(pairs.rows).toHaveLength(batch.length);
      expect(pairs.rows.every((row) => row.same)).toBe(true);
      // One time for the whole batch, taken while it was written, as now() gives an INSERT.
      const times = await admin.query<{ t: Date }>(
        `SELECT DISTINCT create_time AS t FROM metadata_elements WHERE metadata_source = 'copied'`,
      );
      expect(times.rows).toHaveLength(1);
      const stored = times.rows[0]!;
      expect(stored.t.getTime()).toBeGreaterThanOrEqual(before.getTime());
      expect(stored.t.getTime()).toBeLessThanOrEqual(after.getTime());
      expect(await metadataServer.findElements({ startFrom: 0, pageSize: 1, metadataSource: 'copied' })).toMatchObject([
        { typeName: 'DataFile', qualifiedName: batch[0]!.qualifiedName, properties: batch[0]!.properties, version: 1, archived: false },
      ]);
    });
  });

  it('leaves no query timeout timer running after a COPY (it would keep a finished process alive for a minute)', async () => {
    // A timeout no other timer in this process uses, so the count follows pg's query timers only: other tests' pools
    // and sockets start and stop their own timers at any moment.
    const queryTimeoutMs = 60_013;
    const queryTimers = new Set<{ _idleTimeout?: number }>();
    const hook = createHook({
      init(_id, type, _trigger, resource: { _idleTimeout?: number }) {
        if (type === 'Timeout' && resource._idleTimeout === queryTimeoutMs) queryTimers.add(resource);
      },
    }).enable();
    // Node marks a cleared timer with an idle time of -1.
    const running = (): number => [...queryTimers].filter((timer) => timer._idleTimeout === queryTimeoutMs).length;
    const metadataServer = new PostgresMetadataServer('shared-test', await freshDatabase(), { queryTimeoutMs });
    try {
      await metadataServer.open();
      const batch = Array.from({ length: 10 }, (_, i) => ({ typeName: 'T', qualifiedName: `q${i}`, properties: {} }));
      expect(await metadataServer.upsertElements('src', batch)).toEqual(batch.map(() => 'created'));
      expect(queryTimers.size).toBeGreaterThan(0);
      expect(running()).toBe(0);
    } finally {
      hook.disable();
      await metadataServer.close();
    }
  });

  it('gives new elements distinct version 7 guids led by the time of writing, on both write paths', async () => {
    const metadataServer = new PostgresMetadataServer('shared-test', await freshDatabase());
    await metadataServer.open();
    const before = Date.now();
    await metadataServer.upsertElements(
      'src',
      [0, 1, 2].map((i) => ({ typeName: 'T', qualifiedName: `new-${i}`, properties: {} })),
    );
    // The source has elements now, so these go through the upsert statement.
    await metadataServer.upsertElements('src', [{ typeName: 'T', qualifiedName: 'later', properties: {} }]);
    const after = Date.now();
    const guids = (await metadataServer.findElements({ startFrom: 0, pageSize: 10 })).map((e) => e.guid);
    expect(guids).toHaveLength(4);
    expect(new Set(guids).size).toBe(4);
    for (const guid of guids) {
      expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const time = parseInt(guid.replace('-', '').slice(0, 12), 16);
      expect(time).toBeGreaterThanOrEqual(before);
      expect(time).toBeLessThanOrEqual(after);
    }
    await metadataServer.close();
  });

  it('stores quotes, backslashes, multi-byte text and a JSON-looking name exactly as sent', async () => {
    const metadataServer = new PostgresMetadataServer('shared-test', await freshDatabase());
    await metadataServer.open();
    const properties = { text: 'a "quoted" \\ back\\slash, {braces}, comma, é, 😀', nested: { list: [1, 'two', null] } };
    const qualifiedName = '{"not":"an array"}, é 😀 \\';
    expect(await metadataServer.upsertElements('src', [{ typeName: 'T"ype', qualifiedName, properties }])).toEqual(['created']);
    expect(await metadataServer.findElements({ startFrom: 0, pageSize: 5 })).toMatchObject([
      { typeName: 'T"ype', qualifiedName, properties },
    ]);
    expect(await metadataServer.upsertElements('src', [{ typeName: 'T"ype', qualifiedName, properties }])).toEqual(['unchanged']);
    await metadataServer.close();
  });
});

describe('PostgreSQL metadata server under load and dropped connections', () => {
  it('a busy pool is not an outage: callers queue for a connection instead of failing with unavailable', async () => {
    await withAdmin(
      async (metadataServer, admin) => {
        await admin.query('BEGIN');
        await admin.query('LOCK TABLE metadata_elements IN ACCESS EXCLUSIVE MODE');
        const element = (n: number) => ({ typeName: 'DataFile', qualifiedName: `/data/${n}.csv`, properties: { n } });
        // The first call holds the only connection while it waits for the lock; the second waits longer than the
        // connect timeout for that connection.
        const first = metadataServer.upsertElements('src', [element(1)]);
        const second = metadataServer.upsertElements('src', [element(2)]);
        await new Promise((r) => setTimeout(r, 1_500));
        await admin.query('COMMIT');
        expect(await first).toEqual(['created']);
        expect(await second).toEqual(['created']);
      },
      { maxConnections: 1, connectTimeoutMs: 500 },
    );
  });

  it('a connection the server kills mid-query fails that call as unavailable and never crashes the process', async () => {
    await withAdmin(
      async (metadataServer, admin) => {
        await admin.query('BEGIN');
        await admin.query('LOCK TABLE metadata_elements IN ACCESS EXCLUSIVE MODE');
        const blocked = failure(
          metadataServer.upsertElements('src', [{ typeName: 'DataFile', qualifiedName: '/data/x.csv', properties: {} }]),
        );
        await new Promise((r) => setTimeout(r, 300));
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'integration-daemon' AND pid <> pg_backend_pid()`,
        );
        await admin.query('COMMIT');
        const outcome = await blocked;
        // The retry on a fresh connection may succeed; what must not happen is an unhandled 'error' event.
        if (outcome !== undefined) expect(outcome).toBeInstanceOf(MetadataServerUnavailableError);
        expect(
          await metadataServer.upsertElements('src', [{ typeName: 'DataFile', qualifiedName: '/data/y.csv', properties: {} }]),
        ).toEqual(['created']);
      },
      { maxConnections: 1 },
    );
  });

  it('a connection the server kills while a new source is copied in fails or retries that call, and keeps nothing of it', async () => {
    await withAdmin(
      async (metadataServer, admin) => {
        const element = (n: number) => ({ typeName: 'DataFile', qualifiedName: `/data/${n}.csv`, properties: { n } });
        // The source is known to be new now, so the next batch goes straight to COPY, which waits for the lock.
        expect(await metadataServer.upsertElements('src', [element(0)])).toEqual(['created']);
        await admin.query('BEGIN');
        await admin.query('LOCK TABLE metadata_elements IN ACCESS EXCLUSIVE MODE');
        const blocked = failure(metadataServer.upsertElements('src', [element(1), element(2)]));
        await new Promise((r) => setTimeout(r, 300));
        const copying = await admin.query<{ query: string }>(
          `SELECT query FROM pg_stat_activity WHERE application_name = 'integration-daemon' AND pid <> pg_backend_pid()`,
        );
        expect(copying.rows.map((row) => row.query)).toEqual([expect.stringContaining('COPY metadata_elements')]);
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'integration-daemon' AND pid <> pg_backend_pid()`,
        );
        await admin.query('COMMIT');
        const outcome = await blocked;
        if (outcome !== undefined) expect(outcome).toBeInstanceOf(MetadataServerUnavailableError);
        // Written once by the retry on a fresh connection, or not at all.
        expect([1, 3]).toContain(await metadataServer.countElements({ metadataSource: 'src' }));
        expect(await metadataServer.upsertElements('src', [element(3)])).toEqual(['created']);
      },
      { maxConnections: 1 },
    );
  });
});

/**
 * A loopback relay to the test server whose connections can be cut so that each client learns of it only when it
 * next writes (a reset), as a pooled connection does after the server restarted while it sat idle.
 */
async function startRelay(port: number): Promise<{ port: number; cut(): number; close(): Promise<void> }> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  const relay = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    const pair = { client, upstream };
    pairs.add(pair);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('close', () => {
      upstream.destroy();
      pairs.delete(pair);
    });
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  return {
    port: (relay.address() as { port: number }).port,
    cut: () => {
      let cut = 0;
      for (const { client, upstream } of pairs) {
        upstream.unpipe(client);
        client.unpipe(upstream);
        upstream.destroy();
        // Unpiping paused the client's side; it flows again so that its next write is seen and answered by a reset.
        client.once('data', () => client.resetAndDestroy()).resume();
        cut += 1;
      }
      return cut;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const { client } of pairs) client.destroy();
        relay.close(() => resolve());
      }),
  };
}
