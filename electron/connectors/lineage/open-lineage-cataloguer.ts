// The lineage-integrator's built-in connector: it listens for the OpenLineage run events posted to the daemon and
// catalogues each job as a Process, each run as a ProcessInstance of it and each dataset as a DataSet, with DataFlow
// relationships from inputs to the job and from the job to its outputs (Egeria's lineage types). Upserts are by
// qualified name, so a repeated event changes nothing and a later event of the same run updates it.
import type {
  ConfigProblem,
  ConnectorContext,
  ConnectorProvider,
  ElementInput,
  ElementRelationshipInput,
  IntegrationConnector,
  OpenLineageDataset,
  OpenLineageFacets,
  OpenLineageRunEvent,
} from '../../connector-sdk/index.js';

export const LINEAGE_TYPES = { job: 'Process', run: 'ProcessInstance', dataset: 'DataSet' } as const;
export const LINEAGE_RELATIONSHIPS = { dataFlow: 'DataFlow', runOfJob: 'ProcessHierarchy' } as const;

/** `OpenLineage::job::<namespace>::<name>`, `OpenLineage::dataset::…`, `OpenLineage::run::<runId>`. */
export const lineageQualifiedName = {
  job: (namespace: string, name: string) => `OpenLineage::job::${namespace}::${name}`,
  dataset: (namespace: string, name: string) => `OpenLineage::dataset::${namespace}::${name}`,
  run: (runId: string) => `OpenLineage::run::${runId.toLowerCase()}`,
};

function facetText(facets: OpenLineageFacets | undefined, facet: string, field: string): string | undefined {
  const value = facets?.[facet]?.[field];
  return typeof value === 'string' ? value : undefined;
}

/** Only the facet fields the edge checked are copied: the rest of a facet is the producer's and stays out. */
function jobElement(event: OpenLineageRunEvent): ElementInput {
  const { job } = event;
  const description = facetText(job.facets, 'documentation', 'description');
  const query = facetText(job.facets, 'sql', 'query');
  const sourceCode = facetText(job.facets, 'sourceCodeLocation', 'url');
  return {
    typeName: LINEAGE_TYPES.job,
    qualifiedName: lineageQualifiedName.job(job.namespace, job.name),
    properties: {
      name: job.name,
      namespace: job.namespace,
      ...(description !== undefined ? { description } : {}),
      ...(query !== undefined ? { formula: query } : {}),
      ...(sourceCode !== undefined ? { sourceCodeLocation: sourceCode } : {}),
    },
  };
}

function runElement(event: OpenLineageRunEvent): ElementInput {
  const { run, job } = event;
  const errorMessage = facetText(run.facets, 'errorMessage', 'message');
  return {
    typeName: LINEAGE_TYPES.run,
    qualifiedName: lineageQualifiedName.run(run.runId),
    properties: {
      runId: run.runId,
      jobName: job.name,
      jobNamespace: job.namespace,
      eventType: event.eventType ?? 'OTHER',
      eventTime: event.eventTime,
      producer: event.producer,
      ...(errorMessage !== undefined ? { errorMessage } : {}),
    },
  };
}

function fieldName(field: unknown): string[] {
  return typeof field === 'object' && field !== null && 'name' in field && typeof field.name === 'string' ? [field.name] : [];
}

function datasetElement(dataset: OpenLineageDataset): ElementInput {
  const description = facetText(dataset.facets, 'documentation', 'description');
  const uri = facetText(dataset.facets, 'dataSource', 'uri');
  const fields: unknown = dataset.facets?.schema?.fields;
  const columns = Array.isArray(fields) ? (fields as unknown[]).flatMap(fieldName) : undefined;
  return {
    typeName: LINEAGE_TYPES.dataset,
    qualifiedName: lineageQualifiedName.dataset(dataset.namespace, dataset.name),
    properties: {
      name: dataset.name,
      namespace: dataset.namespace,
      ...(description !== undefined ? { description } : {}),
      ...(uri !== undefined ? { dataSourceURI: uri } : {}),
      ...(columns !== undefined ? { schemaFields: columns } : {}),
    },
  };
}

