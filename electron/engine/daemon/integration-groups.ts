// Integration group pickup (Egeria 5): a daemon whose configuration names groups polls the metadata server every
// POLL_MS for each group's stamp (GUID and version, one cheap query), reads a definition only when its stamp
// changed, and starts, restarts or stops that group's connectors live without touching any other connector.
// `refresh-config` forces a read at once. While the metadata server is unavailable pickup pauses (and says so in the
// audit log and the group summaries); the running connectors keep their last definition until it answers again.
import { isDeepStrictEqual } from 'node:util';
import type { IntegrationGroupStatus, IntegrationGroupSummary } from '../../../shared/api/egeria5.js';
import { errorText } from '../../../shared/api/error-text.js';
import { connectorLevel } from '../../../shared/logic/aggregate.js';
import type { Disposable } from '../../../shared/logic/disposable.js';
import type { ConnectorHandler } from '../lifecycle/connector-handler.js';
import { egeriaReport } from '../lifecycle/status-report.js';
import { isoTime } from '../lifecycle/time.js';
import type { IntegrationGroupStamp, StoredIntegrationGroup } from '../metadata-server/integration-groups.js';
import { MetadataServerUnavailableError } from '../metadata-server/types.js';
import { classifyFailure } from '../recovery/classify.js';
import type { DaemonParts } from './assembly.js';
import { checkGroupConnectors } from './group-connectors.js';
import { metadataServerUnavailable } from './request-errors.js';

/** How often a daemon asks whether its groups changed: a change reaches every daemon within about this long. */
export const POLL_MS = 2_000;

type Phase = 'waiting' | 'configuring' | 'applied' | 'failed' | 'unreadable' | 'undefined';

interface GroupState {
  phase: Phase;
  /** The definition last acted on (applied or refused). */
  applied?: IntegrationGroupStamp | undefined;
  definition?: StoredIntegrationGroup | undefined;
  problem?: string | undefined;
}

export class IntegrationGroups {
  private readonly states = new Map<string, GroupState>();
  private work: Promise<void> = Promise.resolve();
  private timer: Disposable | undefined;
  private pausedSince: number | undefined;
  private stopped = false;

  constructor(private readonly parts: DaemonParts) {}

  /** Reads every named group now, then keeps polling. */
  start(): void {
    this.schedule(0);
  }

  /** Stops polling and waits for a pickup under way, so nothing starts after the daemon began shutting down. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.dispose();
    await this.work;
  }

  /** Egeria's refresh-config: reads the group now (its connectors change before this resolves). */
  refresh(groupName: string): Promise<void> {
    return this.turn(async () => {
      await this.poll(groupName);
      if (this.pausedSince !== undefined) {
        const { metadataServer, config, breaker } = this.parts;
        throw metadataServerUnavailable(
          metadataServer.name,
          config.localServerUserId,
          breaker.status().lastErrorMessage ?? 'it is not available',
        );
      }
    });
  }

  /** The groups the configuration names, in its order, with Egeria's statuses. */
  summaries(): IntegrationGroupSummary[] {
    const { registry, elementCounts } = this.parts;
    return this.parts.config.integrationGroups.map(({ groupName }): IntegrationGroupSummary => {
      const state = this.states.get(groupName) ?? { phase: 'waiting' };
      const handlers = registry.ofGroup(groupName);
      const definition = state.definition;
      return {
        integrationGroupName: groupName,
        ...(definition !== undefined ? { integrationGroupGUID: definition.groupGUID } : {}),
        ...(definition?.description !== undefined ? { integrationGroupDescription: definition.description } : {}),
        integrationGroupStatus: groupStatus(state.phase, handlers),
        integrationConnectorReports: handlers.map((h) => egeriaReport(registry.tagGroup(elementCounts.decorate(h.report())))),
        ...(definition !== undefined ? { integrationGroupVersion: definition.version } : {}),
        ...(state.problem !== undefined ? { integrationGroupProblem: state.problem } : {}),
        ...(this.pausedSince !== undefined ? { pickupPausedSince: isoTime(this.pausedSince) } : {}),
      };
    });
  }

