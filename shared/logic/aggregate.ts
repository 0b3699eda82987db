// Worst-state-wins aggregation over daemons and their connectors. Pure: the tray (main) and the renderer's
// sidebar use the same function, so the icon and the window can never disagree about what is broken.
import type { ConnectorStatus, IntegrationConnectorReport } from '../api/types.js';
import type { ConnectorRef, DaemonView } from '../console-backend.js';

/**
 * The health the operator sees, of a connector, a daemon or everything together (the tray's colour). Ordered from
 * best to worst; the index is the severity. Lower case on purpose: these are the console's words, not states
 * the daemon reports.
 */
export const HEALTH_LEVELS = ['healthy', 'disconnected', 'retrying', 'failed'] as const;
export type HealthLevel = (typeof HEALTH_LEVELS)[number];

/** The word for each health level, as the console and the tray print it. */
export const HEALTH_WORDS: Readonly<Record<HealthLevel, string>> = {
  healthy: 'healthy',
  disconnected: 'disconnected',
  retrying: 'retrying',
  failed: 'failed',
};

const FAILED_STATUSES: ReadonlySet<ConnectorStatus> = new Set(['FAILED', 'INITIALIZE_FAILED', 'CONFIG_FAILED']);
/** Stopped by an operator (or by a configured `stop` reaction after the failure was reported): not a health problem. */
const STOPPED_STATUSES: ReadonlySet<ConnectorStatus> = new Set(['STOPPED', 'SHUTDOWN']);

export function severity(level: HealthLevel): number {
  return HEALTH_LEVELS.indexOf(level);
}

export function worse(a: HealthLevel, b: HealthLevel): HealthLevel {
  return severity(a) >= severity(b) ? a : b;
}

export function connectorLevel(status: string): HealthLevel {
  if (FAILED_STATUSES.has(status as ConnectorStatus)) return 'failed';
  if (status === 'RETRYING') return 'retrying';
  return 'healthy';
}

/**
 * A connector's health from its whole report: one that runs while a catalog target of it fails (and is retried on
 * its own) is retrying, never healthy, so neither the tray nor the list shows it healthy while a target is blind.
 */
export function reportLevel(report: Pick<IntegrationConnectorReport, 'connectorStatus' | 'catalogTargets'>): HealthLevel {
  const level = connectorLevel(report.connectorStatus);
  const blind = report.catalogTargets?.some((t) => t.catalogTargetStatus === 'FAILED') === true;
  return blind && !isStopped(report.connectorStatus) ? worse(level, 'retrying') : level;
}

export function isStopped(status: string): boolean {
  return STOPPED_STATUSES.has(status as ConnectorStatus);
}

export interface ConnectorCounts {
  total: number;
  healthy: number;
  retrying: number;
  failed: number;
  stopped: number;
}

/** A connector (the ConnectorRef an action takes) together with what it last reported. */
export interface ReportedConnector extends ConnectorRef {
  urlMarker: string;
  report: IntegrationConnectorReport;
}

export interface DaemonHealth {
  daemonId: string;
  label: string;
  local: boolean;
  level: HealthLevel;
  /** Counts from the last known status; kept while disconnected so the operator still sees what was there. */
  counts: ConnectorCounts;
  failedConnectors: ReportedConnector[];
  retryingConnectors: ReportedConnector[];
  /** True while the metadata server's circuit breaker is open (connectors parked, not consuming attempts). */
  metadataServerDown: boolean;
}

export interface OverallHealth {
  level: HealthLevel;
  daemons: DaemonHealth[];
  counts: ConnectorCounts & { daemons: number; daemonsDisconnected: number };
}

function emptyCounts(): ConnectorCounts {
  return { total: 0, healthy: 0, retrying: 0, failed: 0, stopped: 0 };
}

export function connectorsOf(view: Pick<DaemonView, 'entry' | 'status'>): ReportedConnector[] {
  const out: ReportedConnector[] = [];
  for (const service of view.status?.integrationServiceSummaries ?? []) {
    for (const report of service.integrationConnectorReports ?? []) {
      out.push({
        daemonId: view.entry.id,
        connectorName: report.connectorName,
        urlMarker: service.integrationServiceURLMarker,
        report,
      });
    }
  }
  return out;
}

export function daemonHealth(view: DaemonView): DaemonHealth {
  const counts = emptyCounts();
  const failedConnectors: ReportedConnector[] = [];
  const retryingConnectors: ReportedConnector[] = [];
  let level: HealthLevel = 'healthy';
  for (const ref of connectorsOf(view)) {
    counts.total++;
    const status = ref.report.connectorStatus;
    if (isStopped(status)) {
      counts.stopped++;
      continue;
    }
    const l = connectorLevel(status);
    // A failing catalog target counts and colours the daemon; the connector itself has no retry of its own to list.
    const counted = reportLevel(ref.report);
    counts[counted === 'failed' ? 'failed' : counted === 'retrying' ? 'retrying' : 'healthy']++;
    if (l === 'failed') failedConnectors.push(ref);
    if (l === 'retrying') retryingConnectors.push(ref);
    level = worse(level, counted);
  }
  const metadataServerDown = (view.status?.metadataServers ?? []).some((m) => m.breakerState !== 'CLOSED');
  if (metadataServerDown) level = worse(level, 'retrying');
  // A daemon we cannot reach is at least disconnected; its last known failures stay visible (failed is worse).
  if (view.connection !== 'connected') level = worse(level, 'disconnected');
  return {
    daemonId: view.entry.id,
    label: view.entry.label,
    local: view.entry.local,
    level,
    counts,
    failedConnectors,
    retryingConnectors,
    metadataServerDown,
  };
}

export function aggregate(views: readonly DaemonView[]): OverallHealth {
  const daemons = views.map(daemonHealth);
  const counts = { ...emptyCounts(), daemons: daemons.length, daemonsDisconnected: 0 };
  let level: HealthLevel = 'healthy';
  for (const d of daemons) {
    counts.total += d.counts.total;
    counts.healthy += d.counts.healthy;
    counts.retrying += d.counts.retrying;
    counts.failed += d.counts.failed;
    counts.stopped += d.counts.stopped;
    if (views.find((v) => v.entry.id === d.daemonId)?.connection !== 'connected') counts.daemonsDisconnected++;
    level = worse(level, d.level);
  }
  return { level, daemons, counts };
}

/** One line for tooltips and headers, e.g. "2 failed, 1 retrying, 14 healthy · 1 of 2 daemons disconnected". */
export function summaryText(health: OverallHealth): string {
  const c = health.counts;
  if (c.daemons === 0) return 'No daemons configured';
  const parts: string[] = [];
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c.retrying) parts.push(`${c.retrying} retrying`);
  parts.push(`${c.healthy} healthy`);
  if (c.stopped) parts.push(`${c.stopped} stopped`);
  let text = parts.join(', ');
  if (c.daemonsDisconnected) text += ` · ${c.daemonsDisconnected} of ${c.daemons} daemon${c.daemons === 1 ? '' : 's'} disconnected`;
  return text;
}
