// Derived views of the console model. Pure, so the sidebar, the list and the tests agree.
import type { ConnectorRef, DaemonView } from '../../shared/console-backend.js';
import { viewerActionUnavailable } from '../../shared/console-actions.js';
import {
  connectorLevel,
  daemonHealth,
  reportLevel,
  severity,
  worse,
  type ConnectorCounts,
  type HealthLevel,
} from '../../shared/logic/aggregate.js';
import type { IntegrationGroupStatus } from '../../shared/api/egeria5.js';
import { CONNECTOR_ROW_HEIGHT, EXPANDED_EXTRA_HEIGHT, SERVICE_ROW_HEIGHT, type ListRow } from '../logic/rows.js';
import type { ConnectorEntry, ConsoleModel, DaemonModel, ServiceModel } from './model.js';

export interface DaemonSummary {
  health: HealthLevel;
  counts: ConnectorCounts;
  metadataServerDown: boolean;
}

/** The daemon as the shared aggregation sees it, rebuilt from the model so tray and sidebar use one rule. */
function daemonViewOf(daemon: DaemonModel): DaemonView {
  const view: DaemonView = {
    entry: daemon.entry,
    connection: daemon.connection,
    clockSkewMs: daemon.clockSkewMs,
    eventStream: daemon.eventStream,
  };
  if (daemon.hasSnapshot) {
    view.status = {
      class: 'IntegrationDaemonStatusResponse',
      relatedHTTPCode: 200,
      metadataServers: daemon.metadataServers,
      integrationServiceSummaries: daemon.services.map((s) => ({
        integrationServiceId: s.serviceId,
        integrationServiceFullName: s.fullName,
        integrationServiceURLMarker: s.urlMarker,
        integrationServiceDescription: s.description,
        integrationServiceWiki: s.wiki,
        integrationConnectorReports: s.connectorKeys.flatMap((k) => (daemon.connectors[k] ? [daemon.connectors[k].report] : [])),
      })),
    };
  }
  return view;
}

interface CachedSummary {
  services: DaemonModel['services'];
  metadataServers: DaemonModel['metadataServers'];
  connection: DaemonModel['connection'];
  summary: DaemonSummary;
}

// Keyed by the connectors object, which the reducer replaces whenever any connector changes; the sidebar, the
// header and the overall state all ask for the same summary on every store update.
const summaries = new WeakMap<DaemonModel['connectors'], CachedSummary>();

export function summarizeDaemon(daemon: DaemonModel): DaemonSummary {
  const cached = summaries.get(daemon.connectors);
  if (
    cached &&
    cached.services === daemon.services &&
    cached.metadataServers === daemon.metadataServers &&
    cached.connection === daemon.connection
  ) {
    return cached.summary;
  }
  const { level, counts, metadataServerDown } = daemonHealth(daemonViewOf(daemon));
  const summary = { health: level, counts, metadataServerDown };
  summaries.set(daemon.connectors, {
    services: daemon.services,
    metadataServers: daemon.metadataServers,
    connection: daemon.connection,
    summary,
  });
  return summary;
}

/** Worst state over every daemon (what the tray icon shows). */
export function consoleHealth(model: ConsoleModel): HealthLevel {
  let health: HealthLevel = 'healthy';
  for (const id of model.order) {
    const daemon = model.daemons[id];
    if (daemon) health = worse(health, summarizeDaemon(daemon).health);
  }
  return health;
}

export interface ServiceCounts {
  failed: number;
  retrying: number;
  healthy: number;
  total: number;
}

export function serviceCounts(connectors: DaemonModel['connectors'], service: ServiceModel): ServiceCounts {
  const counts: ServiceCounts = { failed: 0, retrying: 0, healthy: 0, total: 0 };
  for (const key of service.connectorKeys) {
    const entry = connectors[key];
    if (!entry) continue;
    const level = reportLevel(entry.report);
    counts[level === 'failed' ? 'failed' : level === 'retrying' ? 'retrying' : 'healthy']++;
    counts.total++;
  }
  return counts;
}

export const LIST_SORTS = ['service', 'severity', 'name'] as const;
export type ListSort = (typeof LIST_SORTS)[number];

export interface ListFilter {
  /** Show only connectors that are failed or retrying. */
  attentionOnly: boolean;
  /** Case-insensitive match on connector name, status or message id. */
  text: string;
  /** Within each service: as configured, worst first (failed, retrying, then the rest), or by name. */
  sort?: ListSort | undefined;
}

function matchesFilter(entry: ConnectorEntry, filter: ListFilter): boolean {
  if (filter.attentionOnly && reportLevel(entry.report) === 'healthy') return false;
  const needle = filter.text.trim().toLowerCase();
  if (!needle) return true;
  const r = entry.report;
  return [r.connectorName, r.connectorStatus, r.failingExceptionMessageId ?? ''].some((s) => s.toLowerCase().includes(needle));
}

export function isFiltering(filter: ListFilter): boolean {
  return filter.attentionOnly || filter.text.trim() !== '';
}

/** Whether the rows depend on the connectors' reports (and so must be rebuilt on status events). */
export function rowsFollowStatus(filter: ListFilter): boolean {
  return isFiltering(filter) || filter.sort === 'severity';
}

/** How many connectors the filter lets through, and how many there are. */
export function countMatching(connectors: DaemonModel['connectors'], filter: ListFilter): { shown: number; total: number } {
  const all = Object.values(connectors);
  return { shown: isFiltering(filter) ? all.filter((e) => matchesFilter(e, filter)).length : all.length, total: all.length };
}

