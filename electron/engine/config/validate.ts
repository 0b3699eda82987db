// Validation of a configuration document: every problem at once (schema, cross-field checks, providers), each with
// its JSON path and fix, so an operator fixes a document in one pass. Module-path providers are imported first when
// asked (validateConfigWithModules), because only a loaded provider can check its own settings.
import { existsSync } from 'node:fs';
import { errorText } from '../../../shared/api/error-text.js';
import { ProviderResolutionError } from '../providers.js';
import { asArray, crossFieldChecks, isRecord } from './cross-checks.js';
import { applyDefaults } from './defaults.js';
import { CONFIG_MESSAGE_IDS, describeValue, formatPath, problemsFromIssues } from './problems.js';
import { configDocumentSchema } from './schema.js';
import type { ConfigProblem, ValidateOptions, ValidationResult } from './types.js';

/** Deeper than any real configuration; copying and writing the document recurse, so deeper is a problem. */
export const MAX_CONFIG_DEPTH = 64;

/** The path of the first object or list nested deeper than `limit`, found without recursion; undefined if none. */
function tooDeepAt(doc: unknown, limit: number): PropertyKey[] | undefined {
  const pending: Array<{ value: unknown; path: PropertyKey[] }> = [{ value: doc, path: [] }];
  while (pending.length > 0) {
    const { value, path } = pending.pop() as { value: unknown; path: PropertyKey[] };
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= limit) return path;
    for (const [key, child] of Object.entries(value))
      pending.push({ value: child, path: [...path, Array.isArray(value) ? Number(key) : key] });
  }
  return undefined;
}

/**
 * Validates a parsed JSON document. Lists every problem (schema, unknown service, duplicate names, unknown or
 * unhappy provider), not just the first. Module-path providers are only checked this deeply once loaded:
 * use validateConfigWithModules (or loadConfigFile) to import them first.
 */
export function validateConfig(doc: unknown, options: ValidateOptions): ValidationResult {
  const warnings: ConfigProblem[] = [];
  if (!isRecord(doc)) {
    return {
      ok: false,
      warnings,
      problems: [
        {
          messageId: CONFIG_MESSAGE_IDS.notAnObject,
          path: '',
          message: `the configuration document must be a JSON object, not ${describeValue(doc)}.`,
          fix: 'Start from {"serverName": "myDaemon", "integrationServices": []} and add to it.',
        },
      ],
    };
  }
  const deep = tooDeepAt(doc, MAX_CONFIG_DEPTH);
  if (deep !== undefined) {
    return {
      ok: false,
      warnings,
      problems: [
        {
          messageId: CONFIG_MESSAGE_IDS.tooDeep,
          path: formatPath(deep.slice(0, 8)),
          message: `the document is nested more than ${MAX_CONFIG_DEPTH} levels deep below this place.`,
          fix: 'Flatten the value: configuration properties are plain settings, not deep structures.',
        },
      ],
    };
  }
  const parsed = configDocumentSchema.safeParse(doc);
  const problems = parsed.success ? [] : problemsFromIssues(doc, parsed.error.issues);
  crossFieldChecks(doc, options, problems, warnings);
  if (!parsed.success || problems.length > 0) return { ok: false, problems, warnings };
  return { ok: true, config: applyDefaults(parsed.data), warnings };
}

/** Like validateConfig, after importing every module-path provider the document names (load errors become problems). */
export async function validateConfigWithModules(doc: unknown, options: ValidateOptions): Promise<ValidationResult> {
  const loadProblems: ConfigProblem[] = [];
  if (isRecord(doc)) {
    const baseDirectory = options.baseDirectory ?? process.cwd();
    for (const [s, service] of asArray(doc.integrationServices).entries()) {
      if (!isRecord(service)) continue;
      for (const [c, connector] of asArray(service.connectors).entries()) {
        if (!isRecord(connector) || typeof connector.connectorProvider !== 'string') continue;
        const spec = connector.connectorProvider;
        const file = options.providers.moduleFile(spec, baseDirectory);
        if (file === undefined || !existsSync(file)) continue;
        try {
          await options.providers.resolve(spec, baseDirectory);
        } catch (error) {
          loadProblems.push({
            messageId: CONFIG_MESSAGE_IDS.providerModuleInvalid,
            path: `integrationServices[${s}].connectors[${c}].connectorProvider`,
            message: errorText(error),
            fix:
              error instanceof ProviderResolutionError
                ? error.userAction
                : 'The module must export (as default or as `provider`) an object with providerName, aliases, connectorKind, description, validate() and create().',
          });
        }
      }
    }
  }
  const result = validateConfig(doc, { ...options, baseDirectory: options.baseDirectory ?? process.cwd() });
  if (loadProblems.length === 0) return result;
  return { ok: false, problems: [...loadProblems, ...(result.ok ? [] : result.problems)], warnings: result.warnings };
}
