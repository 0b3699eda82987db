// Element counts on connector reports: counts that could not be read while the metadata server was away are read
// when it is back (the daemon calls recount() as its breaker closes), and only a changed count is published.
import { describe, expect, it } from 'vitest';
import { ElementCounts } from '../../../electron/engine/daemon/element-counts.js';
import type { MetadataServer } from '../../../electron/engine/metadata-server/types.js';

function counting(answers: Map<string, number>) {
  const state = { up: false, calls: 0 };
  const server = {
    countLiveElements: async (ids: readonly string[]) => {
      state.calls++;
      if (!state.up) throw new Error('OMAG-MULTI-TENANT-404-001 not available');
      return new Map(ids.map((id) => [id, answers.get(id) ?? 0]));
    },
  } as unknown as MetadataServer;
  return { server, state };
}

const report = (connectorId: string) => ({
  connectorName: connectorId,
  connectorId,
  connectorStatus: 'WAITING' as const,
  minMinutesBetweenRefresh: 0,
});

describe('element counts', () => {
  it('reads the counts it could not read during an outage once the metadata server answers again, without a write', async () => {
    const { server, state } = counting(new Map([['a', 3]]));
    let available = false;
    const changed: string[] = [];
    const counts = new ElementCounts({ metadataServer: server, available: () => available, onChange: (id) => changed.push(id) });
    // Start-up during the outage: nothing can be read, nothing is asked.
    await counts.recount(['a', 'b']);
    expect(state.calls).toBe(0);
    expect(counts.decorate(report('a')).elementCount).toBeUndefined();
    // The breaker closes but the first call still fails: the counts stay owed.
    available = true;
    await counts.recount();
    expect(state.calls).toBe(1);
    expect(changed).toEqual([]);
    state.up = true;
    await counts.recount();
    expect(counts.decorate(report('a')).elementCount).toBe(3);
    expect(counts.decorate(report('b')).elementCount).toBe(0);
    expect(changed).toEqual(['a', 'b']);
    // Nothing owed any more: the next breaker close asks nothing.
    await counts.recount();
    expect(state.calls).toBe(2);
    counts.dispose();
  });
});
