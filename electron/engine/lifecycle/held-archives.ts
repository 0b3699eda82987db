// The mass-archive fail-safe (DataHub's fail_safe_threshold, Backstage's rejectRemovalsAbovePercentage). A run's
// archive requests are collected while it works and settled once it is done: archived when they are a small share
// of the connector's live elements, otherwise held, archiving nothing, until an operator approves or rejects them.
// Held archives are kept in the state file (one row per connector), so a restart neither loses nor applies them.
import type { HeldArchive } from '../../../shared/api/types.js';
import type { Clock } from '../../../shared/logic/clock.js';
import { DEFAULT_ARCHIVE_FAIL_SAFE } from '../config/schema.js';
import type { ArchiveFailSafe } from '../config/types.js';
import type { Epoch } from './epoch.js';
import type { HandlerConnectorConfig, LifecycleEnvironment } from './ports.js';
import type { DaemonEventInput } from '../events.js';
import type { StateStore, StoredHeldArchive } from '../state/types.js';
import type { LifecycleAudit } from './ports.js';
import { RUN_AUDIT } from './run-messages.js';
import type { RunRecorder } from './runs.js';
import { isoTime } from './time.js';

const SAMPLE_SIZE = 20;
const ARCHIVE_BATCH = 1000;

export interface HeldArchiveDeps {
  store: StateStore;
  clock: Clock;
  audit: LifecycleAudit;
  publish(event: DaemonEventInput): void;
  /** A held archive came or went: the connector's report shows it. */
  changed(connectorId: string): void;
  internalError(what: string, error: unknown): void;
}

/** True when archiving `count` of `liveCount` elements is more than the fail-safe allows. */
export function exceedsFailSafe(count: number, liveCount: number, failSafe: ArchiveFailSafe = DEFAULT_ARCHIVE_FAIL_SAFE): boolean {
  return count >= failSafe.minimumCount && count * 100 > failSafe.thresholdPercent * liveCount;
}

export function summaryOf(held: StoredHeldArchive): HeldArchive {
  const { qualifiedNames: _names, ...summary } = held;
  return summary;
}

export class HeldArchives {
  private readonly held = new Map<string, StoredHeldArchive>();

  constructor(private readonly deps: HeldArchiveDeps) {
    for (const row of deps.store.listHeldArchives()) this.held.set(row.connectorId, row);
  }

  get(connectorId: string): StoredHeldArchive | undefined {
    return this.held.get(connectorId);
  }

  list(): HeldArchive[] {
    return [...this.held.values()].map(summaryOf);
  }

  /** For the connector's report. */
  reportOf(connectorId: string): { count: number; heldAt: string } | undefined {
    const held = this.held.get(connectorId);
    return held === undefined ? undefined : { count: held.count, heldAt: held.heldAt };
  }

  /** Elements catalogued again are no longer gone: approving must not archive them. */
  catalogued(connectorId: string, qualifiedNames: readonly string[]): void {
    const held = this.held.get(connectorId);
    if (held === undefined) return;
    const back = new Set(qualifiedNames);
    const remaining = held.qualifiedNames.filter((name) => !back.has(name));
    if (remaining.length === held.qualifiedNames.length) return;
    if (remaining.length === 0) {
      this.remove(held);
      return;
    }
    this.put({ ...held, qualifiedNames: remaining, count: remaining.length, sample: remaining.slice(0, SAMPLE_SIZE) });
  }

  hold(
    identity: Pick<HeldArchive, 'connectorName' | 'connectorId' | 'urlMarker' | 'runId'>,
    names: string[],
    liveCount: number,
    failSafe: ArchiveFailSafe,
    merge: boolean,
  ): StoredHeldArchive {
    const earlier = merge ? this.held.get(identity.connectorId) : undefined;
    const qualifiedNames = earlier === undefined ? names : [...new Set([...earlier.qualifiedNames, ...names])];
    const held: StoredHeldArchive = {
      ...identity,
      heldAt: isoTime(this.deps.clock.now()),
      count: qualifiedNames.length,
      liveCount,
      thresholdPercent: failSafe.thresholdPercent,
      sample: qualifiedNames.slice(0, SAMPLE_SIZE),
      qualifiedNames,
    };
    this.put(held);
    this.deps.audit.log(
      RUN_AUDIT.archiveHeld,
      [identity.connectorName, names.length, liveCount, identity.runId, failSafe.thresholdPercent],
      { connectorName: identity.connectorName, urlMarker: identity.urlMarker },
    );
    return held;
  }

