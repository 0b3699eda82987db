// One epoch of a connector: the instance started in it and the work begun for it (lifecycle calls under its abort
// signal, the refresh in progress and the one queued behind it, the run being recorded, an object being retried).
// A restart, retry or shutdown ends the epoch and begins the next, so whatever still comes back from an ended one
// (a hung call finally returning) is told apart by identity and ignored.
import type { RunTrigger } from '../../../shared/api/types.js';
import type { ConnectorContext, IntegrationConnector } from '../../connector-sdk/index.js';
import { ObjectRetryRun } from './object-failures.js';
import type { RunRecorder } from './runs.js';

export class Epoch {
  private readonly abort = new AbortController();
  connector: IntegrationConnector | undefined;
  context: ConnectorContext | undefined;
  refreshing: Promise<void> | undefined;
  /** A refresh asked for while one runs: the first trigger is kept, later ones coalesce into it. */
  pendingTrigger: RunTrigger | undefined;
  currentRun: RunRecorder | undefined;
  readonly objectRetry = new ObjectRetryRun();

  /** Fires when the epoch ends: lifecycle calls still running are abandoned. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Refreshes and change runs take turns: one at a time; `next` runs after each (a refresh asked for meanwhile). */
  takeTurn(work: () => Promise<void>, next: () => void): Promise<void> {
    const running: Promise<void> = work().finally(() => {
      if (this.refreshing === running) this.refreshing = undefined;
      next();
    });
    this.refreshing = running;
    return running;
  }

  /** A change run's turn; a failed one (false) asks for a refresh, which the error handling then governs. */
  async changeTurn(work: () => Promise<boolean>, next: () => void): Promise<boolean> {
    let ran = false;
    await this.takeTurn(async () => {
      ran = await work();
      if (!ran) this.pendingTrigger ??= 'change';
    }, next);
    return ran;
  }

  /** Resolves once no refresh, change run or object retry of this epoch runs. */
  async idle(): Promise<void> {
    for (let busy = this.refreshing ?? this.objectRetry.inFlight; busy; busy = this.refreshing ?? this.objectRetry.inFlight) {
      await busy.catch(() => undefined);
    }
  }

  /** Aborts whatever still runs; returns the instance to disconnect, if one was created. */
  end(reason: string): IntegrationConnector | undefined {
    this.abort.abort(new Error(reason));
    return this.connector;
  }
}
