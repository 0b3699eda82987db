// The commands of the mass-archive fail-safe: held-archives lists what runs held back, approve-archive archives a
// connector's held archive, reject-archive keeps its elements. The connector is named as an argument or --connector.
import { type CliIo, clientOptions, parse, UsageError } from './args.js';
import { makeClient } from './client.js';
import { printJson, shortTime, table } from './output.js';

export async function heldArchivesCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, clientOptions);
  const client = await makeClient(values, io.env);
  const held = await client.heldArchives();
  if (values.json) {
    printJson(io, held);
    return 0;
  }
  const rows = held.map((h) => [
    h.connectorName,
    shortTime(h.heldAt),
    `${h.count} of ${h.liveCount}`,
    `${h.thresholdPercent} %`,
    h.sample.slice(0, 3).join(', ') + (h.count > 3 ? ', …' : ''),
  ]);
  io.stdout(`${table(['CONNECTOR', 'HELD', 'TO ARCHIVE', 'FAIL-SAFE', 'SAMPLE'], rows)}\n`);
  if (held.length > 0)
    io.stdout('Archive them: integration-daemon approve-archive NAME; keep them: integration-daemon reject-archive NAME\n');
  return 0;
}

function connectorOf(command: string, positionals: string[], option: string | undefined): string {
  const name = option ?? positionals[0];
  if (name !== undefined && (option === undefined || positionals.length === 0)) return name;
  throw new UsageError(
    'INTEGRATION-DAEMON-CLI-400-009',
    name === undefined ? `${command} needs the connector's name` : `${command} takes one connector name`,
    `Pass the connector whose held archive to decide on, e.g. ${command} LandingAreaFilesMonitor (held-archives lists them).`,
  );
}

export async function decideHeldArchiveCommand(decision: 'approve' | 'reject', args: string[], io: CliIo): Promise<number> {
  const command = `${decision}-archive`;
  const { values, positionals } = parse(args, { ...clientOptions, connector: { type: 'string' } }, 1);
  const connector = connectorOf(command, positionals, values.connector);
  const client = await makeClient(values, io.env);
  if (decision === 'approve') {
    const archived = await client.approveHeldArchive(connector);
    if (values.json) printJson(io, { connector, archived });
    else io.stdout(`${archived} element(s) of ${connector} archived.\n`);
  } else {
    await client.rejectHeldArchive(connector);
    if (values.json) printJson(io, { connector, kept: true });
    else io.stdout(`The held archive of ${connector} was rejected; its elements are kept.\n`);
  }
  return 0;
}
