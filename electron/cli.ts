// The `integration-daemon` command: `serve` runs a daemon with its REST + SSE server; the other commands are
// clients of any daemon's REST API (ours or Egeria's) through shared/client. Exit codes: 0 done, 1 the daemon
// refused or could not be reached, 2 bad arguments or a bad configuration document.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  AUDIT_SEVERITIES,
  type AuditRecord,
  type AuditSeverity,
  type IntegrationConnectorReport,
  type IntegrationDaemonStatusResponse,
} from '../shared/api/types.js';
import { DaemonClient } from '../shared/client/client.js';
import { DaemonClientError } from '../shared/client/errors.js';
import { consoleLine, printable } from './engine/audit/destinations.js';
import { ConfigError, demoConfig, loadConfigFile, writeConfigAtomically } from './engine/config/load.js';
import type { ProviderRegistry } from './engine/providers.js';
import { errorText } from '../shared/logic/error-text.js';

/** Same as Egeria's platform default, so URLs copied from Egeria material keep working. */
export const DEFAULT_PORT = 9443;
export const DEFAULT_URL = `http://127.0.0.1:${DEFAULT_PORT}`;
const DEFAULT_USER = 'operator';
const TOKEN_ENV = 'INTEGRATION_DAEMON_TOKEN';
const VIEWER_TOKEN_ENV = 'INTEGRATION_DAEMON_VIEWER_TOKEN';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Ends `serve` and `audit --follow` (the bin wires SIGINT/SIGTERM to it). */
  stop: AbortSignal;
}

/** A refusal of the command line itself: printed with its fix, exit 2. */
class UsageError extends Error {
  constructor(
    readonly messageId: string,
    message: string,
    readonly fix: string,
  ) {
    super(`${messageId} ${message}`);
  }
}

const USAGE = `integration-daemon — run an integration daemon, or operate one over its REST API

Usage:
  integration-daemon serve --config FILE [--host H] [--port N] [--state-dir DIR] [--console-dir DIR]
                           [--console-connect-src SOURCE]...
  integration-daemon demo --data-dir DIR
  integration-daemon status
  integration-daemon restart   [--service MARKER] [--connector NAME]
  integration-daemon refresh   [--service MARKER] [--connector NAME]
  integration-daemon retry-now --connector NAME [--objects | --object KEY]
  integration-daemon audit     [--follow] [--severity S[,S]] [--connector NAME] [--limit N]
  integration-daemon elements  [--type TYPE] [--prefix QUALIFIED-NAME-PREFIX]
  integration-daemon runs      [--connector NAME] [--limit N]
  integration-daemon object-retries [--connector NAME]
  integration-daemon config validate FILE

serve:
  Starts the daemon described by the configuration document and its REST + SSE server, then prints one line
  "listening on http://HOST:PORT" (the real port with --port 0). Defaults: --host 127.0.0.1 (loopback only),
  --port ${DEFAULT_PORT}, --state-dir .integration-daemon beside the configuration file. The operator token is
  ${TOKEN_ENV} if set, otherwise generated once into <state-dir>/token (mode 0600); an optional read-only
  token is taken from ${VIEWER_TOKEN_ENV}. --console-dir serves the built console at /console/.
  SIGINT or SIGTERM shuts down cleanly (exit 0). A configuration problem lists every problem and exits 2.

demo:
  Writes a working demo configuration into DIR (kept if it already exists) and prints its path.

Client options (every command but serve, demo and config):
  --url URL          platform root of the daemon (default ${DEFAULT_URL})
  --server NAME      server name (default: the name the daemon reports on /health)
  --user ID          user id in the request paths (default ${DEFAULT_USER})
  --token-file FILE  file holding the bearer token (default: ${TOKEN_ENV})
  --json             print the JSON answer instead of a table

restart/refresh: with neither option, every connector of the daemon; --service alone, every connector of that
integration service; --connector alone, that connector wherever it runs.

Exit codes: 0 done, 1 the daemon refused or could not be reached, 2 bad arguments or configuration.`;

