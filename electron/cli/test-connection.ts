// `integration-daemon test`: the connection test of a configured connector, or of a connector entry in a JSON file
// not saved yet, printed step by step as the daemon completes each (the daemon streams them as NDJSON).
import { readFileSync } from 'node:fs';
import type { ConnectorTestStep } from '../../shared/api/types.js';
import { type CliIo, clientOptions, parse, positiveInteger, UsageError } from './args.js';
import { makeClient } from './client.js';
import { printJson } from './output.js';

const MARK: Record<ConnectorTestStep['status'], string> = { PASSED: 'ok', FAILED: 'FAIL', SKIPPED: 'skip' };

function stepLine(step: ConnectorTestStep): string {
  const fix = step.status === 'PASSED' || step.userAction === undefined ? '' : `\n       fix: ${step.userAction}`;
  return `${MARK[step.status].padEnd(4)}  ${step.name} (${step.durationMs} ms): ${step.message}${fix}\n`;
}

function readEntry(file: string): Record<string, unknown> {
  let entry: unknown;
  try {
    entry = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-017',
      `--entry ${file} cannot be read as JSON: ${(error as Error).message}`,
      'Write the connector entry as it would appear under "connectors" in the configuration document.',
    );
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-017',
      `--entry ${file} does not hold a JSON object`,
      'Write one connector entry object.',
    );
  }
  return entry as Record<string, unknown>;
}

export async function testCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    args,
    { ...clientOptions, entry: { type: 'string' }, service: { type: 'string' }, timeout: { type: 'string' } },
    1,
  );
  const name = positionals[0];
  if ((name === undefined) === (values.entry === undefined) || (values.entry !== undefined && values.service === undefined)) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-018',
      'test needs either a connector name or --entry FILE with --service MARKER',
      'Pass the name of a configured connector (test LandingAreaFilesMonitor), or an unsaved entry: test --entry new.json --service files-integrator.',
    );
  }
  const timeout = positiveInteger(values.timeout, '--timeout');
  const client = await makeClient(values, io.env);
  const onStep = values.json ? undefined : (step: ConnectorTestStep) => io.stdout(stepLine(step));
  const options = { onStep, ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}) };
  const result =
    name !== undefined
      ? await client.testConnector(name, options)
      : await client.testConnectorEntry(values.service as string, readEntry(values.entry as string), options);
  if (values.json) printJson(io, result);
  else io.stdout(result.passed ? `${result.connectorName}: every step passed\n` : `${result.connectorName}: the test failed\n`);
  return result.passed ? 0 : 1;
}
