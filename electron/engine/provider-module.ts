// Imports a connector provider module named by path. JavaScript is imported as it is. The daemon itself runs
// compiled JavaScript, so a TypeScript module (.ts, .mts, .cts) loads only through what the runtime offers: Node's
// own type stripping, or the tsx package when it is installed. Without either the module is refused with what to
// do instead, rather than failing with Node's "Unknown file extension" that names no way out.
import { pathToFileURL } from 'node:url';
import { errorCode } from '../connector-sdk/index.js';

export type ModuleNamespace = Record<string, unknown>;

/** How this process can load TypeScript; injectable so the refusal can be tested on a runtime that has a loader. */
export interface TypeScriptSupport {
  /** Node strips types itself (`process.features.typescript`): a plain import works. */
  native: boolean;
  /** tsx's `tsImport`, looked up on first use; undefined when the package is not installed. */
  tsx(): Promise<((file: string) => Promise<ModuleNamespace>) | undefined>;
}

const TYPESCRIPT_FILE = /\.(m|c)?ts$/i;

export function isTypeScriptFile(file: string): boolean {
  return TYPESCRIPT_FILE.test(file);
}

/** A TypeScript module on a runtime that cannot load TypeScript. */
export class TypeScriptUnsupportedError extends Error {
  constructor(readonly file: string) {
    super(
      `${file} is TypeScript, and this runtime cannot load TypeScript: Node.js ${process.version} does not strip types and the tsx package is not installed`,
    );
    this.name = 'TypeScriptUnsupportedError';
  }
}

interface TsxApi {
  tsImport(specifier: string, parentURL: string): Promise<unknown>;
}

function isTsxApi(value: unknown): value is TsxApi {
  return typeof value === 'object' && value !== null && typeof (value as { tsImport?: unknown }).tsImport === 'function';
}

/** Only a missing package means "no loader"; a tsx that is installed but broken is reported as it is. */
function isModuleNotFound(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

let tsxImporter: Promise<((file: string) => Promise<ModuleNamespace>) | undefined> | undefined;

/** The support this process has. tsx is imported lazily: most daemons never load a TypeScript connector. */
export function runtimeTypeScriptSupport(): TypeScriptSupport {
  const features = process.features as { typescript?: unknown };
  return {
    native: typeof features.typescript === 'string' && features.typescript !== '',
    tsx() {
      tsxImporter ??= (async () => {
        // A specifier in a variable keeps bundlers from pulling tsx into the compiled daemon.
        const specifier = 'tsx/esm/api';
        let api: unknown;
        try {
          api = await import(specifier);
        } catch (error) {
          if (isModuleNotFound(error)) return undefined;
          throw error;
        }
        if (!isTsxApi(api)) return undefined;
        return async (file: string) => (await api.tsImport(pathToFileURL(file).href, import.meta.url)) as ModuleNamespace;
      })();
      return tsxImporter;
    },
  };
}

/** Imports `file` (an absolute path); throws TypeScriptUnsupportedError for TypeScript this runtime cannot load. */
export async function importProviderModule(file: string, typeScript: TypeScriptSupport): Promise<ModuleNamespace> {
  if (isTypeScriptFile(file) && !typeScript.native) {
    const tsImport = await typeScript.tsx();
    if (tsImport === undefined) throw new TypeScriptUnsupportedError(file);
    return tsImport(file);
  }
  return (await import(pathToFileURL(file).href)) as ModuleNamespace;
}
