// Wire types of the integration group definitions a daemon reads and writes in its metadata server (our REST
// extension beside Egeria 5's integration-groups/summary): the group, its connector documents and its version.

/** One integration group as stored: its connectors are connector documents, in the shape of a configured entry. */
export interface IntegrationGroupDefinition {
  groupName: string;
  groupGUID: string;
  description?: string | undefined;
  connectors: Record<string, unknown>[];
  version: number;
  createTime: string;
  updateTime: string;
}

/** `GET integration-groups`. */
export interface IntegrationGroupDefinitionsResponse {
  class: 'IntegrationGroupDefinitionsResponse';
  relatedHTTPCode: number;
  integrationGroups: IntegrationGroupDefinition[];
}

/** `GET|POST|PUT integration-groups/{group}` and the connector changes. */
export interface IntegrationGroupDefinitionResponse {
  class: 'IntegrationGroupDefinitionResponse';
  relatedHTTPCode: number;
  integrationGroup: IntegrationGroupDefinition;
}
