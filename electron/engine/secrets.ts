// Secrets given by reference, so that they never sit in the configuration document: `env:NAME` (an environment
// variable of the daemon) or `file:/path` (a file's content, a trailing line end removed). A reference may stand
// as the whole value of a secret-named configuration property (`"password": "env:PGPASSWORD"`) or as the password
// of a connection string (`postgresql://scanner:env:PGPASSWORD@db/inventory`, `…?password=file:/run/secrets/pg`,
// libpq `password=env:PGPASSWORD`). They are resolved only when a connector (or the metadata server) is built, and
// what they resolve to is remembered as a secret so that no record, status or answer ever shows it.
import { readFileSync } from 'node:fs';
import { errorText } from '../../shared/api/error-text.js';
import { isSecretKey, isSecretReference, rememberSecret } from '../../shared/api/redact.js';

/** A reference that does not resolve: a problem of the configuration, with a message id and the fix. */
export class SecretReferenceError extends Error {
  readonly messageId: string;
  readonly userAction: string;
  constructor(messageId: string, text: string, userAction: string) {
    super(`${messageId} ${text}`);
    this.name = 'SecretReferenceError';
    this.messageId = messageId;
    this.userAction = userAction;
  }
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** The secret a reference names; `where` says which setting held it (never the secret). */
export function resolveSecretReference(reference: string, where: string, env: Environment = process.env): string {
  if (reference.startsWith('env:')) {
    const name = reference.slice('env:'.length);
    const value = env[name];
    if (value === undefined || value === '')
      throw new SecretReferenceError(
        'INTEGRATION-DAEMON-SECRETS-404-001',
        `The secret of ${where} refers to the environment variable ${name}, which is not set for the integration daemon`,
        `Set ${name} in the environment the daemon is started from, or change the reference in ${where}.`,
      );
    rememberSecret(value);
    return value;
  }
  const path = reference.slice('file:'.length);
  let content: string;
  try {
    content = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new SecretReferenceError(
      'INTEGRATION-DAEMON-SECRETS-404-002',
      `The secret of ${where} refers to the file ${path}, which cannot be read: ${errorText(error)}`,
      `Create ${path} holding the secret, readable by the user running the daemon (mode 0600), or change the reference in ${where}.`,
    );
  }
  if (content === '')
    throw new SecretReferenceError(
      'INTEGRATION-DAEMON-SECRETS-400-001',
      `The secret of ${where} refers to the file ${path}, which is empty`,
      `Write the secret into ${path}, or change the reference in ${where}.`,
    );
  rememberSecret(content);
  return content;
}

const USER_INFO_REFERENCE = /^([a-z][a-z0-9+.-]*:(?:[a-z][a-z0-9+.-]*:)*\/\/[^:/?#@]*:)((?:env|file):[^@]*)@/i;
const PARAMETER_REFERENCE = /([?&;](?:[a-z0-9_.-]*(?:pass(?:word|phrase)?|pwd))=)((?:env|file):[^&;#\s]*)/gi;
const KEY_VALUE_REFERENCE = /(^|\s)((?:[a-z0-9_.-]*(?:pass(?:word|phrase)?|pwd))\s*=\s*)((?:env|file):\S*)/gi;

/** A connection string with the references in its password positions replaced by what they name, encoded to fit. */
export function resolveConnectionString(text: string, where: string, env: Environment = process.env): string {
  const resolve = (reference: string) => (isSecretReference(reference) ? resolveSecretReference(reference, where, env) : undefined);
  return text
    .replace(USER_INFO_REFERENCE, (match, before: string, reference: string) => {
      const secret = resolve(reference);
      return secret === undefined ? match : `${before}${encodeURIComponent(secret)}@`;
    })
    .replace(PARAMETER_REFERENCE, (match, key: string, reference: string) => {
      const secret = resolve(reference);
      return secret === undefined ? match : `${key}${encodeURIComponent(secret)}`;
    })
    .replace(KEY_VALUE_REFERENCE, (match, before: string, key: string, reference: string) => {
      const secret = resolve(reference);
      return secret === undefined ? match : `${before}${key}'${secret.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    });
}

/** Configuration properties with references resolved: whole values under secret-named keys, and connection strings. */
export function resolvePropertySecrets(
  properties: Record<string, unknown>,
  where: string,
  env: Environment = process.env,
): Record<string, unknown> {
  const resolveValue = (value: unknown, path: string, underSecretKey: boolean): unknown => {
    if (typeof value === 'string') {
      if (underSecretKey && isSecretReference(value)) return resolveSecretReference(value, path, env);
      return resolveConnectionString(value, path, env);
    }
    if (Array.isArray(value)) return value.map((item, i) => resolveValue(item, `${path}[${i}]`, underSecretKey));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, child]) => [key, resolveValue(child, `${path}.${key}`, underSecretKey || isSecretKey(key))]),
      );
    }
    return value;
  };
  return resolveValue(properties, where, false) as Record<string, unknown>;
}
