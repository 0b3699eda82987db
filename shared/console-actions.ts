// The operator's actions (restart, refresh, retry now on a connector, a service or a whole daemon): which ones
// make sense and which daemon call carries each out. Both console backends (the browser's, over REST itself, and
// the desktop's main process) and the IPC argument check use this one module, so an action means the same
// everywhere and is refused with the same words.
import type { DaemonClient } from './client/client.js';
import { ConsoleError, type ConnectorRef, type ConsoleAction } from './console-backend.js';
import { supports, unsupported, unsupportedSentence, type DaemonAction, type DaemonEra } from './client/era.js';

export const ACTION_KINDS = ['restart', 'refresh', 'retryNow'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const ACTION_SCOPES = ['connector', 'service', 'daemon'] as const;
export type ActionScope = (typeof ACTION_SCOPES)[number];

/** The daemon calls an action may use (a DaemonClient has them all; tests pass a recorder). */
export type ActionClient = Pick<
  DaemonClient,
  'restartService' | 'refreshService' | 'restartConnectors' | 'refreshConnectors' | 'refreshAll' | 'retryNow'
>;

export interface ActionProblem {
  messageId: string;
  /** What is wrong, without the message id. */
  text: string;
  userAction: string;
}

/** Why an action cannot be carried out as given, or undefined when it can. */
export function actionProblem(action: Pick<ConsoleAction, 'kind' | 'scope' | 'urlMarker' | 'connectorName'>): ActionProblem | undefined {
  if (action.scope === 'connector' && action.connectorName === undefined) {
    return {
      messageId: 'INTEGRATION-CONSOLE-400-014',
      text: 'A connector action names the connector (connectorName); none was given.',
      userAction: 'Name the connector the action applies to.',
    };
  }
  // The API retries one connector at a time: "retry now" on a service or a daemon is a fan-out the console does.
  if (action.kind === 'retryNow' && action.scope !== 'connector') {
    return {
      messageId: 'INTEGRATION-CONSOLE-400-015',
      text: `Retry now applies to one connector, not to a whole ${action.scope}.`,
      userAction: 'Ask for each connector that is retrying.',
    };
  }
  if (action.scope === 'service' && action.urlMarker === undefined) {
    return {
      messageId: 'INTEGRATION-CONSOLE-400-016',
      text: 'A service action names the integration service (urlMarker); none was given.',
      userAction: 'Name the integration service by its URL marker, for example files-integrator.',
    };
  }
  return undefined;
}

function daemonAction(action: Pick<ConsoleAction, 'kind' | 'scope'>): DaemonAction {
  if (action.kind === 'retryNow') return 'retryNow';
  const restart = action.kind === 'restart';
  if (action.scope === 'service') return restart ? 'restartService' : 'refreshService';
  if (action.scope === 'daemon') return restart ? 'restartAll' : 'refreshAll';
  return restart ? 'restartConnector' : 'refreshConnector';
}

/** An action the daemon's era does not have (retry now on Egeria, a service restart on Egeria 5), said plainly. */
export function eraActionProblem(
  era: DaemonEra | undefined,
  serverName: string,
  action: Pick<ConsoleAction, 'kind' | 'scope'>,
): ActionProblem | undefined {
  const perService = era === 'egeria-seed' || era === 'egeria-4';
  const oneCall = !(perService && action.scope === 'daemon' && action.kind === 'restart');
  if (era === undefined || (oneCall && supports(era, daemonAction(action)))) return undefined;
  const refusal = unsupported(daemonAction(action), era, serverName);
  return { messageId: refusal.messageId, text: refusal.message.slice(refusal.messageId.length + 1), userAction: refusal.userAction };
}

/** Why the console does not offer an action on a daemon of this era (a disabled button's tooltip), or null. */
export function eraActionUnavailable(era: DaemonEra | undefined, action: Pick<ConsoleAction, 'kind' | 'scope'>): string | null {
  if (era === undefined || eraActionProblem(era, '', action) === undefined) return null;
  return unsupportedSentence(daemonAction(action), era);
}

/** What every changing action says to a console holding a viewer token (a disabled button's tooltip). */
export const VIEWER_SENTENCE =
  "This console's token is a viewer token: it can watch but not change. Use an operator token to restart, refresh or edit.";

/** Why a console may not change anything on this daemon (the daemon named its token a viewer's), or null. */
export function viewerActionUnavailable(mayChange: boolean | undefined): string | null {
  return mayChange === false ? VIEWER_SENTENCE : null;
}

/**
 * The refusal of a changing action for a viewer token, given by the console before anything is sent (the daemon
 * would answer 403 anyway): the same words in the browser and the desktop.
 */
export function viewerRefusal(what: string): ConsoleError {
  return new ConsoleError(
    'INTEGRATION-CONSOLE-403-001',
    `${what} was not sent: this console's token is a viewer token, which can watch the daemon but not change it.`,
    "Edit the daemon and give an operator token (the daemon's --token), then try again.",
  );
}

/**
 * Carries out an action on one daemon. A connector named together with its service goes through the service's
 * endpoint (it reaches only that service's connector of that name); without the service, through the daemon-wide
 * connector endpoint.
 */
export async function performAction(
  client: ActionClient,
  action: ConsoleAction,
  daemon: { era?: DaemonEra | undefined; serverName: string } = { serverName: '' },
): Promise<void> {
  const { era } = daemon;
  const problem = actionProblem(action) ?? eraActionProblem(era, daemon.serverName, action);
  if (problem) throw new ConsoleError(problem.messageId, problem.text, problem.userAction);
  const { kind, connectorName: name } = action;
  const egeria5 = era === 'egeria-5' || era === 'egeria-5-token';
  // Egeria 5 has no per-service paths (nor POST /refresh): its connectors are addressed by name alone.
  const marker = egeria5 ? undefined : action.urlMarker;
  if (action.scope === 'daemon' && kind === 'refresh' && egeria5) return client.refreshConnectors();
  switch (action.scope) {
    case 'connector':
      if (name === undefined) return; // Refused above; narrows the type.
      if (kind === 'retryNow') return client.retryNow(name);
      if (kind === 'restart') return marker !== undefined ? client.restartService(marker, name) : client.restartConnectors(name);
      return marker !== undefined ? client.refreshService(marker, name) : client.refreshConnectors(name);
    case 'service':
      if (marker === undefined) return;
      return kind === 'restart' ? client.restartService(marker) : client.refreshService(marker);
    case 'daemon':
      return kind === 'restart' ? client.restartConnectors() : client.refreshAll();
  }
}

/** The action on one connector, addressed through its service when the reference knows it. */
export function connectorAction(kind: ActionKind, connector: ConnectorRef): ConsoleAction {
  return {
    kind,
    scope: 'connector',
    connectorName: connector.connectorName,
    ...(connector.urlMarker !== undefined ? { urlMarker: connector.urlMarker } : {}),
  };
}
