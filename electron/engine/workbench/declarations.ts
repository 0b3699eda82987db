// A provider as the workbench sees it: its description for GET .../connector-providers (and the README's table),
// and the check of a connector's configuration properties against what the provider declares: unknown names (with
// "did you mean"), types, choices, bounds and required properties.
import type { ConfigurationPropertyDeclaration, ConnectorProviderDescription } from '../../../shared/api/types.js';
import type { ConfigProblem, ConnectorProvider } from '../../connector-sdk/index.js';
import { didYouMean } from '../config/suggest.js';
import { INTEGRATION_SERVICES } from '../services.js';

export function describeProvider(provider: ConnectorProvider): ConnectorProviderDescription {
  return {
    providerName: provider.providerName,
    aliases: [...provider.aliases],
    connectorKind: provider.connectorKind,
    urlMarkers: INTEGRATION_SERVICES.filter((s) => s.connectorKind === provider.connectorKind).map((s) => s.urlMarker),
    description: provider.description,
    endpoint: provider.endpoint ?? {
      kind: 'none',
      description: 'The provider does not declare what its endpoint address is.',
      required: false,
    },
    configurationProperties: (provider.configurationProperties ?? []).map((p) => ({ ...p })),
    testSteps: (provider.testChecks ?? []).map((c) => ({ name: c.name, description: c.description })),
  };
}

function typeProblem(declaration: ConfigurationPropertyDeclaration, value: unknown): string | undefined {
  switch (declaration.type) {
    case 'string':
    case 'secret':
      return typeof value === 'string' ? undefined : 'must be text';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : 'must be a whole number';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'stringList':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? undefined : 'must be a list of text values';
  }
}

function example(declaration: ConfigurationPropertyDeclaration): string {
  if (declaration.allowedValues?.length) return declaration.allowedValues.map((v) => JSON.stringify(v)).join(' or ');
  if (declaration.default !== undefined) return JSON.stringify(declaration.default);
  return { string: '"text"', secret: '"…"', boolean: 'true', integer: '10', number: '1.5', stringList: '["a", "b"]' }[declaration.type];
}

/**
 * Problems of `configurationProperties` against the provider's declarations, paths relative to the connector entry.
 * A provider that declares no properties is left to its own `validate`.
 */
export function declarationProblems(provider: ConnectorProvider, properties: Record<string, unknown>): ConfigProblem[] {
  const declared = provider.configurationProperties;
  if (declared === undefined) return [];
  const byName = new Map(declared.map((d) => [d.name, d]));
  const names = declared.map((d) => d.name);
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(properties)) {
    const path = `configurationProperties.${key}`;
    const declaration = byName.get(key);
    if (declaration === undefined) {
      const suggestion = didYouMean(key, names);
      problems.push({
        path,
        message: `The property ${key} is not one the ${provider.providerName} provider reads${suggestion ? `; did you mean "${suggestion}"?` : '.'}`,
        fix:
          names.length > 0
            ? `Remove it${suggestion ? ` or rename it to ${suggestion}` : ''}; the properties of ${provider.providerName} are ${names.join(', ')}.`
            : `Remove it; the ${provider.providerName} provider reads no configuration properties.`,
      });
      continue;
    }
    const fix = `Set ${key} to a value such as ${example(declaration)}: ${declaration.description}`;
    const wrongType = typeProblem(declaration, value);
    if (wrongType !== undefined) {
      problems.push({ path, message: `The property ${key} ${wrongType}.`, fix });
      continue;
    }
    if (declaration.allowedValues !== undefined && !declaration.allowedValues.includes(String(value))) {
      problems.push({ path, message: `The property ${key} must be one of ${declaration.allowedValues.join(', ')}.`, fix });
    } else if (typeof value === 'number' && declaration.minimum !== undefined && value < declaration.minimum) {
      problems.push({ path, message: `The property ${key} must be at least ${declaration.minimum}.`, fix });
    } else if (typeof value === 'number' && declaration.maximum !== undefined && value > declaration.maximum) {
      problems.push({ path, message: `The property ${key} must be at most ${declaration.maximum}.`, fix });
    }
  }
  for (const declaration of declared) {
    if (declaration.required && !(declaration.name in properties)) {
      problems.push({
        path: `configurationProperties.${declaration.name}`,
        message: `The property ${declaration.name} is required by the ${provider.providerName} provider.`,
        fix: `Set ${declaration.name} to a value such as ${example(declaration)}: ${declaration.description}`,
      });
    }
  }
  return problems;
}

/** The declaration's problems first; the provider's own are kept where they name a field not already reported. */
export function mergeProblems(declared: readonly ConfigProblem[], own: readonly ConfigProblem[]): ConfigProblem[] {
  const reported = new Set(declared.map((p) => p.path));
  return [...declared, ...own.filter((p) => ![...reported].some((path) => p.path === path || p.path.startsWith(`${path}.`)))];
}