  /** Whether the configuration names the group. */
  runs(groupName: string): boolean {
    return this.parts.config.integrationGroups.some((g) => g.groupName === groupName);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.parts.clock.setTimeout(() => {
      void this.turn(() => this.poll(undefined))
        .catch((error: unknown) => this.internalError(error))
        .finally(() => this.schedule(POLL_MS));
    }, ms);
  }

  /** One pickup at a time: a forced refresh waits for the poll under way. */
  private turn(work: () => Promise<void>): Promise<void> {
    const next = this.work.then(() => (this.stopped ? undefined : work()));
    this.work = next.catch(() => undefined);
    return next;
  }

  private async poll(forced: string | undefined): Promise<void> {
    const names = this.parts.config.integrationGroups.map((g) => g.groupName);
    for (const [name] of [...this.states]) {
      if (names.includes(name)) continue;
      await this.stopConnectors(name);
      this.states.delete(name);
    }
    for (const name of names) if (!this.states.has(name)) this.states.set(name, { phase: 'waiting' });
    if (names.length === 0) return;
    const { breaker, metadataServer } = this.parts;
    if (breaker.state !== 'CLOSED') return this.pause(names);
    let stamps: Map<string, IntegrationGroupStamp>;
    try {
      stamps = await metadataServer.integrationGroupStamps(names);
    } catch (error) {
      return this.unreadable(names, error);
    }
    this.resume(names);
    for (const name of names) {
      const state = this.states.get(name) as GroupState;
      const stamp = stamps.get(name);
      const unchanged = state.applied?.groupGUID === stamp?.groupGUID && state.applied?.version === stamp?.version;
      if (unchanged && forced !== name && state.phase !== 'waiting' && state.phase !== 'unreadable') continue;
      let definition: StoredIntegrationGroup | undefined;
      try {
        definition = stamp === undefined ? undefined : await metadataServer.getIntegrationGroup(name);
      } catch (error) {
        return this.unreadable([name], error);
      }
      if (definition === undefined) await this.notDefined(name, state);
      else await this.apply(name, state, definition);
    }
  }

  private async apply(groupName: string, state: GroupState, definition: StoredIntegrationGroup): Promise<void> {
    const { parts } = this;
    const { registry, audit, serverName } = parts;
    state.phase = 'configuring';
    state.definition = definition;
    state.applied = { groupGUID: definition.groupGUID, version: definition.version };
    const check = checkGroupConnectors(groupName, definition.connectors, parts.providers, parts.baseDirectory);
    if (!check.ok) {
      const summary = check.problems.map((p) => `${p.path || '(group)'}: ${p.message} Fix: ${p.fix}`).join(' | ');
      return this.fail(state, definition, summary);
    }
    const wanted = new Map(check.connectors.map((c) => [c.connector.connectorName, c]));
    const started: string[] = [];
    const restarted: string[] = [];
    const stopped: string[] = [];
    const conflicts: string[] = [];
    const work: Array<() => Promise<void>> = [];
    for (const handler of registry.ofGroup(groupName)) {
      const target = wanted.get(handler.connectorName);
      if (target === undefined || target.service !== handler.service) {
        stopped.push(handler.connectorName);
        registry.removeFromGroup(handler.connectorName);
        work.push(() => this.remove(handler));
      } else if (!isDeepStrictEqual(target.connector, handler.config)) {
        restarted.push(handler.connectorName);
        work.push(() => handler.reconfigure(target.connector));
      }
    }
    for (const [name, target] of wanted) {
      if (registry.get(name) === undefined) {
        const handler = registry.addToGroup(target.connector, target.service, groupName);
        started.push(name);
        work.push(() => handler.restart('change'));
      } else if (registry.groupOf(name) !== groupName) {
        const owner = registry.groupOf(name);
        conflicts.push(`${name} is already run by ${owner === undefined ? 'the configuration document' : `integration group ${owner}`}`);
      }
    }
    audit.log('INTEGRATION-DAEMON-GROUPS-0001', [
      serverName,
      definition.version,
      groupName,
      started.join(', ') || 'none',
      restarted.join(', ') || 'none',
      stopped.join(', ') || 'none',
    ]);
    // Starts are not awaited: one slow connector must not hold the pickup of every other group.
    for (const task of work) void task().catch((error: unknown) => this.internalError(error));
    if (conflicts.length > 0) return this.fail(state, definition, `connector names in use: ${conflicts.join('; ')}.`);
    state.phase = 'applied';
    state.problem = undefined;
  }

