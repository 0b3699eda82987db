// Checking an integration group's connector documents exactly as configured connector entries are checked: each
// document is placed in a configuration document under the integration service its provider's kind belongs to and
// validated with the daemon's own rules, so whatever a connector entry may hold (and every problem it may have) is
// the same in a group. Problems come back with paths relative to the group (`connectors[2].endpointAddress`).
import type { ConfigurationProblem } from '../../../shared/api/types.js';
import { connectorIdFor } from '../config/defaults.js';
import { CONFIG_MESSAGE_IDS } from '../config/problems.js';
import type { ConnectorConfig } from '../config/types.js';
import { validateConfig } from '../config/validate.js';
import type { ProviderRegistry } from '../providers.js';
import { INTEGRATION_SERVICES, serviceForKind, type IntegrationServiceDefinition } from '../services.js';

export interface GroupConnector {
  connector: ConnectorConfig;
  service: IntegrationServiceDefinition;
}

export type GroupConnectorsCheck = { ok: true; connectors: GroupConnector[] } | { ok: false; problems: ConfigurationProblem[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A marker for documents whose provider is unknown: the validation then reports the provider by name. */
const FALLBACK_MARKER = (INTEGRATION_SERVICES[0] as IntegrationServiceDefinition).urlMarker;

/** Where a group's connector document sits in the configuration document it is validated in. */
interface Placement {
  groupIndex: number;
  prefix: string;
}

/**
 * The group's connector documents as the connectors this daemon would run, or every problem. Ids not given are
 * derived from the group (not the daemon), so every daemon running the group catalogues into the same metadata source.
 */
export function checkGroupConnectors(
  groupName: string,
  documents: readonly unknown[],
  providers: ProviderRegistry,
  baseDirectory: string,
): GroupConnectorsCheck {
  const problems: ConfigurationProblem[] = [];
  const services = new Map<string, unknown[]>();
  const placements: Placement[] = [];
  documents.forEach((document, index) => {
    if (!isRecord(document)) {
      problems.push({
        path: `connectors[${index}]`,
        messageId: CONFIG_MESSAGE_IDS.wrongType,
        message: 'a connector entry must be a JSON object.',
        fix: 'Send an object such as {"connectorName": "…", "connectorProvider": "…", "endpointAddress": "…"}.',
      });
      return;
    }
    const spec = document.connectorProvider;
    if (typeof spec === 'string' && providers.isModulePath(spec)) {
      problems.push({
        path: `connectors[${index}].connectorProvider`,
        messageId: CONFIG_MESSAGE_IDS.providerProblem,
        message: `${spec} is a module path; a group's connectors reach every daemon that runs the group, so they may only name registered providers.`,
        fix: `Use one of the registered providers (${providers.providerNames().join(', ')}), or configure the connector in one daemon's configuration file.`,
      });
      return;
    }
    const provider = typeof spec === 'string' ? providers.resolveSync(spec) : undefined;
    const marker = (provider && serviceForKind(provider.connectorKind)?.urlMarker) ?? FALLBACK_MARKER;
    const list = services.get(marker) ?? [];
    services.set(marker, list);
    placements.push({
      groupIndex: index,
      prefix: `integrationServices[${[...services.keys()].indexOf(marker)}].connectors[${list.length}]`,
    });
    list.push(document);
  });
  const document = {
    serverName: 'integration-group',
    integrationServices: [...services].map(([urlMarker, connectors]) => ({ urlMarker, connectors })),
  };
  const result = validateConfig(document, { providers, baseDirectory });
  if (!result.ok) problems.push(...result.problems.map((p) => relativeToGroup(p, placements)));
  if (problems.length > 0 || !result.ok) return { ok: false, problems };
  const connectors = result.config.integrationServices.flatMap((s) =>
    s.connectors.map((connector, c): GroupConnector & { order: number } => {
      const service = INTEGRATION_SERVICES.find((d) => d.urlMarker === s.urlMarker) as IntegrationServiceDefinition;
      const prefix = `integrationServices[${[...services.keys()].indexOf(s.urlMarker)}].connectors[${c}]`;
      const placement = placements.find((p) => p.prefix === prefix) as Placement;
      const given = (documents[placement.groupIndex] as Record<string, unknown>).connectorId;
      return {
        connector: {
          ...connector,
          connectorId: given === undefined ? groupConnectorId(groupName, service, connector) : connector.connectorId,
        },
        service,
        order: placement.groupIndex,
      };
    }),
  );
  return { ok: true, connectors: connectors.sort((a, b) => a.order - b.order).map(({ connector, service }) => ({ connector, service })) };
}

function groupConnectorId(groupName: string, service: IntegrationServiceDefinition, connector: ConnectorConfig): string {
  // ":" cannot appear in a server name, so a group's ids never equal a daemon's own.
  return connectorIdFor(`integration-group:${groupName}`, service.urlMarker, connector.connectorName);
}

function relativeToGroup(problem: ConfigurationProblem, placements: readonly Placement[]): ConfigurationProblem {
  const { path, messageId, message, fix } = problem;
  for (const placement of placements) {
    const here = `connectors[${placement.groupIndex}]`;
    if (path === placement.prefix) return { path: here, messageId, message, fix };
    if (path.startsWith(`${placement.prefix}.`) || path.startsWith(`${placement.prefix}[`))
      return { path: `${here}${path.slice(placement.prefix.length)}`, messageId, message, fix };
  }
  return { path: '', messageId, message, fix };
}
