// The `integration-daemon` command: `serve` runs a daemon with its REST + SSE server; the other commands are
// clients of any daemon's REST API (ours or Egeria's) through shared/client. Exit codes: 0 done, 1 the daemon
// refused or could not be reached, 2 bad arguments or a bad configuration document.
// Each command's module is imported only when that command runs, so `--help` and the client commands never load
// the engine, SQLite or the connectors (the compiled CLI keeps each in its own chunk).
import { DaemonClientError } from '../../shared/client/errors.js';
import { type CliIo, type Command, splitCommandLine, TOKEN_ENV, UsageError } from './args.js';
import { safeIo } from './safe-output.js';
import { USAGE } from './usage.js';

export type { CliIo } from './args.js';

const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.js')).serveCommand,
  demo: async () => (await import('./demo.js')).demoCommand,
  status: async () => (await import('./operate.js')).statusCommand,
  restart: async () => {
    const { restartOrRefresh } = await import('./operate.js');
    return (args, io) => restartOrRefresh('restart', args, io);
  },
  refresh: async () => {
    const { restartOrRefresh } = await import('./operate.js');
    return (args, io) => restartOrRefresh('refresh', args, io);
  },
  'retry-now': async () => (await import('./operate.js')).retryNowCommand,
  'retry-objects-now': async () => (await import('./operate.js')).retryObjectsNowCommand,
  'audit-log': async () => (await import('./operate.js')).auditLogCommand,
  'metadata-elements': async () => (await import('./operate.js')).metadataElementsCommand,
  runs: async () => (await import('./operate.js')).runsCommand,
  'object-retries': async () => (await import('./operate.js')).objectRetriesCommand,
  'held-archives': async () => (await import('./held-archives.js')).heldArchivesCommand,
  'approve-archive': async () => {
    const { decideHeldArchiveCommand } = await import('./held-archives.js');
    return (args, io) => decideHeldArchiveCommand('approve', args, io);
  },
  'reject-archive': async () => {
    const { decideHeldArchiveCommand } = await import('./held-archives.js');
    return (args, io) => decideHeldArchiveCommand('reject', args, io);
  },
  targets: async () => (await import('./catalog-targets.js')).targetsCommand,
  groups: async () => (await import('./groups.js')).groupsCommand,
  config: async () => (await import('./config-validate.js')).configCommand,
  test: async () => (await import('./test-connection.js')).testCommand,
};

function wantsHelp(command: string | undefined, rest: string[]): boolean {
  return (
    command === undefined ||
    command === '--help' ||
    command === '-h' ||
    command === 'help' ||
    rest.includes('--help') ||
    rest.includes('-h')
  );
}

export async function main(argv: string[], rawIo: CliIo): Promise<number> {
  const io = safeIo(rawIo);
  let command: string | undefined;
  let rest: string[];
  try {
    ({ command, args: rest } = splitCommandLine(argv));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${error.message}\n  fix: ${error.fix}\n`);
    return 2;
  }
  if (command === undefined && rest.length > 0 && !argv.includes('--help') && !argv.includes('-h')) {
    io.stderr(
      `INTEGRATION-DAEMON-CLI-400-023 Client options were given but no command.\n  fix: name the command after them, for example integration-daemon --url URL status (integration-daemon --help lists the commands; the options are not repeated here, they may hold a token).\n`,
    );
    return 2;
  }
  if (wantsHelp(command, rest)) {
    io.stdout(`${USAGE}\n`);
    return command === undefined && !argv.includes('--help') && !argv.includes('-h') ? 2 : 0;
  }
  const load = command === undefined ? undefined : COMMANDS[command];
  if (load === undefined) {
    io.stderr(
      `INTEGRATION-DAEMON-CLI-400-000 Unknown command ${command}.\n  fix: use one of ${Object.keys(COMMANDS).join(', ')} (integration-daemon --help).\n`,
    );
    return 2;
  }
  try {
    return await (
      await load()
    )(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n  fix: ${error.fix}\n`);
      return 2;
    }
    if (error instanceof DaemonClientError) {
      io.stderr(`${error.message}\n  fix: ${error.userAction}\n`);
      if (error.httpStatus === 401) io.stderr(`  The token comes from ${TOKEN_ENV} or --token-file (the daemon's <state-dir>/token).\n`);
      return 1;
    }
    io.stderr(`INTEGRATION-DAEMON-CLI-500-000 ${command} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