const clientOptions = {
  url: { type: 'string' },
  server: { type: 'string' },
  user: { type: 'string' },
  'token-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals = 0) {
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: positionals > 0 });
    if (parsed.positionals.length > positionals) {
      throw new UsageError(
        'INTEGRATION-DAEMON-CLI-400-002',
        `unexpected argument ${parsed.positionals[positionals]}`,
        'See integration-daemon --help.',
      );
    }
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-001',
      (error as Error).message,
      'See integration-daemon --help for the options of each command.',
    );
  }
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-003',
      `${name} must be a whole number of at least 1, not ${value}`,
      `Pass for example ${name} 100.`,
    );
  }
  return n;
}

// ---- output ----------------------------------------------------------------------------------------------------

const MAX_CELL = 100;

function cell(value: unknown): string {
  // Audit texts and connector messages carry outside data: no line breaks, no terminal control sequences.
  const text = value === undefined || value === null ? '' : printable(errorText(value).replace(/\s+/g, ' '));
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

/** Aligned columns; cells are cut at 100 characters (--json has everything). */
export function table(headers: string[], rows: unknown[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(cell))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function shortTime(iso: string | undefined): string {
  if (iso === undefined) return '';
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 19).replace('T', ' ') : iso;
}

/** "in 4m 10s" from an absolute time, corrected by the daemon's clock skew. */
export function countdown(iso: string | undefined, skewMs: number, now = Date.now()): string {
  if (iso === undefined) return '';
  const ms = Date.parse(iso) - (now + skewMs);
  if (!Number.isFinite(ms)) return iso;
  if (ms <= 0) return 'due';
  const s = Math.round(ms / 1000);
  const parts = [
    Math.floor(s / 86400) && `${Math.floor(s / 86400)}d`,
    Math.floor((s % 86400) / 3600) && `${Math.floor((s % 86400) / 3600)}h`,
    Math.floor((s % 3600) / 60) && `${Math.floor((s % 3600) / 60)}m`,
    `${s % 60}s`,
  ];
  return `in ${parts.filter(Boolean).slice(0, 2).join(' ')}`;
}

function nextActivity(report: IntegrationConnectorReport, skewMs: number, now: number): string {
  if (report.retry) {
    const limit = report.retry.retryLimit === null ? '' : `/${report.retry.retryLimit}`;
    const waiting = report.retry.waitingFor === 'metadataServer' ? ' (waiting for metadata server)' : '';
    return `retry ${report.retry.attempt}${limit} ${countdown(report.retry.nextRetryAt, skewMs, now)}${waiting}`;
  }
  return report.nextRefreshAt ? `refresh ${countdown(report.nextRefreshAt, skewMs, now)}` : '';
}

export function statusTable(status: IntegrationDaemonStatusResponse, now = Date.now()): string {
  const parsedSkew = status.serverTime ? Date.parse(status.serverTime) - now : 0;
  const skew = Number.isFinite(parsedSkew) ? parsedSkew : 0;
  const rows = status.integrationServiceSummaries.flatMap((summary) =>
    summary.integrationConnectorReports.map((r) => [
      summary.integrationServiceURLMarker || summary.integrationServiceFullName,
      r.connectorName,
      r.connectorStatus,
      shortTime(r.lastRefreshTime),
      nextActivity(r, skew, now),
      r.errorSource ?? '',
      r.pendingObjectRetries ? String(r.pendingObjectRetries) : '',
      r.failingExceptionMessage ?? '',
    ]),
  );
  const lines = [table(['SERVICE', 'CONNECTOR', 'STATUS', 'LAST REFRESH', 'NEXT', 'ERROR SOURCE', 'OBJECT RETRIES', 'MESSAGE'], rows)];
  for (const server of status.metadataServers ?? []) {
    if (server.breakerState !== 'closed') {
      lines.push(
        `\nmetadata server ${server.metadataServerName} is ${server.breakerState === 'open' ? 'unavailable' : 'being probed'} since ${shortTime(server.since)}; ` +
          `${server.waitingConnectors} connector(s) waiting${server.nextProbeAt ? `, next probe ${countdown(server.nextProbeAt, skew, now)}` : ''}` +
          `${server.lastErrorMessage ? `\n  ${server.lastErrorMessage}` : ''}`,
      );
    }
  }
  return lines.join('\n');
}

// ---- client commands -------------------------------------------------------------------------------------------

interface ClientValues {
  url?: string;
  server?: string;
  user?: string;
  'token-file'?: string;
  json?: boolean;
}

function readToken(values: ClientValues, env: CliIo['env']): string | undefined {
  const file = values['token-file'];
  if (file !== undefined) {
    try {
      const token = readFileSync(file, 'utf8').trim();
      if (token === '') throw new Error('the file is empty');
      return token;
    } catch (error) {
      throw new UsageError(
        'INTEGRATION-DAEMON-CLI-400-004',
        `the token file ${file} cannot be read: ${(error as Error).message}`,
        'Pass the token file the daemon printed when it started (<state-dir>/token).',
      );
    }
  }
  const fromEnv = env[TOKEN_ENV];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

async function makeClient(values: ClientValues, env: CliIo['env']): Promise<DaemonClient> {
  const url = values.url ?? env.INTEGRATION_DAEMON_URL ?? DEFAULT_URL;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http or https');
  } catch {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-005',
      `--url ${url} is not an http(s) URL`,
      `Pass the platform root, for example --url ${DEFAULT_URL}.`,
    );
  }
  const token = readToken(values, env);
  const base = { url, userId: values.user ?? DEFAULT_USER, ...(token !== undefined ? { token } : {}) };
  if (values.server !== undefined) return new DaemonClient({ ...base, serverName: values.server });
  // Our daemons say their name on /health; for an Egeria daemon the name has to be given.
  try {
    const health = await new DaemonClient({ ...base, serverName: '-' }).health();
    return new DaemonClient({ ...base, serverName: health.serverName });
  } catch (error) {
    if (error instanceof DaemonClientError && error.kind === 'http') {
      throw new UsageError(
        'INTEGRATION-DAEMON-CLI-400-006',
        `the daemon at ${url} does not report its server name`,
        'Pass --server NAME (an Egeria daemon needs it).',
      );
    }
    throw error;
  }
}

