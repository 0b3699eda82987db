// The error source is known from the client a call went through, never guessed from the text.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../shared/logic/clock.js';
import { ConcurrencyLimit } from '../../../electron/engine/metadata-server/concurrency-limit.js';
import { createConnectorContext, errorSource, type ContextHooks } from '../../../electron/engine/lifecycle/context.js';
import type { MetadataServerGate } from '../../../electron/engine/lifecycle/ports.js';
import { SqliteMetadataServer } from '../../../electron/engine/metadata-server/sqlite.js';
import { MetadataServerUnavailableError } from '../../../electron/engine/metadata-server/types.js';
import type { MetadataServerStatus, RunCounts } from '../../../shared/api/types.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function gate(state: 'CLOSED' | 'OPEN'): MetadataServerGate {
  const status: MetadataServerStatus = {
    metadataServerName: 'mds',
    breakerState: state,
    since: new Date(0).toISOString(),
    waitingConnectors: 0,
    lastErrorMessage: 'connection refused',
  };
  return {
    state,
    status: () => status,
    reportUnavailable: () => undefined,
    waitUntilClosed: () => Promise.resolve(),
    probeNow: () => Promise.resolve(state),
  };
}

async function setup(state: 'CLOSED' | 'OPEN' = 'CLOSED') {
  const dir = mkdtempSync(join(tmpdir(), 'context-'));
  dirs.push(dir);
  const metadataServer = new SqliteMetadataServer('mds', join(dir, 'metadata.db'));
  await metadataServer.open();
  const counted: Partial<RunCounts>[] = [];
  const failures: { key: string; source: string }[] = [];
  let current = true;
  const hooks: ContextHooks = {
    isCurrent: () => current,
    metadataServerUnavailable: () => undefined,
    counted: (c) => counted.push(c),
    requestRefresh: () => undefined,
    changeRun: async () => false,
    archiveRequested: () => undefined,
    catalogued: () => undefined,
    reportObjectFailure: (key, _error, source) => failures.push({ key, source }),
    reportObjectSuccess: () => undefined,
    audit: () => undefined,
  };
  const context = createConnectorContext(
    { connectorName: 'c', connectorId: 'source-1', connectorInstanceId: 'i' },
    metadataServer,
    gate(state),
    new ConcurrencyLimit(2, { holdLimit: { clock: systemClock, ms: 30_000 } }),
    hooks,
  );
  return { context, metadataServer, counted, failures, stop: () => void (current = false) };
}

describe('connector context', () => {
  it('tags errors by the client they came through, also through a cause chain', async () => {
    const { context, metadataServer } = await setup();
    const third = await context
      .thirdParty(async () => {
        throw new Error('refused');
      })
      .catch((e: unknown) => e);
    expect(errorSource(third)).toBe('thirdParty');
    expect(errorSource(new Error('wrapped', { cause: third }))).toBe('thirdParty');
    const refused = await context.metadataServer
      .upsertElements([{ typeName: 'T', qualifiedName: '', properties: {} }])
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(errorSource(refused)).toBe('metadataServer');
    expect(errorSource(new TypeError('own bug'))).toBe('connector');
    expect(errorSource('a string')).toBe('connector');
    await metadataServer.close();
  });

  it("counts upsert outcomes and archives, scoped to the connector's own metadata source", async () => {
    const { context, metadataServer, counted } = await setup();
    const element = { typeName: 'T', qualifiedName: 'q1', properties: { a: 1 } };
    expect(await context.metadataServer.upsertElements([element, { ...element, qualifiedName: 'q2' }])).toEqual(['created', 'created']);
    expect(await context.metadataServer.upsertElements([element])).toEqual(['unchanged']);
    expect(await context.metadataServer.archiveElements(['q2'])).toBe(1);
    expect(counted).toEqual([{ created: 2, updated: 0, unchanged: 0 }, { created: 0, updated: 0, unchanged: 1 }, { archived: 1 }]);
    const stored = await metadataServer.findElements({ startFrom: 0, pageSize: 10, includeArchived: true });
    expect(stored.map((e) => [e.qualifiedName, e.metadataSource, e.archived])).toEqual([
      ['q1', 'source-1', false],
      ['q2', 'source-1', true],
    ]);
    await metadataServer.close();
  });

  it('fails fast while the breaker is open, and refuses calls of an abandoned instance', async () => {
    const open = await setup('OPEN');
    const error = await open.context.metadataServer.listElements().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetadataServerUnavailableError);
    expect(errorSource(error)).toBe('metadataServer');
    await open.metadataServer.close();

    const closed = await setup();
    closed.stop();
    await expect(closed.context.metadataServer.listElements()).rejects.toThrow(/has been stopped/);
    closed.context.reportObjectFailure('k', new Error('late'));
    expect(closed.failures).toEqual([]);
    await closed.metadataServer.close();
  });
});
