// Integration groups as the metadata server keeps them (Egeria 5 keeps a daemon's connectors in its metadata store,
// so every daemon that names a group runs the same connectors). A group's connectors are stored as the connector
// documents the operator sent, so whatever a connector document may hold is carried through unchanged; the daemon
// validates them when it picks the group up. Every change bumps the group's version, which the daemons poll.

/** One stored integration group. */
export interface StoredIntegrationGroup {
  groupName: string;
  /** Stable while the group exists; a group deleted and created again has a new one. */
  groupGUID: string;
  description?: string;
  /** Connector documents, each in the shape of a configured connector entry. */
  connectors: Record<string, unknown>[];
  /** 1 when created, +1 on every change: what pickup compares. */
  version: number;
  createTime: string;
  updateTime: string;
}

/** What a create or an update writes. */
export interface IntegrationGroupContent {
  description?: string | undefined;
  connectors: readonly Record<string, unknown>[];
}

/** A group's identity for pickup: a change of either means the definition changed. */
export interface IntegrationGroupStamp {
  groupGUID: string;
  version: number;
}

export type IntegrationGroupUpdate =
  | { outcome: 'updated'; group: StoredIntegrationGroup }
  | { outcome: 'missing' }
  /** Someone else changed the group first; `version` is what it is now. */
  | { outcome: 'conflict'; version: number };

/** The integration group operations both metadata server backends offer, with the same behaviour. */
export interface IntegrationGroupStore {
  /** Every group, ordered by name (code point order). */
  listIntegrationGroups(): Promise<StoredIntegrationGroup[]>;
  getIntegrationGroup(groupName: string): Promise<StoredIntegrationGroup | undefined>;
  /** The cheap poll: the stamp of each named group that exists. */
  integrationGroupStamps(groupNames: readonly string[]): Promise<Map<string, IntegrationGroupStamp>>;
  /** Undefined when a group of that name exists already. */
  createIntegrationGroup(groupName: string, content: IntegrationGroupContent): Promise<StoredIntegrationGroup | undefined>;
  /** Replaces the description and connectors if the group is still at `expectedVersion`. */
  updateIntegrationGroup(groupName: string, content: IntegrationGroupContent, expectedVersion: number): Promise<IntegrationGroupUpdate>;
  /** False when there was no such group. */
  deleteIntegrationGroup(groupName: string): Promise<boolean>;
}

/** The stored text of a group's connectors: JSON text on both backends, so documents come back as they were sent. */
export function connectorsText(content: IntegrationGroupContent): string {
  return JSON.stringify(content.connectors);
}

export function parseConnectors(text: string): Record<string, unknown>[] {
  return JSON.parse(text) as Record<string, unknown>[];
}
