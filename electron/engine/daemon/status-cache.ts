// GET /status kept up to date as things change instead of built per request. Each connector's report is kept as JSON
// text (ours and Egeria 5's), rebuilt only when an event names the connector (or names none, which may touch any),
// or when its statistics moved without an event (they count during a refresh): those are compared at most once a
// MAX_AGE_MS. The answer of each Egeria era is then joined from the kept texts, and kept whole until the event bus
// moves or MAX_AGE_MS passes (the server-wide parts: metadata servers, OpenLineage and group summaries). Building
// every connector's report per request cost half the throughput of a bare HTTP server, and half a second with 10,000
// connectors. The answer's serverTime is always the current time.
import type { IntegrationGroupSummary } from '../../../shared/api/egeria5.js';
import type {
  ConnectorStatistics,
  DaemonEvent,
  IntegrationConnectorReport,
  MetadataServerStatus,
  OpenLineageStatistics,
} from '../../../shared/api/types.js';
import { egeriaReport } from '../lifecycle/status-report.js';
import { isoTime } from '../lifecycle/time.js';
import { serviceSummary, type IntegrationServiceDefinition } from '../services.js';

const MAX_AGE_MS = 1_000;
/** Answers up to this size are joined into one buffer: one piece to write costs less than three. */
const JOIN_BELOW_BYTES = 64 * 1024;

/** The two shapes of GET /status: under `/users/{u}` (the seed's, plus Egeria 5's wrapper) and without (Egeria 5's). */
export type StatusShape = 'users' | 'token';

/** A connector as the cache sees it: the same object for as long as the same handler runs it. */
export interface StatusConnector {
  readonly connectorName: string;
  readonly service: { readonly urlMarker: string };
  readonly statistics: Readonly<ConnectorStatistics>;
}

/** What the status is made of, read from the daemon's parts. */
export interface StatusSource<C extends StatusConnector> {
  serverName: string;
  /** Every connector, in configuration order. */
  connectors(): readonly C[];
  /** The services the report lists, in order. */
  markers(): readonly string[];
  service(urlMarker: string): IntegrationServiceDefinition;
  /** The connector's report as GET /status shows it (element count and integration group included). */
  report(connector: C): IntegrationConnectorReport;
  metadataServers(): MetadataServerStatus[];
  openLineageStatistics(): OpenLineageStatistics;
  integrationGroupSummaries(): IntegrationGroupSummary[];
  /** Whether the seed's shape lists the group summaries (the configuration names integration groups). */
  listsGroups(): boolean;
  lastSequence(): number;
  now(): number;
}

interface Fragment<C> {
  connector: C;
  report: string;
  egeria: string;
  statistics: ConnectorStatistics;
}

interface Answer {
  sequence: number;
  builtAt: number;
  /** Each shape's bytes before and after the serverTime value: encoded once, never copied per request. */
  texts: Record<StatusShape, [Buffer, Buffer]>;
}

export class StatusCache<C extends StatusConnector> {
  private readonly fragments = new Map<string, Fragment<C>>();
  private readonly dirty = new Set<string>();
  private allDirty = true;
  private statisticsComparedAt = Number.NEGATIVE_INFINITY;
  private answer: Answer | undefined;
  /** Each shape's answer as last given: requests within the same millisecond get the same bytes. */
  private readonly stamped: Partial<Record<StatusShape, { answer: Answer; at: number; chunks: readonly Buffer[] }>> = {};

  private readonly serverTime = new ServerTime();

  constructor(private readonly source: StatusSource<C>) {}

  /** Told of every event as it is published (not on a later turn), so no answer can lag the sequence. */
  published(event: DaemonEvent): void {
    const name = connectorNamed(event);
    if (name === undefined) this.allDirty = true;
    else this.dirty.add(name);
  }

