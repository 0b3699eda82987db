// Catalog targets in the configuration document: `catalogTargets: [{catalogTargetName, endpointAddress?,
// configurationProperties?}]` on a connector (Egeria's catalogTargetName). A target's endpoint replaces the
// connector's and its properties are laid over the connector's, so a files monitor names one directory per target
// and a database monitor shares its connection and names one schema per target. The provider's own validation runs
// on each target's merged settings, so a problem is reported at the target that has it.
import type { ConfigProblem as ConnectorConfigProblem, ConnectorProvider } from '../../connector-sdk/index.js';
import { errorText } from '../../../shared/api/error-text.js';
import { declarationProblems, mergeProblems } from '../workbench/declarations.js';
import { CONFIG_MESSAGE_IDS } from './problems.js';
import { catalogTargetSchema } from './schema.js';
import type { ConfigProblem } from './types.js';

export const DUPLICATE_CATALOG_TARGET = 'INTEGRATION-DAEMON-CONFIG-400-020';

export interface CatalogTargetConfig {
  catalogTargetName: string;
  endpointAddress?: string | undefined;
  configurationProperties?: Record<string, unknown> | undefined;
}

/** What one target's instance is created with: its endpoint, else the connector's; its properties over the connector's. */
export function mergedTargetSettings(
  connector: { endpointAddress?: string | undefined; configurationProperties: Record<string, unknown> },
  target: CatalogTargetConfig,
): { endpointAddress?: string; configurationProperties: Record<string, unknown> } {
  const endpointAddress = target.endpointAddress ?? connector.endpointAddress;
  return {
    ...(endpointAddress !== undefined ? { endpointAddress } : {}),
    configurationProperties: { ...connector.configurationProperties, ...(target.configurationProperties ?? {}) },
  };
}

/** A configured connector's targets, or undefined when it has none (its own endpoint is its one implicit target). */
export function configuredTargets(connector: Record<string, unknown>): unknown[] | undefined {
  const targets = connector.catalogTargets;
  return Array.isArray(targets) && targets.length > 0 ? targets : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Unique target names, and the provider's checks on each target's merged settings (instead of the connector's
 * own, which need not name a directory when every target does). The schema has already checked each entry's shape.
 */
export function checkCatalogTargets(
  targets: readonly unknown[],
  connector: { endpointAddress?: string | undefined; configurationProperties: Record<string, unknown> },
  connectorPath: string,
  provider: ConnectorProvider,
  problems: ConfigProblem[],
): void {
  const seen = new Map<string, number>();
  targets.forEach((entry, i) => {
    const path = `${connectorPath}.catalogTargets[${i}]`;
    const parsed = catalogTargetSchema.safeParse(entry);
    if (!parsed.success || !isRecord(entry)) return;
    const target = parsed.data;
    const first = seen.get(target.catalogTargetName);
    if (first !== undefined) {
      problems.push({
        messageId: DUPLICATE_CATALOG_TARGET,
        path: `${path}.catalogTargetName`,
        message: `catalog target name ${target.catalogTargetName} is already used by catalogTargets[${first}]; refresh and retry address a target by its name.`,
        fix: `Rename one of the two targets, e.g. "${target.catalogTargetName}2".`,
      });
    } else seen.set(target.catalogTargetName, i);
    const merged = mergedTargetSettings(connector, target);
    let found: ConnectorConfigProblem[];
    try {
      found = mergeProblems(declarationProblems(provider, merged.configurationProperties), provider.validate(merged));
    } catch (error) {
      problems.push({
        messageId: CONFIG_MESSAGE_IDS.providerProblem,
        path,
        message: `the ${provider.providerName} provider failed while checking this catalog target: ${errorText(error)}`,
        fix: "Check the target's endpointAddress and configurationProperties; if they look right, report the failure to the connector's author.",
      });
      return;
    }
    for (const p of found) {
      problems.push({
        messageId: CONFIG_MESSAGE_IDS.providerProblem,
        path: p.path ? `${path}.${p.path}` : path,
        message: `catalog target ${target.catalogTargetName}: ${p.message}`,
        fix: p.fix,
      });
    }
  });
}
