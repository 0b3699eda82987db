// One epoch of a connector: the instance started in it and the work begun for it (lifecycle calls under its abort
// signal, the refresh in progress and the one queued behind it, the run being recorded, an object being retried).
// A restart, retry or shutdown ends the epoch and begins the next, so whatever still comes back from an ended one
// (a hung call finally returning) is told apart by identity and ignored.
import type { RunTrigger } from '../../../shared/api/types.js';
import type { IntegrationConnector } from '../../connector-sdk/index.js';
import { ObjectRetryRun } from './object-failures.js';
import type { RunRecorder } from './runs.js';

export class Epoch {
  private readonly abort = new AbortController();
  connector: IntegrationConnector | undefined;
  refreshing: Promise<void> | undefined;
  /** A refresh asked for while one runs: the first trigger is kept, later ones coalesce into it. */
  pendingTrigger: RunTrigger | undefined;
  currentRun: RunRecorder | undefined;
  readonly objectRetry = new ObjectRetryRun();

  /** Fires when the epoch ends: lifecycle calls still running are abandoned. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Aborts whatever still runs; returns the instance to disconnect, if one was created. */
  end(reason: string): IntegrationConnector | undefined {
    this.abort.abort(new Error(reason));
    return this.connector;
  }
}
