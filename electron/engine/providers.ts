// Connector providers by name: registered names (`data-files-monitor`), Egeria provider class names as aliases
// (`org.odpi...DataFilesMonitorIntegrationProvider`), or the path of a module that exports a provider. The engine
// ships no connectors of its own: whoever starts a daemon registers the providers it offers (the built-in ones
// live in electron/connectors). A module is third-party code, so what it exports is checked before it is trusted.
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { errorText } from '../../shared/api/error-text.js';
import type { ConnectorKind, ConnectorProvider } from '../connector-sdk/index.js';
import { didYouMean } from './config/suggest.js';
import {
  importProviderModule,
  runtimeTypeScriptSupport,
  TypeScriptUnsupportedError,
  type ModuleNamespace,
  type TypeScriptSupport,
} from './provider-module.js';

const CONNECTOR_KINDS = ['files', 'database', 'catalog', 'lineage', 'organization', 'security'] as const satisfies readonly ConnectorKind[];

const isFunction = (v: unknown): v is (...args: never[]) => unknown => typeof v === 'function';

const providerShape = z.object({
  providerName: z.string().min(1),
  aliases: z.array(z.string().min(1)),
  connectorKind: z.enum(CONNECTOR_KINDS),
  description: z.string(),
  validate: z.custom<ConnectorProvider['validate']>(isFunction, 'validate must be a function'),
  create: z.custom<ConnectorProvider['create']>(isFunction, 'create must be a function'),
});

/** Raised when a provider spec cannot be resolved; carries an Egeria-style id and the fix. */
export class ProviderResolutionError extends Error {
  readonly messageId: string;
  readonly userAction: string;
  constructor(messageId: string, text: string, userAction: string, cause?: unknown) {
    super(`${messageId} ${text}`, cause === undefined ? undefined : { cause });
    this.name = 'ProviderResolutionError';
    this.messageId = messageId;
    this.userAction = userAction;
  }
}

const FILE_URL = /^file:/i;

/**
 * The one normalisation of a `connectorProvider` value (the configuration schema trims it the same way). Whether a
 * value names a module, and which file, is decided on what this returns and nowhere else, so a value cannot be
 * judged a harmless name by one check and imported as a module by another (`"evil.mjs "`).
 */
export function normalizeProviderSpec(value: string): string {
  return value.trim();
}

/** Checks that a value is a usable ConnectorProvider; returns the problems, empty when it is. */
export function providerShapeProblems(value: unknown): string[] {
  const parsed = providerShape.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message));
}

export class ProviderRegistry {
  private readonly byName = new Map<string, ConnectorProvider>();
  private readonly registered: ConnectorProvider[] = [];
  private readonly modules = new Map<string, ConnectorProvider>();
  private readonly typeScript: TypeScriptSupport;

  constructor(providers: Iterable<ConnectorProvider> = [], options: { typeScript?: TypeScriptSupport } = {}) {
    this.typeScript = options.typeScript ?? runtimeTypeScriptSupport();
    for (const provider of providers) this.register(provider);
  }

  /** Adds a provider; its name and aliases must not clash with one already registered. */
  register(provider: ConnectorProvider): void {
    const problems = providerShapeProblems(provider);
    if (problems.length > 0)
      throw new ProviderResolutionError(
        'INTEGRATION-DAEMON-PROVIDERS-400-001',
        `The connector provider ${String((provider as { providerName?: unknown }).providerName)} is not valid: ${problems.join('; ')}.`,
        'Correct the provider so it has providerName, aliases, connectorKind, description, validate() and create().',
      );
    for (const name of [provider.providerName, ...provider.aliases]) {
      const existing = this.byName.get(name);
      if (existing && existing !== provider)
        throw new ProviderResolutionError(
          'INTEGRATION-DAEMON-PROVIDERS-400-002',
          `The connector provider name ${name} is used by both ${existing.providerName} and ${provider.providerName}.`,
          'Give each provider its own name and aliases.',
        );
    }
    for (const name of [provider.providerName, ...provider.aliases]) this.byName.set(name, provider);
    if (!this.registered.includes(provider)) this.registered.push(provider);
  }

  /** Registered providers in registration order. */
  list(): ConnectorProvider[] {
    return [...this.registered];
  }

