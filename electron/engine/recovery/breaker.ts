// One circuit breaker per metadata server, shared by every connector that uses it. While the server is down the
// connectors park here instead of spending their own retries; exactly one probe is in flight at any time; when
// the probe answers, the parked connectors are released spread over a short period so they do not all hit the
// server in the same instant.
import type { BreakerState, MetadataServerStatus } from '../../../shared/api/types.js';
import { retryDelayMs } from '../../../shared/logic/backoff.js';
import type { StateStore, StoredBreaker } from '../state/types.js';
import { formatElapsed } from '../../../shared/logic/duration.js';
import type { AuditMessageId } from '../audit/catalogue.js';
import { RECOVERY_AUDIT } from './messages.js';
import { isMetadataServerUnavailable } from './strategy.js';
import type { Clock } from '../../../shared/logic/clock.js';
import type { Disposable } from '../../../shared/logic/disposable.js';
import type { ClassifiedError } from './types.js';
import { errorText } from '../../../shared/api/error-text.js';
import { redactText } from '../../../shared/api/redact.js';

/**
 * The cause of an outage as the records show it after "The metadata server X is not available: ", without the same
 * words again (a MetadataServerUnavailableError's message starts with them).
 */
function unavailableCause(metadataServerName: string, text: string): string {
  const prefix = `The metadata server ${metadataServerName} is not available: `;
  let cause = text;
  while (cause.startsWith(prefix)) cause = cause.slice(prefix.length);
  return cause;
}

export interface MetadataServerBreakerOptions {
  metadataServerName: string;
  clock: Clock;
  random: () => number;
  store?: StateStore;
  /** A cheap read-only round trip (MetadataServer.ping). */
  probe: () => Promise<void>;
  /** Wait before the first probe, doubling per failed probe up to max; ±20 % jitter. */
  openIntervalMs?: { initial: number; max: number };
  /** Parked connectors are released spread over this many ms after the breaker closes. */
  releaseSpreadMs?: number;
  /** A probe that has not answered by then counts as failed (it still blocks the next probe until it settles). */
  probeTimeoutMs?: number;
  /**
   * A new outage starts from the initial interval once the breaker has been closed this long; before that the
   * interval keeps growing (protection against a flapping server). Default 0: a probe is one cheap round trip, and a
   * reopen right after a successful probe is more often local congestion than a new outage, so it is checked soon.
   */
  resetAfterClosedMs?: number;
  /**
   * Changes of `waitingConnectors` alone are reported at most this often (state changes at once): 1,000 connectors
   * parking one by one would otherwise make 1,000 status events, each of which the daemon fans out to every connector.
   */
  waitingNotifyMs?: number;
  onChange?: (status: MetadataServerStatus) => void;
  /** Writes one of the audit catalogue's messages (the daemon hands its audit log's `log`). */
  onAudit?: (messageId: AuditMessageId, parameters: string[]) => void;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

const JITTER = 0.2;
/** Release slots are at least this far apart; finer slots would only add timer churn. */
const MIN_RELEASE_SLOT_MS = 20;

export class MetadataServerBreaker {
  readonly metadataServerName: string;
  #state: BreakerState = 'CLOSED';
  #since: number;
  #nextProbeAt: number | null = null;
  #openCount = 0;
  /** When the current outage began; unchanged by probes. Null while the breaker is closed. */
  #openedAt: number | null = null;
  /** Most connectors parked at once during the current outage, for the record of its end. */
  #mostWaiting = 0;
  #lastErrorMessage: string | null = null;
  #probeTimer: Disposable | null = null;
  #releaseTimer: Disposable | null = null;
  #probeCycle: Promise<BreakerState> | null = null;
  #probesInFlight = 0;
  #probeCount = 0;
  #maxConcurrentProbes = 0;
  #waiters = new Set<Waiter>();
  #waitingNotify: Disposable | null = null;
  #disposed = false;
  readonly #o: Required<Omit<MetadataServerBreakerOptions, 'store' | 'onChange' | 'onAudit'>> &
    Pick<MetadataServerBreakerOptions, 'store' | 'onChange' | 'onAudit'>;

  constructor(options: MetadataServerBreakerOptions) {
    this.#o = {
      openIntervalMs: { initial: 2_000, max: 60_000 },
      releaseSpreadMs: 1_000,
      probeTimeoutMs: 10_000,
      resetAfterClosedMs: 0,
      waitingNotifyMs: 250,
      ...options,
    };
    this.metadataServerName = options.metadataServerName;
    this.#since = options.clock.now();
    const stored = options.store?.getBreaker(options.metadataServerName);
    if (stored) {
      this.#openCount = stored.openCount;
      this.#lastErrorMessage = stored.lastErrorMessage;
      this.#since = stored.since;
      if (stored.state !== 'CLOSED') {
        // The server was down when the daemon stopped: ask it first, before any connector is let through.
        this.#state = 'OPEN';
        this.#openedAt = stored.since;
        this.#nextProbeAt = this.#o.clock.now();
        this.#scheduleProbe(0);
      }
    }
  }