function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

async function statusCommand(args: string[], io: CliIo): Promise<number> {
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

async function restartOrRefresh(kind: 'restart' | 'refresh', args: string[], io: CliIo): Promise<number> {
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

async function retryNowCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    ...clientOptions,
    connector: { type: 'string' },
    objects: { type: 'boolean' },
    object: { type: 'string' },
  });
  if (values.connector === undefined) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-007',
      'retry-now needs --connector NAME',
      'Pass the connector whose retry should run now, e.g. retry-now --connector LandingAreaFilesMonitor.',
    );
  }
  const client = await makeClient(values, io.env);
  if (values.objects || values.object !== undefined) {
    const count = await client.retryObjectsNow(values.connector, values.object);
    if (values.json) printJson(io, { connector: values.connector, objectRetriesStarted: count });
    else io.stdout(`${count} object retr${count === 1 ? 'y' : 'ies'} of ${values.connector} started.\n`);
    return 0;
  }
  await client.retryConnectorNow(values.connector);
  if (values.json) printJson(io, { connector: values.connector, retried: true });
  else io.stdout(`Retry of ${values.connector} started.\n`);
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

async function auditCommand(args: string[], io: CliIo): Promise<number> {
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

async function elementsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ...clientOptions, type: { type: 'string' }, prefix: { type: 'string' } });
  const client = await makeClient(values, io.env);
  const elements = [];
  for await (const element of client.allElements({
    ...(values.type !== undefined ? { typeName: values.type } : {}),
    ...(values.prefix !== undefined ? { qualifiedNamePrefix: values.prefix } : {}),
  })) {
    elements.push(element);
  }
  if (values.json) {
    printJson(io, elements);
    return 0;
  }
  io.stdout(
    `${table(
      ['TYPE', 'QUALIFIED NAME', 'UPDATED', 'ARCHIVED', 'GUID'],
      elements.map((e) => [e.typeName, e.qualifiedName, shortTime(e.updateTime), e.archived ? 'yes' : '', e.guid]),
    )}\n`,
  );
  io.stdout(`${elements.length} element(s)\n`);
  return 0;
}

async function runsCommand(args: string[], io: CliIo): Promise<number> {
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

async function objectRetriesCommand(args: string[], io: CliIo): Promise<number> {
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
    r.state === 'gaveUp' ? 'gave up' : countdown(r.nextRetryAt, 0),
    r.errorSource,
    r.lastErrorMessage,
  ]);
  io.stdout(`${table(['CONNECTOR', 'OBJECT', 'STATE', 'ATTEMPT', 'NEXT', 'ERROR SOURCE', 'MESSAGE'], rows)}\n`);
  return 0;
}

// ---- local commands --------------------------------------------------------------------------------------------