/** The elements and relationships one run event stands for, each element once. */
export function catalogueOf(event: OpenLineageRunEvent): { elements: ElementInput[]; relationships: ElementRelationshipInput[] } {
  const job = jobElement(event);
  const elements = new Map<string, ElementInput>([
    [job.qualifiedName, job],
    [lineageQualifiedName.run(event.run.runId), runElement(event)],
  ]);
  const relationships: ElementRelationshipInput[] = [
    {
      typeName: LINEAGE_RELATIONSHIPS.runOfJob,
      end1QualifiedName: job.qualifiedName,
      end2QualifiedName: lineageQualifiedName.run(event.run.runId),
    },
  ];
  const flows = new Set<string>();
  const flow = (from: string, to: string): void => {
    if (flows.has(`${from}\u0000${to}`)) return;
    flows.add(`${from}\u0000${to}`);
    relationships.push({ typeName: LINEAGE_RELATIONSHIPS.dataFlow, end1QualifiedName: from, end2QualifiedName: to });
  };
  for (const input of event.inputs ?? []) {
    const element = datasetElement(input);
    elements.set(element.qualifiedName, element);
    flow(element.qualifiedName, job.qualifiedName);
  }
  for (const output of event.outputs ?? []) {
    const element = datasetElement(output);
    elements.set(element.qualifiedName, element);
    flow(job.qualifiedName, element.qualifiedName);
  }
  return { elements: [...elements.values()], relationships };
}

class OpenLineageCataloguer implements IntegrationConnector {
  private context: ConnectorContext | undefined;

  async initialize(context: ConnectorContext): Promise<void> {
    this.context = context;
  }

  async start(): Promise<void> {
    this.context?.audit({
      messageId: 'OPEN-LINEAGE-CATALOGUER-0001',
      severity: 'Information',
      messageText: `The OpenLineage cataloguer ${this.context.connectorName} is listening for OpenLineage events`,
    });
  }

  /** Events arrive on their own; there is nothing in a third-party technology to reconcile. */
  async refresh(): Promise<void> {}

  async processOpenLineageEvent(event: OpenLineageRunEvent, signal: AbortSignal): Promise<void> {
    const context = this.context;
    if (context === undefined) throw new Error('OPEN-LINEAGE-CATALOGUER-500-001 The connector received an event before it was initialized');
    const { elements, relationships } = catalogueOf(event);
    signal.throwIfAborted();
    await context.metadataServer.upsertElements(elements);
    signal.throwIfAborted();
    await context.metadataServer.upsertRelationships?.(relationships);
    context.count({ discovered: elements.length });
  }

  async disconnect(): Promise<void> {
    this.context = undefined;
  }
}

export const openLineageCataloguerProvider: ConnectorProvider = {
  providerName: 'open-lineage-cataloguer',
  aliases: ['org.odpi.openmetadata.adapters.connectors.integration.openlineage.OpenLineageCataloguerIntegrationProvider'],
  connectorKind: 'lineage',
  description:
    'Catalogues the OpenLineage run events posted to the daemon (api/v1/lineage, publish-open-lineage-event): jobs, runs and datasets with their data flows.',
  endpoint: {
    kind: 'none',
    description: 'None: OpenLineage events reach the connector through the daemon (api/v1/lineage, publish-open-lineage-event).',
    required: false,
  },
  configurationProperties: [],
  validate: ({ endpointAddress, configurationProperties }): ConfigProblem[] => [
    ...(endpointAddress !== undefined && endpointAddress !== ''
      ? [
          {
            path: 'endpointAddress',
            message: `The OpenLineage cataloguer has no endpoint, but ${endpointAddress} was given.`,
            fix: 'Remove endpointAddress: producers post their events to the daemon, which hands them to the connector.',
          },
        ]
      : []),
    ...Object.keys(configurationProperties).map((key) => ({
      path: `configurationProperties.${key}`,
      message: `The OpenLineage cataloguer has no configuration property ${key}.`,
      fix: 'Remove the property: the connector catalogues every event it receives and takes no configuration properties.',
    })),
  ],
  create: () => new OpenLineageCataloguer(),
};