  get state(): BreakerState {
    return this.#state;
  }
  get waitingConnectors(): number {
    return this.#waiters.size;
  }
  /** Probes started since construction (bench instrumentation). */
  get probeCount(): number {
    return this.#probeCount;
  }
  /** Most probes ever in flight at once; the design promises 1. */
  get maxConcurrentProbes(): number {
    return this.#maxConcurrentProbes;
  }

  /** Outage start (epoch ms) while the metadata server is unavailable. */
  get unavailableSince(): number | null {
    return this.#openedAt;
  }

  status(): MetadataServerStatus {
    return {
      metadataServerName: this.metadataServerName,
      breakerState: this.#state,
      since: new Date(this.#since).toISOString(),
      ...(this.#openedAt === null ? {} : { unavailableSince: new Date(this.#openedAt).toISOString() }),
      ...(this.#nextProbeAt === null ? {} : { nextProbeAt: new Date(this.#nextProbeAt).toISOString() }),
      waitingConnectors: this.#waiters.size,
      ...(this.#lastErrorMessage === null ? {} : { lastErrorMessage: redactText(this.#lastErrorMessage) }),
    };
  }

  /**
   * A call to the metadata server failed. Only availability failures (network, timeout) count; anything else
   * (a rejected request) says the server is up and is ignored here.
   */
  reportUnavailable(error: ClassifiedError): void {
    if (this.#disposed || !isMetadataServerUnavailable(error)) return;
    this.#lastErrorMessage = unavailableCause(this.metadataServerName, error.detail ?? error.message);
    if (this.#state !== 'CLOSED') return;
    const now = this.#o.clock.now();
    if (now - this.#since >= this.#o.resetAfterClosedMs) this.#openCount = 0;
    this.#openedAt = now;
    this.#mostWaiting = this.#waiters.size;
    this.#openCount += 1;
    const delay = this.#openDelay();
    this.#transition('OPEN', now, now + delay);
    // One record when the outage begins and one when it ends; the probes in between write none.
    this.#audit(RECOVERY_AUDIT.metadataServerUnavailable, [
      this.metadataServerName,
      this.#lastErrorMessage,
      new Date(now + delay).toISOString(),
    ]);
    this.#scheduleProbe(delay);
  }

  /** A call to the metadata server succeeded: it is up, whatever the breaker thought. */
  reportAvailable(): void {
    if (this.#disposed || this.#state === 'CLOSED' || this.#probeCycle) return;
    this.#close();
  }

  /** Parks a connector until the breaker is closed. Rejects with the signal's reason when it is aborted. */
  waitUntilClosed(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#disposed) return Promise.reject(this.#disposedError());
    if (this.#state === 'CLOSED') return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          if (this.#waiters.delete(waiter)) {
            this.#queueChange();
            reject(signal.reason);
          }
        },
      };
      this.#waiters.add(waiter);
      this.#mostWaiting = Math.max(this.#mostWaiting, this.#waiters.size);
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.#queueChange();
    });
  }

  /** Probe now instead of at nextProbeAt (operator's "check now"). Resolves with the resulting state. */
  probeNow(): Promise<BreakerState> {
    if (this.#disposed || this.#state === 'CLOSED') return Promise.resolve(this.#state);
    if (this.#probeCycle) return this.#probeCycle;
    this.#probeTimer?.dispose();
    this.#probeTimer = null;
    return this.#runProbe();
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#probeTimer?.dispose();
    this.#releaseTimer?.dispose();
    this.#waitingNotify?.dispose();
    const error = this.#disposedError();
    for (const waiter of this.#waiters) {
      waiter.signal.removeEventListener('abort', waiter.onAbort);
      waiter.reject(error);
    }
    this.#waiters.clear();
  }

  #disposedError(): Error {
    return new Error(`The circuit breaker of metadata server ${this.metadataServerName} has been shut down.`);
  }

  #openDelay(): number {
    const { initial, max } = this.#o.openIntervalMs;
    return retryDelayMs({ initialMs: initial, multiplier: 2, maxMs: max, jitter: JITTER }, this.#openCount, this.#o.random);
  }

  #scheduleProbe(delay: number): void {
    this.#probeTimer?.dispose();
    this.#probeTimer = this.#o.clock.setTimeout(() => {
      this.#probeTimer = null;
      void this.#runProbe();
    }, delay);
  }

