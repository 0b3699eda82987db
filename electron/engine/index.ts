// The engine's public surface for the CLI, the REST server and the desktop's daemon process.
export { Daemon, type DaemonStartOptions } from './daemon.js';
export { DaemonRequestError, type AuditQuery, type DaemonApi } from './daemon-api.js';
export { ConfigError, demoConfig, loadConfigFile, writeConfigAtomically, type LoadedConfig } from './config/load.js';
export type { ConnectorConfig, DaemonConfig, IntegrationServiceConfig } from './config/types.js';
export { validateConfig } from './config/validate.js';
export { ProviderRegistry } from './providers.js';
export { startRestServer, type RestServer, type RestServerOptions } from './rest/server.js';
export { systemClock, type Clock } from '../../shared/logic/clock.js';
