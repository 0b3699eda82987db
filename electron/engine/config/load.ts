// Reading and writing the configuration file: clear errors for a missing file or malformed JSON (with line and
// column), validation of what was read, and atomic replacement so a crash never leaves half a document.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ProviderRegistry } from '../providers.js';
import { CONFIG_MESSAGE_IDS } from './problems.js';
import type { ConfigDocument } from './schema.js';
import type { ConfigProblem, DaemonConfig } from './types.js';
import { validateConfigWithModules } from './validate.js';
import { errorText } from '../../../shared/api/error-text.js';

/** A configuration that cannot be used; `format()` gives the CLI text listing every problem with its fix. */
export class ConfigError extends Error {
  readonly messageId: string;
  readonly problems: ConfigProblem[];
  readonly warnings: ConfigProblem[];
  readonly path: string | undefined;

  constructor(problems: ConfigProblem[], options: { path?: string; warnings?: ConfigProblem[] } = {}) {
    const first = problems[0];
    const where = options.path ? ` in ${options.path}` : '';
    super(
      problems.length === 1 && first
        ? `${first.messageId} The configuration document${where} has a problem at ${first.path || 'the top level'}: ${first.message}`
        : `INTEGRATION-DAEMON-CONFIG-400-000 The configuration document${where} has ${problems.length} problems.`,
    );
    this.name = 'ConfigError';
    this.messageId = problems.length === 1 && first ? first.messageId : 'INTEGRATION-DAEMON-CONFIG-400-000';
    this.problems = problems;
    this.warnings = options.warnings ?? [];
    this.path = options.path;
  }

  /** One block per problem: id, path, what is wrong, the fix. Warnings follow, marked as such. */
  format(): string {
    const lines = [
      `The configuration document${this.path ? ` ${this.path}` : ''} cannot be used (${this.problems.length} problem${this.problems.length === 1 ? '' : 's'}):`,
    ];
    for (const p of this.problems) lines.push(formatProblem(p, 'error'));
    for (const w of this.warnings) lines.push(formatProblem(w, 'warning'));
    return lines.join('\n');
  }
}

export function formatProblem(problem: ConfigProblem, level: 'error' | 'warning'): string {
  return `  ${level === 'warning' ? 'warning ' : ''}${problem.messageId} ${problem.path || '(document)'}: ${problem.message}\n      fix: ${problem.fix}`;
}

export interface LoadedConfig {
  /** Absolute path of the file read. */
  path: string;
  /** The file's directory: relative paths in the document resolve against it. */
  baseDirectory: string;
  /** The document as written by the user (connector ids not filled in), for admin edits that write it back. */
  document: unknown;
  config: DaemonConfig;
  warnings: ConfigProblem[];
}

/** Line and column (1-based) of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Parses JSON text; a syntax error becomes a ConfigError naming the line and column. */
export function parseConfigText(text: string, path?: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    const detail = errorText(error);
    const position = /position (\d+)/.exec(detail);
    const offset = position ? Number(position[1]) : body.length;
    const { line, column } = lineAndColumn(body, offset);
    const rest = body.slice(offset).trimStart();
    const hint =
      rest.startsWith('//') || rest.startsWith('/*')
        ? 'JSON does not allow comments: remove them.'
        : body.trim().length === 0
          ? 'The file is empty: write a JSON object such as {"serverName": "myDaemon", "integrationServices": []}.'
          : 'Correct the JSON syntax at that place (a missing comma or quote, or a trailing comma, is the usual cause).';
    throw new ConfigError(
      [
        {
          messageId: CONFIG_MESSAGE_IDS.malformedJson,
          path: '',
          message: `the file is not valid JSON at line ${line}, column ${column}: ${detail.replace(/ in JSON at position \d+.*$/, '')}.`,
          fix: hint,
        },
      ],
      path === undefined ? {} : { path },
    );
  }
}

