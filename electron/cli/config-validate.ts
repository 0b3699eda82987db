// `integration-daemon config validate FILE`: checks a configuration document against the schema and the built-in
// providers without starting anything; lists every problem with its JSON path and fix (exit 2), or the warnings.
import { builtInProviders } from '../connectors/index.js';
import { ConfigError, loadConfigFile } from '../engine/config/load.js';
import { ProviderRegistry } from '../engine/providers.js';
import { type CliIo, parse, UsageError } from './args.js';
import { printJson } from './output.js';

export async function configCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 2);
  const [sub, file] = positionals;
  if (sub !== 'validate' || file === undefined) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-009',
      'config needs: validate FILE',
      'Run integration-daemon config validate path/to/config.json.',
    );
  }
  try {
    const loaded = await loadConfigFile(file, { providers: new ProviderRegistry(builtInProviders) });
    const connectors = loaded.config.integrationServices.reduce((n, s) => n + s.connectors.length, 0);
    if (values.json) printJson(io, { valid: true, path: loaded.path, warnings: loaded.warnings });
    else {
      io.stdout(
        `${loaded.path} is valid: server ${loaded.config.serverName}, ${loaded.config.integrationServices.length} integration service(s), ${connectors} connector(s).\n`,
      );
      for (const w of loaded.warnings) io.stdout(`  warning ${w.messageId} ${w.path || '(document)'}: ${w.message}\n      fix: ${w.fix}\n`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (values.json) printJson(io, { valid: false, path: error.path, problems: error.problems, warnings: error.warnings });
    else io.stderr(`${error.format()}\n`);
    return 2;
  }
}