  /** The answer's bytes in order: kept text, the current serverTime, kept text. */
  json(shape: StatusShape): readonly Buffer[] {
    const now = this.source.now();
    const sequence = this.source.lastSequence();
    let answer = this.answer;
    if (answer === undefined || answer.sequence !== sequence || now - answer.builtAt >= MAX_AGE_MS || now < answer.builtAt) {
      answer = this.assemble(sequence, now);
      this.answer = answer;
    }
    const kept = this.stamped[shape];
    if (kept !== undefined && kept.answer === answer && kept.at === now) return kept.chunks;
    const [before, after] = answer.texts[shape];
    const time = this.serverTime.at(now);
    const length = before.length + time.length + after.length;
    // A small answer goes out as one buffer, written once per millisecond; a large one is never copied.
    let chunks: readonly Buffer[];
    if (length <= JOIN_BELOW_BYTES) {
      // The time is written straight into the answer (it is ASCII): no buffer of its own, no list to join.
      const joined = Buffer.allocUnsafe(length);
      before.copy(joined, 0);
      joined.write(time, before.length, 'latin1');
      after.copy(joined, before.length + time.length);
      chunks = [joined];
    } else {
      chunks = [before, Buffer.from(time, 'latin1'), after];
    }
    this.stamped[shape] = { answer, at: now, chunks };
    return chunks;
  }

  /**
   * The text of the seed's status() (GET /status under `/users/{u}` without Egeria 5's wrapper, as the event
   * stream's hello carries it), in pieces built as they are taken. Which connectors, the serverTime and the
   * server-wide parts are taken now; each connector's report when its piece is taken: its kept text while no event
   * or statistics change has touched it since, else built afresh (and not kept, so GET /status is as it was). The
   * hello of ten thousand connectors can then be written over many turns of the loop without one long task.
   */
  statusPieces(): Iterable<string> {
    const source = this.source;
    const byService = new Map<string, C[]>();
    for (const connector of source.connectors()) {
      const marker = connector.service.urlMarker;
      let ofService = byService.get(marker);
      if (ofService === undefined) byService.set(marker, (ofService = []));
      ofService.push(connector);
    }
    const services = source.markers().map((marker) => ({
      summary: JSON.stringify(serviceSummary(source.service(marker), [])),
      connectors: byService.get(marker) ?? [],
    }));
    const extensions = {
      metadataServers: source.metadataServers(),
      openLineageStatistics: source.openLineageStatistics(),
      ...(source.listsGroups() ? { integrationGroupSummaries: source.integrationGroupSummaries() } : {}),
    };
    const tail = `],"serverName":${JSON.stringify(source.serverName)},"serverTime":"${isoTime(source.now())}",${JSON.stringify(extensions).slice(1)}`;
    return this.piecesOf(services, tail);
  }

  private *piecesOf(services: readonly { summary: string; connectors: readonly C[] }[], tail: string): Generator<string> {
    yield `{"class":"IntegrationDaemonStatusResponse","relatedHTTPCode":200,"integrationServiceSummaries":[`;
    for (const [i, { summary, connectors }] of services.entries()) {
      // Its reports are a summary's last field, so the empty list's text less `]}` opens it.
      yield `${i > 0 ? ',' : ''}${summary.slice(0, -2)}`;
      for (const [j, connector] of connectors.entries()) yield `${j > 0 ? ',' : ''}${this.reportText(connector)}`;
      yield ']}';
    }
    yield tail;
  }

  /** The connector's report text as status() has it now. */
  private reportText(connector: C): string {
    const name = connector.connectorName;
    const fragment = this.fragments.get(name);
    const current =
      fragment !== undefined &&
      fragment.connector === connector &&
      !this.allDirty &&
      !this.dirty.has(name) &&
      sameStatistics(fragment.statistics, connector.statistics);
    return current ? fragment.report : JSON.stringify(this.source.report(connector));
  }

