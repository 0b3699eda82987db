// The user a REST request acts as: the `{userId}` of its path. The REST server runs each operation inside it, so the
// audit records the operation writes (restarts, retries, configuration changes) name that user, however deep in the
// engine they are written, without every DaemonApi call carrying a user id. Outside a request (scheduled refreshes,
// automatic retries, start-up) the daemon acts as its own localServerUserId.
import { AsyncLocalStorage } from 'node:async_hooks';

const requestUser = new AsyncLocalStorage<string>();

/** The user of the synchronous answer being given (see answerAs); it takes precedence over the awaited scope. */
let answering: string | undefined;

/** Runs `operation` as `userId`; whatever it awaits stays attributed to that user. */
export function actAs<T>(userId: string, operation: () => T): T {
  return requestUser.run(userId, operation);
}

/**
 * Runs a synchronous `operation` as `userId`, without AsyncLocalStorage: once it has run, Node tracks every promise
 * and async resource of the process for it, which costs the reads answered from kept state (GET /status) more than
 * their answer does. Nothing the operation starts asynchronously keeps the user.
 */
export function answerAs<T>(userId: string, operation: () => T): T {
  const previous = answering;
  answering = userId;
  try {
    return operation();
  } finally {
    answering = previous;
  }
}

/** The user of the REST request being served, or `daemonUserId` when the daemon acts on its own. */
export function actingUserId(daemonUserId: string): string {
  return answering ?? requestUser.getStore() ?? daemonUserId;
}
