// Waiting for an action's outcome: which connectors an action touches, and a promise that resolves once each has
// settled after the request (or the wait is over), read from the store as status events arrive.
import type { IntegrationConnectorReport } from '../../shared/api/types.js';
import type { ConsoleAction } from '../../shared/console-backend.js';
import { settledSince } from '../logic/outcome.js';
import type { DaemonModel } from './model.js';
import type { ConsoleStore } from './store.js';

/** Long enough for a restart with a slow first refresh; after it the console says what it knows. */
export const OUTCOME_WAIT_MS = 30_000;

/** The keys of the connectors an action touches. */
export function actionTargets(daemon: DaemonModel, action: ConsoleAction): string[] {
  return daemon.services.flatMap((service) => {
    if (action.scope !== 'daemon' && action.urlMarker !== undefined && service.urlMarker !== action.urlMarker) return [];
    if (action.scope !== 'connector') return service.connectorKeys;
    return service.connectorKeys.filter((key) => daemon.connectors[key]?.report.connectorName === action.connectorName);
  });
}

export function awaitOutcome(
  store: ConsoleStore,
  daemonId: string,
  keys: readonly string[],
  askedAt: number,
  waitMs: number,
): Promise<{ settled: IntegrationConnectorReport[]; unsettled: number }> {
  const read = () => {
    const connectors = store.getState().model.daemons[daemonId]?.connectors ?? {};
    const settled = keys.flatMap((k) => {
      const report = connectors[k]?.report;
      return report && settledSince(report, askedAt) ? [report] : [];
    });
    return { settled, unsettled: keys.length - settled.length };
  };
  return new Promise((resolve) => {
    const first = read();
    if (first.unsettled === 0) return resolve(first);
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve(read());
    };
    const timer = setTimeout(done, waitMs);
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.model !== previous.model && read().unsettled === 0) done();
    });
  });
}