/** Reads, parses and validates a configuration file (importing any module-path providers it names). */
export async function loadConfigFile(path: string, options: { providers: ProviderRegistry }): Promise<LoadedConfig> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      [
        code === 'ENOENT'
          ? {
              messageId: CONFIG_MESSAGE_IDS.fileMissing,
              path: '',
              message: `the configuration file ${absolute} does not exist.`,
              fix: 'Give the path of an existing configuration file, or create one (`integration-daemon demo` writes a working example).',
            }
          : {
              messageId: CONFIG_MESSAGE_IDS.unreadable,
              path: '',
              message: `the configuration file ${absolute} cannot be read: ${errorText(error)}.`,
              fix: code === 'EISDIR' ? 'Give the path of the file, not of its directory.' : "Check the file's permissions.",
            },
      ],
      { path: absolute },
    );
  }
  const document = parseConfigText(text, absolute);
  const baseDirectory = dirname(absolute);
  const result = await validateConfigWithModules(document, { providers: options.providers, baseDirectory });
  if (!result.ok) throw new ConfigError(result.problems, { path: absolute, warnings: result.warnings });
  return { path: absolute, baseDirectory, document, config: result.config, warnings: result.warnings };
}

/**
 * Replaces the file with `document` so that readers see the old or the new content, never a mix: write a
 * temporary file beside it, fsync, rename over, fsync the directory. Keeps the old file's mode; a new file is
 * readable by its owner only, as it may hold a database password.
 */
export async function writeConfigAtomically(path: string, document: unknown): Promise<void> {
  // Through a symbolic link the real file is replaced, so the link the user made keeps pointing at it.
  const absolute = await realpath(resolve(path)).catch(() => resolve(path));
  const directory = dirname(absolute);
  const text = `${JSON.stringify(document, null, 2)}\n`;
  let mode = 0o600;
  try {
    mode = (await stat(absolute)).mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const temporary = join(directory, `.${basename(absolute)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, absolute);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  // The rename is durable only once the directory entry is; not every platform can open a directory for that.
  try {
    const dir = await open(directory, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // Windows cannot fsync a directory; the rename itself is still atomic there.
  }
}

/** Where the demo keeps its files; all paths absolute so the document works from any directory. */
export interface DemoDirectories {
  /** Root of the demo's data: the metadata database and the audit files go here. */
  dataDirectory: string;
  /** The folder the two demo connectors watch; defaults to `<dataDirectory>/landing-area`. */
  landingArea?: string;
}

/** The document `npm start` runs: embedded SQLite, a data-files monitor and a data-folder monitor on a landing area. */
export function demoConfig(dirs: DemoDirectories): ConfigDocument {
  const dataDirectory = resolve(dirs.dataDirectory);
  const landingArea = resolve(dirs.landingArea ?? join(dataDirectory, 'landing-area'));
  return {
    serverName: 'exchangeDL01',
    localServerUserId: 'exchangeDL01npa',
    maxPageSize: 1000,
    metadataServer: { name: 'exchangeDL01-metadata', kind: 'embedded', path: join(dataDirectory, 'metadata.db') },
    auditLog: {
      destinations: [
        { kind: 'console' },
        { kind: 'jsonl', path: join(dataDirectory, 'audit', 'audit.jsonl'), maxBytes: 10 * 1024 * 1024, maxFiles: 5 },
        { kind: 'memory', capacity: 10_000 },
      ],
    },
    integrationServices: [
      {
        urlMarker: 'files-integrator',
        defaultPermittedSynchronization: 'FROM_THIRD_PARTY',
        connectors: [
          {
            connectorName: 'LandingAreaFilesMonitor',
            connectorProvider: 'data-files-monitor',
            endpointAddress: landingArea,
            refreshTimeInterval: 10,
          },
          {
            connectorName: 'LandingAreaFolderMonitor',
            connectorProvider: 'data-folder-monitor',
            endpointAddress: landingArea,
            refreshTimeInterval: 10,
          },
        ],
      },
    ],
  };
}
