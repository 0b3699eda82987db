// What the viewer role may read of the configuration: everything but credentials. Connection strings carry
// passwords (metadataServer.connectionString, a PostgreSQL monitor's endpointAddress) and connector properties may
// hold keys and tokens; a read-only token must not be a way to obtain them. Operators get the document as written,
// since they edit it and write it back.

export const REDACTED = '***';

const SECRET_KEY = /pass(word|phrase)?|pwd|secret|token|credential|api[-_]?key|private[-_]?key/i;

/** `scheme://user:password@host…` and `…?password=…` (JDBC style) with the password replaced. */
export function redactConnectionString(text: string): string {
  return text
    .replace(/^([a-z][a-z0-9+.-]*:(?:[a-z0-9+.-]+:)?\/\/[^/?#@:]*):[^/?#@]*@/i, `$1:${REDACTED}@`)
    .replace(/([?&;](?:password|pwd)=)[^&;#]*/gi, `$1${REDACTED}`);
}

/** A deep copy of a JSON value with every credential replaced by `***`; everything under a secret-named key counts. */
export function redactSecrets(value: unknown, underSecretKey = false): unknown {
  if (typeof value === 'string') return underSecretKey ? REDACTED : redactConnectionString(value);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, underSecretKey));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([name, child]) => [name, redactSecrets(child, underSecretKey || SECRET_KEY.test(name))]),
    );
  }
  return value;
}
