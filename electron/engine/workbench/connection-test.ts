// "Test connection": runs a provider's ordered checks against a connector's configuration without creating or
// starting the connector. The whole test runs under one time limit; a check still running when it ends fails, and
// a check whose needed checks did not pass is SKIPPED with the reason. Each step is reported as it completes.
import type { ConnectorTestResponse, ConnectorTestStep } from '../../../shared/api/types.js';
import { ConnectorError, errorText, type ConnectorInstanceConfig, type ConnectorProvider } from '../../connector-sdk/index.js';

export const DEFAULT_CONNECTOR_TEST_TIMEOUT_MS = 30_000;
export const MAX_CONNECTOR_TEST_TIMEOUT_MS = 120_000;

export const CONNECTOR_TEST_MESSAGES = {
  timedOut: 'INTEGRATION-DAEMON-CONNECTOR-TEST-408-001',
  failed: 'INTEGRATION-DAEMON-CONNECTOR-TEST-400-001',
  skipped: 'INTEGRATION-DAEMON-CONNECTOR-TEST-0001',
  noChecks: 'INTEGRATION-DAEMON-CONNECTOR-TEST-0002',
} as const;

export interface ConnectionTestOptions {
  timeoutMs: number;
  onStep?: ((step: ConnectorTestStep) => void) | undefined;
  /** The caller went away: stop at once (the remaining steps are not reported). */
  signal?: AbortSignal | undefined;
}

class TimedOut extends Error {}

export async function runConnectionTest(
  provider: ConnectorProvider,
  config: ConnectorInstanceConfig,
  options: ConnectionTestOptions,
): Promise<ConnectorTestResponse> {
  const steps: ConnectorTestStep[] = [];
  const report = (step: ConnectorTestStep): void => {
    steps.push(step);
    options.onStep?.(step);
  };
  const checks = provider.testChecks ?? [];
  if (checks.length === 0) {
    report({
      name: 'connection checks',
      status: 'SKIPPED',
      message: `${CONNECTOR_TEST_MESSAGES.noChecks} The ${provider.providerName} provider declares no connection checks.`,
      messageId: CONNECTOR_TEST_MESSAGES.noChecks,
      userAction: 'Save the connector and watch its status: its start shows whether it can connect.',
      durationMs: 0,
    });
  }
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new TimedOut()), options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline.signal, options.signal]) : deadline.signal;
  const outcome = new Map<string, ConnectorTestStep['status']>();
  try {
    for (const [index, check] of checks.entries()) {
      options.signal?.throwIfAborted();
      const needs = check.needs ?? checks.slice(0, index).map((c) => c.name);
      const blocker = needs.find((name) => outcome.get(name) !== 'PASSED');
      if (blocker !== undefined || deadline.signal.aborted) {
        const why = deadline.signal.aborted ? 'the test ran out of time' : `"${blocker}" did not pass`;
        outcome.set(check.name, 'SKIPPED');
        report({
          name: check.name,
          status: 'SKIPPED',
          message: `${CONNECTOR_TEST_MESSAGES.skipped} Not run: ${why}.`,
          messageId: CONNECTOR_TEST_MESSAGES.skipped,
          userAction: deadline.signal.aborted
            ? 'Fix the step that did not finish, then test again.'
            : `Fix "${blocker}" first, then test again.`,
          durationMs: 0,
        });
        continue;
      }
      const started = performance.now();
      const step = await runCheck(() => check.run(config, signal), signal, options.timeoutMs);
      outcome.set(check.name, step.status);
      report({ name: check.name, ...step, durationMs: Math.round(performance.now() - started) });
    }
  } finally {
    clearTimeout(timer);
  }
  return {
    class: 'ConnectorTestResponse',
    relatedHTTPCode: 200,
    connectorName: config.connectorName,
    providerName: provider.providerName,
    passed: steps.length > 0 && steps.every((s) => s.status === 'PASSED'),
    steps,
  };
}

/** One check, raced against the deadline so a check that ignores its signal still ends the test on time. */
async function runCheck(
  run: () => Promise<string>,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<Omit<ConnectorTestStep, 'name' | 'durationMs'>> {
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const message = await Promise.race([run(), aborted]);
    return { status: 'PASSED', message };
  } catch (error) {
    if (signal.reason instanceof TimedOut) {
      return {
        status: 'FAILED',
        message: `${CONNECTOR_TEST_MESSAGES.timedOut} The check did not finish within ${timeoutMs / 1000} seconds.`,
        messageId: CONNECTOR_TEST_MESSAGES.timedOut,
        userAction: 'Check that the technology answers (a firewall that drops packets makes a connection hang), then test again.',
      };
    }
    if (signal.aborted) throw error;
    if (error instanceof ConnectorError) {
      return { status: 'FAILED', message: error.message, messageId: error.messageId, userAction: error.userAction };
    }
    return {
      status: 'FAILED',
      message: `${CONNECTOR_TEST_MESSAGES.failed} ${errorText(error)}`,
      messageId: CONNECTOR_TEST_MESSAGES.failed,
      userAction: "Correct the connector's endpoint address or configuration properties as the message says, then test again.",
    };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
