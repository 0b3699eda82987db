// The commands of the mass-archive fail-safe: held-archives lists what runs held back, approve-archive archives a
// connector's held archive, reject-archive keeps its elements. The connector is named as an argument or --connector;
// a catalog target's held archive is named with --target as well.
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
  // The CATALOG TARGET column only when a target holds one, so the table of connectors without targets stays as it was.
  const withTargets = held.some((h) => h.catalogTargetName !== undefined);
  const rows = held.map((h) => [
    h.connectorName,
    ...(withTargets ? [h.catalogTargetName ?? ''] : []),
    shortTime(h.heldAt),
    `${h.count} of ${h.liveCount}`,
    `${h.thresholdPercent} %`,
    h.sample.slice(0, 3).join(', ') + (h.count > 3 ? ', …' : ''),
  ]);
  io.stdout(`${table(['CONNECTOR', ...(withTargets ? ['CATALOG TARGET'] : []), 'HELD', 'TO ARCHIVE', 'FAIL-SAFE', 'SAMPLE'], rows)}\n`);
  if (held.length > 0)
    io.stdout(
      'Archive them: integration-daemon approve-archive NAME [--target TARGET]; keep them: integration-daemon reject-archive NAME [--target TARGET]\n',
    );
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
  const options = { ...clientOptions, connector: { type: 'string' }, target: { type: 'string' } } as const;
  const { values, positionals } = parse(args, options, 1);
  const connector = connectorOf(command, positionals, values.connector);
  const target = values.target;
  const whose = target === undefined ? connector : `${connector} (catalog target ${target})`;
  const client = await makeClient(values, io.env);
  if (decision === 'approve') {
    const archived = await client.approveHeldArchive(connector, target);
    if (values.json) printJson(io, { connector, ...(target === undefined ? {} : { catalogTargetName: target }), archived });
    else io.stdout(`${archived} element(s) of ${whose} archived.\n`);
  } else {
    await client.rejectHeldArchive(connector, target);
    if (values.json) printJson(io, { connector, ...(target === undefined ? {} : { catalogTargetName: target }), kept: true });
    else io.stdout(`The held archive of ${whose} was rejected; its elements are kept.\n`);
  }
  return 0;
}