  private assemble(sequence: number, now: number): Answer {
    const source = this.source;
    const compareStatistics = now - this.statisticsComparedAt >= MAX_AGE_MS || now < this.statisticsComparedAt;
    if (compareStatistics) this.statisticsComparedAt = now;
    const byService = new Map<string, Fragment<C>[]>();
    const live = new Set<string>();
    for (const connector of source.connectors()) {
      const name = connector.connectorName;
      live.add(name);
      let fragment = this.fragments.get(name);
      if (
        fragment === undefined ||
        fragment.connector !== connector ||
        this.allDirty ||
        this.dirty.has(name) ||
        (compareStatistics && !sameStatistics(fragment.statistics, connector.statistics))
      ) {
        fragment = this.build(connector);
        this.fragments.set(name, fragment);
      }
      const marker = connector.service.urlMarker;
      let ofService = byService.get(marker);
      if (ofService === undefined) byService.set(marker, (ofService = []));
      ofService.push(fragment);
    }
    this.allDirty = false;
    this.dirty.clear();
    if (this.fragments.size > live.size) {
      for (const name of this.fragments.keys()) if (!live.has(name)) this.fragments.delete(name);
    }
    // Egeria 5's flat list follows the service summaries, not the configuration's order.
    const markers = source.markers();
    const ofMarker = (marker: string): Fragment<C>[] => byService.get(marker) ?? [];
    const summaries = `[${markers.map((marker) => summaryText(source.service(marker), ofMarker(marker))).join(',')}]`;
    const flat = markers.flatMap((marker) => ofMarker(marker).map((fragment) => fragment.egeria));
    const groups = source.integrationGroupSummaries();
    const daemonStatus = `{"integrationServiceSummaries":${summaries},"integrationGroupSummaries":${JSON.stringify(groups)},"integrationConnectorReports":[${flat.join(',')}]}`;
    const head = `{"class":"IntegrationDaemonStatusResponse","relatedHTTPCode":200`;
    const server = `"serverName":${JSON.stringify(source.serverName)},"serverTime":"`;
    const extensions = { metadataServers: source.metadataServers(), openLineageStatistics: source.openLineageStatistics() };
    const tokenTail = `",${JSON.stringify(extensions).slice(1)}`;
    const seedExtensions = { ...extensions, ...(source.listsGroups() ? { integrationGroupSummaries: groups } : {}) };
    const usersTail = `",${JSON.stringify(seedExtensions).slice(1, -1)},"integrationDaemonStatus":${daemonStatus}}`;
    return {
      sequence,
      builtAt: now,
      texts: {
        users: [Buffer.from(`${head},"integrationServiceSummaries":${summaries},${server}`), Buffer.from(usersTail)],
        token: [Buffer.from(`${head},"integrationDaemonStatus":${daemonStatus},${server}`), Buffer.from(tokenTail)],
      },
    };
  }

  private build(connector: C): Fragment<C> {
    const report = this.source.report(connector);
    return {
      connector,
      report: JSON.stringify(report),
      egeria: JSON.stringify(egeriaReport(report)),
      statistics: { ...connector.statistics },
    };
  }
}

/** A service summary around kept report texts; its reports are its last field, so the empty list closes its text. */
function summaryText<C>(definition: IntegrationServiceDefinition, fragments: readonly Fragment<C>[]): string {
  const empty = JSON.stringify(serviceSummary(definition, []));
  return `${empty.slice(0, -2)}${fragments.map((f) => f.report).join(',')}]}`;
}

function sameStatistics(kept: ConnectorStatistics, now: Readonly<ConnectorStatistics>): boolean {
  return (
    kept.elementsCreated === now.elementsCreated &&
    kept.elementsUpdated === now.elementsUpdated &&
    kept.elementsArchived === now.elementsArchived &&
    kept.errors === now.errors
  );
}

/** The connector whose report an event may have changed; undefined when it names none (any may have changed). */
function connectorNamed(event: DaemonEvent): string | undefined {
  switch (event.type) {
    case 'connector-status':
      return event.report.connectorName;
    case 'run':
      return event.run.connectorName;
    case 'object-retry':
      return event.objectRetry.connectorName;
    case 'held-archive':
      return event.heldArchive.connectorName;
    case 'audit':
      return event.record.connectorName;
    case 'connector-removed':
      return event.connectorName;
    default:
      return undefined;
  }
}

/**
 * isoTime for a time that moves by milliseconds: the text up to the second is kept, so a new millisecond costs three
 * digits rather than a Date and its formatting (under load GET /status stamps a new answer nearly every millisecond).
 */
class ServerTime {
  private second = Number.NaN;
  private upToSecond = '';

  at(ms: number): string {
    const whole = Math.trunc(ms);
    const second = Math.floor(whole / 1000);
    if (second !== this.second) {
      this.second = second;
      // isoTime's text is `…T20:57:50.647+00:00`: what precedes the milliseconds is the same for the whole second.
      this.upToSecond = isoTime(second * 1000).slice(0, -9);
    }
    const fraction = whole - second * 1000;
    return `${this.upToSecond}${fraction < 10 ? '00' : fraction < 100 ? '0' : ''}${fraction}+00:00`;
  }
}