  /** A later refresh decided afresh: the earlier held archive no longer applies. */
  supersede(connectorId: string, runId: string): void {
    const held = this.held.get(connectorId);
    if (held === undefined) return;
    this.remove(held);
    this.deps.audit.log(RUN_AUDIT.archiveSuperseded, [held.connectorName, held.count, runId], {
      connectorName: held.connectorName,
      urlMarker: held.urlMarker,
    });
  }

  /** Approve: archives what was held through `archive` (the metadata server, for this connector) and forgets it. */
  async approve(connectorId: string, userId: string, archive: (names: readonly string[]) => Promise<number>): Promise<number> {
    const held = this.held.get(connectorId);
    if (held === undefined) return 0;
    let archived = 0;
    for (let i = 0; i < held.qualifiedNames.length; i += ARCHIVE_BATCH) {
      archived += await archive(held.qualifiedNames.slice(i, i + ARCHIVE_BATCH));
    }
    // Only the archive approved is dropped: a run may have held a newer one meanwhile.
    if (this.held.get(connectorId) === held) this.remove(held);
    this.deps.audit.log(RUN_AUDIT.archiveApproved, [userId, held.connectorName, archived], {
      connectorName: held.connectorName,
      urlMarker: held.urlMarker,
    });
    return archived;
  }

  reject(connectorId: string, userId: string): boolean {
    const held = this.held.get(connectorId);
    if (held === undefined) return false;
    this.remove(held);
    this.deps.audit.log(RUN_AUDIT.archiveRejected, [userId, held.connectorName, held.count], {
      connectorName: held.connectorName,
      urlMarker: held.urlMarker,
    });
    return true;
  }

  private put(held: StoredHeldArchive): void {
    this.held.set(held.connectorId, held);
    this.persist(`storing the held archive of integration connector ${held.connectorName}`, () => this.deps.store.putHeldArchive(held));
    this.deps.publish({ type: 'held-archive', serverTime: isoTime(this.deps.clock.now()), heldArchive: summaryOf(held) });
    this.deps.changed(held.connectorId);
  }

  private remove(held: StoredHeldArchive): void {
    this.held.delete(held.connectorId);
    this.persist(`removing the held archive of integration connector ${held.connectorName}`, () =>
      this.deps.store.deleteHeldArchive(held.connectorId),
    );
    this.deps.publish({ type: 'held-archive', serverTime: isoTime(this.deps.clock.now()), heldArchive: summaryOf(held), removed: true });
    this.deps.changed(held.connectorId);
  }

  private persist(what: string, write: () => void): void {
    try {
      write();
    } catch (error) {
      // The held archive still holds in memory; only a restart would lose it.
      this.deps.internalError(what, error);
    }
  }
}

export interface SettleRequest {
  epoch: Epoch;
  run: RunRecorder;
  env: Pick<LifecycleEnvironment, 'heldArchives'>;
  config: Pick<HandlerConnectorConfig, 'archiveFailSafe'>;
  urlMarker: string;
  signal: AbortSignal;
}

/**
 * Ends a run's archive once its work is done: archives what it asked for through the connector's own client (so
 * the metadata server's breaker and error source apply), or holds it when that is more than the fail-safe allows.
 * A refresh (not a change run) decides afresh, so it replaces whatever archive an earlier run held.
 */
export async function settleArchive(request: SettleRequest): Promise<void> {
  const { epoch, run, signal } = request;
  const held = request.env.heldArchives;
  const failSafe = request.config.archiveFailSafe ?? DEFAULT_ARCHIVE_FAIL_SAFE;
  // From here on the connector's archive calls go through at once.
  if (epoch.currentRun === run) epoch.currentRun = undefined;
  const client = epoch.context?.metadataServer;
  if (client === undefined) return;
  const refresh = run.trigger !== 'change';
  const requested = [...run.archiveRequests];
  run.archiveRequests.clear();
  let names = requested;
  if (requested.length >= failSafe.minimumCount) {
    // Only live elements count: a request may name elements already archived, or never catalogued.
    const live = await client.listElements();
    const liveNames = new Set(live.map((e) => e.qualifiedName));
    names = requested.filter((name) => liveNames.has(name));
    if (exceedsFailSafe(names.length, liveNames.size, failSafe)) {
      const identity = { connectorName: run.connectorName, connectorId: run.connectorId, urlMarker: request.urlMarker, runId: run.runId };
      held.hold(identity, names, liveNames.size, failSafe, !refresh);
      run.held = { count: names.length, liveCount: liveNames.size };
      return;
    }
  }
  if (refresh) held.supersede(run.connectorId, run.runId);
  for (let i = 0; i < names.length; i += ARCHIVE_BATCH) {
    signal.throwIfAborted();
    run.add({ archived: await client.archiveElements(names.slice(i, i + ARCHIVE_BATCH)) });
  }
}
