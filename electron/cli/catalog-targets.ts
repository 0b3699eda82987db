// The `targets` command: `targets NAME` lists a connector's catalog targets (target, status, last run, error source,
// message); `targets NAME refresh|retry TARGET` refreshes one target now, or retries a failed one now, without
// restarting the connector.
import type { CatalogTargetReport } from '../../shared/api/catalog-targets.js';
import { type CliIo, clientOptions, parse, UsageError } from './args.js';
import { makeClient } from './client.js';
import { printJson, shortTime, table } from './output.js';

const USAGE_FIX = 'Use: integration-daemon targets NAME, or targets NAME refresh TARGET, or targets NAME retry TARGET.';

function rows(targets: readonly CatalogTargetReport[]): string[][] {
  return targets.map((t) => [
    t.catalogTargetName,
    t.catalogTargetStatus === 'FAILED' && t.retry
      ? `FAILED (retry ${t.retry.attempt} at ${shortTime(t.retry.nextRetryAt)})`
      : t.catalogTargetStatus,
    t.lastRefreshTime ? shortTime(t.lastRefreshTime) : '-',
    t.errorSource ?? '',
    t.failingExceptionMessage ?? '',
  ]);
}

export async function targetsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, clientOptions, 3);
  const [connector, action, target] = positionals;
  if (connector === undefined) {
    throw new UsageError('INTEGRATION-DAEMON-CLI-400-060', "targets needs the connector's name", USAGE_FIX);
  }
  if (action !== undefined && action !== 'refresh' && action !== 'retry') {
    throw new UsageError('INTEGRATION-DAEMON-CLI-400-061', `targets does not know the action ${action}`, USAGE_FIX);
  }
  if (action !== undefined && target === undefined) {
    throw new UsageError('INTEGRATION-DAEMON-CLI-400-062', `targets ${connector} ${action} needs the catalog target's name`, USAGE_FIX);
  }
  const client = await makeClient(values, io.env);
  if (action !== undefined && target !== undefined) {
    await client.catalogTargetAction(connector, target, action);
    if (values.json) printJson(io, { connector, catalogTarget: target, action });
    else
      io.stdout(
        action === 'refresh'
          ? `Catalog target ${target} of ${connector} refreshed.\n`
          : `Catalog target ${target} of ${connector} retried.\n`,
      );
    return 0;
  }
  const targets = await client.catalogTargets(connector);
  if (values.json) {
    printJson(io, targets);
    return 0;
  }
  if (targets.length === 0) {
    io.stdout(`${connector} has no catalog targets: it works on its own endpoint.\n`);
    return 0;
  }
  io.stdout(`${table(['TARGET', 'STATUS', 'LAST RUN', 'ERROR SOURCE', 'MESSAGE'], rows(targets))}\n`);
  return 0;
}
