// What the data files and data folder monitors share: the endpoint directory, the configuration properties they
// accept, the exclusion globs and the messages (ids and texts follow Egeria's basic files integration connectors).
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConnectorError, errorCode, errorText, type ConfigProblem, type ConnectorInstanceConfig } from '../../connector-sdk/index.js';

const MESSAGE_PREFIX = 'BASIC-FILES-INTEGRATION-CONNECTORS';

/** Audit message ids; 0005, 0009 and 0010 are Egeria's, 003x are ours (Egeria audits per file, we per scan). */
export const FILES_AUDIT = {
  monitoringStarting: `${MESSAGE_PREFIX}-0005`,
  connectorStopping: `${MESSAGE_PREFIX}-0009`,
  folderUpdated: `${MESSAGE_PREFIX}-0010`,
  scanComplete: `${MESSAGE_PREFIX}-0030`,
  scanPartial: `${MESSAGE_PREFIX}-0031`,
  waitingForDirectory: `${MESSAGE_PREFIX}-0032`,
  watchUnavailable: `${MESSAGE_PREFIX}-0033`,
  rootResolved: `${MESSAGE_PREFIX}-0034`,
  rootLost: `${MESSAGE_PREFIX}-0035`,
} as const;

/** Directories that are never a data landing area: monitoring them would walk the whole machine or kernel files. */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev'];

/** Why `directory` (absolute, normalised) may not be monitored, or undefined when it may. */
export function systemDirectoryProblem(directory: string): string | undefined {
  if (sep !== '/') return undefined;
  if (directory === '/') return 'it is the root of the file system: the connector would walk and watch the whole machine';
  const system = SYSTEM_ROOTS.find((root) => directory === root || directory.startsWith(`${root}/`));
  return system === undefined ? undefined : `it is in ${system}, which holds kernel and device files rather than data`;
}

export interface FilesMonitorSettings {
  directory: string;
  waitForDirectory: boolean;
  watchChanges: boolean;
  exclude: NameFilter;
}

/**
 * Egeria properties a configuration migrated from Egeria may still carry; each is refused with the reason, because
 * silently ignoring one (say `allowCatalogDelete`) would make the connector behave differently from what the
 * operator asked for.
 */
const UNSUPPORTED_EGERIA_PROPERTIES: Record<string, string> = {
  allowCatalogDelete: 'this connector always archives the DataFile of a deleted file and never deletes it',
  catalogAllFiles: 'this connector always catalogues every file that is not excluded',
  fileTemplateQualifiedName: 'cataloguing from templates is not supported',
  directoryTemplateQualifiedName: 'cataloguing from templates is not supported',
  templateQualifiedName: 'cataloguing from templates is not supported',
  toDoTemplateQualifiedName: 'ToDo creation is not supported',
  incidentReportQualifiedName: 'incident reports are not supported',
  newFileProcessName: 'governance action processes are not supported',
  fileSystemName: 'file system elements are not catalogued',
  localMountPoint: 'mount point translation is not supported',
  canonicalMountPoint: 'mount point translation is not supported',
};

const propertiesSchema = z.object({
  waitForDirectory: z.boolean().optional(),
  watchChanges: z.boolean().optional(),
  excludeNames: z.array(z.string().min(1)).optional(),
});

const PROPERTY_FIXES: Record<string, string> = {
  waitForDirectory: 'Set waitForDirectory to true (wait for the directory to appear) or false (fail when it is missing).',
  watchChanges: 'Set watchChanges to true (see changes within a second) or false (only at refresh, e.g. for network file systems).',
  excludeNames: 'Set excludeNames to a list of glob patterns such as ["*.tmp", ".git", "archive/**"].',
};

