// Pure state transitions for the console. Time is passed in so tests are deterministic.
import type {
  AuditRecord,
  ConnectorRun,
  DaemonEvent,
  IntegrationConnectorReport,
  IntegrationDaemonStatusResponse,
  ObjectRetry,
} from '../../shared/api/types.js';
import type { ConsoleEvent, DaemonView } from '../../shared/console-backend.js';
import type { IntegrationGroupSummary } from '../../shared/api/egeria5.js';
import { connectorLevel } from '../../shared/logic/aggregate.js';
import {
  AUDIT_LIMIT,
  connectorKey,
  RUNS_LIMIT,
  type ConnectorEntry,
  type ConsoleModel,
  type DaemonModel,
  type ServiceModel,
  type ViewName,
} from './model.js';

export type ModelAction =
  | { type: 'daemons-listed'; views: DaemonView[]; now: number }
  | { type: 'console'; event: ConsoleEvent; now: number }
  | { type: 'console-batch'; events: readonly ConsoleEvent[]; now: number }
  | { type: 'select-daemon'; daemonId: string }
  | { type: 'show-view'; view: ViewName }
  /**
   * The operator removed a connector: the console drops it at the removal's answer (the daemon's
   * `connector-removed` event drops it from every other console watching the daemon).
   */
  | { type: 'connector-removed'; daemonId: string; connectorName: string }
  /** The catalogue, filtered to one connector's elements. */
  | { type: 'show-catalogue'; daemonId: string; connectorName: string }
  | { type: 'focus-connector'; daemonId: string; connectorKey: string | null }
  | { type: 'audit-loaded'; daemonId: string; records: AuditRecord[] }
  | { type: 'runs-loaded'; daemonId: string; connectorName: string; runs: ConnectorRun[] }
  /** The newest runs of a whole daemon (each row shows its connector's last run). */
  | { type: 'recent-runs-loaded'; daemonId: string; runs: ConnectorRun[] }
  | { type: 'object-retries-loaded'; daemonId: string; connectorName: string; objectRetries: ObjectRetry[] };

export function reduce(model: ConsoleModel, action: ModelAction): ConsoleModel {
  switch (action.type) {
    case 'daemons-listed': {
      let next = model;
      for (const view of action.views) next = applyView(next, view);
      return next;
    }
    case 'console':
      return applyConsoleEvent(model, action.event, action.now);
    case 'console-batch':
      return applyConsoleEvents(model, action.events, action.now);
    case 'select-daemon':
      if (!model.daemons[action.daemonId] || model.selectedDaemonId === action.daemonId) return model;
      return { ...model, selectedDaemonId: action.daemonId, focus: null };
    case 'connector-removed': {
      const daemon = model.daemons[action.daemonId];
      if (!daemon) return model;
      const gone = new Set(
        Object.values(daemon.connectors).flatMap((c) => (c.report.connectorName === action.connectorName ? [c.key] : [])),
      );
      return withoutConnectors(model, action.daemonId, daemon, gone);
    }
    case 'show-view':
      return model.view === action.view ? model : { ...model, view: action.view };
    case 'show-catalogue':
      if (!model.daemons[action.daemonId]) return model;
      return {
        ...model,
        selectedDaemonId: action.daemonId,
        // The catalogue needs the room the connector's details take.
        focus: null,
        view: 'catalogue',
        catalogueOf: { connectorName: action.connectorName, seq: (model.catalogueOf?.seq ?? 0) + 1 },
      };
    case 'focus-connector':
      if (action.connectorKey === null) return model.focus ? { ...model, focus: null } : model;
      if (!model.daemons[action.daemonId]?.connectors[action.connectorKey]) return model;
      return { ...model, selectedDaemonId: action.daemonId, focus: { daemonId: action.daemonId, connectorKey: action.connectorKey } };
    case 'audit-loaded':
      return updateDaemon(model, action.daemonId, (d) => ({ ...d, audit: mergeAudit(d.audit, action.records) }));
    case 'runs-loaded':
      return updateDaemon(model, action.daemonId, (d) => ({
        ...d,
        runs: { ...d.runs, [action.connectorName]: mergeRuns(d.runs[action.connectorName] ?? [], action.runs) },
      }));
    case 'recent-runs-loaded':
      return updateDaemon(model, action.daemonId, (d) => {
        const byConnector = new Map<string, ConnectorRun[]>();
        for (const run of action.runs) byConnector.set(run.connectorName, [...(byConnector.get(run.connectorName) ?? []), run]);
        const runs = { ...d.runs };
        for (const [name, list] of byConnector) runs[name] = mergeRuns(runs[name] ?? [], list);
        return { ...d, runs };
      });
    case 'object-retries-loaded':
      return updateDaemon(model, action.daemonId, (d) => ({
        ...d,
        objectRetries: { ...d.objectRetries, [action.connectorName]: action.objectRetries },
      }));
  }
}

