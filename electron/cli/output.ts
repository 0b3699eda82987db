// What the client commands print: aligned tables with cells made safe for a terminal, times, countdowns (the
// console's formatter, corrected by the daemon's clock skew) and the status table with the metadata-server breaker.
import type { IntegrationConnectorReport, IntegrationDaemonStatusResponse } from '../../shared/api/types.js';
import { formatCountdown } from '../../shared/logic/duration.js';
import { errorText } from '../../shared/api/error-text.js';
import { printable } from '../engine/audit/destinations.js';
import type { CliIo } from './args.js';

const MAX_CELL = 100;

function cell(value: unknown): string {
  // Audit texts and connector messages carry outside data: no line breaks, no terminal control sequences.
  const text = value === undefined || value === null ? '' : printable(errorText(value).replace(/\s+/g, ' '));
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

/** Aligned columns; cells are cut at 100 characters (--json has everything). */
export function table(headers: string[], rows: unknown[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(cell))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function shortTime(iso: string | undefined): string {
  if (iso === undefined) return '';
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 19).replace('T', ' ') : iso;
}

/** "in 04:10" from an absolute time, corrected by the daemon's clock skew; "due" once the time has come. */
export function countdown(iso: string | undefined, skewMs: number, now = Date.now()): string {
  if (iso === undefined) return '';
  const ms = Date.parse(iso) - (now + skewMs);
  if (!Number.isFinite(ms)) return iso;
  return ms <= 0 ? 'due' : `in ${formatCountdown(ms)}`;
}

function nextActivity(report: IntegrationConnectorReport, skewMs: number, now: number): string {
  if (report.retry?.waitingFor === 'metadataServer' && report.retry.attempt === 0) {
    // Waiting spends no attempt: a connector that was not retrying before is not at "retry 0".
    return `waiting for metadata server, next probe ${countdown(report.retry.nextRetryAt, skewMs, now)}`;
  }
  if (report.retry) {
    const limit = report.retry.retryLimit === null ? '' : `/${report.retry.retryLimit}`;
    const waiting = report.retry.waitingFor === 'metadataServer' ? ' (waiting for metadata server)' : '';
    return `retry ${report.retry.attempt}${limit} ${countdown(report.retry.nextRetryAt, skewMs, now)}${waiting}`;
  }
  return report.nextRefreshAt ? `refresh ${countdown(report.nextRefreshAt, skewMs, now)}` : '';
}

export function statusTable(status: IntegrationDaemonStatusResponse, now = Date.now()): string {
  const parsedSkew = status.serverTime ? Date.parse(status.serverTime) - now : 0;
  const skew = Number.isFinite(parsedSkew) ? parsedSkew : 0;
  const rows = status.integrationServiceSummaries.flatMap((summary) =>
    summary.integrationConnectorReports.map((r) => [
      summary.integrationServiceURLMarker || summary.integrationServiceFullName,
      r.connectorName,
      r.connectorStatus,
      shortTime(r.lastRefreshTime),
      nextActivity(r, skew, now),
      r.errorSource ?? '',
      r.pendingObjectRetries ? String(r.pendingObjectRetries) : '',
      r.failingExceptionMessage ?? '',
    ]),
  );
  const lines = [table(['SERVICE', 'CONNECTOR', 'STATUS', 'LAST REFRESH', 'NEXT', 'ERROR SOURCE', 'OBJECT RETRIES', 'MESSAGE'], rows)];
  for (const server of status.metadataServers ?? []) {
    if (server.breakerState !== 'CLOSED') {
      lines.push(
        `\nmetadata server ${server.metadataServerName} is unavailable since ${shortTime(server.unavailableSince ?? server.since)}` +
          `${server.breakerState === 'HALF_OPEN' ? ' (probing now)' : ''}; ` +
          `${server.waitingConnectors === 0 ? 'no connector waiting' : `${server.waitingConnectors} connector(s) waiting`}` +
          `${server.nextProbeAt ? `, next probe ${countdown(server.nextProbeAt, skew, now)}` : ''}` +
          `${server.lastErrorMessage ? `\n  ${server.lastErrorMessage}` : ''}`,
      );
    }
  }
  return lines.join('\n');
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