export function validateFilesConfig(config: Pick<ConnectorInstanceConfig, 'endpointAddress' | 'configurationProperties'>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const address = config.endpointAddress;
  if (address === undefined || address.trim() === '') {
    problems.push({
      path: 'endpointAddress',
      message: 'The endpoint address is missing; it names the directory to monitor.',
      fix: 'Set endpointAddress to the directory, absolute or relative to the configuration file, e.g. "data/landing".',
    });
  } else if (address.startsWith('file:')) {
    try {
      fileURLToPath(address);
    } catch (error) {
      problems.push({
        path: 'endpointAddress',
        message: `The endpoint address ${address} is not a valid file URL: ${errorText(error)}.`,
        fix: 'Use a plain directory path or a file:/// URL.',
      });
    }
  }
  const absolute = address === undefined || address.trim() === '' ? undefined : absoluteAddress(address);
  const systemProblem = absolute === undefined ? undefined : systemDirectoryProblem(absolute);
  if (systemProblem !== undefined) {
    problems.push({
      path: 'endpointAddress',
      message: `The endpoint address ${address} cannot be monitored: ${systemProblem}.`,
      fix: 'Set endpointAddress to the directory that holds the data files, e.g. "/srv/landing" or "data/landing".',
    });
  }
  const properties = config.configurationProperties;
  for (const key of Object.keys(properties)) {
    const unsupported = UNSUPPORTED_EGERIA_PROPERTIES[key];
    if (unsupported !== undefined) {
      problems.push({
        path: `configurationProperties.${key}`,
        message: `The Egeria property ${key} is not supported: ${unsupported}.`,
        fix: `Remove ${key}; supported properties are ${Object.keys(PROPERTY_FIXES).join(', ')}.`,
      });
    } else if (!(key in PROPERTY_FIXES)) {
      problems.push({
        path: `configurationProperties.${key}`,
        message: `The property ${key} is not recognised by this connector.`,
        fix: `Remove it or correct its spelling; supported properties are ${Object.keys(PROPERTY_FIXES).join(', ')}.`,
      });
    }
  }
  const parsed = propertiesSchema.safeParse(properties);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0]);
      problems.push({
        path: ['configurationProperties', ...issue.path.map(String)].join('.'),
        message: issue.message,
        fix: PROPERTY_FIXES[key] ?? 'Correct the value.',
      });
    }
  } else {
    for (const [index, pattern] of (parsed.data.excludeNames ?? []).entries()) {
      const problem = globProblem(pattern);
      if (problem !== undefined) {
        problems.push({
          path: `configurationProperties.excludeNames.${index}`,
          message: problem,
          fix: PROPERTY_FIXES.excludeNames as string,
        });
      }
    }
  }
  return problems;
}

/** Turns a validated configuration into settings; throws a configuration ConnectorError if it was not validated. */
export function filesSettings(config: ConnectorInstanceConfig): FilesMonitorSettings {
  const problems = validateFilesConfig(config);
  if (problems.length > 0) {
    throw new ConnectorError({
      messageId: `${MESSAGE_PREFIX}-400-001`,
      text: `The configuration of connector ${config.connectorName} is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join(' ')}`,
      category: 'configuration',
      retryable: false,
      parameters: [config.connectorName],
      userAction: problems.map((p) => p.fix).join(' '),
      systemAction: 'The connector is not started.',
    });
  }
  const properties = propertiesSchema.parse(config.configurationProperties);
  return {
    directory: resolveDirectory(config.endpointAddress as string, config.baseDirectory),
    waitForDirectory: properties.waitForDirectory ?? false,
    watchChanges: properties.watchChanges ?? true,
    exclude: new NameFilter(properties.excludeNames ?? []),
  };
}

/** The absolute, normalised directory an address names, when it can be told without the configuration's directory. */
function absoluteAddress(address: string): string | undefined {
  let path: string;
  try {
    path = address.startsWith('file:') ? fileURLToPath(address) : address;
  } catch {
    return undefined;
  }
  return isAbsolute(path) ? resolveDirectory(path, sep) : undefined;
}

/**
 * `file:` URLs (Egeria writes `file:///…`) and relative paths (against the configuration file's directory), always
 * normalised: `//dev`, `/srv/..` and `/tmp/../proc` are judged (and monitored) as the directory they open.
 */
export function resolveDirectory(endpointAddress: string, baseDirectory: string): string {
  const path = endpointAddress.startsWith('file:') ? fileURLToPath(endpointAddress) : endpointAddress;
  return resolve(baseDirectory, path);
}

export type DirectoryState = 'ready' | 'missing';

/**
 * Checks the monitored directory; `missing` only when the caller waits for it, otherwise missing throws. A root this
 * process has monitored (`seen`) that is now a file is missing too: the directory went and something took its
 * place, which the configuration cannot fix (a root that was never a directory is a configuration error).
 */