  #runProbe(): Promise<BreakerState> {
    if (this.#probeCycle) return this.#probeCycle;
    if (this.#probesInFlight > 0) {
      // The previous probe still hangs: starting another would put two on a server that is already struggling.
      this.#probeFailed('the previous probe has not answered yet');
      return Promise.resolve(this.#state);
    }
    const now = this.#o.clock.now();
    this.#transition('HALF_OPEN', now, null);
    this.#probeCount += 1;
    this.#probesInFlight += 1;
    this.#maxConcurrentProbes = Math.max(this.#maxConcurrentProbes, this.#probesInFlight);
    const cycle = new Promise<BreakerState>((resolve) => {
      let decided = false;
      const decide = (ok: boolean, reason: string) => {
        if (decided) return;
        decided = true;
        timeout.dispose();
        this.#probeCycle = null;
        if (!this.#disposed) {
          if (ok) this.#close();
          else this.#probeFailed(reason);
        }
        resolve(this.#state);
      };
      const timeout = this.#o.clock.setTimeout(
        () => decide(false, `the probe did not answer within ${this.#o.probeTimeoutMs} ms`),
        this.#o.probeTimeoutMs,
      );
      let probing: Promise<void>;
      try {
        probing = this.#o.probe();
      } catch (error) {
        probing = Promise.reject(error);
      }
      probing.then(
        () => {
          this.#probesInFlight -= 1;
          // A late answer after a timeout still proves the server is back.
          if (decided && this.#state === 'OPEN' && !this.#disposed) this.#close();
          decide(true, '');
        },
        (error: unknown) => {
          this.#probesInFlight -= 1;
          decide(false, errorText(error));
        },
      );
    });
    this.#probeCycle = cycle;
    return cycle;
  }

  #probeFailed(reason: string): void {
    const now = this.#o.clock.now();
    this.#lastErrorMessage = unavailableCause(this.metadataServerName, reason);
    this.#openCount += 1;
    const delay = this.#openDelay();
    this.#transition('OPEN', now, now + delay);
    this.#scheduleProbe(delay);
  }

  #close(): void {
    const now = this.#o.clock.now();
    this.#probeTimer?.dispose();
    this.#probeTimer = null;
    const downFor = this.#openedAt === null ? 0 : now - this.#openedAt;
    const waited = Math.max(this.#mostWaiting, this.#waiters.size);
    this.#openedAt = null;
    this.#mostWaiting = 0;
    this.#transition('CLOSED', now, null);
    this.#audit(RECOVERY_AUDIT.metadataServerAvailable, [
      this.metadataServerName,
      formatElapsed(downFor),
      waited === 0 ? 'none' : `${waited}, resuming now`,
    ]);
    this.#release(now);
  }

  /** Releases the parked connectors in slots spread evenly over releaseSpreadMs, stopping if the breaker reopens. */
  #release(closedAt: number): void {
    this.#releaseTimer?.dispose();
    this.#releaseTimer = null;
    const waiters = [...this.#waiters];
    const n = waiters.length;
    if (n === 0) return;
    const spread = Math.max(0, this.#o.releaseSpreadMs);
    const slots = Math.max(1, Math.min(n, Math.floor(spread / MIN_RELEASE_SLOT_MS)));
    const releaseSlot = (slot: number) => {
      this.#releaseTimer = null;
      if (this.#state !== 'CLOSED' || this.#disposed) return;
      const from = Math.ceil((slot * n) / slots);
      const to = Math.ceil(((slot + 1) * n) / slots);
      for (const waiter of waiters.slice(from, to)) {
        if (!this.#waiters.delete(waiter)) continue;
        waiter.signal.removeEventListener('abort', waiter.onAbort);
        waiter.resolve();
      }
      this.#queueChange();
      if (slot + 1 < slots) {
        const at = closedAt + Math.floor(((slot + 1) * spread) / slots);
        this.#releaseTimer = this.#o.clock.setTimeout(() => releaseSlot(slot + 1), Math.max(0, at - this.#o.clock.now()));
      }
    };
    releaseSlot(0);
  }

  /** `since` moves only when the server goes or comes back: a probe (HALF_OPEN and back to OPEN) does not move it. */
  #transition(state: BreakerState, now: number, nextProbeAt: number | null): void {
    if ((state === 'CLOSED') !== (this.#state === 'CLOSED')) this.#since = now;
    this.#state = state;
    this.#nextProbeAt = nextProbeAt;
    this.#persist();
    this.#o.onChange?.(this.status());
  }

  #persist(): void {
    const { store } = this.#o;
    if (!store) return;
    const record: StoredBreaker = {
      metadataServerName: this.metadataServerName,
      state: this.#state,
      since: this.#since,
      nextProbeAt: this.#nextProbeAt,
      openCount: this.#openCount,
      lastErrorMessage: this.#lastErrorMessage,
    };
    try {
      store.putBreaker(record);
    } catch (error) {
      this.#audit(RECOVERY_AUDIT.stateNotSaved, [
        `the circuit breaker state of metadata server ${this.metadataServerName}`,
        errorText(error),
      ]);
    }
  }

  /** Waiting-count changes are throttled: 1,000 connectors parking at once make a few events, not 1,000. */
  #queueChange(): void {
    if (this.#waitingNotify || !this.#o.onChange) return;
    this.#waitingNotify = this.#o.clock.setTimeout(() => {
      this.#waitingNotify = null;
      if (!this.#disposed) this.#o.onChange?.(this.status());
    }, this.#o.waitingNotifyMs);
  }

  #audit(messageId: AuditMessageId, parameters: string[]): void {
    this.#o.onAudit?.(messageId, parameters);
  }
}