function nameOf(key: string, urlMarker: string): string {
  return key.slice(urlMarker.length + 1);
}

function sortKeys(keys: string[], service: ServiceModel, connectors: DaemonModel['connectors'] | null, sort: ListSort): string[] {
  if (sort === 'service') return keys;
  const byName = (a: string, b: string) => nameOf(a, service.urlMarker).localeCompare(nameOf(b, service.urlMarker));
  if (sort === 'name' || connectors === null) return [...keys].sort(byName);
  const rank = (key: string) => {
    const status = connectors[key]?.report.connectorStatus;
    return status === undefined ? 0 : severity(connectorLevel(status));
  };
  return [...keys].sort((a, b) => rank(b) - rank(a) || byName(a, b));
}

/**
 * The rows of the windowed connector list: a header per service, then its matching connectors in the order asked
 * for. Without a filter or a sort by severity the rows depend on the services alone, so `connectors` may be null
 * and status events need not rebuild them.
 */
export function listRows(
  services: readonly ServiceModel[],
  connectors: DaemonModel['connectors'] | null,
  expanded: ReadonlySet<string>,
  filter: ListFilter,
): ListRow[] {
  const rows: ListRow[] = [];
  const filtering = isFiltering(filter);
  for (const service of services) {
    const matching = service.connectorKeys.filter((k) => {
      if (connectors === null) return true;
      const entry = connectors[k];
      return entry !== undefined && matchesFilter(entry, filter);
    });
    if (filtering && matching.length === 0) continue;
    const ordered = sortKeys(matching, service, connectors, filter.sort ?? 'service');
    rows.push({ kind: 'service', key: `s:${service.urlMarker}`, urlMarker: service.urlMarker, height: SERVICE_ROW_HEIGHT });
    if (matching.length === 0) {
      rows.push({ kind: 'empty', key: `e:${service.urlMarker}`, urlMarker: service.urlMarker, height: CONNECTOR_ROW_HEIGHT });
      continue;
    }
    for (const key of ordered) {
      const isExpanded = expanded.has(key);
      rows.push({
        kind: 'connector',
        key: `c:${key}`,
        urlMarker: service.urlMarker,
        connectorKey: key,
        expanded: isExpanded,
        height: CONNECTOR_ROW_HEIGHT + (isExpanded ? EXPANDED_EXTRA_HEIGHT : 0),
      });
    }
  }
  return rows;
}

/** The names of a daemon's connectors, sorted; read from the services' keys so status events leave them alone. */
export function connectorNames(services: readonly ServiceModel[]): string[] {
  const names = services.flatMap((s) => s.connectorKeys.map((key) => key.slice(s.urlMarker.length + 1)));
  return [...new Set(names)].sort((a, b) => a.localeCompare(b));
}

/** The words beside a daemon's health mark: a daemon we cannot reach says so even when its last state was worse. */
export function daemonHealthLabel(health: HealthLevel, connection: DaemonModel['connection']): string {
  if (connection === 'connecting') return health === 'disconnected' ? 'connecting…' : `${health} (last known), connecting…`;
  if (connection === 'disconnected' && health !== 'disconnected') return `${health} (last known), disconnected`;
  return health;
}

/** Connectors with an automatic retry pending, in one service or the whole daemon ("retry now" fans out to them). */
export function retryingConnectors(daemon: DaemonModel, urlMarker?: string): ConnectorRef[] {
  const out: ConnectorRef[] = [];
  for (const service of daemon.services) {
    if (urlMarker !== undefined && service.urlMarker !== urlMarker) continue;
    for (const key of service.connectorKeys) {
      const entry = daemon.connectors[key];
      if (entry?.report.connectorStatus === 'RETRYING')
        out.push({ daemonId: daemon.entry.id, connectorName: entry.report.connectorName, urlMarker: service.urlMarker });
    }
  }
  return out;
}

/** Why nothing on this daemon may be changed from this console (its token is a viewer's), or null: every changing control's tooltip. */
export function changeUnavailable(daemon: Pick<DaemonModel, 'mayChange'> | undefined): string | null {
  return viewerActionUnavailable(daemon?.mayChange);
}

/** One integration group in the daemon header. */
export interface GroupStatusView {
  name: string;
  status: IntegrationGroupStatus;
  /** The group's connectors the console knows of (tagged with the group). */
  connectors: number;
  problem?: string | undefined;
  pausedSince?: string | undefined;
}

/**
 * Each group as the snapshot told, kept current by its connectors' status events: a group whose connectors the
 * console sees is FAILED when one failed and RUNNING otherwise, unless the daemon itself said the group FAILED
 * (a definition it cannot run); without connectors the daemon's word (ASSIGNED, CONFIGURING) stands.
 */
export function groupStatuses(daemon: DaemonModel): GroupStatusView[] {
  const running = Object.values(daemon.connectors).filter((c) => c.report.connectorStatus !== 'SHUTDOWN');
  return daemon.groups.map((g) => {
    const members = running.filter((c) => c.report.integrationGroupName === g.integrationGroupName);
    let status = g.integrationGroupStatus;
    if (members.length > 0 && g.integrationGroupProblem === undefined) {
      status = members.some((c) => connectorLevel(c.report.connectorStatus) === 'failed') ? 'FAILED' : 'RUNNING';
    }
    return {
      name: g.integrationGroupName,
      status,
      connectors: members.length,
      problem: g.integrationGroupProblem,
      pausedSince: g.pickupPausedSince,
    };
  });
}
