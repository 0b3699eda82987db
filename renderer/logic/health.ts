// Health words and symbols for the console. The rules themselves (failed > retrying > disconnected > healthy,
// stopped connectors are not a problem) live in shared/logic/aggregate.ts so the tray and this window agree.
import { connectorLevel, type HealthLevel } from '../../shared/logic/aggregate.js';
import type { IntegrationConnectorReport } from '../../shared/api/types.js';

export type Health = HealthLevel;

export function connectorHealth(report: Pick<IntegrationConnectorReport, 'connectorStatus'>): Health {
  return connectorLevel(report.connectorStatus);
}

/** Shape and words go with every colour so the state reads without colour vision (WCAG 1.4.1). */
export const HEALTH_SYMBOL: Record<Health, string> = {
  failed: '✖',
  retrying: '↻',
  disconnected: '⊘',
  healthy: '✔',
};

export const HEALTH_WORD: Record<Health, string> = {
  failed: 'failed',
  retrying: 'retrying',
  disconnected: 'disconnected',
  healthy: 'healthy',
};
