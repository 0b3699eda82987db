// The zustand store: the console model plus the wiring that feeds it from a ConsoleBackend.
import { createStore, useStore } from 'zustand';
import { connectorAction } from '../../shared/console-actions.js';
import type { ConnectorRef, ConsoleAction, ConsoleBackend, ConsoleEvent } from '../../shared/console-backend.js';
import { toDisposable, type Disposable } from '../../shared/logic/disposable.js';
import { errorTextWithFix } from '../../shared/logic/error-text.js';
import { connectorOutcome, groupOutcome } from '../logic/outcome.js';
import { EMPTY_MODEL, type ConsoleModel } from './model.js';
import { actionTargets, awaitOutcome, OUTCOME_WAIT_MS } from './outcome.js';
import { reduce, type ModelAction } from './reducer.js';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
  /** How many identical notices this one stands for (shown as "×N" when more than one). */
  count: number;
  /** When it was last shown (ms): an identical notice within NOTICE_COLLAPSE_MS is counted here instead. */
  at: number;
}

/** Identical notices closer together than this are one notice with a count, not a column of repeats. */
export const NOTICE_COLLAPSE_MS = 10_000;
/** Notices kept on screen at most; older ones give way. */
const NOTICES_SHOWN = 5;

export interface ConsoleStoreState {
  model: ConsoleModel;
  notices: Notice[];
  dispatch: (action: ModelAction) => void;
  /** Applies events still waiting for their batch; set by connectStore. */
  flushEvents: () => void;
  /** Shows a notice and returns its id. */
  notify: (kind: Notice['kind'], text: string) => number;
  /** Replaces a notice's words in place (or shows them anew when it was dismissed meanwhile). */
  update: (id: number, kind: Notice['kind'], text: string) => void;
  dismiss: (id: number) => void;
}

export type ConsoleStore = ReturnType<typeof createConsoleStore>;

export function createConsoleStore(initial: ConsoleModel = EMPTY_MODEL) {
  const now = () => Date.now();
  let noticeId = 0;
  const shown = (notices: Notice[], notice: Notice) => [...notices.slice(1 - NOTICES_SHOWN), notice];
  return createStore<ConsoleStoreState>()((set, get) => ({
    model: initial,
    notices: [],
    dispatch: (action) => {
      // An operator's action (select the daemon just added) must see every event that arrived before it.
      if (action.type !== 'console' && action.type !== 'console-batch') get().flushEvents();
      set((s) => {
        const model = reduce(s.model, action);
        return model === s.model ? s : { model };
      });
    },
    flushEvents: () => undefined,
    notify: (kind, text) => {
      const at = now();
      const same = get().notices.find((n) => n.kind === kind && n.text === text && at - n.at < NOTICE_COLLAPSE_MS);
      if (same) {
        // Moved to the end as the newest, with its count up.
        const counted = { ...same, count: same.count + 1, at };
        set((s) => ({ notices: [...s.notices.filter((n) => n.id !== same.id), counted] }));
        return same.id;
      }
      const id = ++noticeId;
      set((s) => ({ notices: shown(s.notices, { id, kind, text, count: 1, at }) }));
      return id;
    },
    update: (id, kind, text) =>
      set((s) => {
        const at = now();
        const own = s.notices.find((n) => n.id === id);
        // Three refreshes that each end "done, now WAITING" are one notice ×3, whether their words came at once or later.
        const same = s.notices.find((n) => n.id !== id && n.kind === kind && n.text === text && at - n.at < NOTICE_COLLAPSE_MS);
        if (same) {
          const counted = { ...same, count: same.count + (own?.count ?? 1), at };
          return { notices: [...s.notices.filter((n) => n.id !== id && n.id !== same.id), counted] };
        }
        return own
          ? { notices: s.notices.map((n) => (n.id === id ? { ...n, kind, text, at } : n)) }
          : { notices: shown(s.notices, { id, kind, text, count: 1, at }) };
      }),
    dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  }));
}

/**
 * Connects the store to a backend: the daemon list first, then every event. Events that arrive in one task are
 * applied as one batch after it (a MessageChannel message, which test clocks do not fake), so a burst costs one
 * state update and one render. Disposing the result disconnects.
 */
export function connectStore(store: ConsoleStore, backend: ConsoleBackend): Disposable {
  const { dispatch } = store.getState();
  let stopped = false;
  let queued: ConsoleEvent[] = [];
  const channel = new MessageChannel();
  const flush = () => {
    const events = queued;
    queued = [];
    if (!stopped && events.length > 0) dispatch({ type: 'console-batch', events, now: Date.now() });
  };
  channel.port1.onmessage = flush;
  store.setState({ flushEvents: flush });
  // Subscribing before listing means no event can fall between the two; the reducer tolerates the overlap.
  const subscription = backend.subscribe((event) => {
    if (stopped) return;
    queued.push(event);
    if (queued.length === 1) channel.port2.postMessage(null);
  });
  backend.listDaemons().then(
    (views) => {
      if (!stopped) dispatch({ type: 'daemons-listed', views, now: Date.now() });
    },
    (error: unknown) => store.getState().notify('error', errorTextWithFix(error)),
  );
  return toDisposable(() => {
    stopped = true;
    subscription.dispose();
    channel.port1.close();
  });
}

/**
 * Runs an operator action and reports it in the notices area (and so to screen readers): "requested" at once,
 * then, in place, what it came to once the connectors it touched have settled (or `waitMs` has passed).
 */
export async function runAction(
  store: ConsoleStore,
  backend: ConsoleBackend,
  daemonId: string,
  action: ConsoleAction,
  what: string,
  waitMs = OUTCOME_WAIT_MS,
): Promise<boolean> {
  const daemon = store.getState().model.daemons[daemonId];
  // The daemon's clock, a little early: the skew is only corrected past half a second of jitter.
  const askedAt = Date.now() + (daemon?.clockSkewMs ?? 0) - 1000;
  try {
    await backend.action(daemonId, action);
  } catch (error) {
    store.getState().notify('error', `${what} failed: ${errorTextWithFix(error)}`);
    return false;
  }
  const id = store.getState().notify('info', `${what}: requested`);
  const keys = daemon ? actionTargets(daemon, action) : [];
  if (keys.length === 0) return true;
  const { settled, unsettled } = await awaitOutcome(store, daemonId, keys, askedAt, waitMs);
  const only = settled[0];
  const outcome =
    keys.length === 1 && only
      ? connectorOutcome(what, only)
      : settled.length === 0
        ? { failing: false, text: `${what}: requested; no connector has reported back yet` }
        : groupOutcome(what, settled, unsettled);
  store.getState().update(id, outcome.failing ? 'error' : 'info', outcome.text);
  return true;
}

/**
 * "Retry now" for a service or a whole daemon: the API retries one connector at a time, so this asks for each
 * connector that has a retry pending and reports how many were accepted.
 */
export async function retryNow(
  store: ConsoleStore,
  backend: ConsoleBackend,
  connectors: readonly ConnectorRef[],
  what: string,
): Promise<void> {
  const results = await Promise.allSettled(connectors.map((c) => backend.action(c.daemonId, connectorAction('retryNow', c))));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [errorTextWithFix(r.reason)] : []));
  const { notify } = store.getState();
  if (failures.length === 0) notify('info', `${what}: ${connectors.length} connector${connectors.length === 1 ? '' : 's'} retrying now`);
  else notify('error', `${what}: ${failures.length} of ${connectors.length} failed: ${failures[0]}`);
}

export function useConsole<T>(store: ConsoleStore, selector: (s: ConsoleStoreState) => T): T {
  return useStore(store, selector);
}
