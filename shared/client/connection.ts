// One live connection to one daemon: a snapshot plus events keep a DaemonView current. While the daemon cannot be
// reached the view says `disconnected` (never the last healthy picture alone) and shows when the next attempt is;
// attempts back off exponentially with jitter. A daemon without an event stream (a real Egeria answers 404 on
// /events) is polled instead.
import type {
  DaemonEvent,
  IntegrationConnectorReport,
  IntegrationDaemonStatusResponse,
  IntegrationServiceSummary,
  MetadataServerStatus,
} from '../api/types.js';
import type { ConsoleEvent, DaemonEntry, DaemonView } from '../console-backend.js';
import { retryDelayMs, type BackoffPolicy } from '../logic/backoff.js';
import { systemClock, type Clock } from '../logic/clock.js';
import { Emitter, type Disposable } from '../logic/disposable.js';
import { DaemonClient } from './client.js';
import { DaemonClientError } from './errors.js';

export interface DaemonConnectionOptions {
  entry: DaemonEntry;
  token?: string;
  fetch?: typeof fetch;
  clock?: Clock;
  /** Values in [0, 1) for reconnect jitter. */
  random?: () => number;
  /** How often a daemon without an event stream is polled; default 5 s. */
  pollIntervalMs?: number;
  /** Reconnect backoff; default 1 s doubling to 30 s with ±20 % jitter. */
  reconnect?: BackoffPolicy;
  /** No bytes (not even a heartbeat, sent every 15 s) for this long = the stream is dead; default 45 s. */
  stallTimeoutMs?: number;
}

const SKEW_TOLERANCE_MS = 1_000;
const DEFAULT_RECONNECT: BackoffPolicy = { initialMs: 1_000, multiplier: 2, maxMs: 30_000, jitter: 0.2 };

export class DaemonConnection {
  readonly client: DaemonClient;
  private readonly events = new Emitter<ConsoleEvent>();
  /** The view after every change (`daemon`) and each daemon event as it arrives (`event`). */
  readonly onEvent = this.events.event;
  private current: DaemonView;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly reconnectPolicy: BackoffPolicy;
  private readonly pollIntervalMs: number;
  private readonly stallTimeoutMs: number;
  /** Bumped whenever the current attempt is abandoned, so late answers of an old attempt are ignored. */
  private generation = 0;
  private failures = 0;
  private running = false;
  private abort: AbortController | undefined;
  private timer: Disposable | undefined;
  private stallTimer: Disposable | undefined;

  constructor(private readonly options: DaemonConnectionOptions) {
    this.client = new DaemonClient({
      url: options.entry.url,
      serverName: options.entry.serverName,
      userId: options.entry.userId,
      base: options.entry.era === 'egeria-5-token' ? 'token' : 'users',
      ...(options.token !== undefined ? { token: options.token } : {}),
      ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
    });
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.reconnectPolicy = options.reconnect ?? DEFAULT_RECONNECT;
    this.pollIntervalMs = options.pollIntervalMs ?? 5_000;
    this.stallTimeoutMs = options.stallTimeoutMs ?? 45_000;
    this.current = { entry: options.entry, connection: 'connecting', clockSkewMs: 0, eventStream: true };
  }

  get view(): DaemonView {
    return this.current;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect(++this.generation);
  }

  stop(): void {
    this.running = false;
    this.abandon();
  }

  /** Skip the remaining backoff wait (an operator clicked "reconnect"). */
  reconnectNow(): void {
    if (!this.running) return;
    this.abandon();
    this.failures = 0;
    void this.connect(this.generation);
  }

  private abandon(): void {
    this.generation++;
    this.abort?.abort();
    this.abort = undefined;
    this.timer?.dispose();
    this.stallTimer?.dispose();
  }

  private update(patch: Partial<DaemonView>, clear: (keyof DaemonView)[] = []): void {
    const next: DaemonView = { ...this.current, ...patch };
    for (const key of clear) delete next[key];
    this.current = next;
    this.events.fire({ type: 'daemon', view: next });
  }

  private emitEvent(event: DaemonEvent): void {
    this.events.fire({ type: 'event', daemonId: this.options.entry.id, event });
  }

