// The commands that operate a running daemon over its REST API (ours or Egeria's): status, restart, refresh,
// retry-now, retry-objects-now, audit-log, metadata-elements, runs and object-retries. Each prints a table, or the JSON answer with --json.
import { ARCHIVED_FILTERS, AUDIT_SEVERITIES, type ArchivedFilter, type AuditRecord, type AuditSeverity } from '../../shared/api/types.js';
import { consoleLine } from '../engine/audit/destinations.js';
import { type CliIo, clientOptions, parse, positiveInteger, UsageError } from './args.js';
import { makeClient } from './client.js';
import { countdown, printJson, shortTime, statusTable, table } from './output.js';

export async function statusCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, clientOptions);
  const client = await makeClient(values, io.env);
  const status = await client.status();
  if (values.json) printJson(io, status);
  else io.stdout(`${statusTable(status)}\n`);
  const failing = status.integrationServiceSummaries
    .flatMap((s) => s.integrationConnectorReports)
    .filter((r) => /FAILED$/.test(r.connectorStatus));
  if (!values.json && failing.length > 0)
    io.stdout(`\n${failing.length} connector(s) failed; fix the cause, then: integration-daemon restart --connector NAME\n`);
  return 0;
}

const targetOptions = { ...clientOptions, service: { type: 'string' }, connector: { type: 'string' } } as const;

export async function restartOrRefresh(kind: 'restart' | 'refresh', args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, targetOptions);
  const client = await makeClient(values, io.env);
  const { service, connector } = values;
  let what: string;
  if (service !== undefined) {
    await (kind === 'restart' ? client.restartService(service, connector) : client.refreshService(service, connector));
    what = connector !== undefined ? `connector ${connector} of ${service}` : `every connector of ${service}`;
  } else if (connector !== undefined) {
    await (kind === 'restart' ? client.restartConnectors(connector) : client.refreshConnectors(connector));
    what = `connector ${connector}`;
  } else {
    await (kind === 'restart' ? client.restartConnectors() : client.refreshAll());
    what = `every connector of ${client.serverName}`;
  }
  const done = {
    kind,
    server: client.serverName,
    ...(service !== undefined ? { service } : {}),
    ...(connector !== undefined ? { connector } : {}),
  };
  if (values.json) printJson(io, done);
  else io.stdout(`${kind === 'restart' ? 'Restart' : 'Refresh'} requested for ${what}.\n`);
  return 0;
}

/** The connector a retry command acts on; both commands need one. */
function requiredConnector(command: string, connector: string | undefined, what: string): string {
  if (connector !== undefined) return connector;
  throw new UsageError(
    'INTEGRATION-DAEMON-CLI-400-007',
    `${command} needs --connector NAME`,
    `Pass the connector ${what}, e.g. ${command} --connector LandingAreaFilesMonitor.`,
  );
}

/** Retry now: the connector's pending retry (its scheduled automatic restart) runs at once. */
export async function retryNowCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ...clientOptions, connector: { type: 'string' } });
  const connector = requiredConnector('retry-now', values.connector, 'whose pending retry should run now');
  const client = await makeClient(values, io.env);
  await client.retryNow(connector);
  if (values.json) printJson(io, { connector, retried: true });
  else io.stdout(`Retry of ${connector} started.\n`);
  return 0;
}

/** Retry objects now: the connector's object retries (or the one named by --object) run at once. */
export async function retryObjectsNowCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ...clientOptions, connector: { type: 'string' }, object: { type: 'string' } });
  const connector = requiredConnector('retry-objects-now', values.connector, 'whose object retries should run now');
  const client = await makeClient(values, io.env);
  const count = await client.retryObjectsNow(connector, values.object);
  if (values.json) printJson(io, { connector, objectRetriesStarted: count });
  else io.stdout(`${count} object retr${count === 1 ? 'y' : 'ies'} of ${connector} started.\n`);
  return 0;
}

function severityList(raw: string | undefined): AuditSeverity[] | undefined {
  if (raw === undefined) return undefined;
  const known = new Map(AUDIT_SEVERITIES.map((s) => [s.toLowerCase(), s]));
  return raw.split(',').map((s) => {
    const severity = known.get(s.trim().toLowerCase());
    if (severity === undefined) {
      throw new UsageError(
        'INTEGRATION-DAEMON-CLI-400-008',
        `unknown severity ${s}`,
        `Use one or more of ${AUDIT_SEVERITIES.join(', ')}, separated by commas.`,
      );
    }
    return severity;
  });
}

