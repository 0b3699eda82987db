// Child process for console-pipe.test.ts: writes audit records to the console and a JSON-lines file until told
// how many, after its standard output has been closed by the reader.
import { ConsoleDestination, JsonlFileDestination } from '../../../electron/engine/audit/destinations.js';
import { AuditLog } from '../../../electron/engine/audit/log.js';

const [path, countText] = process.argv.slice(2) as [string, string];
const file = new JsonlFileDestination({ path, maxBytes: 10_000_000, maxFiles: 1 });
const log = new AuditLog({ serverName: 'pipe', destinations: [new ConsoleDestination(), file], onDestinationError: () => {} });
let n = 0;
const total = Number(countText);
const tick = () => {
  log.log('INTEGRATION-DAEMON-SERVICES-0042', [`c${n}`, 'pipe']);
  if (++n < total) setTimeout(tick, 2);
  else {
    log.close();
    process.exitCode = 0;
  }
};
tick();
