// Which generation of integration daemon the client talks to, found out when a daemon is added: ours, Egeria's
// 2021 daemon (the seed's shape), Egeria 4.x, Egeria 5.x under `/users/{u}` or without it. The era says which base
// to call, which actions exist there and how an action is carried out (per-service restart or restart by name).
import { z } from 'zod';
import { DaemonClient, type DaemonClientOptions } from './client.js';
import { DaemonClientError, networkError } from './errors.js';
import { lazily } from '../logic/lazily.js';

export const DAEMON_ERAS = ['integration-daemon', 'egeria-seed', 'egeria-4', 'egeria-5', 'egeria-5-token'] as const;
export type DaemonEra = (typeof DAEMON_ERAS)[number];

/** Every action the console, tray and CLI may offer on a daemon. */
export const DAEMON_ACTIONS = [
  'refreshAll',
  'restartAll',
  'refreshService',
  'restartService',
  'refreshConnector',
  'restartConnector',
  'retryNow',
  'retryObjectsNow',
  'runHistory',
  'objectRetries',
  'auditLog',
  'metadataElements',
  'eventStream',
  'configuration',
  'integrationGroups',
  'openLineage',
] as const;
export type DaemonAction = (typeof DAEMON_ACTIONS)[number];

export interface EraDescription {
  era: DaemonEra;
  /** How it is shown: "Egeria 5.x (without /users/)". */
  label: string;
  base: 'users' | 'token';
  /** true: connectors are restarted and refreshed by name daemon-wide (Egeria 5); false: through their service. */
  byConnectorName: boolean;
  actions: ReadonlySet<DaemonAction>;
}

const EGERIA_COMMON: DaemonAction[] = ['refreshAll', 'restartAll', 'refreshConnector', 'restartConnector'];

export const ERAS: Readonly<Record<DaemonEra, EraDescription>> = {
  'integration-daemon': {
    era: 'integration-daemon',
    label: 'Integration Daemon',
    base: 'users',
    byConnectorName: true,
    actions: new Set(DAEMON_ACTIONS),
  },
  'egeria-seed': {
    era: 'egeria-seed',
    label: 'Egeria 2.x/3.x',
    base: 'users',
    byConnectorName: false,
    actions: new Set([...EGERIA_COMMON, 'refreshService', 'restartService']),
  },
  'egeria-4': {
    era: 'egeria-4',
    label: 'Egeria 4.x',
    base: 'users',
    byConnectorName: false,
    actions: new Set([...EGERIA_COMMON, 'refreshService', 'restartService', 'configuration']),
  },
  'egeria-5': {
    era: 'egeria-5',
    label: 'Egeria 5.x',
    base: 'users',
    byConnectorName: true,
    actions: new Set([...EGERIA_COMMON, 'configuration', 'integrationGroups', 'openLineage']),
  },
  'egeria-5-token': {
    era: 'egeria-5-token',
    label: 'Egeria 5.x (without /users/)',
    base: 'token',
    byConnectorName: true,
    actions: new Set([...EGERIA_COMMON, 'configuration', 'integrationGroups', 'openLineage']),
  },
};

const ACTION_WORDS: Record<DaemonAction, string> = {
  refreshAll: 'Refresh all',
  restartAll: 'Restart all',
  refreshService: 'Refresh of an integration service',
  restartService: 'Restart of an integration service',
  refreshConnector: 'Refresh',
  restartConnector: 'Restart',
  retryNow: 'Retry now',
  retryObjectsNow: 'Retry objects now',
  runHistory: 'Run history',
  objectRetries: 'Object retries',
  auditLog: 'The audit log',
  metadataElements: 'Metadata elements',
  eventStream: 'Live updates',
  configuration: 'Configuration',
  integrationGroups: 'Integration groups',
  openLineage: 'OpenLineage events',
};

/** What to do instead, when there is something. */
const INSTEAD: Partial<Record<DaemonAction, string>> = {
  retryNow: 'Egeria has no automatic retry to run early: restart the connector instead.',
  restartAll: 'Egeria 2.x–4.x restart connectors through their integration service: restart each integration service.',
  retryObjectsNow: 'Egeria keeps no object retries: refresh the connector to process its objects again.',
  runHistory: "Egeria keeps no run history: the status shows each connector's last refresh time.",
  objectRetries: 'Egeria keeps no object retries.',
  auditLog: "Read the daemon's audit log where Egeria writes it (its console or log destination).",
  metadataElements: 'Browse the catalogued elements with an Egeria tool (pyegeria, the Egeria UI) on its metadata server.',
  eventStream: 'The console polls the status instead.',
  refreshService: 'Egeria 5 refreshes connectors by name: refresh each connector, or all of them.',
  restartService: 'Egeria 5 restarts connectors by name: restart each connector, or all of them.',
  integrationGroups: 'Integration groups came with Egeria 5.',
  openLineage: 'This daemon has no OpenLineage endpoint.',
  configuration: 'Change the configuration with Egeria’s admin services and restart the daemon.',
};

