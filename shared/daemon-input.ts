// What an operator may enter for a remote daemon (label, platform URL, server name, user id, token), checked the
// same way wherever it arrives: the browser backend, the desktop's IPC edge and the desktop's console service.
// The one transport rule: a bearer token goes with every request, so a daemon on another machine is reached over
// https:// only; plain http:// is for this machine (a daemon without TLS is reached through an SSH tunnel to a
// local port).
import { z } from 'zod';
import { ConsoleError, type DaemonInput, type DaemonUpdate } from './console-backend.js';
import { lazily } from './logic/lazily.js';

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** True for the host names that never leave this machine: localhost, 127.0.0.0/8 and [::1] (as URL.hostname gives them). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOST.test(hostname.toLowerCase());
}

function parsedUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

export const NOT_A_PLATFORM_URL = 'must be an http:// or https:// platform URL without credentials, e.g. https://daemon.example.com:9443';
export const NOT_THE_PLATFORM_ROOT =
  'must be the platform root only (scheme, host and port, no path, query or fragment), e.g. https://daemon.example.com:9443';
export const TOKEN_IN_CLEAR_TEXT =
  'must use https:// for a daemon on another machine, because its token would cross the network in clear text; http:// is accepted for 127.0.0.1, localhost and [::1] (a daemon without TLS can be reached through an SSH tunnel to a local port)';

/** What is wrong with a daemon's platform URL (one of the texts above), or undefined when it may be used. */
export function platformUrlProblem(value: string): string | undefined {
  const url = parsedUrl(value);
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '') {
    return NOT_A_PLATFORM_URL;
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') return NOT_THE_PLATFORM_ROOT;
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return TOKEN_IN_CLEAR_TEXT;
  return undefined;
}

/** The fields of an entry, built on first use (see lazily). */
const daemonInputFields = lazily(() => {
  const platformUrl = z
    .string()
    .trim()
    .max(2000)
    .superRefine((value, ctx) => {
      const problem = platformUrlProblem(value);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    })
    // Stored and shown as the origin, so `https://h:9443/` and `https://h:9443` are one daemon.
    .transform((value) => new URL(value).origin);

  return {
    label: z.string().trim().min(1).max(100),
    url: platformUrl,
    serverName: z.string().trim().min(1).max(100),
    userId: z.string().trim().min(1).max(100),
    token: z.string().trim().min(1).max(4096).optional(),
  };
});

export const daemonInputSchema = lazily(() => z.strictObject(daemonInputFields()));
/** A change to a saved daemon: only the fields given are checked (and changed). */
export const daemonUpdateSchema = lazily(() => z.strictObject(daemonInputFields()).partial());

function refusal(error: z.ZodError): ConsoleError {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'entry';
  return new ConsoleError(
    'INTEGRATION-CONSOLE-400-017',
    `The daemon ${where} is not valid: ${issue?.message ?? 'invalid'}.`,
    'Correct it in the daemon form and save again.',
  );
}

/** A complete daemon entry as entered, checked and normalized; throws a ConsoleError naming the first problem. */
export function parseDaemonInput(input: unknown): DaemonInput {
  const result = daemonInputSchema().safeParse(input);
  if (!result.success) throw refusal(result.error);
  const { token, ...fields } = result.data;
  return token === undefined ? fields : { ...fields, token };
}

/**
 * The entry after an update: the fields the update gives replace the current ones, and the result is checked as
 * a whole, so a token is never sent to a URL the rules refuse (a hand-edited list may hold one).
 */
export function applyDaemonUpdate(current: Omit<DaemonInput, 'token'>, update: DaemonUpdate): DaemonInput {
  const given = Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined));
  return parseDaemonInput({ label: current.label, url: current.url, serverName: current.serverName, userId: current.userId, ...given });
}
