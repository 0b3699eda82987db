// The one redaction module: what a secret looks like wherever it may travel (audit records and their destinations,
// status, runs, events, error envelopes, CLI output, the configuration a viewer reads). Connection strings are
// parsed rather than pattern-matched on their first `@`: URL user-info whose password holds `@`, `/` or `:`,
// `?password=` parameters (JDBC's `;password=` too) and libpq `key=value` strings, quoted or not. Values the daemon
// knows to be secret (passwords of its configuration, secrets resolved from `env:` and `file:` references) are
// replaced wherever they appear verbatim, since a third-party message may quote one in a form no parser knows.

export const REDACTED = '***';

/** Names of properties and connection parameters whose values are secrets. */
const SECRET_KEY = /pass(word|phrase)?|pwd|secret|token|credential|api[-_]?key|private[-_]?key/i;

export function isSecretKey(name: string): boolean {
  return SECRET_KEY.test(name);
}

/** Shorter values are not replaced verbatim: replacing every "ab" in a message would make it unreadable. */
const MIN_KNOWN_SECRET_LENGTH = 4;
const knownSecrets = new Set<string>();

/** Remembers a secret value so that any text quoting it verbatim is redacted (a password resolved from env:NAME). */
export function rememberSecret(value: string): void {
  if (value.length >= MIN_KNOWN_SECRET_LENGTH && value !== REDACTED && !isSecretReference(value)) knownSecrets.add(value);
}

/** `env:NAME` or `file:/path`: where a secret is, resolved when the connector is built; not itself a secret. */
export function isSecretReference(value: string): boolean {
  return /^env:[A-Za-z_][A-Za-z0-9_]*$/.test(value) || /^file:\/[^\0]*$/.test(value);
}

/**
 * `scheme://user:password@host…` anywhere in a text. The user-info ends at the last `@` that is followed by a host
 * (name, IPv4, [IPv6], optional port, comma-separated hosts) and then the end, `/`, `?`, `#` or whitespace, so a
 * password holding `@` is redacted whole.
 */
const URL_WITH_USER_INFO =
  /\b([a-z][a-z0-9+.-]*:(?:[a-z][a-z0-9+.-]*:)*\/\/)(\S*)@((?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d*)?(?:,(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d*)?)*(?=$|[/?#\s'"),;]))/gi;

function redactUserInfo(text: string): string {
  return text.replace(URL_WITH_USER_INFO, (_match, scheme: string, userInfo: string, host: string) => {
    const colon = userInfo.indexOf(':');
    return colon < 0 ? `${scheme}${userInfo}@${host}` : `${scheme}${userInfo.slice(0, colon)}:${REDACTED}@${host}`;
  });
}

/** `?password=…`, `&sslpassword=…`, `;password=…` (JDBC): the value runs to the next separator. */
const SECRET_PARAMETER = /([?&;])([a-z0-9_.-]*(?:pass(?:word|phrase)?|pwd|secret|token|api[-_]?key)[a-z0-9_.-]*=)([^&;#\s]*)/gi;

/** libpq `password=secret`, `password = 'it''s \' quoted'` in a key=value string or any text. */
const SECRET_KEY_VALUE =
  /(^|[\s,{(])([a-z0-9_.-]*(?:pass(?:word|phrase)?|pwd|secret|token|api[-_]?key)[a-z0-9_.-]*\s*=\s*)('(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.)*"|[^\s,;&)}]+)/gi;

/** `"password":"secret"` in JSON quoted inside a message (an error that prints the object it was given). */
const SECRET_JSON_MEMBER = /("[^"]*(?:pass(?:word|phrase)?|pwd|secret|token|api[-_]?key)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

function redactKnown(text: string): string {
  let result = text;
  for (const secret of knownSecrets) if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  return result;
}

/** A text with every secret it may carry replaced by `***`; texts without secrets come back unchanged. */
export function redactText(text: string): string {
  const structural = redactUserInfo(text)
    .replace(SECRET_PARAMETER, (_m, separator: string, key: string) => `${separator}${key}${REDACTED}`)
    .replace(SECRET_KEY_VALUE, (match, before: string, key: string, value: string) =>
      value === REDACTED ? match : `${before}${key}${REDACTED}`,
    )
    .replace(SECRET_JSON_MEMBER, (_m, key: string) => `${key}"${REDACTED}"`);
  return knownSecrets.size === 0 ? structural : redactKnown(structural);
}

/** Kept for the name the configuration code uses: a connection string is one text. */
export const redactConnectionString = redactText;

/** The password of a connection string (URL user-info, `password=` parameter or libpq key), if it has one. */
export function connectionStringPasswords(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(URL_WITH_USER_INFO)) {
    const userInfo = match[2] ?? '';
    const colon = userInfo.indexOf(':');
    if (colon >= 0) found.push(decodeSafely(userInfo.slice(colon + 1)));
  }
  for (const match of text.matchAll(SECRET_PARAMETER)) found.push(decodeSafely(match[3] ?? ''));
  for (const match of text.matchAll(SECRET_KEY_VALUE)) found.push(unquote(match[3] ?? ''));
  return found.filter((value) => value !== '');
}

function decodeSafely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === "'" || value[0] === '"') && value.endsWith(value[0])) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1').replace(/''/g, "'");
  }
  return value;
}

/** A deep copy of a JSON value with every credential replaced by `***`; everything under a secret-named key counts. */
export function redactSecrets(value: unknown, underSecretKey = false): unknown {
  if (typeof value === 'string') return underSecretKey ? REDACTED : redactText(value);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, underSecretKey));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([name, child]) => [name, redactSecrets(child, underSecretKey || isSecretKey(name))]),
    );
  }
  return value;
}

/** A deep copy of a JSON value with secrets removed from its texts; key names are not judged (status, runs). */
export function redactTexts<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactTexts(item)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([name, child]) => [name, redactTexts(child)])) as T;
  }
  return value;
}

/** Every secret a configuration document holds: values under secret-named keys and connection string passwords. */
export function secretsOf(value: unknown, underSecretKey = false): string[] {
  if (typeof value === 'string') return underSecretKey ? [value] : connectionStringPasswords(value);
  if (Array.isArray(value)) return value.flatMap((item) => secretsOf(item, underSecretKey));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([name, child]) => secretsOf(child, underSecretKey || isSecretKey(name)));
  }
  return [];
}

/** Remembers every secret of a configuration document, before anything about it is logged or answered. */
export function rememberSecretsOf(document: unknown): void {
  for (const secret of secretsOf(document)) rememberSecret(secret);
}

/**
 * A document sent back after reading it redacted: wherever it holds exactly what the current document shows once
 * redacted (`***` under a secret-named key, `postgresql://u:***@db/x`), the current value is kept, so that reading
 * the configuration and writing it back never replaces a password by `***`. Anything else is taken as sent.
 */
export function restoreRedacted(next: unknown, current: unknown, underSecretKey = false): unknown {
  if (typeof next === 'string') {
    return typeof current === 'string' && next !== current && redactSecrets(current, underSecretKey) === next ? current : next;
  }
  if (Array.isArray(next)) {
    return next.map((item: unknown, i) => restoreRedacted(item, Array.isArray(current) ? current[i] : undefined, underSecretKey));
  }
  if (typeof next === 'object' && next !== null) {
    const currentRecord =
      typeof current === 'object' && current !== null && !Array.isArray(current) ? (current as Record<string, unknown>) : {};
    return Object.fromEntries(
      Object.entries(next).map(([name, child]) => [name, restoreRedacted(child, currentRecord[name], underSecretKey || isSecretKey(name))]),
    );
  }
  return next;
}
