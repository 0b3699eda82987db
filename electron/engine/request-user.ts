// The user a REST request acts as: the `{userId}` of its path. The REST server runs each operation inside it, so the
// audit records the operation writes (restarts, retries, configuration changes) name that user, however deep in the
// engine they are written, without every DaemonApi call carrying a user id. Outside a request (scheduled refreshes,
// automatic retries, start-up) the daemon acts as its own localServerUserId.
import { AsyncLocalStorage } from 'node:async_hooks';

const requestUser = new AsyncLocalStorage<string>();

/** Runs `operation` as `userId`; whatever it awaits stays attributed to that user. */
export function actAs<T>(userId: string, operation: () => T): T {
  return requestUser.run(userId, operation);
}

/** The user of the REST request being served, or `daemonUserId` when the daemon acts on its own. */
export function actingUserId(daemonUserId: string): string {
  return requestUser.getStore() ?? daemonUserId;
}
