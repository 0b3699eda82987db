// How many live elements each connector has catalogued, for its report (`elementCount`) and so kept live: a write
// by a connector marks its count stale, and a stale count is read again (one indexed count per connector) at most
// once a second; a count that changed is published as a connector-status event.
import type { IntegrationConnectorReport } from '../../../shared/api/types.js';
import { connectorIdOfSource } from '../lifecycle/catalog-targets.js';
import type { MetadataServer } from '../metadata-server/types.js';

export const ELEMENT_COUNT_DELAY_MS = 1_000;
/** Changed counts told in one turn of the loop for at most this long; the rest on the next turns. */
const CHANGES_TURN_MS = 5;

export interface ElementCountsOptions {
  metadataServer: MetadataServer;
  /** Counting only while the metadata server answers (the breaker is closed). */
  available: () => boolean;
  /** The metadata sources a connector's count adds up: its own and its catalog targets'; absent = its own. */
  sourcesOf?: (connectorId: string) => readonly string[];
  /** The count of this metadata source (a connector id) changed. */
  onChange: (connectorId: string) => void;
  delayMs?: number;
}

export class ElementCounts {
  private readonly counts = new Map<string, number>();
  private readonly stale = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly options: ElementCountsOptions) {}

  /** The report with this connector's count, when it is known. */
  decorate(report: IntegrationConnectorReport): IntegrationConnectorReport {
    const count = this.counts.get(report.connectorId);
    return count === undefined ? report : { ...report, elementCount: count };
  }

  /** A connector wrote to the metadata server: its count is read again shortly. */
  written(metadataSource: string): void {
    if (this.disposed) return;
    this.stale.add(connectorIdOfSource(metadataSource));
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.recount();
    }, this.options.delayMs ?? ELEMENT_COUNT_DELAY_MS);
    this.timer.unref?.();
  }

  /** Reads the counts of the stale connectors, or of those given (at start-up: every configured one). */
  async recount(connectorIds?: readonly string[]): Promise<void> {
    const ids = connectorIds ?? [...this.stale];
    for (const id of ids) this.stale.delete(id);
    if (ids.length === 0 || this.disposed || !this.options.available()) {
      for (const id of ids) this.stale.add(id);
      return;
    }
    const fresh = new Map<string, number>(ids.map((id) => [id, 0]));
    const sourcesOf = this.options.sourcesOf ?? ((id: string) => [id]);
    try {
      const bySource = await this.options.metadataServer.countLiveElements(ids.flatMap((id) => sourcesOf(id)));
      for (const [source, count] of bySource) {
        const id = connectorIdOfSource(source);
        fresh.set(id, (fresh.get(id) ?? 0) + count);
      }
    } catch {
      // Not answering now: counted again at the next write, or when the breaker closes again.
      for (const id of ids) this.stale.add(id);
      return;
    }
    const changed: string[] = [];
    for (const [id, count] of fresh) {
      if (this.counts.get(id) === count) continue;
      this.counts.set(id, count);
      changed.push(id);
    }
    // Told over several turns when there are many: each is a status event with its report, and ten thousand
    // connectors' counts changing together (their first refreshes) held the loop for over half a second.
    let began = performance.now();
    for (const id of changed) {
      if (performance.now() - began >= CHANGES_TURN_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        began = performance.now();
      }
      if (this.disposed) return;
      this.options.onChange(id);
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** The metadata server as connectors reach it, telling `onWrite` which metadata source each write changed. */
export function noticingWrites(server: MetadataServer, onWrite: (metadataSource: string) => void): MetadataServer {
  return {
    get name() {
      return server.name;
    },
    get kind() {
      return server.kind;
    },
    get connections() {
      return server.connections;
    },
    open: () => server.open(),
    close: () => server.close(),
    ping: () => server.ping(),
    upsertElements: async (source, elements) => {
      const outcomes = await server.upsertElements(source, elements);
      if (outcomes.some((o) => o !== 'unchanged')) onWrite(source);
      return outcomes;
    },
    archiveElements: async (source, names) => {
      const changed = await server.archiveElements(source, names);
      if (changed > 0) onWrite(source);
      return changed;
    },
    listElementSummaries: (source, filter) => server.listElementSummaries(source, filter),
    findElements: (query) => server.findElements(query),
    listIntegrationGroups: () => server.listIntegrationGroups(),
    getIntegrationGroup: (name) => server.getIntegrationGroup(name),
    integrationGroupStamps: (names) => server.integrationGroupStamps(names),
    createIntegrationGroup: (name, content) => server.createIntegrationGroup(name, content),
    updateIntegrationGroup: (name, content, version) => server.updateIntegrationGroup(name, content, version),
    deleteIntegrationGroup: (name) => server.deleteIntegrationGroup(name),
    countElements: (filter) => server.countElements(filter),
    countLiveElements: (sources) => server.countLiveElements(sources),
    upsertRelationships: (source, relationships) => server.upsertRelationships(source, relationships),
  };
}
