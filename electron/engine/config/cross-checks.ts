// Checks that span fields or need more than the schema knows: integration service markers, names and ids unique
// across the daemon, providers that exist (with "did you mean") and accept the connector's settings, and audit
// destinations that make sense together. Problems stop the document; warnings are told and let it through.
import { existsSync } from 'node:fs';
import type { ConfigProblem as ConnectorConfigProblem } from '../../connector-sdk/index.js';
import { errorText } from '../../../shared/api/error-text.js';
import { normalizeProviderSpec } from '../providers.js';
import { findService, urlMarkers, wrongKindMessage } from '../services.js';
import { declarationProblems, mergeProblems } from '../workbench/declarations.js';
import { checkCatalogTargets, configuredTargets } from './catalog-targets.js';
import { CONFIG_MESSAGE_IDS } from './problems.js';
import { didYouMean } from './suggest.js';
import type { ConfigProblem, ValidateOptions } from './types.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function crossFieldChecks(
  doc: Record<string, unknown>,
  options: ValidateOptions,
  problems: ConfigProblem[],
  warnings: ConfigProblem[],
): void {
  const markers = urlMarkers();
  const seenMarkers = new Map<string, number>();
  const seenNames = new Map<string, string>();
  const seenIds = new Map<string, string>();
  const services = asArray(doc.integrationServices);

  if (Array.isArray(doc.integrationServices) && services.length === 0 && asArray(doc.integrationGroups).length === 0) {
    warnings.push({
      messageId: CONFIG_MESSAGE_IDS.noServices,
      path: 'integrationServices',
      message: 'no integration services or integration groups are configured, so the daemon has nothing to do.',
      fix: `Add an integration service, e.g. {"urlMarker": "files-integrator", "connectors": [...]}.`,
    });
  }

  services.forEach((service, s) => {
    if (!isRecord(service)) return;
    const servicePath = `integrationServices[${s}]`;
    const marker = service.urlMarker;
    const definition = typeof marker === 'string' ? findService(marker) : undefined;
    if (typeof marker === 'string' && marker.length > 0) {
      if (!definition) {
        const suggestion = didYouMean(marker, markers);
        problems.push({
          messageId: CONFIG_MESSAGE_IDS.unknownService,
          path: `${servicePath}.urlMarker`,
          message: `The integration service URL marker ${marker} is not recognized${suggestion ? `; did you mean "${suggestion}"?` : '.'}`,
          fix: `Use one of the valid service URL markers: ${markers.join(', ')}.`,
        });
      } else if (seenMarkers.has(marker)) {
        problems.push({
          messageId: CONFIG_MESSAGE_IDS.duplicateService,
          path: `${servicePath}.urlMarker`,
          message: `integration service ${marker} is already configured at integrationServices[${seenMarkers.get(marker)}].`,
          fix: `Move these connectors into the first ${marker} entry and remove this one.`,
        });
      } else seenMarkers.set(marker, s);
    }

    const connectors = asArray(service.connectors);
    if (Array.isArray(service.connectors) && connectors.length === 0 && definition) {
      warnings.push({
        messageId: CONFIG_MESSAGE_IDS.noConnectors,
        path: `${servicePath}.connectors`,
        message: `The ${definition.integrationServiceFullName} integration service is configured without any integration connectors.`,
        fix: 'Add connectors to the integration service, or remove the integration service.',
      });
    }

    connectors.forEach((connector, c) => {
      if (!isRecord(connector)) return;
      const connectorPath = `${servicePath}.connectors[${c}]`;
      const name = typeof connector.connectorName === 'string' ? connector.connectorName.trim() : undefined;
      if (name) {
        const first = seenNames.get(name);
        if (first !== undefined) {
          problems.push({
            messageId: CONFIG_MESSAGE_IDS.duplicateConnectorName,
            path: `${connectorPath}.connectorName`,
            message: `connector name ${name} is already used by ${first}; names must be unique across the daemon because restart, refresh and the audit log address connectors by name.`,
            fix: `Rename one of the two connectors, e.g. "${name}2".`,
          });
        } else seenNames.set(name, connectorPath);
      }
      if (typeof connector.connectorId === 'string' && connector.connectorId.trim()) {
        const id = connector.connectorId.trim();
        const first = seenIds.get(id);
        if (first !== undefined) {
          problems.push({
            messageId: CONFIG_MESSAGE_IDS.duplicateConnectorId,
            path: `${connectorPath}.connectorId`,
            message: `connectorId ${id} is already used by ${first}; two connectors would share their retry state and metadata source.`,
            fix: 'Remove connectorId from one of them (a stable id is then generated) or give each its own.',
          });
        } else seenIds.set(id, connectorPath);
      }
      checkProvider(connector, connectorPath, name, definition, options, problems, warnings);
    });
  });

  const destinations = isRecord(doc.auditLog) ? doc.auditLog.destinations : undefined;
  if (Array.isArray(destinations)) {
    const memory = destinations.map((d, i) => [d, i] as const).filter(([d]) => isRecord(d) && d.kind === 'memory');
    for (const [, i] of memory.slice(1)) {
      problems.push({
        messageId: CONFIG_MESSAGE_IDS.duplicateMemoryDestination,
        path: `auditLog.destinations[${i}]`,
        message: 'only one memory destination can be configured; the console and REST API read from it.',
        fix: 'Remove this entry, or raise the capacity of the first memory destination instead.',
      });
    }
    if (memory.length === 0) {
      warnings.push({
        messageId: CONFIG_MESSAGE_IDS.noMemoryDestination,
        path: 'auditLog.destinations',
        message: "no memory destination is configured, so the console's audit log view and the REST audit-log query will be empty.",
        fix: 'Add {"kind": "memory", "capacity": 10000} to auditLog.destinations.',
      });
    }
  }
}

