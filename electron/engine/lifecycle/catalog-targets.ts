// A connector configured with catalog targets runs as this one connector to its handler: one inner instance of the
// provider's connector per target (its directory, its schema), each with its own lifecycle. A target that fails to
// start or refresh is FAILED on its own, retried on its own backoff (or as soon as its directory is back), and the
// others go on; a metadata server outage is everyone's, so it still fails the connector and the handler waits for
// the breaker as for any connector. A target's elements live in a metadata source of their own under the
// connector's id (catalogTargetSource), so one target's reconciliation never archives another's elements, and what a
// target's run would archive goes through the mass-archive fail-safe against that target's own live elements.
import type { RunCounts } from '../../../shared/api/types.js';
import { retryDelayMs, type BackoffPolicy } from '../../../shared/logic/backoff.js';
import type { Disposable } from '../../../shared/logic/disposable.js';
import type {
  ConnectorContext,
  ConnectorInstanceConfig,
  ConnectorProvider,
  IntegrationConnector,
  MetadataServerClient,
} from '../../connector-sdk/index.js';
import { classifyFailure } from '../recovery/classify.js';
import type { FailedOperation } from '../recovery/types.js';
import type { CatalogTargetBoard, CatalogTargetRunner } from './catalog-target-board.js';
import { asError, createConnectorContext, errorSource, type ContextHooks, type ContextIdentity } from './context.js';
import type { LifecycleEnvironment } from './ports.js';
import { resumeConditionOf } from './retry-wait.js';

/** How long a failed target waits before it is tried again (it also tries at once when its directory comes back). */
export const CATALOG_TARGET_BACKOFF: BackoffPolicy = { initialMs: 5_000, multiplier: 2, maxMs: 600_000, jitter: 0.2 };

const TARGET_SOURCE_SEPARATOR = '::catalogTarget::';

/** The metadata source of one target's elements: the connector's id, then the target's name. */
export function catalogTargetSource(connectorId: string, catalogTargetName: string): string {
  return `${connectorId}${TARGET_SOURCE_SEPARATOR}${catalogTargetName}`;
}

/** What the metadata sources of a connector's targets start with (the catalogue's connector filter takes them too). */
export function catalogTargetSourcePrefix(connectorId: string): string {
  return `${connectorId}${TARGET_SOURCE_SEPARATOR}`;
}

/** The connector id a metadata source belongs to (itself, unless it is a catalog target's). */
export function connectorIdOfSource(metadataSource: string): string {
  const at = metadataSource.indexOf(TARGET_SOURCE_SEPARATOR);
  return at < 0 ? metadataSource : metadataSource.slice(0, at);
}

/** Object keys a target reports are shown and retried as "target: key". */
const objectKeyOf = (target: string, key: string): string => `${target}: ${key}`;

export interface CatalogTargetSpec {
  catalogTargetName: string;
  /** The instance configuration with the target's endpoint and merged properties. */
  instanceConfig: ConnectorInstanceConfig;
}

export interface CatalogTargetsOptions {
  provider: ConnectorProvider;
  targets: readonly CatalogTargetSpec[];
  env: LifecycleEnvironment;
  identity: ContextIdentity;
  /** The connector's own hooks: counts, runs, object failures and audit go to the connector. */
  hooks: ContextHooks;
  board: CatalogTargetBoard;
  settleArchive: TargetArchiveSettler;
}

/** The handler's side of the fail-safe for one target's archive (held-archives.ts settleTargetArchive). */
export type TargetArchiveSettler = (request: {
  catalogTargetName: string;
  requested: readonly string[];
  refresh: boolean;
  client: Pick<MetadataServerClient, 'listElements' | 'archiveElements'>;
  signal: AbortSignal;
}) => Promise<void>;

