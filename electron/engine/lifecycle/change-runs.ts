// A change run: work a connector does on its own between refreshes (a file system change hint), recorded as a run
// with trigger `change` so "when was this catalogued?" has an answer in the run history and the audit log. It takes
// its turn with refreshes (never beside one), its archive goes through the mass-archive fail-safe like a refresh's,
// and a failure ends it FAILED and asks for a refresh, which the connector's error handling then governs.
import type { ErrorScope, ErrorSource, RunState } from '../../../shared/api/types.js';
import type { ClassifiedError, FailedOperation } from '../recovery/types.js';
import type { ConnectorAudit } from './connector-audit.js';
import { asError, errorSource } from './context.js';
import type { Epoch } from './epoch.js';
import { settleArchive } from './held-archives.js';
import type { HandlerConnectorConfig, LifecycleEnvironment } from './ports.js';
import { RUN_AUDIT } from './run-messages.js';
import { RunRecorder, saveRun } from './runs.js';

export interface ChangeRunHost {
  env: LifecycleEnvironment;
  audit: ConnectorAudit;
  config: HandlerConnectorConfig;
  urlMarker: string;
  instanceId: string;
  /** The handler's lifecycle call: under the refresh timeout, abandoned when the epoch ends. */
  call(work: (signal: AbortSignal) => Promise<void>): Promise<void>;
  classify(error: unknown, via: ErrorSource, operation: FailedOperation, scope: ErrorScope): ClassifiedError;
  /** Object failures reported during the run have their durable triggers. */
  recorded(): Promise<void> | undefined;
  isCurrent(): boolean;
}

/** Runs `work` as a change run of `epoch`'s instance; returns false when the run asks for a refresh after it. */
export async function runChange(host: ChangeRunHost, epoch: Epoch, work: (signal: AbortSignal) => Promise<void>): Promise<boolean> {
  const { env, config } = host;
  const run = new RunRecorder(config.connectorName, config.connectorId, host.instanceId, 'change', env.clock.now());
  epoch.currentRun = run;
  saveRun(env, run);
  let failure: unknown;
  try {
    await host.call(async (signal) => {
      await work(signal);
      await settleArchive({ epoch, run, env, config, urlMarker: host.urlMarker, signal });
    });
  } catch (error) {
    failure = error;
  }
  if (epoch.currentRun === run) epoch.currentRun = undefined;
  await host.recorded();
  host.audit.flushSuppressed();
  const finish = (state: RunState, failed?: { messageId?: string; message: string }): void => {
    run.finish(env.clock.now(), state, failed);
    saveRun(env, run);
  };
  if (failure !== undefined || !host.isCurrent()) {
    const error = asError(failure ?? new Error(`The change run of integration connector ${config.connectorName} was abandoned`));
    const classified = host.classify(error, errorSource(error), 'refresh', 'refresh');
    if (host.isCurrent()) host.audit.callFailed('changeRun', classified, error);
    finish('FAILED', { messageId: classified.messageId, message: classified.message });
    return false;
  }
  finish(run.failed > 0 || run.held !== undefined ? 'PARTIAL' : 'SUCCEEDED');
  const { counts } = run.snapshot();
  env.audit.log(RUN_AUDIT.changeRun, [config.connectorName, run.runId, counts.created, counts.updated, counts.archived, counts.failed], {
    connectorName: config.connectorName,
    urlMarker: host.urlMarker,
  });
  return true;
}