  private async connect(generation: number): Promise<void> {
    // A daemon that is down stays `disconnected` through each attempt, so trays and lists do not flicker.
    if (this.current.connection !== 'disconnected') this.update({ connection: 'connecting' }, ['nextReconnectAt']);
    const controller = new AbortController();
    this.abort = controller;
    this.armStallTimer(generation);
    try {
      await this.client.subscribe((event) => this.onStreamEvent(generation, event), controller.signal, {
        onActivity: () => this.armStallTimer(generation),
      });
      if (generation === this.generation) this.lost('INTEGRATION-DAEMON-CLIENT-503-002 The daemon closed the event stream');
    } catch (error) {
      if (generation !== this.generation) return;
      this.stallTimer?.dispose();
      if (error instanceof DaemonClientError && error.kind === 'http' && error.httpStatus === 404) {
        await this.poll(generation);
        return;
      }
      this.lost(describe(error));
    }
  }

  private armStallTimer(generation: number): void {
    this.stallTimer?.dispose();
    this.stallTimer = this.clock.setTimeout(() => {
      if (generation === this.generation) {
        this.lost(
          `INTEGRATION-DAEMON-CLIENT-504-002 No event or heartbeat from the daemon for ${Math.round(this.stallTimeoutMs / 1000)} s`,
        );
      }
    }, this.stallTimeoutMs);
  }

  private onStreamEvent(generation: number, event: DaemonEvent): void {
    if (generation !== this.generation) return;
    const skew = Date.parse(event.serverTime) - this.clock.now();
    // Network delay jitters the measured skew by milliseconds; countdowns only need it to about a second, and a
    // new view per audit event just for that would be noise.
    const clockSkewMs =
      Number.isFinite(skew) && (event.type === 'hello' || Math.abs(skew - this.current.clockSkewMs) > SKEW_TOLERANCE_MS)
        ? skew
        : this.current.clockSkewMs;
    if (event.type === 'hello') {
      this.failures = 0;
      this.update({ connection: 'connected', eventStream: true, status: event.status, clockSkewMs, mayChange: this.client.mayChange }, [
        'lastError',
        'nextReconnectAt',
      ]);
      this.emitEvent(event);
      return;
    }
    const status = this.current.status === undefined ? undefined : applyEvent(this.current.status, event);
    this.emitEvent(event);
    if (status !== this.current.status || clockSkewMs !== this.current.clockSkewMs) {
      this.update({ clockSkewMs, ...(status !== undefined ? { status } : {}) });
    }
  }

  /** Polling mode: one status call now, the next after pollIntervalMs; any failure → reconnect with backoff. */
  private async poll(generation: number): Promise<void> {
    const controller = new AbortController();
    this.abort = controller;
    let status: IntegrationDaemonStatusResponse;
    try {
      status = await this.client.status(controller.signal);
    } catch (error) {
      if (generation === this.generation) this.lost(describe(error));
      return;
    }
    if (generation !== this.generation) return;
    this.failures = 0;
    const previous = this.current.status;
    const skew = status.serverTime !== undefined ? Date.parse(status.serverTime) - this.clock.now() : Number.NaN;
    this.update(
      {
        connection: 'connected',
        eventStream: false,
        status,
        clockSkewMs: Number.isFinite(skew) ? skew : this.current.clockSkewMs,
        mayChange: this.client.mayChange,
      },
      ['lastError', 'nextReconnectAt'],
    );
    // Without an event stream, changes are found by comparing snapshots; they are passed on as connector-status
    // events with sequence 0 (= derived by polling, not numbered by the daemon).
    if (previous !== undefined) {
      const serverTime = status.serverTime ?? new Date(this.clock.now()).toISOString();
      for (const [marker, report] of changedReports(previous, status)) {
        this.emitEvent({ type: 'connector-status', sequence: 0, serverTime, urlMarker: marker, report });
      }
      for (const [marker, connectorName] of removedConnectors(previous, status)) {
        this.emitEvent({ type: 'connector-removed', sequence: 0, serverTime, urlMarker: marker, connectorName });
      }
    }
    this.timer = this.clock.setTimeout(() => {
      if (generation === this.generation) void this.poll(generation);
    }, this.pollIntervalMs);
  }