interface RunningTarget {
  spec: CatalogTargetSpec;
  connector?: IntegrationConnector | undefined;
  /** Bumped for every new instance of the target: a late answer of an older one is ignored. */
  generation: number;
  wait?: Disposable | undefined;
  waitAbort?: AbortController | undefined;
  counts?: RunCounts | undefined;
  /** The target's own metadata server client (its metadata source). */
  client?: MetadataServerClient | undefined;
  /** What the target asked to archive during its refresh or change run: settled once that work is done. */
  archiveRequests?: Set<string> | undefined;
}

const noCounts = (): RunCounts => ({ discovered: 0, created: 0, updated: 0, unchanged: 0, archived: 0, failed: 0 });

export class CatalogTargetsConnector implements IntegrationConnector, CatalogTargetRunner {
  private readonly targets = new Map<string, RunningTarget>();
  private context: ConnectorContext | undefined;
  private stopped = false;

  constructor(private readonly options: CatalogTargetsOptions) {
    for (const spec of options.targets) this.targets.set(spec.catalogTargetName, { spec, generation: 0 });
  }

  async initialize(context: ConnectorContext, signal: AbortSignal): Promise<void> {
    this.context = context;
    this.options.board.attach(this);
    for (const target of this.targets.values()) await this.startTarget(target, signal);
  }

  async start(): Promise<void> {
    // Each target started in initialize, so that one that cannot start is FAILED before the first refresh.
  }

  /** Refreshes every started target, and tries again each failed one whose retry is due. */
  async refresh(signal: AbortSignal): Promise<void> {
    const now = this.options.env.clock.now();
    for (const target of this.targets.values()) {
      if (signal.aborted || this.stopped) return;
      const entry = this.options.board.entry(target.spec.catalogTargetName);
      if (entry?.status === 'FAILED') {
        if (entry.retry && entry.retry.nextRetryAt <= now) await this.startAndRefresh(target, signal);
      } else if (target.connector) await this.refreshOne(target, signal);
      else await this.startAndRefresh(target, signal);
    }
  }

  async reprocessObject(objectKey: string, signal: AbortSignal): Promise<void> {
    for (const target of this.targets.values()) {
      const prefix = objectKeyOf(target.spec.catalogTargetName, '');
      if (!objectKey.startsWith(prefix)) continue;
      const connector = target.connector;
      const key = objectKey.slice(prefix.length);
      if (connector?.reprocessObject) await connector.reprocessObject(key, signal);
      else if (connector) await this.refreshOne(target, signal);
      return;
    }
  }

  async disconnect(): Promise<void> {
    // All of it before the first await: the next instance of the connector may start while these disconnect, and
    // nothing this one says afterwards may overwrite what that one reports.
    for (const target of this.targets.values()) {
      target.generation++;
      this.cancelWait(target);
      this.options.board.update(target.spec.catalogTargetName, (e) => {
        if (e.status === 'FAILED') e.retry = undefined;
        else e.status = 'SHUTDOWN';
      });
    }
    this.stopped = true;
    this.options.board.detach(this);
    for (const target of this.targets.values()) await this.disconnectInstance(target);
  }

  /** Refresh one target now, as a change run of the connector (never beside its refresh). */
  refreshTarget(name: string): Promise<boolean> {
    const target = this.targets.get(name);
    const context = this.context;
    if (!target || !context || this.stopped) return Promise.resolve(false);
    const entry = this.options.board.entry(name);
    if (entry?.status === 'FAILED' || !target.connector) return this.retryTarget(name);
    return context.changeRun((signal) => this.refreshOne(target, signal));
  }

  /** Retry one failed target now: a fresh instance, started and refreshed. */
  retryTarget(name: string): Promise<boolean> {
    const target = this.targets.get(name);
    const context = this.context;
    if (!target || !context || this.stopped) return Promise.resolve(false);
    this.cancelWait(target);
    return context.changeRun((signal) => this.startAndRefresh(target, signal));
  }

  // ------------------------------------------------------------------------------------------------ internals

  private async startAndRefresh(target: RunningTarget, signal: AbortSignal): Promise<void> {
    await this.startTarget(target, signal);
    if (target.connector && !signal.aborted) await this.refreshOne(target, signal);
  }

