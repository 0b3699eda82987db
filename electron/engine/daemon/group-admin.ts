// Integration group definitions in the metadata server, as the REST API and the CLI change them: every change of a
// group's connectors is checked like a configured connector entry before it is written, writes are conditional on
// the version read (two daemons changing one group never lose a change silently), and a daemon that runs the group
// picks the change up at once; every other daemon within its next poll.
import { restoreRedacted } from '../../../shared/api/redact.js';
import type { IntegrationGroupDefinition } from '../../../shared/api/integration-groups.js';
import type { IntegrationGroupContent, StoredIntegrationGroup } from '../metadata-server/integration-groups.js';
import type { IntegrationGroupAdmin } from '../daemon-api.js';
import { MetadataServerUnavailableError } from '../metadata-server/types.js';
import { actingUserId } from '../request-user.js';
import type { DaemonParts } from './assembly.js';
import { checkGroupConnectors } from './group-connectors.js';
import {
  groupChangedMeanwhile,
  groupConnectorsRejected,
  groupConnectorUnknown,
  groupExists,
  groupNotDefined,
} from './integration-group-messages.js';
import type { IntegrationGroups } from './integration-groups.js';
import { metadataServerUnavailable } from './request-errors.js';

type Entry = Record<string, unknown>;

/** Read-change-write rounds before a change that keeps meeting other writers is refused as a conflict. */
const CONFLICT_ROUNDS = 5;

export class GroupAdmin implements IntegrationGroupAdmin {
  constructor(
    private readonly parts: DaemonParts,
    private readonly groups: IntegrationGroups,
  ) {}

  list(): Promise<IntegrationGroupDefinition[]> {
    return this.repository((server) => server.listIntegrationGroups());
  }

  async get(groupName: string): Promise<IntegrationGroupDefinition> {
    const found = await this.repository((server) => server.getIntegrationGroup(groupName));
    if (found === undefined) throw groupNotDefined(this.parts.serverName, groupName, this.parts.metadataServer.name);
    return found;
  }

  async create(groupName: string, content: IntegrationGroupContent): Promise<IntegrationGroupDefinition> {
    this.check(groupName, content.connectors);
    const created = await this.repository((server) => server.createIntegrationGroup(groupName, content));
    if (created === undefined) throw groupExists(this.parts.serverName, groupName);
    return this.changed(created, 'created');
  }

  /** Replaces the description and connectors; `expectedVersion` (when sent) must be the group's current one. */
  update(groupName: string, content: IntegrationGroupContent, expectedVersion?: number): Promise<IntegrationGroupDefinition> {
    return this.change(
      groupName,
      (current) => ({
        description: content.description,
        connectors: content.connectors.map((c) => restoreRedacted(c, sameName(current.connectors, c)) as Entry),
      }),
      expectedVersion,
    );
  }

  async delete(groupName: string): Promise<void> {
    const deleted = await this.repository((server) => server.deleteIntegrationGroup(groupName));
    if (!deleted) throw groupNotDefined(this.parts.serverName, groupName, this.parts.metadataServer.name);
    const { audit, config, metadataServer } = this.parts;
    audit.log('INTEGRATION-DAEMON-GROUPS-0005', [actingUserId(config.localServerUserId), 'deleted', groupName, '-', metadataServer.name]);
    await this.pickUp(groupName);
  }

  addConnector(groupName: string, entry: Entry): Promise<IntegrationGroupDefinition> {
    return this.change(groupName, (current) => ({
      description: current.description,
      connectors: [...current.connectors, structuredClone(entry)],
    }));
  }

  removeConnector(groupName: string, connectorName: string): Promise<IntegrationGroupDefinition> {
    return this.change(groupName, (current) => {
      const names = current.connectors.map((c) => String(c.connectorName));
      if (!names.includes(connectorName)) throw groupConnectorUnknown(this.parts.serverName, groupName, connectorName, names);
      return { description: current.description, connectors: current.connectors.filter((c) => c.connectorName !== connectorName) };
    });
  }

  /** Read, change, check, write at the version read; another writer in between means reading again. */
  private async change(
    groupName: string,
    edit: (current: StoredIntegrationGroup) => IntegrationGroupContent,
    expectedVersion?: number,
  ): Promise<IntegrationGroupDefinition> {
    const { serverName, metadataServer } = this.parts;
    for (let round = 1; ; round++) {
      const current = await this.repository((server) => server.getIntegrationGroup(groupName));
      if (current === undefined) throw groupNotDefined(serverName, groupName, metadataServer.name);
      if (expectedVersion !== undefined && current.version !== expectedVersion)
        throw groupChangedMeanwhile(serverName, groupName, current.version);
      const content = edit(current);
      this.check(groupName, content.connectors);
      const written = await this.repository((server) => server.updateIntegrationGroup(groupName, content, current.version));
      if (written.outcome === 'updated') return this.changed(written.group, 'changed');
      if (written.outcome === 'missing') throw groupNotDefined(serverName, groupName, metadataServer.name);
      if (expectedVersion !== undefined || round >= CONFLICT_ROUNDS) throw groupChangedMeanwhile(serverName, groupName, written.version);
    }
  }

  private check(groupName: string, connectors: readonly unknown[]): void {
    const result = checkGroupConnectors(groupName, connectors, this.parts.providers, this.parts.baseDirectory);
    if (!result.ok) throw groupConnectorsRejected(this.parts.serverName, groupName, result.problems);
  }

  private async changed(group: StoredIntegrationGroup, verb: string): Promise<IntegrationGroupDefinition> {
    const { audit, config, metadataServer } = this.parts;
    audit.log('INTEGRATION-DAEMON-GROUPS-0005', [
      actingUserId(config.localServerUserId),
      verb,
      group.groupName,
      group.version,
      metadataServer.name,
    ]);
    await this.pickUp(group.groupName);
    return group;
  }

  /** This daemon runs the group: apply the change now rather than at the next poll. A failed pickup is the group's status. */
  private async pickUp(groupName: string): Promise<void> {
    if (this.groups.runs(groupName)) await this.groups.refresh(groupName).catch(() => undefined);
  }

  /** A call to the metadata server: refused while the breaker is open, an unavailable server told as the request's. */
  private async repository<T>(work: (server: DaemonParts['metadataServer']) => Promise<T>): Promise<T> {
    const { breaker, metadataServer, config } = this.parts;
    const unavailable = (detail: string) => metadataServerUnavailable(metadataServer.name, config.localServerUserId, detail);
    if (breaker.state !== 'CLOSED') throw unavailable(breaker.status().lastErrorMessage ?? 'it is not available');
    try {
      return await work(metadataServer);
    } catch (error) {
      if (error instanceof MetadataServerUnavailableError) throw unavailable(error.message);
      throw error;
    }
  }
}

/** The stored entry of the same connector, whose secrets a redacted entry sent back stands for. */
function sameName(connectors: readonly Entry[], entry: Entry): Entry | undefined {
  return connectors.find((c) => c.connectorName === entry.connectorName);
}