  /** Registered provider names (the built-in ones when the CLI or desktop started the daemon). */
  providerNames(): string[] {
    return this.registered.map((p) => p.providerName);
  }

  /** Every name `connectorProvider` may use for a registered provider: names and aliases. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /**
   * Module paths are told apart from names by a URL scheme, a path separator or a script extension (in any case:
   * `EVIL.MJS` is as much a module as `evil.mjs`). Decided on the normalised value, as it will be loaded.
   */
  isModulePath(value: string): boolean {
    const spec = normalizeProviderSpec(value);
    return FILE_URL.test(spec) || /[\\/]/.test(spec) || /\.(m|c)?[jt]s$/i.test(spec);
  }

  /** Absolute file path of a module spec; relative specs resolve against `baseDirectory`. */
  modulePath(value: string, baseDirectory: string): string {
    const spec = normalizeProviderSpec(value);
    if (FILE_URL.test(spec)) {
      try {
        return fileURLToPath(spec);
      } catch {
        // A file URL this platform cannot turn into a path (a host name, an encoded separator) names no file here.
        return resolvePath(baseDirectory, spec);
      }
    }
    return isAbsolute(spec) ? spec : resolvePath(baseDirectory, spec);
  }

  /** The absolute file a `connectorProvider` value would import, or undefined when it names no module. */
  moduleFile(value: string, baseDirectory: string): string | undefined {
    return this.isModulePath(value) ? this.modulePath(value, baseDirectory) : undefined;
  }

  /** A built-in by name or alias, or a module provider already loaded by `resolve`. */
  resolveSync(value: string, baseDirectory?: string): ConnectorProvider | undefined {
    const spec = normalizeProviderSpec(value);
    const named = this.byName.get(spec);
    if (named) return named;
    if (!this.isModulePath(spec)) return undefined;
    return this.modules.get(this.modulePath(spec, baseDirectory ?? process.cwd()));
  }

  /** Resolves a name, an alias or a module path (imported once, then cached). */
  async resolve(value: string, baseDirectory: string): Promise<ConnectorProvider> {
    const spec = normalizeProviderSpec(value);
    const known = this.resolveSync(spec, baseDirectory);
    if (known) return known;
    if (!this.isModulePath(spec)) {
      const suggestion = didYouMean(spec, this.names());
      throw new ProviderResolutionError(
        'INTEGRATION-DAEMON-PROVIDERS-404-001',
        `${spec} is not a known connector provider${suggestion ? `; did you mean "${suggestion}"?` : '.'}`,
        `Use one of ${this.providerNames().join(', ')}, an Egeria provider class name they accept, or the path of a module that exports a provider.`,
      );
    }
    const file = this.modulePath(spec, baseDirectory);
    let loaded: ModuleNamespace;
    try {
      loaded = await importProviderModule(file, this.typeScript);
    } catch (error) {
      if (error instanceof TypeScriptUnsupportedError) {
        throw new ProviderResolutionError(
          'INTEGRATION-DAEMON-PROVIDERS-400-004',
          `The connector provider module ${error.message}.`,
          `Compile the connector to JavaScript (for example \`npx tsc --module nodenext --target es2022 ${file}\` gives an .mjs file for an .mts one) and set connectorProvider to the compiled file; or install tsx next to the daemon (npm install tsx), or run it on a Node.js that strips types itself (22.18 or later).`,
          error,
        );
      }
      throw new ProviderResolutionError(
        'INTEGRATION-DAEMON-PROVIDERS-404-002',
        `The connector provider module ${file} could not be loaded: ${errorText(error)}`,
        'Check that the file exists, is an ES module (.mjs, or .js in a "type": "module" package) and loads without errors.',
        error,
      );
    }
    const candidate = loaded.provider ?? loaded.default;
    const problems = candidate === undefined ? ['it exports neither `provider` nor a default export'] : providerShapeProblems(candidate);
    if (problems.length > 0)
      throw new ProviderResolutionError(
        'INTEGRATION-DAEMON-PROVIDERS-400-003',
        `The connector provider module ${file} does not export a valid connector provider: ${problems.join('; ')}.`,
        'Export (as default or as `provider`) an object with providerName, aliases, connectorKind, description, validate() and create().',
      );
    const provider = candidate as ConnectorProvider;
    this.modules.set(file, provider);
    return provider;
  }
}