  private async startTarget(target: RunningTarget, signal: AbortSignal): Promise<void> {
    const { env, identity, provider } = this.options;
    const name = target.spec.catalogTargetName;
    this.cancelWait(target);
    await this.disconnectInstance(target);
    const generation = ++target.generation;
    let operation: FailedOperation = 'initialize';
    try {
      const connector = provider.create(target.spec.instanceConfig);
      const context = createConnectorContext(
        { ...identity, metadataSource: catalogTargetSource(identity.connectorId, name) },
        env.metadataServer,
        env.breaker,
        env.metadataServerCalls,
        this.targetHooks(target, generation),
      );
      target.connector = connector;
      target.client = context.metadataServer;
      await connector.initialize(context, signal);
      operation = 'start';
      await connector.start(signal);
      if (target.generation !== generation) return;
      this.options.board.update(name, (e) => {
        e.status = 'WAITING';
      });
    } catch (error) {
      if (target.generation === generation) await this.failed(target, error, operation);
    }
  }

  private async refreshOne(target: RunningTarget, signal: AbortSignal): Promise<void> {
    const connector = target.connector;
    if (!connector) return;
    const name = target.spec.catalogTargetName;
    const generation = target.generation;
    target.counts = noCounts();
    this.options.board.update(name, (e) => {
      e.status = 'REFRESHING';
    });
    try {
      await this.settlingArchive(target, true, signal, (s) => connector.refresh(s));
    } catch (error) {
      if (target.generation === generation) await this.failed(target, error, 'refresh');
      return;
    }
    if (target.generation !== generation) return;
    const now = this.options.env.clock.now();
    const counts = target.counts;
    this.options.board.update(name, (e) => {
      e.status = 'WAITING';
      e.lastRefreshTime = now;
      e.lastSuccessfulRefreshTime = now;
      e.lastRunCounts = counts;
      e.failure = undefined;
      e.retry = undefined;
    });
  }

  /**
   * A target failed: FAILED with its own retry, unless the metadata server failed, which is no target's fault: the
   * connector then fails as a whole and the handler waits for the breaker.
   */
  private async failed(target: RunningTarget, thrown: unknown, operation: FailedOperation): Promise<void> {
    const { env, identity, board } = this.options;
    const error = asError(thrown);
    const source = errorSource(error);
    const name = target.spec.catalogTargetName;
    target.generation++;
    await this.disconnectInstance(target);
    if (source === 'metadataServer') {
      board.update(name, (e) => {
        e.status = 'INITIALIZED';
      });
      throw error;
    }
    const classified = classifyFailure(error, {
      via: source,
      operation,
      scope: 'connector',
      connectorName: identity.connectorName,
      metadataServerName: env.metadataServer.name,
      userId: env.userId,
    });
    const attempt = (board.entry(name)?.retry?.attempt ?? 0) + 1;
    const delay = retryDelayMs(CATALOG_TARGET_BACKOFF, attempt, env.random);
    const now = env.clock.now();
    board.update(name, (e) => {
      e.status = 'FAILED';
      e.lastRefreshTime = operation === 'refresh' ? now : e.lastRefreshTime;
      e.failure = {
        messageId: classified.messageId,
        message: classified.message,
        source: classified.source,
        category: classified.category,
        ...(classified.userAction ? { userAction: classified.userAction } : {}),
      };
      e.retry = { attempt, nextRetryAt: now + delay };
    });
    this.options.hooks.audit({
      messageId: 'INTEGRATION-DAEMON-CATALOG-TARGETS-0001',
      severity: 'Error',
      messageText: `The catalog target ${name} of integration connector ${identity.connectorName} failed during ${operation} and is retried on its own in ${Math.round(delay / 1000)} s; the connector's other catalog targets go on: ${classified.message}`,
      messageParameters: [name, identity.connectorName, operation, String(delay), classified.message],
      systemAction: 'The target is retried with a fresh instance; its elements are kept as they were.',
      userAction:
        classified.userAction ?? `Correct what the message names, then retry catalog target ${name} of ${identity.connectorName}.`,
    });
    this.armRetry(target, delay, error);
  }