/** An action the daemon's era does not have: said plainly, never a 404 from a path that does not exist there. */
export interface UnsupportedAction {
  supported: false;
  action: DaemonAction;
  era: DaemonEra;
  messageId: 'INTEGRATION-DAEMON-CLIENT-501-001';
  message: string;
  userAction: string;
}

export type ActionOutcome<T> = { supported: true; value: T } | UnsupportedAction;

export function unsupported(action: DaemonAction, era: DaemonEra, serverName: string): UnsupportedAction {
  const messageId = 'INTEGRATION-DAEMON-CLIENT-501-001';
  return {
    supported: false,
    action,
    era,
    messageId,
    message: `${messageId} ${ACTION_WORDS[action]} does not exist on ${serverName}, an ${ERAS[era].label} integration daemon`,
    userAction: INSTEAD[action] ?? 'Use the actions the daemon offers.',
  };
}

/** The same, as one plain sentence without the daemon's name: what a disabled button's tooltip says. */
export function unsupportedSentence(action: DaemonAction, era: DaemonEra): string {
  return `${ACTION_WORDS[action]} does not exist on an ${ERAS[era].label} integration daemon. ${INSTEAD[action] ?? 'Use the actions the daemon offers.'}`;
}

export function supports(era: DaemonEra, action: DaemonAction): boolean {
  return ERAS[era].actions.has(action);
}

/** Built on first use (see lazily). */
const schemas = lazily(() => {
  const rawStatus = z.looseObject({
    integrationServiceSummaries: z.array(z.looseObject({ integrationConnectorReports: z.array(z.looseObject({})).nullish() })).nullish(),
    integrationDaemonStatus: z.looseObject({}).nullish(),
  });
  return { rawStatus };
});

/** The era from a status answer under `/users/{u}`: the wrapper is 5.x; reports with a connectorId are 4.x. */
function eraOfStatus(json: unknown): DaemonEra | undefined {
  const parsed = schemas().rawStatus.safeParse(json);
  if (!parsed.success) return undefined;
  if (parsed.data.integrationDaemonStatus != null) return 'egeria-5';
  const summaries = parsed.data.integrationServiceSummaries;
  if (summaries == null) return undefined;
  const reports = summaries.flatMap((s) => s.integrationConnectorReports ?? []);
  return reports.some((r) => 'connectorId' in r || 'connection' in r) ? 'egeria-4' : 'egeria-seed';
}

async function statusJson(client: DaemonClient, fetchImpl: typeof fetch, token: string | undefined): Promise<unknown> {
  const target = `${client.baseUrl}/status`;
  const timeout = AbortSignal.timeout(15_000);
  let response: Response;
  try {
    response = await fetchImpl(target, {
      headers: { Accept: 'application/json', ...(token !== undefined ? { Authorization: `Bearer ${token}` } : {}) },
      signal: timeout,
    });
  } catch (error) {
    throw networkError(target, error, timeout.aborted);
  }
  if (!response.ok) return undefined;
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

export class EraDetectionError extends DaemonClientError {
  constructor(url: string) {
    const id = 'INTEGRATION-DAEMON-CLIENT-404-002';
    super(
      'protocol',
      id,
      `${id} The daemon at ${url} answers no integration daemon status, with or without /users/ in the path`,
      'Check the URL (the platform root, e.g. https://host:9443) and the server name; the daemon must be running.',
      url,
    );
    this.name = 'EraDetectionError';
  }
}

/**
 * Finds out a daemon's era: ours says its name on /health; otherwise the status answer under `/users/{u}` tells the
 * Egeria generation, and a daemon that only answers without `/users/` is Egeria's newest. Network failures reject.
 */
export async function detectEra(options: DaemonClientOptions): Promise<DaemonEra> {
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const users = new DaemonClient({ ...options, base: 'users' });
  try {
    const health = await users.health();
    if (health.serverName === options.serverName || options.serverName === '-') return 'integration-daemon';
  } catch (error) {
    if (!(error instanceof DaemonClientError) || error.kind === 'network' || error.kind === 'aborted') throw error;
  }
  const fromUsers = eraOfStatus(await statusJson(users, fetchImpl, options.token));
  if (fromUsers !== undefined) return fromUsers;
  const token = new DaemonClient({ ...options, base: 'token' });
  const fromToken = await statusJson(token, fetchImpl, options.token);
  if (fromToken !== undefined && schemas().rawStatus.safeParse(fromToken).data?.integrationDaemonStatus != null) return 'egeria-5-token';
  throw new EraDetectionError(users.url);
}
