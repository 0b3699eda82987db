// The mass-archive fail-safe: a run that would archive more than a connector's threshold share of its live
// elements archives nothing and leaves a held archive, which an operator approves or rejects.
export interface HeldArchive {
  connectorName: string;
  connectorId: string;
  urlMarker: string;
  /** The catalog target whose run held it (its elements, its metadata source); absent for the connector's own. */
  catalogTargetName?: string | undefined;
  /** The run that held the archive. */
  runId: string;
  heldAt: string;
  /** How many elements the run would have archived, and how many live elements the connector had. */
  count: number;
  liveCount: number;
  /** The share of live elements above which a run's archive is held, in percent. */
  thresholdPercent: number;
  /** Up to 20 qualified names, for the preview. */
  sample: string[];
}

/**
 * `GET .../held-archives`. `POST .../integration-connectors/{name}/held-archive/approve` archives them (a
 * CountResponse); `POST .../integration-connectors/{name}/held-archive/reject` keeps them (a VoidResponse). A catalog
 * target's held archive is decided at `.../integration-connectors/{name}/catalog-targets/{target}/held-archive/approve|reject`.
 */
export interface HeldArchivesResponse {
  class: 'HeldArchivesResponse';
  relatedHTTPCode: number;
  heldArchives: HeldArchive[];
}