export async function auditLogCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    ...clientOptions,
    follow: { type: 'boolean', short: 'f' },
    severity: { type: 'string' },
    connector: { type: 'string' },
    limit: { type: 'string' },
  });
  const severity = severityList(values.severity);
  const limit = positiveInteger(values.limit, '--limit') ?? 100;
  const client = await makeClient(values, io.env);
  const print = (record: AuditRecord): void => io.stdout(values.json ? `${JSON.stringify(record)}\n` : `${consoleLine(record)}\n`);
  const records = await client.auditLog({
    limit,
    ...(severity ? { severity } : {}),
    ...(values.connector !== undefined ? { connectorName: values.connector } : {}),
  });
  records.forEach(print);
  if (!values.follow) return 0;

  let last = records.at(-1)?.sequence ?? 0;
  await client.subscribe((event) => {
    if (event.type !== 'audit' || event.record.sequence <= last) return;
    if (severity && !severity.includes(event.record.severity)) return;
    if (values.connector !== undefined && event.record.connectorName !== values.connector) return;
    last = event.record.sequence;
    print(event.record);
  }, io.stop);
  if (io.stop.aborted) return 0;
  io.stderr('INTEGRATION-DAEMON-CLI-503-001 The daemon closed the event stream.\n');
  return 1;
}

export async function metadataElementsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    ...clientOptions,
    type: { type: 'string' },
    prefix: { type: 'string' },
    connector: { type: 'string' },
    archived: { type: 'string' },
    text: { type: 'string' },
  });
  const archived = values.archived;
  if (archived !== undefined && !(ARCHIVED_FILTERS as readonly string[]).includes(archived)) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-016',
      `--archived ${archived} is not one of ${ARCHIVED_FILTERS.join(', ')}`,
      'Pass --archived include (archived elements too) or --archived only (archived elements alone); without it they are left out.',
    );
  }
  const client = await makeClient(values, io.env);
  const elements = [];
  for await (const element of client.allElements({
    typeName: values.type,
    qualifiedNamePrefix: values.prefix,
    connectorName: values.connector,
    archived: archived as ArchivedFilter | undefined,
    text: values.text,
  })) {
    elements.push(element);
  }
  if (values.json) {
    printJson(io, elements);
    return 0;
  }
  io.stdout(
    `${table(
      ['TYPE', 'QUALIFIED NAME', 'CONNECTOR', 'UPDATED', 'ARCHIVED', 'GUID'],
      elements.map((e) => [e.typeName, e.qualifiedName, e.connectorName ?? '', shortTime(e.updateTime), e.archived ? 'yes' : '', e.guid]),
    )}\n`,
  );
  io.stdout(`${elements.length} element(s)\n`);
  return 0;
}

export async function runsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ...clientOptions, connector: { type: 'string' }, limit: { type: 'string' } });
  const limit = positiveInteger(values.limit, '--limit') ?? 20;
  const client = await makeClient(values, io.env);
  const runs = await client.runs({ limit, ...(values.connector !== undefined ? { connectorName: values.connector } : {}) });
  if (values.json) {
    printJson(io, runs);
    return 0;
  }
  const rows = runs.map((r) => [
    r.connectorName,
    r.trigger,
    shortTime(r.startedAt),
    r.durationMs === undefined ? '' : `${r.durationMs} ms`,
    r.state,
    `${r.counts.discovered}/${r.counts.created}/${r.counts.updated}/${r.counts.unchanged}/${r.counts.archived}/${r.counts.failed}`,
    r.failingExceptionMessage ?? '',
  ]);
  io.stdout(`${table(['CONNECTOR', 'TRIGGER', 'STARTED', 'DURATION', 'STATE', 'DISC/CRE/UPD/SAME/ARCH/FAIL', 'MESSAGE'], rows)}\n`);
  return 0;
}

export async function objectRetriesCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ...clientOptions, connector: { type: 'string' } });
  const client = await makeClient(values, io.env);
  const retries = await client.objectRetries(values.connector);
  if (values.json) {
    printJson(io, retries);
    return 0;
  }
  const rows = retries.map((r) => [
    r.connectorName,
    r.objectKey,
    r.state,
    `${r.attempt}${r.retryLimit === null ? '' : `/${r.retryLimit}`}`,
    r.state === 'GAVE_UP' ? 'gave up' : countdown(r.nextRetryAt, 0),
    r.errorSource,
    r.lastErrorMessage,
  ]);
  io.stdout(`${table(['CONNECTOR', 'OBJECT', 'STATE', 'ATTEMPT', 'NEXT', 'ERROR SOURCE', 'MESSAGE'], rows)}\n`);
  return 0;
}