// The engine (SQLite, connectors) is loaded only by the commands that need it, so client commands start fast.
async function providers(): Promise<ProviderRegistry> {
  const [{ ProviderRegistry }, { builtInProviders }] = await Promise.all([
    import('./engine/providers.js'),
    import('./connectors/index.js'),
  ]);
  return new ProviderRegistry(builtInProviders);
}

async function configCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 2);
  const [sub, file] = positionals;
  if (sub !== 'validate' || file === undefined) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-009',
      'config needs: validate FILE',
      'Run integration-daemon config validate path/to/config.json.',
    );
  }
  try {
    const loaded = await loadConfigFile(file, { providers: await providers() });
    const connectors = loaded.config.integrationServices.reduce((n, s) => n + s.connectors.length, 0);
    if (values.json) printJson(io, { valid: true, path: loaded.path, warnings: loaded.warnings });
    else {
      io.stdout(
        `${loaded.path} is valid: server ${loaded.config.serverName}, ${loaded.config.integrationServices.length} integration service(s), ${connectors} connector(s).\n`,
      );
      for (const w of loaded.warnings) io.stdout(`  warning ${w.messageId} ${w.path || '(document)'}: ${w.message}\n      fix: ${w.fix}\n`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (values.json) printJson(io, { valid: false, path: error.path, problems: error.problems, warnings: error.warnings });
    else io.stderr(`${error.format()}\n`);
    return 2;
  }
}

const DEMO_FILES: ReadonlyArray<readonly [string, string]> = [
  ['README.txt', 'Files dropped here are catalogued by the LandingAreaFilesMonitor connector as DataFile elements.\n'],
  ['clinical-trials/week-01.csv', 'patient,measurement\n1,12.4\n2,11.9\n'],
  ['clinical-trials/week-02.csv', 'patient,measurement\n1,12.1\n2,12.0\n'],
];

async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  const dataDir = values['data-dir'];
  if (dataDir === undefined)
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-010',
      'demo needs --data-dir DIR',
      'Pass the directory for the demo configuration, store and landing area.',
    );
  const document = demoConfig({ dataDirectory: resolve(dataDir) });
  const path = join(resolve(dataDir), 'integration-daemon.json');
  mkdirSync(dirname(path), { recursive: true });
  for (const service of document.integrationServices ?? []) {
    for (const connector of service.connectors ?? []) {
      if (typeof connector.endpointAddress !== 'string' || existsSync(connector.endpointAddress)) continue;
      // A new landing area gets a few files so the first start shows something catalogued; an existing one is
      // the operator's and is left as it is.
      mkdirSync(join(connector.endpointAddress, 'clinical-trials'), { recursive: true });
      for (const [name, content] of DEMO_FILES) writeFileSync(join(connector.endpointAddress, name), content);
    }
  }
  // An existing file may carry the operator's edits: it is kept.
  if (!existsSync(path)) await writeConfigAtomically(path, document);
  io.stdout(`${path}\n`);
  return 0;
}