  private armRetry(target: RunningTarget, delay: number, error: Error): void {
    if (this.stopped) return;
    const name = target.spec.catalogTargetName;
    const due = () => {
      this.cancelWait(target);
      // Not ready for a run (the connector is starting or refreshing its way out): wait as long again.
      void this.retryTarget(name).then((ran) => {
        if (!ran && !this.stopped && target.wait === undefined) this.armRetry(target, delay, error);
      });
    };
    target.wait = this.options.env.clock.setTimeout(due, delay);
    const resumeWhen = resumeConditionOf(error);
    if (!resumeWhen) return;
    // The directory (or whatever it missed) came back: no reason to wait out the backoff.
    const abort = new AbortController();
    target.waitAbort = abort;
    resumeWhen(abort.signal).then(
      () => {
        if (!abort.signal.aborted) due();
      },
      () => undefined,
    );
  }

  /** Runs the target's work collecting what it archives, then settles that through the fail-safe. */
  private async settlingArchive(
    target: RunningTarget,
    refresh: boolean,
    signal: AbortSignal,
    work: (signal: AbortSignal) => Promise<void>,
  ): Promise<void> {
    const generation = target.generation;
    const requests = new Set<string>();
    target.archiveRequests = requests;
    try {
      await work(signal);
    } finally {
      if (target.archiveRequests === requests) target.archiveRequests = undefined;
    }
    const client = target.client;
    if (target.generation !== generation || client === undefined || (requests.size === 0 && !refresh)) return;
    const catalogTargetName = target.spec.catalogTargetName;
    await this.options.settleArchive({ catalogTargetName, requested: [...requests], refresh, client, signal });
  }

  private cancelWait(target: RunningTarget): void {
    target.wait?.dispose();
    target.wait = undefined;
    target.waitAbort?.abort();
    target.waitAbort = undefined;
  }

  private async disconnectInstance(target: RunningTarget): Promise<void> {
    const connector = target.connector;
    target.connector = undefined;
    target.client = undefined;
    if (connector) await connector.disconnect().catch(() => undefined);
  }

  /** The target's context reports to the connector's, with its own counts and its object keys named after it. */
  private targetHooks(target: RunningTarget, generation: number): ContextHooks {
    const outer = this.options.hooks;
    const name = target.spec.catalogTargetName;
    const isCurrent = () => outer.isCurrent() && !this.stopped && target.generation === generation;
    return {
      ...outer,
      isCurrent,
      counted: (counts) => {
        const own = (target.counts ??= noCounts());
        for (const [key, value] of Object.entries(counts) as [keyof RunCounts, number][]) own[key] += value;
        outer.counted(counts);
      },
      requestRefresh: () => void this.refreshTarget(name),
      changeRun: (work) => outer.changeRun((signal) => this.settlingArchive(target, false, signal, work)),
      // Collected while the target's refresh or change run works; outside one the archive goes through at once.
      archiveRequested: (names) => {
        const requests = target.archiveRequests;
        if (requests === undefined) return undefined;
        for (const qualifiedName of names) requests.add(qualifiedName);
        return names.length;
      },
      // Back in the target's metadata source: neither its run nor its held archive may archive them.
      catalogued: (names) => {
        for (const qualifiedName of names) target.archiveRequests?.delete(qualifiedName);
        this.options.env.heldArchives.catalogued({ connectorId: this.options.identity.connectorId, catalogTargetName: name }, names);
      },
      reportObjectFailure: (key, error, source) => outer.reportObjectFailure(objectKeyOf(name, key), error, source),
      reportObjectSuccess: (key) => outer.reportObjectSuccess(objectKeyOf(name, key)),
    };
  }
}
