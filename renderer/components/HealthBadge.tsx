// The health mark and the connector status badge: symbol, words and colour together, so a state reads without
// colour vision (WCAG 1.4.1).
import type { ConnectorStatus } from '../../shared/api/types.js';
import { connectorLevel, HEALTH_WORDS, type HealthLevel } from '../../shared/logic/aggregate.js';
import { HEALTH_SYMBOL } from '../logic/health.js';

/** Symbol + words + colour: the state reads without colour. */
export function HealthMark({ health, label }: { health: HealthLevel; label?: string }) {
  return (
    <span className={`health health-${health}`}>
      <span className="health-symbol" aria-hidden="true">
        {HEALTH_SYMBOL[health]}
      </span>
      <span className="health-word">{label ?? HEALTH_WORDS[health]}</span>
    </span>
  );
}

/**
 * The connector's status in Egeria's word, with the health its whole report shows: a WAITING connector with a failing
 * catalog target is marked retrying, never with the healthy tick.
 */
export function StatusBadge({ status, health = connectorLevel(status) }: { status: ConnectorStatus; health?: HealthLevel }) {
  return (
    <span className={`badge health-${health}`} data-testid="connector-status">
      <span className="health-symbol" aria-hidden="true">
        {HEALTH_SYMBOL[health]}
      </span>
      {status}
    </span>
  );
}