export async function checkDirectory(
  directory: string,
  connectorName: string,
  waitForDirectory: boolean,
  seen = false,
): Promise<DirectoryState> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(directory)).isDirectory();
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (waitForDirectory) return 'missing';
      throw directoryNotFound(directory, connectorName, error, untilDirectory(directory));
    }
    if (code === 'EACCES' || code === 'EPERM') throw directoryNotReadable(directory, connectorName, error);
    throw unexpectedDirectoryError(directory, connectorName, error);
  }
  if (!isDirectory) {
    if (!seen) throw notADirectory(directory, connectorName);
    if (waitForDirectory) return 'missing';
    throw directoryNotFound(directory, connectorName, undefined, untilDirectory(directory));
  }
  try {
    await access(directory, fsConstants.R_OK | fsConstants.X_OK);
  } catch (error) {
    // Moved away or deleted between the two calls: missing, not unreadable.
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return checkDirectory(directory, connectorName, waitForDirectory, seen);
    throw directoryNotReadable(directory, connectorName, error);
  }
  return 'ready';
}

const RETURN_POLL_MS = 250;

/** Resolves once `directory` exists as a directory again (ConnectorError.resumeWhen: the retry need not wait). */
export function untilDirectory(directory: string): (signal: AbortSignal) => Promise<void> {
  return untilTrue(async () => (await stat(directory)).isDirectory());
}

/** Resolves once `check` answers true (a throw counts as false), asking every RETURN_POLL_MS. */
export function untilTrue(check: () => Promise<boolean>): (signal: AbortSignal) => Promise<void> {
  return (signal) =>
    new Promise<void>((resolveReturn, reject) => {
      const ask = (): void => {
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        check().then(
          (done) => (done ? resolveReturn() : void setTimeout(ask, RETURN_POLL_MS).unref()),
          () => void setTimeout(ask, RETURN_POLL_MS).unref(),
        );
      };
      ask();
    });
}

/** `went`: the connector has seen the directory before, so it was moved away, deleted or unmounted. */
export function directoryNotFound(
  directory: string,
  connectorName: string,
  cause?: unknown,
  resumeWhen?: (signal: AbortSignal) => Promise<void>,
  went = false,
): ConnectorError {
  return new ConnectorError({
    ...(resumeWhen === undefined ? {} : { resumeWhen }),
    messageId: `${MESSAGE_PREFIX}-404-001`,
    text: `The directory named ${directory} in the endpoint of connector ${connectorName} does not exist`,
    category: 'notFound',
    thirdParty: true,
    parameters: [directory, connectorName],
    systemAction: 'The connector is unable to locate the directory it has been asked to monitor.',
    userAction: went
      ? `Restore ${directory} (mount the share, move the directory back); the connector resumes on its own, and nothing is archived because it went.`
      : `Create the directory ${directory}, or correct endpointAddress of connector ${connectorName} (or set the configuration property waitForDirectory to true to wait for it).`,
    cause,
  });
}

/** 404-001 for a mount point whose file system went: the directory is there, what was catalogued in it is not. */
export function directoryUnmounted(
  directory: string,
  connectorName: string,
  resumeWhen: (signal: AbortSignal) => Promise<void>,
): ConnectorError {
  return new ConnectorError({
    resumeWhen,
    messageId: `${MESSAGE_PREFIX}-404-001`,
    text: `The directory named ${directory} in the endpoint of connector ${connectorName} does not exist: the file system mounted there is not mounted any more`,
    category: 'notFound',
    thirdParty: true,
    parameters: [directory, connectorName],
    systemAction: 'Nothing is archived; the connector resumes as soon as a file system is mounted there again.',
    userAction: `Mount the share on ${directory} again. If it is gone for good, correct endpointAddress of connector ${connectorName}, or restart the daemon to catalogue the directory as it is now.`,
  });
}

export function notADirectory(location: string, connectorName: string): ConnectorError {
  return new ConnectorError({
    messageId: `${MESSAGE_PREFIX}-400-002`,
    text: `The file location ${location} in the endpoint of connector ${connectorName} is not a directory`,
    category: 'configuration',
    retryable: false,
    thirdParty: true,
    parameters: [location, connectorName],
    systemAction: 'The connector monitors directories only and is not started.',
    userAction: `Correct endpointAddress of connector ${connectorName} to name a directory (the folder containing ${location}, for example).`,
  });
}

export function directoryNotReadable(directory: string, connectorName: string, cause?: unknown): ConnectorError {
  return new ConnectorError({
    messageId: `${MESSAGE_PREFIX}-400-003`,
    text: `The directory (folder) ${directory} monitored by connector ${connectorName} is not readable: ${causeText(cause)}`,
    category: 'security',
    thirdParty: true,
    parameters: [directory, connectorName],
    systemAction: 'The files in this directory cannot be listed, so nothing in it is catalogued or archived.',
    userAction: `Give the user running the integration daemon read and execute permission on ${directory}.`,
    cause,
  });
}

