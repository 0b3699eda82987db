// The client's calls for integration group definitions (our REST extension) and Egeria 5's group summaries: list,
// read, create, delete a group, add or remove one connector. Kept apart from client.ts, which supplies the primitives.
import { z } from 'zod';
import type { IntegrationGroupSummary } from '../api/egeria5.js';
import type { IntegrationGroupDefinition } from '../api/integration-groups.js';
import type { RequestOptions } from './workbench.js';
import { lazily } from '../logic/lazily.js';

/** Built on first use (see lazily). */
const schemas = lazily(() => {
  const record = z.record(z.string(), z.unknown());
  const definitionSchema = z.looseObject({
    groupName: z.string(),
    groupGUID: z.string(),
    description: z.string().optional(),
    connectors: z.array(record),
    version: z.number(),
    createTime: z.string(),
    updateTime: z.string(),
  });
  const definitionsSchema = z.looseObject({ integrationGroups: z.array(definitionSchema) });
  const oneSchema = z.looseObject({ integrationGroup: definitionSchema });
  const summariesSchema = z.looseObject({ integrationGroupSummaries: z.array(z.looseObject({ integrationGroupName: z.string() })) });
  const voidSchema = z.looseObject({});
  return { definitionSchema, definitionsSchema, oneSchema, summariesSchema, voidSchema };
});

export abstract class IntegrationGroupCalls {
  /** One JSON call; every failure becomes a DaemonClientError. */
  protected abstract call<S extends z.ZodType>(path: string, schema: S, options?: RequestOptions): Promise<z.infer<S>>;
  /** One percent-encoded path segment. */
  protected abstract segment(text: string, what: string): string;

  /** `GET .../integration-groups`: every group defined in the daemon's metadata server, connector secrets as `***`. */
  async integrationGroupDefinitions(): Promise<IntegrationGroupDefinition[]> {
    return (await this.call('/integration-groups', schemas().definitionsSchema)).integrationGroups;
  }

  async integrationGroupDefinition(groupName: string): Promise<IntegrationGroupDefinition> {
    return (await this.call(this.groupPath(groupName), schemas().oneSchema)).integrationGroup;
  }

  async createIntegrationGroup(groupName: string, description?: string): Promise<IntegrationGroupDefinition> {
    const body = { groupName, ...(description !== undefined ? { description } : {}) };
    return (await this.call('/integration-groups', schemas().oneSchema, { method: 'POST', body })).integrationGroup;
  }

  async deleteIntegrationGroup(groupName: string): Promise<void> {
    await this.call(this.groupPath(groupName), schemas().voidSchema, { method: 'DELETE' });
  }

  /** Adds one connector entry to the group; a refusal carries `envelope.problems` (paths like `connectors[2].endpointAddress`). */
  async addIntegrationGroupConnector(groupName: string, connector: Record<string, unknown>): Promise<IntegrationGroupDefinition> {
    const path = `${this.groupPath(groupName)}/connectors`;
    return (await this.call(path, schemas().oneSchema, { method: 'POST', body: connector })).integrationGroup;
  }

  async removeIntegrationGroupConnector(groupName: string, connectorName: string): Promise<IntegrationGroupDefinition> {
    const path = `${this.groupPath(groupName)}/connectors/${this.segment(connectorName, 'connector name')}`;
    return (await this.call(path, schemas().oneSchema, { method: 'DELETE' })).integrationGroup;
  }

  /** Egeria 5's `integration-groups/summary`: the groups the daemon runs, with their statuses. */
  async integrationGroupSummaries(): Promise<IntegrationGroupSummary[]> {
    const body = await this.call('/integration-groups/summary', schemas().summariesSchema);
    return body.integrationGroupSummaries as unknown as IntegrationGroupSummary[];
  }

  private groupPath(groupName: string): string {
    return `/integration-groups/${this.segment(groupName, 'integration group name')}`;
  }
}