function checkProvider(
  connector: Record<string, unknown>,
  connectorPath: string,
  connectorName: string | undefined,
  definition: ReturnType<typeof findService>,
  options: ValidateOptions,
  problems: ConfigProblem[],
  warnings: ConfigProblem[],
): void {
  const spec = typeof connector.connectorProvider === 'string' ? normalizeProviderSpec(connector.connectorProvider) : '';
  if (!spec) return;
  const registry = options.providers;
  const provider = registry.resolveSync(spec, options.baseDirectory);
  if (!provider) {
    if (registry.isModulePath(spec)) {
      const file = registry.modulePath(spec, options.baseDirectory ?? process.cwd());
      if (!existsSync(file)) {
        problems.push({
          messageId: CONFIG_MESSAGE_IDS.providerModuleMissing,
          path: `${connectorPath}.connectorProvider`,
          message: `the connector provider module ${file} does not exist.`,
          fix: "Correct the path (relative paths are resolved against the configuration file's directory) or install the module there.",
        });
      }
      // An existing module not loaded yet is checked by validateConfigWithModules, which imports it first.
      return;
    }
    const suggestion = didYouMean(spec, registry.names());
    problems.push({
      messageId: CONFIG_MESSAGE_IDS.unknownProvider,
      path: `${connectorPath}.connectorProvider`,
      message: `${spec} is not a known connector provider${suggestion ? `; did you mean "${suggestion}"?` : '.'}`,
      fix:
        registry.providerNames().length > 0
          ? `Use one of the built-in providers (${registry.providerNames().join(', ')}), an Egeria provider class name they accept, or the path of a module (starting with ./ or /) that exports a provider.`
          : 'No built-in providers are registered: give the path of a module (starting with ./ or /) that exports a provider.',
    });
    return;
  }

  if (definition && provider.connectorKind !== definition.connectorKind && connectorName) {
    const wrong = wrongKindMessage(definition, connectorName, provider.connectorKind);
    warnings.push({ messageId: wrong.messageId, path: `${connectorPath}.connectorProvider`, message: wrong.text, fix: wrong.userAction });
  }

  const endpointAddress = typeof connector.endpointAddress === 'string' ? connector.endpointAddress : undefined;
  const configurationProperties = connector.configurationProperties === undefined ? {} : connector.configurationProperties;
  if (!isRecord(configurationProperties)) return;
  const targets = configuredTargets(connector);
  if (targets) {
    checkCatalogTargets(targets, { endpointAddress, configurationProperties }, connectorPath, provider, problems);
    return;
  }
  let providerProblems: ConnectorConfigProblem[];
  try {
    providerProblems = mergeProblems(
      declarationProblems(provider, configurationProperties),
      provider.validate({ endpointAddress, configurationProperties }),
    );
  } catch (error) {
    problems.push({
      messageId: CONFIG_MESSAGE_IDS.providerProblem,
      path: connectorPath,
      message: `the ${provider.providerName} provider failed while checking this connector: ${errorText(error)}`,
      fix: "Check the connector's endpointAddress and configurationProperties; if they look right, report the failure to the connector's author.",
    });
    return;
  }
  for (const p of providerProblems) {
    problems.push({
      messageId: CONFIG_MESSAGE_IDS.providerProblem,
      path: p.path ? `${connectorPath}.${p.path}` : connectorPath,
      message: p.message,
      fix: p.fix,
    });
  }
}
