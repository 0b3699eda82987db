// What a caller of the daemon's API sees when a call fails: the daemon's own refusal (Egeria envelope), a daemon
// that cannot be reached, or an answer that is not what the API promises.
import type { FFDCErrorResponse } from '../api/types.js';

export type DaemonClientErrorKind =
  /** The daemon answered with an error (envelope fields filled when it sent one). */
  | 'http'
  /** No answer: refused connection, DNS failure, reset, timeout. */
  | 'network'
  /** An answer that is not the API's (not JSON, wrong shape). */
  | 'protocol'
  /** The caller aborted the call. */
  | 'aborted'
  /** Never sent: an argument cannot be put into a request (text that is not valid Unicode). */
  | 'invalid';

export class DaemonClientError extends Error {
  constructor(
    readonly kind: DaemonClientErrorKind,
    /** Message id of the envelope, or the client's own id for network/protocol errors. */
    readonly messageId: string,
    message: string,
    readonly userAction: string,
    readonly url: string,
    /** HTTP status (or the envelope's relatedHTTPCode when a daemon answers errors with HTTP 200, as Egeria does). */
    readonly httpStatus?: number,
    readonly envelope?: FFDCErrorResponse,
    readonly systemAction?: string,
  ) {
    super(message);
    this.name = 'DaemonClientError';
  }

  /** True for failures worth retrying later (daemon down or overloaded), false for refusals that will repeat. */
  get transient(): boolean {
    return this.kind === 'network' || (this.httpStatus !== undefined && (this.httpStatus >= 500 || this.httpStatus === 429));
  }
}

export function networkError(url: string, cause: unknown, timedOut: boolean): DaemonClientError {
  const reason = describeCause(cause);
  return timedOut
    ? new DaemonClientError(
        'network',
        'INTEGRATION-DAEMON-CLIENT-504-001',
        `INTEGRATION-DAEMON-CLIENT-504-001 The integration daemon at ${url} did not answer in time`,
        'Check that the daemon is running and not overloaded, then retry.',
        url,
      )
    : new DaemonClientError(
        'network',
        'INTEGRATION-DAEMON-CLIENT-503-001',
        `INTEGRATION-DAEMON-CLIENT-503-001 Cannot reach the integration daemon at ${url}: ${reason}`,
        'Check that the daemon is running, that the URL and port are right, and that no firewall blocks the connection.',
        url,
      );
}

export function protocolError(url: string, status: number, problem: string): DaemonClientError {
  return new DaemonClientError(
    'protocol',
    'INTEGRATION-DAEMON-CLIENT-502-001',
    `INTEGRATION-DAEMON-CLIENT-502-001 The answer from ${url} (HTTP ${status}) is not an integration daemon answer: ${problem}`,
    'Check that the URL points at an integration daemon (platform root such as http://127.0.0.1:9443) and that the versions match.',
    url,
    status,
  );
}

export function abortedError(url: string): DaemonClientError {
  return new DaemonClientError(
    'aborted',
    'INTEGRATION-DAEMON-CLIENT-499-001',
    `INTEGRATION-DAEMON-CLIENT-499-001 The call to ${url} was cancelled`,
    'None: the call was cancelled on request.',
    url,
  );
}

/** Text with an unpaired UTF-16 surrogate cannot be percent-encoded into a URL, nor matched by any daemon name. */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Refuses `text` as the `what` of a request (a connector name, a service marker, …) unless it is valid Unicode. */
export function requireWellFormed(text: string, what: string, url: string): string {
  if (!UNPAIRED_SURROGATE.test(text)) return text;
  throw new DaemonClientError(
    'invalid',
    'INTEGRATION-DAEMON-CLIENT-400-001',
    `INTEGRATION-DAEMON-CLIENT-400-001 The ${what} ${JSON.stringify(text)} is not valid Unicode (it holds an unpaired surrogate), so it cannot be sent to ${url}`,
    `Correct the ${what}: copy it from the daemon's status or configuration.`,
    url,
  );
}

/**
 * A bearer token can only hold visible ASCII characters; anything else makes fetch fail with a message that quotes
 * the header, token and all. Refused here instead, without repeating the token.
 */
export function requireHeaderSafeToken(token: string, url: string): void {
  if (/^[\x21-\x7e]+$/.test(token)) return;
  throw new DaemonClientError(
    'invalid',
    'INTEGRATION-DAEMON-CLIENT-400-002',
    `INTEGRATION-DAEMON-CLIENT-400-002 The bearer token for ${url} holds characters a request header cannot carry (spaces, line breaks or non-ASCII letters), so nothing was sent`,
    "Copy the token again from the daemon's token file (<state-dir>/token) or from INTEGRATION_DAEMON_TOKEN, without spaces or line breaks.",
    url,
  );
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    // fetch wraps the socket error ("fetch failed"); the code underneath is what tells an operator something.
    const inner = (cause as Error & { cause?: unknown }).cause;
    if (inner instanceof Error) {
      const code = (inner as Error & { code?: string }).code;
      return code !== undefined ? `${code} ${inner.message}`.trim() : inner.message;
    }
    return cause.message;
  }
  return String(cause);
}
