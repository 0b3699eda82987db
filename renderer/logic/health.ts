// Health symbols for the console. The levels, their words and the rules (failed > retrying > disconnected > healthy,
// stopped connectors are not a problem) live in shared/logic/aggregate.ts so the tray and this window agree.
import type { HealthLevel } from '../../shared/logic/aggregate.js';

/** Shape and words go with every colour so the state reads without colour vision (WCAG 1.4.1). */
export const HEALTH_SYMBOL: Record<HealthLevel, string> = {
  failed: '✖',
  retrying: '↻',
  disconnected: '⊘',
  healthy: '✔',
};
