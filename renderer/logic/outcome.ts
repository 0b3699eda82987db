// What an action came to, in words: after a restart, refresh or retry now the console waits for the connectors it
// touched to settle and then says how they are ("now RUNNING", "still failing: why"), not just "requested".
import type { ConnectorStatus, IntegrationConnectorReport } from '../../shared/api/types.js';
import { connectorLevel } from '../../shared/logic/aggregate.js';
import { messageWithoutId } from './words.js';

/** Statuses a connector passes through on its way somewhere: an action's outcome is not read from them. */
const PASSING: ReadonlySet<ConnectorStatus> = new Set(['INITIALIZED', 'REFRESHING', 'SHUTDOWN']);

/**
 * Whether a report tells the outcome of an action asked for at `askedAt` (the daemon's clock, epoch ms): its
 * status changed after the request and is not one it is only passing through.
 */
export function settledSince(report: IntegrationConnectorReport, askedAt: number): boolean {
  if (PASSING.has(report.connectorStatus)) return false;
  const changed = report.lastStatusChange ? Date.parse(report.lastStatusChange) : Number.NaN;
  return !Number.isNaN(changed) && changed >= askedAt;
}

function why(r: IntegrationConnectorReport): string {
  const message = messageWithoutId(r.failingExceptionMessage, r.failingExceptionMessageId);
  const text = [r.failingExceptionMessageId, message].filter(Boolean).join(' ');
  return text ? `: ${text}` : '';
}

/** One connector's outcome; `failing` says whether it is news the operator must act on. */
export function connectorOutcome(what: string, report: IntegrationConnectorReport): { failing: boolean; text: string } {
  const level = connectorLevel(report.connectorStatus);
  if (level === 'healthy') return { failing: false, text: `${what}: done, now ${report.connectorStatus}` };
  const retry = report.retry
    ? report.retry.waitingFor === 'metadataServer'
      ? ', waiting for the metadata server'
      : `, retry ${report.retry.attempt}${report.retry.retryLimit === null ? '' : ` of ${report.retry.retryLimit}`} pending`
    : '';
  const action = report.userAction && level === 'failed' ? ` What to do: ${report.userAction}` : '';
  return { failing: true, text: `${what}: still failing, ${report.connectorStatus}${retry}${why(report)}.${action}` };
}

/**
 * The outcome of an action on several connectors: how many are healthy now, which are still failing and why
 * (the first one), and how many had not settled when the console stopped waiting.
 */
export function groupOutcome(
  what: string,
  reports: readonly IntegrationConnectorReport[],
  unsettled: number,
): { failing: boolean; text: string } {
  const failing = reports.filter((r) => connectorLevel(r.connectorStatus) !== 'healthy');
  const healthy = reports.length - failing.length;
  const parts = [`${healthy} now running`];
  if (failing.length > 0) parts.push(`${failing.length} still failing`);
  if (unsettled > 0) parts.push(`${unsettled} not settled yet`);
  const first = failing[0];
  const detail = first ? ` (first: ${first.connectorName} ${first.connectorStatus}${why(first)})` : '';
  return { failing: failing.length > 0, text: `${what}: ${parts.join(', ')}${detail}` };
}

/** Why "Retry now" is not offered for a connector, and what to press instead; null when it is offered. */
export function retryNowUnavailable(report: IntegrationConnectorReport): string | null {
  if (report.connectorStatus === 'RETRYING') return null;
  if (connectorLevel(report.connectorStatus) === 'failed') {
    return `Retry now runs a pending automatic retry, and ${report.connectorName} has ${report.connectorStatus} with none pending. Fix the cause, then press Restart.`;
  }
  return `Retry now runs a pending automatic retry; ${report.connectorName} is ${report.connectorStatus} with none pending. Press Refresh to run it now.`;
}