/** The operator token: from the environment, else generated once into <state-dir>/token readable by the owner only. */
function operatorToken(stateDir: string, env: CliIo['env']): { token: string; source: string } {
  const fromEnv = env[TOKEN_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < 16)
      throw new UsageError(
        'INTEGRATION-DAEMON-CLI-400-011',
        `${TOKEN_ENV} is shorter than 16 characters`,
        'Use a long random token, or unset it and let the daemon generate one.',
      );
    return { token: fromEnv, source: `token from ${TOKEN_ENV}` };
  }
  const file = join(stateDir, 'token');
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
      return { token, source: `token file ${file}` };
    }
  }
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, source: `token file ${file}` };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    config: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'state-dir': { type: 'string' },
    'console-dir': { type: 'string' },
    'console-connect-src': { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.config === undefined)
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-012',
      'serve needs --config FILE',
      'Pass the configuration document, e.g. serve --config integration-daemon.json (demo --data-dir DIR writes one).',
    );
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-013',
      `--port ${values.port} is not a port number`,
      'Pass a number from 1 to 65535, or 0 for any free port.',
    );
  }
  const host = values.host ?? '127.0.0.1';
  const consoleDir = values['console-dir'] === undefined ? undefined : resolve(values['console-dir']);
  if (consoleDir !== undefined && !existsSync(join(consoleDir, 'index.html'))) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-014',
      `--console-dir ${consoleDir} has no index.html`,
      'Build the console first (npx vite build --config renderer/vite.config.ts) and pass dist/renderer.',
    );
  }

  const [{ Daemon }, { startRestServer }] = await Promise.all([import('./engine/daemon.js'), import('./engine/rest/server.js')]);
  const registry = await providers();
  let loaded;
  try {
    loaded = await loadConfigFile(values.config, { providers: registry });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`${error.format()}\n`);
    return 2;
  }
  for (const w of loaded.warnings) io.stderr(`warning ${w.messageId} ${w.path || '(document)'}: ${w.message}\n      fix: ${w.fix}\n`);

  const stateDir = resolve(values['state-dir'] ?? join(loaded.baseDirectory, '.integration-daemon'));
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const { token, source } = operatorToken(stateDir, io.env);
  const viewerToken = io.env[VIEWER_TOKEN_ENV] || undefined;
  if (viewerToken !== undefined && viewerToken.length < 16) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-011',
      `${VIEWER_TOKEN_ENV} is shorter than 16 characters`,
      'Use a long random token for viewers.',
    );
  }

  const daemon = await Daemon.start({
    config: loaded.config,
    configPath: loaded.path,
    document: loaded.document,
    stateDir,
    providers: registry,
    log: (line) => io.stdout(`${line}\n`),
  });
  let server;
  try {
    server = await startRestServer({
      daemon,
      host,
      port,
      token,
      ...(viewerToken !== undefined ? { viewerToken } : {}),
      ...(consoleDir !== undefined ? { consoleDir } : {}),
      ...(values['console-connect-src'] ? { consoleConnectSources: values['console-connect-src'] } : {}),
      log: (line) => io.stderr(`${line}\n`),
    });
  } catch (error) {
    await daemon.stop();
    const code = (error as NodeJS.ErrnoException).code;
    io.stderr(
      code === 'EADDRINUSE'
        ? `INTEGRATION-DAEMON-CLI-500-001 Port ${port} on ${host} is already in use.\n  fix: stop the other process, or pass --port N (--port 0 picks a free port).\n`
        : `INTEGRATION-DAEMON-CLI-500-002 The REST server could not start on ${host}:${port}: ${(error as Error).message}\n`,
    );
    return 1;
  }
  if (!isLoopback(host)) {
    io.stderr(
      `warning: listening on ${host}, reachable from other machines; every request still needs the bearer token. Prefer TLS in front of it.\n`,
    );
  }
  io.stdout(`${source}\n`);
  io.stdout(`listening on ${server.url}\n`);

  await new Promise<void>((resolveStop) => {
    if (io.stop.aborted) resolveStop();
    else io.stop.addEventListener('abort', () => resolveStop(), { once: true });
  });
  await server.close();
  await daemon.stop();
  return 0;
}

// ---- entry -----------------------------------------------------------------------------------------------------

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  serve: serveCommand,
  demo: demoCommand,
  status: statusCommand,
  restart: (args, io) => restartOrRefresh('restart', args, io),
  refresh: (args, io) => restartOrRefresh('refresh', args, io),
  'retry-now': retryNowCommand,
  audit: auditCommand,
  elements: elementsCommand,
  runs: runsCommand,
  'object-retries': objectRetriesCommand,
  config: configCommand,
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (
    command === undefined ||
    command === '--help' ||
    command === '-h' ||
    command === 'help' ||
    rest.includes('--help') ||
    rest.includes('-h')
  ) {
    io.stdout(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    io.stderr(
      `INTEGRATION-DAEMON-CLI-400-000 Unknown command ${command}.\n  fix: use one of ${Object.keys(COMMANDS).join(', ')} (integration-daemon --help).\n`,
    );
    return 2;
  }
  try {
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n  fix: ${error.fix}\n`);
      return 2;
    }
    if (error instanceof DaemonClientError) {
      io.stderr(`${error.message}\n  fix: ${error.userAction}\n`);
      if (error.httpStatus === 401) io.stderr(`  The token comes from ${TOKEN_ENV} or --token-file (the daemon's <state-dir>/token).\n`);
      return 1;
    }
    if (error instanceof ConfigError) {
      io.stderr(`${error.format()}\n`);
      return 2;
    }
    io.stderr(`INTEGRATION-DAEMON-CLI-500-000 ${command} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
