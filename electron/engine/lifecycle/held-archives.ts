// The mass-archive fail-safe (DataHub's fail_safe_threshold, Backstage's rejectRemovalsAbovePercentage). A run's
// archive requests are collected while it works and settled once it is done: archived when they are a small share
// of the connector's live elements, otherwise held, archiving nothing, until an operator approves or rejects them.
// Held archives are kept in the state file (one row per connector, and one per catalog target whose run held one, in
// the target's own metadata source), so a restart neither loses nor applies them.
import type { HeldArchive } from '../../../shared/api/types.js';
import type { Clock } from '../../../shared/logic/clock.js';
import { DEFAULT_ARCHIVE_FAIL_SAFE } from '../config/schema.js';
import type { ArchiveFailSafe } from '../config/types.js';
import type { Epoch } from './epoch.js';
import type { HandlerConnectorConfig, LifecycleEnvironment } from './ports.js';
import type { DaemonEventInput } from '../events.js';
import { heldArchiveKey, type StateStore, type StoredHeldArchive } from '../state/types.js';
import type { MetadataServerClient } from '../../connector-sdk/index.js';
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

/** Which held archive: a connector's own, or (with catalogTargetName) one of its catalog targets'. */
export type HeldArchiveRef = Pick<HeldArchive, 'connectorId' | 'catalogTargetName'>;

/** How the audit names whose archive it is. */
function holderName(held: StoredHeldArchive): string {
  return held.catalogTargetName === undefined ? held.connectorName : `${held.connectorName} (catalog target ${held.catalogTargetName})`;
}

export class HeldArchives {
  private readonly held = new Map<string, StoredHeldArchive>();

  constructor(private readonly deps: HeldArchiveDeps) {
    for (const row of deps.store.listHeldArchives()) this.held.set(heldArchiveKey(row), row);
  }

  get(ref: HeldArchiveRef): StoredHeldArchive | undefined {
    return this.held.get(heldArchiveKey(ref));
  }

  list(): HeldArchive[] {
    return [...this.held.values()].map(summaryOf);
  }

  /**
   * For the connector's report: its own held archive and its catalog targets' together (the count summed, the latest
   * time), so a connector whose target holds an archive shows it; for a connector without targets, its own.
   */
  reportOf(connectorId: string): { count: number; heldAt: string } | undefined {
    let report: { count: number; heldAt: string } | undefined;
    for (const held of this.held.values()) {
      if (held.connectorId !== connectorId) continue;
      report =
        report === undefined
          ? { count: held.count, heldAt: held.heldAt }
          : { count: report.count + held.count, heldAt: later(report.heldAt, held.heldAt) };
    }
    return report;
  }

  /** For a catalog target's report. */
  targetReportOf(connectorId: string, catalogTargetName: string): { count: number; heldAt: string } | undefined {
    const held = this.held.get(heldArchiveKey({ connectorId, catalogTargetName }));
    return held === undefined ? undefined : { count: held.count, heldAt: held.heldAt };
  }