function updateDaemon(model: ConsoleModel, daemonId: string, f: (d: DaemonModel) => DaemonModel): ConsoleModel {
  const daemon = model.daemons[daemonId];
  if (!daemon) return model;
  return { ...model, daemons: { ...model.daemons, [daemonId]: f(daemon) } };
}

/**
 * Applies a batch of events (everything that arrived in one task). A burst of 1,000 status or audit events must
 * not copy the 1,000-entry connector map or the audit ring 1,000 times: the first event of the batch copies it,
 * later ones patch that copy, which nobody outside this function has seen yet.
 */
export function applyConsoleEvents(model: ConsoleModel, events: readonly ConsoleEvent[], now: number): ConsoleModel {
  let m = model;
  const ownConnectors = new Set<Record<string, ConnectorEntry>>();
  const ownAudit = new Set<AuditRecord[]>();
  for (const item of events) {
    const daemon = item.type === 'event' ? m.daemons[item.daemonId] : undefined;
    if (item.type !== 'event' || !daemon) {
      m = applyConsoleEvent(m, item, now);
      continue;
    }
    const event = item.event;
    const clockSkewMs = skewFrom(event.serverTime, now, daemon.clockSkewMs);
    if (event.type === 'connector-status') {
      const key = connectorKey(event.urlMarker, event.report.connectorName);
      const old = daemon.connectors[key];
      if (old) {
        let connectors = daemon.connectors;
        if (!ownConnectors.has(connectors)) {
          connectors = { ...connectors };
          ownConnectors.add(connectors);
        }
        connectors[key] = { key, urlMarker: event.urlMarker, report: event.report };
        const text = old.report.connectorStatus !== event.report.connectorStatus ? statusChangeText(event.report, old.report) : null;
        m = {
          ...m,
          daemons: { ...m.daemons, [item.daemonId]: { ...daemon, connectors, clockSkewMs } },
          announcement: text ? announce(m, `${daemon.entry.label}: ${text}`) : m.announcement,
        };
        continue;
      }
    }
    if (event.type === 'audit') {
      const last = daemon.audit[daemon.audit.length - 1];
      if (!last || compareAudit(last, event.record) < 0) {
        let audit = daemon.audit;
        if (!ownAudit.has(audit)) {
          audit = [...audit];
          ownAudit.add(audit);
        }
        audit.push(event.record);
        m = { ...m, daemons: { ...m.daemons, [item.daemonId]: { ...daemon, audit, clockSkewMs } } };
        continue;
      }
    }
    m = applyConsoleEvent(m, item, now);
  }
  // Rings grown by in-place appends are cut back to their limit once, at the end.
  for (const id of m.order) {
    const daemon = m.daemons[id];
    if (daemon && ownAudit.has(daemon.audit) && daemon.audit.length > AUDIT_LIMIT) {
      m = { ...m, daemons: { ...m.daemons, [id]: { ...daemon, audit: daemon.audit.slice(daemon.audit.length - AUDIT_LIMIT) } } };
    }
  }
  return m;
}

export function applyConsoleEvent(model: ConsoleModel, event: ConsoleEvent, now: number): ConsoleModel {
  switch (event.type) {
    case 'daemon':
      return applyView(model, event.view);
    case 'daemon-removed': {
      if (!model.daemons[event.daemonId]) return model;
      const { [event.daemonId]: _removed, ...daemons } = model.daemons;
      const order = model.order.filter((id) => id !== event.daemonId);
      const selectedDaemonId = model.selectedDaemonId === event.daemonId ? (order[0] ?? null) : model.selectedDaemonId;
      const focus = model.focus?.daemonId === event.daemonId ? null : model.focus;
      return { ...model, daemons, order, selectedDaemonId, focus };
    }
    case 'event':
      return applyDaemonEvent(model, event.daemonId, event.event, now);
    case 'focus-connector': {
      const daemon = model.daemons[event.daemonId];
      const entry = daemon && Object.values(daemon.connectors).find((c) => c.report.connectorName === event.connectorName);
      if (!entry) return model;
      return { ...model, selectedDaemonId: event.daemonId, focus: { daemonId: event.daemonId, connectorKey: entry.key } };
    }
  }
}

