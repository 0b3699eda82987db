// `integration-daemon groups`: the integration groups defined in the daemon's metadata server, and changing them
// (list, show G, create G, delete G, add-connector G FILE.json, remove-connector G NAME). Every daemon that runs a
// group picks a change up within seconds; the one asked applies it before answering.
import { readFileSync } from 'node:fs';
import type { IntegrationGroupSummary } from '../../shared/api/egeria5.js';
import type { IntegrationGroupDefinition } from '../../shared/api/integration-groups.js';
import type { DaemonClient } from '../../shared/client/client.js';
import { type CliIo, clientOptions, parse, UsageError } from './args.js';
import { makeClient } from './client.js';
import { printJson, shortTime, table } from './output.js';

const SUBCOMMANDS = ['list', 'show', 'create', 'delete', 'add-connector', 'remove-connector'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** How many positionals after the subcommand each takes, and what they are. */
const ARGUMENTS: Record<Subcommand, string[]> = {
  list: [],
  show: ['GROUP'],
  create: ['GROUP'],
  delete: ['GROUP'],
  'add-connector': ['GROUP', 'FILE.json'],
  'remove-connector': ['GROUP', 'CONNECTOR'],
};

function usage(message: string): UsageError {
  return new UsageError(
    'INTEGRATION-DAEMON-CLI-400-020',
    message,
    `Use one of: ${SUBCOMMANDS.map((s) => [`groups ${s}`, ...ARGUMENTS[s]].join(' ')).join(' | ')}.`,
  );
}

function readEntry(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-021',
      `the connector entry ${file} cannot be read: ${(error as Error).message}`,
      'Pass a JSON file holding one connector entry, as under integrationServices[].connectors in a configuration document.',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-021',
      `the connector entry ${file} is not a JSON object`,
      'Write one entry such as {"connectorName": "…", "connectorProvider": "data-files-monitor", "endpointAddress": "…"}.',
    );
  }
  return value as Record<string, unknown>;
}

/** The groups this daemon runs, by name; a daemon that does not answer Egeria 5's summary runs none. */
async function runningHere(client: DaemonClient): Promise<Map<string, IntegrationGroupSummary>> {
  const summaries = await client.integrationGroupSummaries().catch(() => []);
  return new Map(summaries.map((s) => [s.integrationGroupName, s]));
}

function statusHere(summary: IntegrationGroupSummary | undefined): string {
  return summary === undefined ? 'not run here' : summary.integrationGroupStatus;
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
}

function describeGroup(group: IntegrationGroupDefinition, summary: IntegrationGroupSummary | undefined): string {
  const reports = new Map((summary?.integrationConnectorReports ?? []).map((r) => [r.connectorName, r.connectorStatus]));
  const lines = [
    `group        ${group.groupName}`,
    `GUID         ${group.groupGUID}`,
    `version      ${group.version} (changed ${shortTime(group.updateTime)})`,
    `description  ${group.description ?? ''}`,
    `status here  ${statusHere(summary)}${summary?.integrationGroupProblem ? `: ${summary.integrationGroupProblem}` : ''}`,
    '',
    table(
      ['CONNECTOR', 'PROVIDER', 'ENDPOINT', 'STATUS HERE'],
      group.connectors.map((c) => [
        textOf(c.connectorName),
        textOf(c.connectorProvider),
        textOf(c.endpointAddress),
        reports.get(textOf(c.connectorName)) ?? '',
      ]),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export async function groupsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { ...clientOptions, description: { type: 'string' } }, 3);
  const [name, ...rest] = positionals;
  const subcommand = SUBCOMMANDS.find((s) => s === name);
  if (subcommand === undefined) throw usage(name === undefined ? 'groups needs a subcommand' : `groups has no subcommand ${name}`);
  const wanted = ARGUMENTS[subcommand];
  if (rest.length !== wanted.length) throw usage(`groups ${subcommand} takes ${wanted.length === 0 ? 'no arguments' : wanted.join(' ')}`);
  if (values.description !== undefined && subcommand !== 'create') throw usage('--description is for groups create');
  const [group = '', second = ''] = rest;
  const client = await makeClient(values, io.env);
  const print = (text: string, json: unknown): void => (values.json ? printJson(io, json) : io.stdout(text));
  switch (subcommand) {
    case 'list': {
      const [groups, here] = await Promise.all([client.integrationGroupDefinitions(), runningHere(client)]);
      const rows: (string | number)[][] = groups.map((g) => [
        g.groupName,
        g.version,
        g.connectors.length,
        statusHere(here.get(g.groupName)),
        g.description ?? '',
      ]);
      // A group this daemon is configured to run but nobody has defined yet is what an operator most needs to see.
      const defined = new Set(groups.map((g) => g.groupName));
      for (const [name, summary] of here) {
        if (!defined.has(name))
          rows.push([name, '-', 0, statusHere(summary), summary.integrationGroupProblem ?? 'not defined in the metadata server']);
      }
      print(`${table(['GROUP', 'VERSION', 'CONNECTORS', 'STATUS HERE', 'DESCRIPTION'], rows)}\n`, groups);
      return 0;
    }
    case 'show': {
      const [definition, here] = await Promise.all([client.integrationGroupDefinition(group), runningHere(client)]);
      print(describeGroup(definition, here.get(group)), definition);
      return 0;
    }
    case 'create': {
      const created = await client.createIntegrationGroup(group, values.description);
      print(`Integration group ${created.groupName} created (version ${created.version}).\n`, created);
      return 0;
    }
    case 'delete':
      await client.deleteIntegrationGroup(group);
      print(`Integration group ${group} deleted; the daemons that run it stop its connectors.\n`, { groupName: group, deleted: true });
      return 0;
    case 'add-connector': {
      const changed = await client.addIntegrationGroupConnector(group, readEntry(second));
      print(`Connector added to integration group ${group} (now version ${changed.version}).\n`, changed);
      return 0;
    }
    case 'remove-connector': {
      const changed = await client.removeIntegrationGroupConnector(group, second);
      print(`Connector ${second} removed from integration group ${group} (now version ${changed.version}).\n`, changed);
      return 0;
    }
  }
}