  /** Elements catalogued again are no longer gone: approving must not archive them. */
  catalogued(ref: HeldArchiveRef, qualifiedNames: readonly string[]): void {
    const held = this.get(ref);
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

  hold(identity: HeldIdentity, names: string[], liveCount: number, failSafe: ArchiveFailSafe, merge: boolean): StoredHeldArchive {
    const earlier = merge ? this.get(identity) : undefined;
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
    const where = { connectorName: identity.connectorName, urlMarker: identity.urlMarker };
    const parameters = [identity.connectorName, names.length, liveCount, identity.runId, failSafe.thresholdPercent] as const;
    if (identity.catalogTargetName === undefined) this.deps.audit.log(RUN_AUDIT.archiveHeld, [...parameters], where);
    else this.deps.audit.log(RUN_AUDIT.targetArchiveHeld, [...parameters, identity.catalogTargetName], where);
    return held;
  }

  /** A later refresh decided afresh: the earlier held archive no longer applies. */
  supersede(ref: HeldArchiveRef, runId: string): void {
    const held = this.get(ref);
    if (held === undefined) return;
    this.remove(held);
    this.deps.audit.log(RUN_AUDIT.archiveSuperseded, [holderName(held), held.count, runId], {
      connectorName: held.connectorName,
      urlMarker: held.urlMarker,
    });
  }

  /** Approve: archives what was held through `archive` (the metadata server, in its metadata source) and forgets it. */
  async approve(ref: HeldArchiveRef, userId: string, archive: (names: readonly string[]) => Promise<number>): Promise<number> {
    const held = this.get(ref);
    if (held === undefined) return 0;
    let archived = 0;
    for (let i = 0; i < held.qualifiedNames.length; i += ARCHIVE_BATCH) {
      archived += await archive(held.qualifiedNames.slice(i, i + ARCHIVE_BATCH));
    }
    // Only the archive approved is dropped: a run may have held a newer one meanwhile.
    if (this.get(ref) === held) this.remove(held);
    this.deps.audit.log(RUN_AUDIT.archiveApproved, [userId, holderName(held), archived], {
      connectorName: held.connectorName,
      urlMarker: held.urlMarker,
    });
    return archived;
  }

  reject(ref: HeldArchiveRef, userId: string): boolean {
    const held = this.get(ref);
    if (held === undefined) return false;
    this.remove(held);
    this.deps.audit.log(RUN_AUDIT.archiveRejected, [userId, holderName(held), held.count], {
      connectorName: held.connectorName,
      urlMarker: held.urlMarker,
    });
    return true;
  }

  private put(held: StoredHeldArchive): void {
    this.held.set(heldArchiveKey(held), held);
    this.persist(`storing the held archive of integration connector ${holderName(held)}`, () => this.deps.store.putHeldArchive(held));
    this.deps.publish({ type: 'held-archive', serverTime: isoTime(this.deps.clock.now()), heldArchive: summaryOf(held) });
    this.deps.changed(held.connectorId);
  }

  private remove(held: StoredHeldArchive): void {
    this.held.delete(heldArchiveKey(held));
    this.persist(`removing the held archive of integration connector ${holderName(held)}`, () =>
      this.deps.store.deleteHeldArchive(heldArchiveKey(held)),
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

/** ISO times of one clock compare as strings. */
const later = (a: string, b: string): string => (a > b ? a : b);

/** Whose archive a run holds, and which run. */
export type HeldIdentity = Pick<HeldArchive, 'connectorName' | 'connectorId' | 'urlMarker' | 'runId' | 'catalogTargetName'>;

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
  // From here on the connector's archive calls go through at once.
  if (epoch.currentRun === run) epoch.currentRun = undefined;
  const client = epoch.context?.metadataServer;
  if (client === undefined) return;
  const requested = [...run.archiveRequests];
  run.archiveRequests.clear();
  await settle({
    held: request.env.heldArchives,
    run,
    identity: { connectorName: run.connectorName, connectorId: run.connectorId, urlMarker: request.urlMarker, runId: run.runId },
    failSafe: request.config.archiveFailSafe ?? DEFAULT_ARCHIVE_FAIL_SAFE,
    requested,
    refresh: run.trigger !== 'change',
    client,
    // The run is no longer current, so it counts what it archived itself.
    archive: async (names) => run.add({ archived: await client.archiveElements(names) }),
    signal,
  });
}

export interface TargetSettleRequest {
  /** The connector's run the target's work belongs to; without one the archive goes through at once. */
  run: RunRecorder | undefined;
  held: HeldArchives;
  connectorName: string;
  connectorId: string;
  urlMarker: string;
  catalogTargetName: string;
  failSafe: ArchiveFailSafe | undefined;
  requested: readonly string[];
  /** True for the target's refresh (it decides afresh), false for a change it noticed (it adds to what is held). */
  refresh: boolean;
  /** The target's own client: its metadata source, the breaker, and counts that reach the connector's run. */
  client: Pick<MetadataServerClient, 'listElements' | 'archiveElements'>;
  signal: AbortSignal;
}

/**
 * Ends a catalog target's archive like a connector's: judged against the target's own live elements (its metadata
 * source), held under the connector and the target's name, and the connector's run ends PARTIAL.
 */
export async function settleTargetArchive(request: TargetSettleRequest): Promise<void> {
  const { run, client } = request;
  const archive = async (names: readonly string[]) => void (await client.archiveElements(names));
  if (run === undefined) {
    for (let i = 0; i < request.requested.length; i += ARCHIVE_BATCH) await archive(request.requested.slice(i, i + ARCHIVE_BATCH));
    return;
  }
  const { connectorName, connectorId, urlMarker, catalogTargetName } = request;
  await settle({
    ...request,
    run,
    identity: { connectorName, connectorId, urlMarker, catalogTargetName, runId: run.runId },
    failSafe: request.failSafe ?? DEFAULT_ARCHIVE_FAIL_SAFE,
    requested: [...request.requested],
    archive,
  });
}

interface Settlement {
  held: HeldArchives;
  run: RunRecorder;
  identity: HeldIdentity;
  failSafe: ArchiveFailSafe;
  requested: string[];
  refresh: boolean;
  client: Pick<MetadataServerClient, 'listElements'>;
  archive(names: readonly string[]): Promise<void>;
  signal: AbortSignal;
}

async function settle(s: Settlement): Promise<void> {
  const { held, run, identity, failSafe, signal } = s;
  let names = s.requested;
  if (names.length >= failSafe.minimumCount) {
    // Only live elements count: a request may name elements already archived, or never catalogued.
    const live = await s.client.listElements();
    const liveNames = new Set(live.map((e) => e.qualifiedName));
    names = names.filter((name) => liveNames.has(name));
    if (exceedsFailSafe(names.length, liveNames.size, failSafe)) {
      held.hold(identity, names, liveNames.size, failSafe, !s.refresh);
      // A connector's targets may each hold one in the same run.
      const before = run.held ?? { count: 0, liveCount: 0 };
      run.held = { count: before.count + names.length, liveCount: before.liveCount + liveNames.size };
      return;
    }
  }
  if (s.refresh) held.supersede(identity, run.runId);
  for (let i = 0; i < names.length; i += ARCHIVE_BATCH) {
    signal.throwIfAborted();
    await s.archive(names.slice(i, i + ARCHIVE_BATCH));
  }
}