/**
 * A daemon view says how the daemon is reached. Its `status` is taken only as the first snapshot: afterwards the
 * hello and connector-status events keep connectors current (a connection re-sends its view with the whole status
 * on every event, and rebuilding 1,000 connectors per event would undo the one-row patching).
 */
function applyView(model: ConsoleModel, view: DaemonView): ConsoleModel {
  const id = view.entry.id;
  const previous = model.daemons[id];
  const clockSkewMs = previous ? nextSkew(previous.clockSkewMs, view.clockSkewMs) : view.clockSkewMs;
  const takeSnapshot = view.status !== undefined && !previous?.hasSnapshot;
  if (previous && !takeSnapshot && sameView(previous, view, clockSkewMs)) return model;
  let daemon: DaemonModel = {
    ...(previous ?? emptyDaemon(view)),
    entry: view.entry,
    connection: view.connection,
    clockSkewMs,
    eventStream: view.eventStream,
    mayChange: view.mayChange !== false,
  };
  if (view.nextReconnectAt) daemon.nextReconnectAt = view.nextReconnectAt;
  else delete daemon.nextReconnectAt;
  if (view.lastError) daemon.lastError = view.lastError;
  else delete daemon.lastError;
  if (takeSnapshot && view.status) daemon = applySnapshot(daemon, view.status);
  const order = previous ? model.order : [...model.order, id];
  const announcement =
    previous && previous.connection !== view.connection && (view.connection === 'disconnected' || previous.connection === 'disconnected')
      ? announce(model, `${view.entry.label}: ${view.connection}`)
      : model.announcement;
  return {
    ...model,
    daemons: { ...model.daemons, [id]: daemon },
    order,
    selectedDaemonId: model.selectedDaemonId ?? id,
    announcement,
  };
}

function sameView(daemon: DaemonModel, view: DaemonView, clockSkewMs: number): boolean {
  const a = daemon.entry;
  const b = view.entry;
  return (
    daemon.connection === view.connection &&
    daemon.nextReconnectAt === view.nextReconnectAt &&
    daemon.lastError === view.lastError &&
    daemon.eventStream === view.eventStream &&
    daemon.mayChange === (view.mayChange !== false) &&
    daemon.clockSkewMs === clockSkewMs &&
    a.label === b.label &&
    a.url === b.url &&
    a.serverName === b.serverName &&
    a.userId === b.userId &&
    a.local === b.local
  );
}

function emptyDaemon(view: DaemonView): DaemonModel {
  return {
    entry: view.entry,
    connection: view.connection,
    clockSkewMs: view.clockSkewMs,
    eventStream: view.eventStream,
    mayChange: view.mayChange !== false,
    hasSnapshot: false,
    services: [],
    connectors: {},
    metadataServers: [],
    groups: [],
    audit: [],
    runs: {},
    objectRetries: {},
  };
}

/** Replaces the daemon's services and connectors, keeping unchanged connector objects so their rows stay put. */
function applySnapshot(daemon: DaemonModel, status: IntegrationDaemonStatusResponse): DaemonModel {
  const services: ServiceModel[] = [];
  const connectors: Record<string, ConnectorEntry> = {};
  for (const summary of status.integrationServiceSummaries) {
    const keys: string[] = [];
    for (const report of summary.integrationConnectorReports) {
      const key = connectorKey(summary.integrationServiceURLMarker, report.connectorName);
      const old = daemon.connectors[key];
      connectors[key] = old && sameReport(old.report, report) ? old : { key, urlMarker: summary.integrationServiceURLMarker, report };
      keys.push(key);
    }
    services.push({
      urlMarker: summary.integrationServiceURLMarker,
      serviceId: summary.integrationServiceId,
      fullName: summary.integrationServiceFullName,
      description: summary.integrationServiceDescription,
      wiki: summary.integrationServiceWiki,
      connectorKeys: keys,
    });
  }
  return {
    ...daemon,
    hasSnapshot: true,
    services,
    connectors,
    metadataServers: status.metadataServers ?? daemon.metadataServers,
    groups: status.integrationGroupSummaries ?? [],
  };
}

