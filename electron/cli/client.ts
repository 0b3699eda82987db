// Set-up of a client command's connection: the daemon's URL, the bearer token (--token, --token-file or the environment)
// and the server name, which our daemons report on /health and an Egeria daemon needs to be told.
import { readFileSync } from 'node:fs';
import { DaemonClient } from '../../shared/client/client.js';
import { DaemonClientError } from '../../shared/client/errors.js';
import { EraClient } from '../../shared/client/era-client.js';
import { detectEra, type UnsupportedAction } from '../../shared/client/era.js';
import { type CliIo, type ClientValues, DEFAULT_URL, DEFAULT_USER, TOKEN_ENV, UsageError } from './args.js';

function readToken(values: ClientValues, env: CliIo['env']): string | undefined {
  const file = values['token-file'];
  if (values.token !== undefined && file !== undefined) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-021',
      'both --token and --token-file were given',
      'Give the token one way: --token-file FILE (preferred: it stays out of the process list), --token, or the environment.',
    );
  }
  if (values.token !== undefined) {
    if (values.token === '')
      throw new UsageError('INTEGRATION-DAEMON-CLI-400-022', '--token is empty', 'Pass the bearer token the daemon printed.');
    return values.token;
  }
  if (file !== undefined) {
    try {
      const token = readFileSync(file, 'utf8').trim();
      if (token === '') throw new Error('the file is empty');
      return token;
    } catch (error) {
      throw new UsageError(
        'INTEGRATION-DAEMON-CLI-400-004',
        `the token file ${file} cannot be read: ${(error as Error).message}`,
        'Pass the token file the daemon printed when it started (<state-dir>/token).',
      );
    }
  }
  const fromEnv = env[TOKEN_ENV];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/**
 * A client that knows the daemon's era: ours when it names itself on /health, otherwise (with --server) whichever
 * Egeria generation answers, so each command is carried out the way that daemon offers it.
 */
export async function makeEraClient(values: ClientValues, env: CliIo['env']): Promise<EraClient> {
  const client = await makeClient(values, env);
  const options = { url: client.url, serverName: client.serverName, userId: client.userId, ...tokenOption(values, env) };
  return new EraClient(options, values.server === undefined ? 'integration-daemon' : await detectEra(options));
}

function tokenOption(values: ClientValues, env: CliIo['env']): { token?: string } {
  const token = readToken(values, env);
  return token !== undefined ? { token } : {};
}

/** An action the daemon's era does not have: said plainly on stderr (exit 1), with what to do instead. */
export function printUnsupported(io: CliIo, outcome: UnsupportedAction): number {
  io.stderr(`${outcome.message}\n${outcome.userAction}\n`);
  return 1;
}

export async function makeClient(values: ClientValues, env: CliIo['env']): Promise<DaemonClient> {
  const url = values.url ?? env.INTEGRATION_DAEMON_URL ?? DEFAULT_URL;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http or https');
  } catch {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-005',
      `--url ${url} is not an http(s) URL`,
      `Pass the platform root, for example --url ${DEFAULT_URL}.`,
    );
  }
  const token = readToken(values, env);
  const base = { url, userId: values.user ?? DEFAULT_USER, ...(token !== undefined ? { token } : {}) };
  if (values.server !== undefined) return new DaemonClient({ ...base, serverName: values.server });
  // Our daemons say their name on /health; for an Egeria daemon the name has to be given.
  try {
    const health = await new DaemonClient({ ...base, serverName: '-' }).health();
    return new DaemonClient({ ...base, serverName: health.serverName });
  } catch (error) {
    if (error instanceof DaemonClientError && error.kind === 'http') {
      throw new UsageError(
        'INTEGRATION-DAEMON-CLI-400-006',
        `the daemon at ${url} does not report its server name`,
        'Pass --server NAME (an Egeria daemon needs it).',
      );
    }
    throw error;
  }
}
