// The CLI's targets command (main() with captured output) against a real daemon whose files monitor works on two
// directory targets, one missing: the table shows each target's status, error source and message; refresh runs one
// target; retry of a target that has not failed is refused with the daemon's message id; bad arguments exit 2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.js';
import { startTargetsDaemon, TARGETS_CONNECTOR, type TargetsDaemon } from '../support/catalog-targets-daemon.js';
import { until } from '../support/until.js';

const TOKEN = 'cli-catalog-targets-token-0123456789';
let d: TargetsDaemon;
let env: Record<string, string>;

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env, stop: new AbortController().signal });
  return { code, out, err };
}

beforeAll(async () => {
  d = await startTargetsDaemon({ token: TOKEN }, ['landing', 'gone'], ['gone']);
  env = { INTEGRATION_DAEMON_TOKEN: TOKEN, INTEGRATION_DAEMON_URL: d.server.url };
  await until('both targets settled', () => {
    const targets = d.daemon.catalogTargets(TARGETS_CONNECTOR);
    return targets.every((t) => t.catalogTargetStatus === 'FAILED' || t.lastSuccessfulRefreshTime !== undefined) || undefined;
  });
}, 60_000);

afterAll(async () => {
  await d?.stop();
});

describe('integration-daemon targets', () => {
  it('lists each target with its status, last run, error source and message', async () => {
    const { code, out } = await run('targets', TARGETS_CONNECTOR);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TARGET\s+STATUS\s+LAST RUN\s+ERROR SOURCE\s+MESSAGE$/);
    expect(lines.find((l) => l.startsWith('landing'))).toMatch(/^landing\s+WAITING\s+\d{4}-\d\d-\d\d /);
    expect(lines.find((l) => l.startsWith('gone'))).toMatch(
      /FAILED \(retry 1 at .*thirdParty\s+BASIC-FILES-INTEGRATION-CONNECTORS-404-001/,
    );
    const json = await run('targets', TARGETS_CONNECTOR, '--json');
    expect(JSON.parse(json.out)).toHaveLength(2);
  });

  it('refreshes one target, and refuses to retry one that has not failed with the message id and fix', async () => {
    const before = d.daemon.catalogTargets(TARGETS_CONNECTOR).find((t) => t.catalogTargetName === 'landing')?.lastRefreshTime;
    expect(await run('targets', TARGETS_CONNECTOR, 'refresh', 'landing')).toMatchObject({
      code: 0,
      out: expect.stringContaining('refreshed'),
    });
    const after = d.daemon.catalogTargets(TARGETS_CONNECTOR).find((t) => t.catalogTargetName === 'landing')?.lastRefreshTime;
    expect(after).not.toBe(before);
    const refused = await run('targets', TARGETS_CONNECTOR, 'retry', 'landing');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/INTEGRATION-DAEMON-SERVICES-409-141[\s\S]*fix: Refresh the target/);
    expect(await run('targets', TARGETS_CONNECTOR, 'retry', 'gone')).toMatchObject({ code: 0 });
  });

  it('exits 2 on a missing connector name, an unknown action or a missing target name', async () => {
    expect((await run('targets')).err).toContain('INTEGRATION-DAEMON-CLI-400-060');
    expect(await run('targets', TARGETS_CONNECTOR, 'resync', 'landing')).toMatchObject({
      code: 2,
      err: expect.stringContaining('400-061'),
    });
    expect(await run('targets', TARGETS_CONNECTOR, 'retry')).toMatchObject({ code: 2, err: expect.stringContaining('400-062') });
  });
});
