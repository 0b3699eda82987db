// `integration-daemon demo --data-dir DIR`: writes a working demo set-up (embedded SQLite, a files monitor and a
// folder monitor on a landing area with a few sample files) and prints the document's path. `npm start` and the
// desktop app both create their demo this way.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { demoConfig, writeConfigAtomically } from '../engine/config/load.js';
import { type CliIo, parse, UsageError } from './args.js';

const DEMO_FILES: ReadonlyArray<readonly [string, string]> = [
  ['README.txt', 'Files dropped here are catalogued by the demo connectors LandingAreaFilesMonitor and LandingAreaFolderMonitor.\n'],
  ['clinical-trials/week-01.csv', 'patient,measurement\n1,12.4\n2,11.9\n'],
  ['clinical-trials/week-02.csv', 'patient,measurement\n1,12.1\n2,12.0\n'],
];

export async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  const dataDir = values['data-dir'];
  if (dataDir === undefined)
    throw new UsageError(
      'INTEGRATION-DAEMON-CLI-400-010',
      'demo needs --data-dir DIR',
      'Pass the directory for the demo configuration, its metadata server and landing area.',
    );
  const document = demoConfig({ dataDirectory: resolve(dataDir) });
  const path = join(resolve(dataDir), 'integration-daemon.json');
  mkdirSync(dirname(path), { recursive: true });
  for (const service of document.integrationServices ?? []) {
    for (const connector of service.connectors ?? []) {
      if (typeof connector.endpointAddress !== 'string' || existsSync(connector.endpointAddress)) continue;
      // A new landing area gets a few files so the first start shows something catalogued; an existing one is
      // the operator's and is left as it is.
      mkdirSync(join(connector.endpointAddress, 'clinical-trials'), { recursive: true });
      for (const [name, content] of DEMO_FILES) writeFileSync(join(connector.endpointAddress, name), content);
    }
  }
  // An existing file may carry the operator's edits: it is kept.
  if (!existsSync(path)) await writeConfigAtomically(path, document);
  io.stdout(`${path}\n`);
  return 0;
}
