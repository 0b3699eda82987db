// The CLI's held-archives, approve-archive and reject-archive commands (main() with captured output) against a real
// daemon monitoring a real directory: the archive a refresh held is listed, kept on reject and archived on approve,
// and the audit record names the user the command acted as.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HeldArchive } from '../../shared/api/types.js';
import { main } from '../../electron/cli/main.js';
import { CONNECTOR, eventually, FILES_DAEMON_TOKEN, startFilesDaemon, type FilesDaemon } from '../connectors/files/support/files-daemon.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

let d: FilesDaemon;
let env: Record<string, string>;

async function run(...args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env, stop: new AbortController().signal });
  return { code, out, err };
}

/** Deletes nine of the twenty files and refreshes: more than the 40 % fail-safe, so the archive is held. */
async function holdNine(first: number): Promise<HeldArchive> {
  for (let i = first; i < first + 9; i++) rmSync(join(d.root, `file-${String(i).padStart(2, '0')}.csv`));
  await d.client.refreshConnectors(CONNECTOR);
  return eventually('the archive held', async () => (await d.client.heldArchives())[0]);
}

beforeEach(async () => {
  d = await startFilesDaemon({ watchChanges: false, archiveFailSafe: { thresholdPercent: 40, minimumCount: 5 } });
  env = { INTEGRATION_DAEMON_TOKEN: FILES_DAEMON_TOKEN, INTEGRATION_DAEMON_URL: d.url };
  for (let i = 0; i < 20; i++) writeFileSync(join(d.root, `file-${String(i).padStart(2, '0')}.csv`), `row ${i}\n`);
  await eventually('the first refresh over', async () => d.report().lastRefreshTime !== undefined);
  await d.client.refreshConnectors(CONNECTOR);
  await eventually('20 files catalogued', async () => (await d.liveFiles()).length === 20);
});
afterEach(async () => {
  await d.stop();
});

describe('held archives from the command line', () => {
  it('lists a held archive, keeps its elements on reject-archive, and says when nothing is held', async () => {
    expect(await run('held-archives')).toMatchObject({ code: 0, out: expect.stringMatching(/^CONNECTOR\s+HELD\s+TO ARCHIVE/) });
    await holdNine(0);

    const listed = await run('held-archives');
    expect(listed.code).toBe(0);
    const row = listed.out.split('\n')[1] ?? '';
    expect(row).toMatch(new RegExp(`^${CONNECTOR}\\s+\\S+ \\S+\\s+9 of 20\\s+40 %\\s+DataFile::\\S*file-00\\.csv, `));
    expect(listed.out).toContain(`approve-archive NAME`);
    const json = await run('held-archives', '--json');
    expect(JSON.parse(json.out)).toMatchObject([{ connectorName: CONNECTOR, count: 9, liveCount: 20, thresholdPercent: 40 }]);

    const rejected = await run('reject-archive', CONNECTOR, '--user', 'carol');
    expect(rejected).toMatchObject({ code: 0, out: `The held archive of ${CONNECTOR} was rejected; its elements are kept.\n` });
    expect(await d.client.heldArchives()).toEqual([]);
    expect(await d.liveFiles()).toHaveLength(20);
    const audit = await d.client.auditLog({ connectorName: CONNECTOR, limit: 1000 });
    expect(audit.find((r) => r.messageId === 'INTEGRATION-DAEMON-SERVICES-0133')?.messageText).toMatch(/^User carol rejected/);

    const again = await run('reject-archive', '--connector', CONNECTOR);
    expect(again.code).not.toBe(0);
    expect(again.err).toContain('INTEGRATION-DAEMON-SERVICES-404-130');
  });

  it('archives the held elements on approve-archive, and the audit record names the user of the request', async () => {
    await holdNine(0);
    const approved = await run('approve-archive', '--connector', CONNECTOR, '--user', 'alice', '--json');
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.out)).toEqual({ connector: CONNECTOR, archived: 9 });
    expect(await d.liveFiles()).toHaveLength(11);
    expect(await d.client.heldArchives()).toEqual([]);
    const audit = await d.client.auditLog({ connectorName: CONNECTOR, limit: 1000 });
    expect(audit.find((r) => r.messageId === 'INTEGRATION-DAEMON-SERVICES-0132')?.messageText).toBe(
      `User alice approved the held archive of integration connector ${CONNECTOR}: 9 elements were archived`,
    );
  });

  it('refuses a missing or doubled connector name with a usage message', async () => {
    const missing = await run('approve-archive');
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('INTEGRATION-DAEMON-CLI-400-009');
    const doubled = await run('reject-archive', CONNECTOR, '--connector', CONNECTOR);
    expect(doubled.code).not.toBe(0);
    expect(doubled.err).toContain('takes one connector name');
  });
});