export function directoryVanished(directory: string, connectorName: string, cause?: unknown): ConnectorError {
  return new ConnectorError({
    messageId: `${MESSAGE_PREFIX}-404-002`,
    text: `The directory ${directory} disappeared while connector ${connectorName} was reading it`,
    category: 'notFound',
    retryable: true,
    thirdParty: true,
    parameters: [directory, connectorName],
    systemAction: 'The scan is incomplete, so no DataFile is archived by it; the directory is examined again shortly.',
    userAction: 'None if the directory was removed on purpose; the next scan catalogues the change.',
    cause,
  });
}

export function pathTooLong(directory: string, connectorName: string, cause?: unknown): ConnectorError {
  return new ConnectorError({
    messageId: `${MESSAGE_PREFIX}-400-006`,
    text: `The path of directory ${directory} monitored by connector ${connectorName} is longer than the operating system can read (${directory.length} characters)`,
    category: 'configuration',
    thirdParty: true,
    parameters: [directory, connectorName],
    systemAction: 'Files under this directory are neither catalogued nor archived; the rest of the tree is catalogued as usual.',
    userAction: `Shorten the directory names on the way to ${directory}, or exclude it with the configuration property excludeNames.`,
    cause,
  });
}

export function unexpectedDirectoryError(directory: string, connectorName: string, cause: unknown): ConnectorError {
  return new ConnectorError({
    messageId: `${MESSAGE_PREFIX}-400-004`,
    text: `An unexpected ${errorCode(cause) ?? 'error'} was returned to connector ${connectorName} when it read directory ${directory}: ${causeText(cause)}`,
    category: 'generic',
    thirdParty: true,
    parameters: [directory, connectorName],
    systemAction: 'The directory is not catalogued in this scan.',
    userAction: `Check the file system holding ${directory} (disk errors, stale network mount).`,
    cause,
  });
}

/** Egeria's 500-005, for one file that cannot be examined; the scan goes on without it. */
export function fileProcessingFailed(connectorName: string, path: string, method: string, cause: unknown): ConnectorError {
  const code = errorCode(cause);
  return new ConnectorError({
    messageId: `${MESSAGE_PREFIX}-500-005`,
    text: `The connector ${connectorName} received an unexpected ${code ?? 'error'} exception when processing the file named ${path} in method ${method}; the error message was: ${causeText(cause)}`,
    category: code === 'EACCES' || code === 'EPERM' ? 'security' : 'generic',
    thirdParty: true,
    parameters: [connectorName, path, method],
    systemAction: 'The file is skipped and retried later; it is not archived meanwhile.',
    userAction: `Check ${path}: a broken symbolic link, a permission or a disk problem prevents reading its properties.`,
    cause,
  });
}

function causeText(cause: unknown): string {
  return cause === undefined ? 'no detail' : errorText(cause);
}

/**
 * Exclusion globs: `*` and `?` stay within one name, `**` crosses directories. A pattern without `/` is matched
 * against every file and directory name; one with `/` against the path relative to the monitored directory.
 * An excluded directory is not entered.
 */
export class NameFilter {
  readonly namePatterns: RegExp[] = [];
  readonly pathPatterns: RegExp[] = [];

  constructor(readonly patterns: readonly string[]) {
    for (const pattern of patterns) {
      const trimmed = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
      if (trimmed.includes('/')) this.pathPatterns.push(globToRegExp(trimmed));
      else this.namePatterns.push(globToRegExp(trimmed));
    }
  }

  get isEmpty(): boolean {
    return this.patterns.length === 0;
  }

  /** `relativePath` uses `/` whatever the platform. */
  excludes(name: string, relativePath: string): boolean {
    for (const re of this.namePatterns) if (re.test(name)) return true;
    for (const re of this.pathPatterns) if (re.test(relativePath)) return true;
    return false;
  }
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          source += '(?:.*/)?';
        } else {
          source += '.*';
        }
      } else {
        source += '[^/]*';
      }
    } else if (c === '?') {
      source += '[^/]';
    } else {
      source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

function globProblem(pattern: string): string | undefined {
  if (pattern.startsWith('/')) return `The pattern ${pattern} is absolute; patterns are relative to the monitored directory.`;
  if (pattern.split('/').includes('..')) return `The pattern ${pattern} leaves the monitored directory.`;
  return undefined;
}
