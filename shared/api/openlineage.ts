// OpenLineage run events as the daemon accepts them (spec https://openlineage.io/spec/2-0-2/OpenLineage.json,
// RunEvent): the fields the daemon and its lineage connectors read; facets pass through as JSON objects.

export const OPEN_LINEAGE_EVENT_TYPES = ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'] as const;
export type OpenLineageEventType = (typeof OPEN_LINEAGE_EVENT_TYPES)[number];

/** A facet: `_producer` and `_schemaURL` (often omitted in practice) beside the facet's own fields. */
export type OpenLineageFacets = Record<string, Record<string, unknown>>;

export interface OpenLineageDataset {
  namespace: string;
  name: string;
  facets?: OpenLineageFacets | undefined;
  inputFacets?: OpenLineageFacets | undefined;
  outputFacets?: OpenLineageFacets | undefined;
}

export interface OpenLineageRunEvent {
  eventType?: OpenLineageEventType | undefined;
  /** ISO-8601 with a time zone offset, as sent. */
  eventTime: string;
  producer: string;
  schemaURL: string;
  run: { runId: string; facets?: OpenLineageFacets | undefined };
  job: { namespace: string; name: string; facets?: OpenLineageFacets | undefined };
  inputs?: OpenLineageDataset[] | undefined;
  outputs?: OpenLineageDataset[] | undefined;
}

/** How the daemon fared with the OpenLineage events posted to it since it started; a status extension. */
export interface OpenLineageStatistics {
  eventsReceived: number;
  /** Malformed events, refused with the error envelope. */
  eventsRefused: number;
  /** Events a lineage connector catalogued. */
  eventsCatalogued: number;
  /** Events a lineage connector failed on (the connector's failure is in the audit log). */
  eventsFailed: number;
}
