// What the CLI writes cannot drive or deceive the terminal: bidirectional overrides and C1 controls (U+009B is CSI)
// in outside data are shown escaped, in tables and console lines as in `--json` strings (which still parse to the
// same text), and secrets are redacted. Against a real daemon holding such text in its audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../shared/api/types.js';
import { main } from '../../electron/cli/main.js';
import { terminalSafe } from '../../electron/cli/safe-output.js';
import { startRealDaemon, type RealDaemon } from '../support/real-daemon.js';

const TOKEN = 'safe-output-token-0123456789';
const HOSTILE = '/data/\u202Egpj.exe\u202C/\u2066x\u2069/\u009B2J\u0085\u001B[31m';
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
let real: RealDaemon;

beforeAll(async () => {
  real = await startRealDaemon({ token: TOKEN });
  const name = 'LandingAreaFilesMonitor';
  const response = await fetch(`${real.base}/integration-connectors/${name}/endpoint-network-address`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(`${HOSTILE} postgresql://u:Cl1Secret@Pw@db/x`),
  });
  expect(response.status, await response.text()).toBe(200);
}, 60_000);

afterAll(async () => {
  await real?.stop();
});

async function run(args: string[]): Promise<string> {
  let out = '';
  const env = { INTEGRATION_DAEMON_TOKEN: TOKEN, INTEGRATION_DAEMON_URL: real.server.url };
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (out += t), env, stop: new AbortController().signal });
  expect(code, out).toBe(0);
  return out;
}

describe('CLI output', () => {
  it('escapes bidi overrides, isolates and C0/C1 controls, keeping line ends and tabs', () => {
    expect(terminalSafe('a\u202Eb\u009Bc\u0085d\u2067e\u200Ff\u001Bg\n\th')).toBe('a\\u202eb\\u009bc\\u0085d\\u2067e\\u200ff\\u001bg\n\th');
  });

  it('audit-log lines show the hostile text escaped and without the secret', async () => {
    const out = await run(['audit-log']);
    expect(out).toContain('\\u202egpj.exe\\u202c');
    expect(out).not.toMatch(UNSAFE);
    expect(out).not.toContain('Cl1Secret');
    expect(out).not.toContain('Pw@db');
  });

  it('audit-log --json escapes them as JSON escapes: the text parses back to what the daemon recorded', async () => {
    const out = await run(['audit-log', '--json']);
    expect(out).not.toMatch(UNSAFE);
    expect(out).not.toContain('Cl1Secret');
    const records = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditRecord);
    const changed = records.find((r) => r.messageId === 'INTEGRATION-DAEMON-SERVICES-0057');
    expect(changed?.messageText).toContain(HOSTILE);
    expect(changed?.messageText).toContain('postgresql://u:***@db/x');
  });

  it('the status table escapes them too', async () => {
    const out = await run(['status']);
    expect(out).not.toMatch(UNSAFE);
  });
});
