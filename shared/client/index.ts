// The daemon's REST + SSE client, shared by the CLI, the Electron main process and the browser console.
export {
  DaemonClient,
  type AuditLogQuery,
  type DaemonClientOptions,
  type ElementsPage,
  type ElementsQuery,
  type SubscribeOptions,
} from './client.js';
export { DaemonConnection, applyEvent, changedReports, type DaemonConnectionOptions } from './connection.js';
export { DaemonClientError, type DaemonClientErrorKind } from './errors.js';
export { normalizeStatus, StatusShapeError } from './normalize.js';
export { readEventStream, SseParser, type SseHandlers, type SseMessage } from './sse.js';
export { EraClient } from './era-client.js';
export {
  DAEMON_ACTIONS,
  DAEMON_ERAS,
  detectEra,
  EraDetectionError,
  ERAS,
  supports,
  unsupported,
  type ActionOutcome,
  type DaemonAction,
  type DaemonEra,
  type EraDescription,
  type UnsupportedAction,
} from './era.js';