  private fail(state: GroupState, definition: StoredIntegrationGroup, problem: string): void {
    state.phase = 'failed';
    state.problem = problem;
    this.parts.audit.log('INTEGRATION-DAEMON-GROUPS-0002', [this.parts.serverName, definition.version, definition.groupName, problem]);
  }

  private async notDefined(groupName: string, state: GroupState): Promise<void> {
    await this.stopConnectors(groupName);
    if (state.phase !== 'undefined') {
      this.parts.audit.log('INTEGRATION-DAEMON-GROUPS-0006', [groupName, this.parts.serverName, this.parts.metadataServer.name]);
    }
    state.phase = 'undefined';
    state.applied = undefined;
    state.definition = undefined;
    state.problem = `Integration group ${groupName} is not defined in metadata server ${this.parts.metadataServer.name}; create it (integration-daemon groups create ${groupName}).`;
  }

  private async stopConnectors(groupName: string): Promise<void> {
    const handlers = this.parts.registry.ofGroup(groupName);
    for (const handler of handlers) this.parts.registry.removeFromGroup(handler.connectorName);
    await Promise.all(handlers.map((h) => this.remove(h)));
  }

  private async remove(handler: ConnectorHandler): Promise<void> {
    await handler.remove();
    this.parts.queue.discard(handler.connectorId);
  }

  /** A read failed: unavailable pauses pickup (the breaker learns of it); anything else fails the groups not yet read. */
  private unreadable(names: readonly string[], error: unknown): void {
    const { breaker, config, serverName } = this.parts;
    if (error instanceof MetadataServerUnavailableError) {
      breaker.reportUnavailable(
        classifyFailure(error, {
          via: 'metadataServer',
          operation: 'refresh',
          scope: 'connector',
          connectorName: serverName,
          metadataServerName: config.metadataServer.name,
          userId: config.localServerUserId,
        }),
      );
      return this.pause(names);
    }
    for (const name of names) {
      const state = this.states.get(name);
      if (state === undefined || state.phase === 'applied') continue;
      state.phase = 'unreadable';
      state.problem = `The definition of integration group ${name} cannot be read: ${errorText(error)}`;
    }
  }

  private pause(names: readonly string[]): void {
    const { metadataServer, serverName, clock, audit } = this.parts;
    for (const name of names) {
      const state = this.states.get(name);
      if (state?.phase !== 'waiting' && state?.phase !== 'unreadable') continue;
      state.phase = 'unreadable';
      state.problem = `The definition of integration group ${name} cannot be read while metadata server ${metadataServer.name} is not available; it is read once it answers.`;
    }
    if (this.pausedSince !== undefined) return;
    this.pausedSince = clock.now();
    audit.log('INTEGRATION-DAEMON-GROUPS-0003', [serverName, names.join(', '), metadataServer.name]);
  }

  private resume(names: readonly string[]): void {
    if (this.pausedSince === undefined) return;
    this.pausedSince = undefined;
    this.parts.audit.log('INTEGRATION-DAEMON-GROUPS-0004', [this.parts.serverName, names.join(', '), this.parts.metadataServer.name]);
  }

  private internalError(error: unknown): void {
    this.parts.log(
      `INTEGRATION-DAEMON-SERVICES-500-100 The integration daemon ${this.parts.serverName} failed while picking up integration groups: ${errorText(error)}`,
    );
  }
}

/** Egeria's IntegrationGroupStatus of a group from its pickup phase and its connectors. */
export function groupStatus(phase: Phase, handlers: readonly ConnectorHandler[]): IntegrationGroupStatus {
  switch (phase) {
    case 'waiting':
    case 'configuring':
      return 'CONFIGURING';
    case 'failed':
    case 'unreadable':
      return 'FAILED';
    case 'undefined':
      return 'ASSIGNED';
    case 'applied':
      if (handlers.length === 0) return 'ASSIGNED';
      return handlers.some((h) => connectorLevel(h.connectorStatus ?? '') === 'failed') ? 'FAILED' : 'RUNNING';
  }
}
