// Command-line parsing shared by every command: the I/O a command gets, the refusal of a bad command line (exit 2
// with its fix), node:util's parseArgs wrapped to refuse in that form, and the option sets the client commands share.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Same as Egeria's platform default, so URLs copied from Egeria material keep working. */
export const DEFAULT_PORT = 9443;
export const DEFAULT_URL = `http://127.0.0.1:${DEFAULT_PORT}`;
export const DEFAULT_USER = 'operator';
export const TOKEN_ENV = 'INTEGRATION_DAEMON_TOKEN';
export const VIEWER_TOKEN_ENV = 'INTEGRATION_DAEMON_VIEWER_TOKEN';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Ends `serve` and `audit-log --follow` (the process entry wires SIGINT/SIGTERM to it). */
  stop: AbortSignal;
  /**
   * The built console shipped with this installation (the package's dist/renderer), served at /console/ when
   * `serve` gets no --console-dir. Only the compiled process entry knows where the package lies.
   */
  shippedConsoleDir?: string;
}

/** A command: its arguments after the command name, the I/O; resolves with the exit code. */
export type Command = (args: string[], io: CliIo) => Promise<number>;

/** A refusal of the command line itself: printed with its fix, exit 2. */
export class UsageError extends Error {
  constructor(
    readonly messageId: string,
    message: string,
    readonly fix: string,
  ) {
    super(`${messageId} ${message}`);
  }
}

export const clientOptions = {
  url: { type: 'string' },
  server: { type: 'string' },
  user: { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** The options every client command takes, as parsed. */
export interface ClientValues {
  url?: string;
  server?: string;
  user?: string;
  token?: string;
  'token-file'?: string;
  json?: boolean;
}

/** The command and its arguments, client options given before the command moved after it. */
export interface CommandLine {
  command: string | undefined;
  args: string[];
}

/**
 * `integration-daemon --url U --token T status` means `integration-daemon status --url U --token T`: client options
 * may come before the command (as with kubectl or git -C). Anything else before the command is refused here, where
 * the operator can still be told it is an option, not a command.
 */
export function splitCommandLine(argv: readonly string[]): CommandLine {
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const word = argv[i] as string;
    if (!word.startsWith('-') || word === '-h' || word === '--help') break;
    const [name = '', inlineValue] = word.slice(2).split(/=(.*)/s, 2);
    const option = word.startsWith('--') ? (clientOptions as Record<string, { type: 'string' | 'boolean' }>)[name] : undefined;
    if (option === undefined || name === 'help') {
      throw new UsageError(
        'INTEGRATION-DAEMON-CLI-400-019',
        `${word} before the command is not a client option`,
        `Put the command first (integration-daemon COMMAND ${word} …); only ${Object.keys(clientOptions)
          .filter((o) => o !== 'help')
          .map((o) => `--${o}`)
          .join(', ')} may come before it.`,
      );
    }
    if (option.type === 'boolean' || inlineValue !== undefined) {
      leading.push(word);
      i += 1;
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined) {
      throw new UsageError('INTEGRATION-DAEMON-CLI-400-020', `${word} needs a value`, `Pass for example ${word} VALUE before the command.`);
    }
    leading.push(word, value);
    i += 2;
  }
  const [command, ...rest] = argv.slice(i);
  return { command, args: command === undefined ? leading : [...leading, ...rest] };
}

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals = 0) {
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: positionals > 0 });
    if (parsed.positionals.length > positionals) {
      throw new UsageError(
        'INTEGRATION-DAEMON-CLI-400-002',
        `unexpected argument ${parsed.positionals[positionals]}`,
        'See integration-daemon --help.',
      );
    }
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-001',
      (error as Error).message,
      'See integration-daemon --help for the options of each command.',
    );
  }
}

export function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-003',
      `${name} must be a whole number of at least 1, not ${value}`,
      `Pass for example ${name} 100.`,
    );
  }
  return n;
}
