// Creating one connector instance, Egeria's integration context manager: resolve the configured provider, check
// that its kind is the one the integration service runs, create the connector and the context it works through.
// Each way this can go wrong is an outcome of its own, because each leads somewhere else: a provider that cannot
// be loaded, a provider of the wrong kind and a secret reference that does not resolve are CONFIG_FAILED (only a
// configuration change helps), anything else is a failure the error-handling strategy decides about.
import type { ConnectorContext, ConnectorInstanceConfig, ConnectorProvider, IntegrationConnector } from '../../connector-sdk/index.js';
import { mergedTargetSettings } from '../config/catalog-targets.js';
import { ProviderResolutionError } from '../providers.js';
import { MetadataServerUnavailableError } from '../metadata-server/types.js';
import { SecretReferenceError, resolveConnectionString, resolvePropertySecrets } from '../secrets.js';
import { wrongKindMessage } from '../services.js';
import type { CatalogTargetBoard } from './catalog-target-board.js';
import { CatalogTargetsConnector, type CatalogTargetSpec, type TargetArchiveSettler } from './catalog-targets.js';
import type { ConnectorAudit } from './connector-audit.js';
import { asError, createConnectorContext, type ContextHooks } from './context.js';
import type { HandlerConnectorConfig, HandlerService, LifecycleEnvironment } from './ports.js';

/** A configuration problem the connector cannot recover from on its own. */
export interface ConfigFailure {
  messageId: string;
  message: string;
  userAction: string;
}

export type InstanceOutcome =
  | { outcome: 'created'; connector: IntegrationConnector; context: ConnectorContext }
  | { outcome: 'configFailed'; problem: ConfigFailure }
  /** Creating failed in a way the error-handling strategy decides about (initialize failed). */
  | { outcome: 'failed'; error: unknown }
  /** The handler moved on (restart, shutdown) while the provider was loading. */
  | { outcome: 'abandoned' };

export interface InstanceRequest {
  env: LifecycleEnvironment;
  service: HandlerService;
  config: HandlerConnectorConfig;
  connectorInstanceId: string;
  audit: ConnectorAudit;
  isCurrent(): boolean;
  /** What the context reports back to the handler. */
  hooks: ContextHooks;
  /** The handler's catalog targets, when the connector is configured with some. */
  catalogTargets?: CatalogTargetBoard | undefined;
  /** Ends a catalog target's archive through the mass-archive fail-safe. */
  settleTargetArchive: TargetArchiveSettler;
}

export async function createConnectorInstance(request: InstanceRequest): Promise<InstanceOutcome> {
  const { env, service, config: cfg, audit } = request;
  audit.initializing();

  let provider: ConnectorProvider;
  try {
    provider = await env.resolveProvider(cfg.connectorProvider);
  } catch (thrown) {
    if (!request.isCurrent()) return { outcome: 'abandoned' };
    // The provider cannot be loaded (its module vanished or broke since the configuration was checked): only a
    // configuration change or a fixed module helps, so no automatic retry.
    const error = asError(thrown);
    const resolution = error instanceof ProviderResolutionError ? error : undefined;
    const messageId = resolution?.messageId ?? 'INTEGRATION-DAEMON-PROVIDERS-500-001';
    const message = resolution?.message ?? `${messageId} ${error.message}`;
    audit.providerNotLoaded(error, message);
    const userAction =
      resolution?.userAction ??
      `Correct connectorProvider of ${cfg.connectorName} in the configuration document so that it names a provider that loads.`;
    return { outcome: 'configFailed', problem: { messageId, message, userAction } };
  }
  if (!request.isCurrent()) return { outcome: 'abandoned' };

  if (provider.connectorKind !== service.connectorKind) {
    const wrong = wrongKindMessage(service, cfg.connectorName, provider.connectorKind);
    audit.wrongKind(wrong.exceptionClassName, wrong.message);
    return { outcome: 'configFailed', problem: wrong };
  }

  audit.creatingContext();
  if (env.breaker.state !== 'CLOSED') {
    // Creating the context needs the metadata server, as in Egeria; it is known to be down, so don't ask it.
    const down = new MetadataServerUnavailableError(env.metadataServer.name, env.breaker.status().lastErrorMessage ?? 'it did not answer');
    return { outcome: 'failed', error: down };
  }

  const identity = { connectorName: cfg.connectorName, connectorId: cfg.connectorId, connectorInstanceId: request.connectorInstanceId };
  // Secrets given by reference are read now, for this instance only; one that does not resolve is a configuration
  // problem, like a provider that does not load.
  let secrets: Pick<ConnectorInstanceConfig, 'endpointAddress' | 'configurationProperties'>;
  try {
    secrets = {
      configurationProperties: resolvePropertySecrets(
        cfg.configurationProperties,
        `configurationProperties of connector ${cfg.connectorName}`,
      ),
      ...(cfg.endpointAddress !== undefined
        ? { endpointAddress: resolveConnectionString(cfg.endpointAddress, `endpointAddress of connector ${cfg.connectorName}`) }
        : {}),
    };
  } catch (thrown) {
    if (!(thrown instanceof SecretReferenceError)) throw thrown;
    audit.secretNotResolved(thrown);
    return { outcome: 'configFailed', problem: { messageId: thrown.messageId, message: thrown.message, userAction: thrown.userAction } };
  }
  let connector: IntegrationConnector;
  try {
    const instanceConfig: ConnectorInstanceConfig = {
      ...identity,
      ...secrets,
      permittedSynchronization: cfg.permittedSynchronization,
      baseDirectory: env.baseDirectory,
    };
    const board = request.catalogTargets;
    if (cfg.catalogTargets && board) {
      const targets = catalogTargetSpecs(cfg, instanceConfig);
      connector = new CatalogTargetsConnector({
        provider,
        targets,
        env,
        identity,
        hooks: request.hooks,
        board,
        settleArchive: request.settleTargetArchive,
      });
    } else connector = provider.create(instanceConfig);
  } catch (error) {
    if (error instanceof SecretReferenceError) {
      audit.secretNotResolved(error);
      return { outcome: 'configFailed', problem: { messageId: error.messageId, message: error.message, userAction: error.userAction } };
    }
    return { outcome: 'failed', error };
  }
  const context = createConnectorContext(identity, env.metadataServer, env.breaker, env.metadataServerCalls, request.hooks);
  return { outcome: 'created', connector, context };
}

/** Each target's instance configuration: its endpoint and merged properties, secrets given by reference resolved. */
function catalogTargetSpecs(cfg: HandlerConnectorConfig, base: ConnectorInstanceConfig): CatalogTargetSpec[] {
  return (cfg.catalogTargets ?? []).map((target) => {
    const where = `catalog target ${target.catalogTargetName} of connector ${cfg.connectorName}`;
    const merged = mergedTargetSettings(cfg, target);
    return {
      catalogTargetName: target.catalogTargetName,
      instanceConfig: {
        ...base,
        configurationProperties: resolvePropertySecrets(merged.configurationProperties, `configurationProperties of ${where}`),
        endpointAddress:
          merged.endpointAddress === undefined ? undefined : resolveConnectionString(merged.endpointAddress, `endpointAddress of ${where}`),
      },
    };
  });
}