/**
 * A connector of a group that was not there before means the daemon has picked up the group's definition since the
 * snapshot (a refused definition starts nothing): the snapshot's problem with that group, such as "not defined", is
 * stale, and the group's connectors tell its status from now on.
 */
function pickedUp(groups: IntegrationGroupSummary[], groupName: string | undefined): IntegrationGroupSummary[] {
  if (groupName === undefined) return groups;
  return groups.map((g) => {
    if (g.integrationGroupName !== groupName || g.integrationGroupProblem === undefined) return g;
    const { integrationGroupProblem: _stale, ...rest } = g;
    return rest;
  });
}

function sameReport(a: IntegrationConnectorReport, b: IntegrationConnectorReport): boolean {
  // A connection hands the same snapshot over twice (its view, then the hello): 1,000 reports need no comparing then.
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function applyDaemonEvent(model: ConsoleModel, daemonId: string, event: DaemonEvent, now: number): ConsoleModel {
  const daemon = model.daemons[daemonId];
  if (!daemon) return model;
  const skewed: DaemonModel = { ...daemon, clockSkewMs: skewFrom(event.serverTime, now, daemon.clockSkewMs) };
  let announcement = model.announcement;
  let next: DaemonModel;
  switch (event.type) {
    case 'hello':
      next = applySnapshot(skewed, event.status);
      break;
    case 'connector-status': {
      const key = connectorKey(event.urlMarker, event.report.connectorName);
      const old = skewed.connectors[key];
      // Taken out of its integration group: its shutdown no longer names the group (a daemon shutting down still does).
      const leftGroup = old?.report.integrationGroupName !== undefined && event.report.integrationGroupName === undefined;
      if (leftGroup && event.report.connectorStatus === 'SHUTDOWN') {
        return reduce(model, { type: 'connector-removed', daemonId, connectorName: event.report.connectorName });
      }
      // A removed connector's last word (its shutdown) may come by the event stream after the removal's answer.
      if (!old && event.report.connectorStatus === 'SHUTDOWN') {
        next = skewed;
        break;
      }
      if (old && old.report.connectorStatus !== event.report.connectorStatus) {
        const text = statusChangeText(event.report, old.report);
        if (text) announcement = announce(model, `${daemon.entry.label}: ${text}`);
      }
      next = {
        ...skewed,
        connectors: { ...skewed.connectors, [key]: { key, urlMarker: event.urlMarker, report: event.report } },
      };
      if (!old) next.services = addConnectorToService(skewed.services, event.urlMarker, key);
      if (!old) next.groups = pickedUp(skewed.groups, event.report.integrationGroupName);
      break;
    }
    case 'audit':
      next = { ...skewed, audit: mergeAudit(skewed.audit, [event.record]) };
      break;
    case 'run': {
      const name = event.run.connectorName;
      next = { ...skewed, runs: { ...skewed.runs, [name]: mergeRuns(skewed.runs[name] ?? [], [event.run]) } };
      break;
    }
    case 'metadata-server': {
      const others = skewed.metadataServers.filter((m) => m.metadataServerName !== event.metadataServer.metadataServerName);
      next = { ...skewed, metadataServers: [...others, event.metadataServer] };
      break;
    }
    case 'object-retry': {
      const name = event.objectRetry.connectorName;
      const rest = (skewed.objectRetries[name] ?? []).filter((o) => o.objectKey !== event.objectRetry.objectKey);
      const list = event.removed ? rest : [...rest, event.objectRetry];
      next = { ...skewed, objectRetries: { ...skewed.objectRetries, [name]: list } };
      break;
    }
    case 'held-archive':
      // The connector's report carries the held archive's count; the preview asks for the sample when opened.
      next = skewed;
      break;
    case 'connector-removed':
      // Only the service it left: a connector moved to another service is removed here and reported there.
      return withoutConnectors({ ...model, announcement }, daemonId, skewed, new Set([connectorKey(event.urlMarker, event.connectorName)]));
  }
  return { ...model, daemons: { ...model.daemons, [daemonId]: next }, announcement };
}

/** The daemon without these connectors (and the focus off them). */
function withoutConnectors(model: ConsoleModel, daemonId: string, daemon: DaemonModel, gone: ReadonlySet<string>): ConsoleModel {
  if (gone.size === 0) return daemon === model.daemons[daemonId] ? model : { ...model, daemons: { ...model.daemons, [daemonId]: daemon } };
  const connectors = Object.fromEntries(Object.entries(daemon.connectors).filter(([key]) => !gone.has(key)));
  const services = daemon.services.map((s) => ({ ...s, connectorKeys: s.connectorKeys.filter((key) => !gone.has(key)) }));
  const focus = model.focus?.daemonId === daemonId && gone.has(model.focus.connectorKey) ? null : model.focus;
  return { ...model, focus, daemons: { ...model.daemons, [daemonId]: { ...daemon, connectors, services } } };
}

/** Skew changes below this are network jitter; ignoring them keeps countdowns from flickering between seconds. */
const SKEW_JITTER_MS = 500;

function skewFrom(serverTime: string, now: number, previous: number): number {
  const t = Date.parse(serverTime);
  return Number.isNaN(t) ? previous : nextSkew(previous, t - now);
}

function nextSkew(previous: number, measured: number): number {
  return Math.abs(measured - previous) < SKEW_JITTER_MS ? previous : measured;
}

function addConnectorToService(services: ServiceModel[], urlMarker: string, key: string): ServiceModel[] {
  const found = services.some((s) => s.urlMarker === urlMarker);
  if (!found) {
    return [...services, { urlMarker, serviceId: 0, fullName: urlMarker, description: '', wiki: '', connectorKeys: [key] }];
  }
  return services.map((s) => (s.urlMarker === urlMarker ? { ...s, connectorKeys: [...s.connectorKeys, key] } : s));
}

/** Only changes an operator acts on are read out: a connector failing, starting to retry, or recovering. */
function statusChangeText(now: IntegrationConnectorReport, before: IntegrationConnectorReport): string | null {
  const was = connectorLevel(before.connectorStatus);
  const is = connectorLevel(now.connectorStatus);
  if (is === 'failed')
    return `connector ${now.connectorName} ${now.connectorStatus}${now.failingExceptionMessageId ? ` (${now.failingExceptionMessageId})` : ''}`;
  if (is === 'retrying' && was !== 'retrying') return `connector ${now.connectorName} is retrying`;
  if (is === 'healthy' && was !== 'healthy') return `connector ${now.connectorName} recovered: ${now.connectorStatus}`;
  return null;
}

function announce(model: ConsoleModel, text: string) {
  return { id: (model.announcement?.id ?? 0) + 1, text };
}

/** Merges by sequence; a daemon restart resets sequences, so the time stamp is part of the identity. */
export function mergeAudit(existing: AuditRecord[], incoming: AuditRecord[]): AuditRecord[] {
  if (incoming.length === 0) return existing;
  const seen = new Set(existing.map(auditIdentity));
  const added = incoming.filter((r) => !seen.has(auditIdentity(r)));
  if (added.length === 0) return existing;
  const last = existing[existing.length - 1];
  const inOrder = added.every((r, i) =>
    i === 0 ? !last || compareAudit(last, r) <= 0 : compareAudit(added[i - 1] as AuditRecord, r) <= 0,
  );
  const merged = inOrder ? [...existing, ...added] : [...existing, ...added].sort(compareAudit);
  return merged.length > AUDIT_LIMIT ? merged.slice(merged.length - AUDIT_LIMIT) : merged;
}

function auditIdentity(r: AuditRecord): string {
  return `${r.sequence}|${r.timeStamp}`;
}

function compareAudit(a: AuditRecord, b: AuditRecord): number {
  return a.timeStamp === b.timeStamp ? a.sequence - b.sequence : a.timeStamp < b.timeStamp ? -1 : 1;
}

/** Upserts by run id (a run is reported when it starts and again when it ends); newest first. */
export function mergeRuns(existing: ConnectorRun[], incoming: ConnectorRun[]): ConnectorRun[] {
  const byId = new Map(existing.map((r) => [r.runId, r]));
  for (const run of incoming) byId.set(run.runId, run);
  return [...byId.values()].sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0)).slice(0, RUNS_LIMIT);
}