  private lost(reason: string): void {
    this.abandon();
    if (!this.running) return;
    this.failures++;
    const delay = retryDelayMs(this.reconnectPolicy, this.failures, this.random);
    const generation = this.generation;
    this.update({ connection: 'disconnected', lastError: reason, nextReconnectAt: new Date(this.clock.now() + delay).toISOString() });
    this.timer = this.clock.setTimeout(() => {
      if (generation === this.generation) void this.connect(generation);
    }, delay);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function replaceReport(summary: IntegrationServiceSummary, report: IntegrationConnectorReport): IntegrationServiceSummary {
  const reports = summary.integrationConnectorReports;
  const index = reports.findIndex((r) => r.connectorName === report.connectorName);
  const next = index < 0 ? [...reports, report] : reports.map((r, i) => (i === index ? report : r));
  return { ...summary, integrationConnectorReports: next };
}

/** The status after one event; the same object when the event does not change the status. */
export function applyEvent(status: IntegrationDaemonStatusResponse, event: DaemonEvent): IntegrationDaemonStatusResponse {
  if (event.type === 'hello') return event.status;
  if (event.type === 'connector-status') {
    const summaries = status.integrationServiceSummaries;
    let index = summaries.findIndex((s) => s.integrationServiceURLMarker === event.urlMarker);
    if (index < 0)
      index = summaries.findIndex((s) => s.integrationConnectorReports.some((r) => r.connectorName === event.report.connectorName));
    if (index < 0) return status;
    return { ...status, integrationServiceSummaries: summaries.map((s, i) => (i === index ? replaceReport(s, event.report) : s)) };
  }
  if (event.type === 'connector-removed') {
    const summaries = status.integrationServiceSummaries;
    const index = summaries.findIndex(
      (s) =>
        s.integrationServiceURLMarker === event.urlMarker &&
        s.integrationConnectorReports.some((r) => r.connectorName === event.connectorName),
    );
    if (index < 0) return status;
    return {
      ...status,
      integrationServiceSummaries: summaries.map((s, i) =>
        i === index
          ? { ...s, integrationConnectorReports: s.integrationConnectorReports.filter((r) => r.connectorName !== event.connectorName) }
          : s,
      ),
    };
  }
  if (event.type === 'metadata-server') {
    const servers: MetadataServerStatus[] = status.metadataServers ?? [];
    const name = event.metadataServer.metadataServerName;
    const next = servers.some((m) => m.metadataServerName === name)
      ? servers.map((m) => (m.metadataServerName === name ? event.metadataServer : m))
      : [...servers, event.metadataServer];
    return { ...status, metadataServers: next };
  }
  return status;
}

/** Connectors in the first snapshot and not in the second, with their service's URL marker. */
export function removedConnectors(before: IntegrationDaemonStatusResponse, after: IntegrationDaemonStatusResponse): [string, string][] {
  const now = new Set<string>();
  for (const summary of after.integrationServiceSummaries) {
    for (const report of summary.integrationConnectorReports)
      now.add(`${summary.integrationServiceURLMarker}\u0000${report.connectorName}`);
  }
  return before.integrationServiceSummaries.flatMap((summary) =>
    summary.integrationConnectorReports
      .filter((report) => !now.has(`${summary.integrationServiceURLMarker}\u0000${report.connectorName}`))
      .map((report): [string, string] => [summary.integrationServiceURLMarker, report.connectorName]),
  );
}

/** Reports that differ between two snapshots (new ones included), with their service's URL marker. */
export function changedReports(
  before: IntegrationDaemonStatusResponse,
  after: IntegrationDaemonStatusResponse,
): [string, IntegrationConnectorReport][] {
  const old = new Map<string, string>();
  for (const summary of before.integrationServiceSummaries) {
    for (const report of summary.integrationConnectorReports)
      old.set(`${summary.integrationServiceURLMarker}\u0000${report.connectorName}`, JSON.stringify(report));
  }
  const changed: [string, IntegrationConnectorReport][] = [];
  for (const summary of after.integrationServiceSummaries) {
    for (const report of summary.integrationConnectorReports) {
      if (old.get(`${summary.integrationServiceURLMarker}\u0000${report.connectorName}`) !== JSON.stringify(report)) {
        changed.push([summary.integrationServiceURLMarker, report]);
      }
    }
  }
  return changed;
}
