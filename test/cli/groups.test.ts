// `integration-daemon groups` (main() with captured output) against the real Daemon behind its REST server: create a
// group, add a connector from a JSON file (it starts here, as the daemon runs the group), show, list, remove, delete;
// refusals print the message id and the fix with exit 1, bad command lines exit 2.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.js';
import { startRealDaemon, type RealDaemon } from '../support/real-daemon.js';

const TOKEN = 'groups-cli-token-0123456789';
let real: RealDaemon;
let env: Record<string, string>;
let entryFile: string;

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env, stop: new AbortController().signal });
  return { code, out, err };
}

beforeAll(async () => {
  real = await startRealDaemon({ token: TOKEN }, undefined, (document) => {
    (document as Record<string, unknown>).integrationGroups = [{ groupName: 'projects' }];
  });
  env = { INTEGRATION_DAEMON_TOKEN: TOKEN, INTEGRATION_DAEMON_URL: real.server.url };
  const projects = join(real.dir, 'data', 'projects');
  mkdirSync(projects, { recursive: true });
  entryFile = join(real.dir, 'entry.json');
  writeFileSync(
    entryFile,
    JSON.stringify({ connectorName: 'ProjectMonitor', connectorProvider: 'data-files-monitor', endpointAddress: projects }),
  );
}, 60_000);

afterAll(async () => {
  await real?.stop();
});

describe('integration-daemon groups', () => {
  it('lists a group the configuration names but nobody has defined, as ASSIGNED with why', async () => {
    const listed = await run('groups', 'list');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/projects\s+-\s+0\s+ASSIGNED\s+.*not defined/);
  });

  it('creates a group, adds a connector from a file, shows and lists it, removes the connector and deletes the group', async () => {
    expect(await run('groups', 'create', 'projects', '--description', 'Project folders')).toMatchObject({
      code: 0,
      out: 'Integration group projects created (version 1).\n',
    });
    expect(await run('groups', 'add-connector', 'projects', entryFile)).toMatchObject({
      code: 0,
      out: expect.stringContaining('version 2'),
    });
    const shown = await run('groups', 'show', 'projects');
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/description {2}Project folders/);
    expect(shown.out).toMatch(/ProjectMonitor\s+data-files-monitor\s+\S+projects\s+(WAITING|REFRESHING|INITIALIZED)/);
    const listed = await run('groups', 'list');
    expect(listed.out).toMatch(/^GROUP\s+VERSION\s+CONNECTORS\s+STATUS HERE/);
    expect(listed.out).toMatch(/projects\s+2\s+1\s+(RUNNING|CONFIGURING)\s+Project folders/);
    const json = JSON.parse((await run('groups', 'list', '--json')).out) as { groupName: string }[];
    expect(json.map((g) => g.groupName)).toEqual(['projects']);
    expect(await run('groups', 'remove-connector', 'projects', 'ProjectMonitor')).toMatchObject({ code: 0 });
    expect(
      real.daemon
        .status()
        .integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports)
        .map((r) => r.connectorName),
    ).not.toContain('ProjectMonitor');
    expect(await run('groups', 'delete', 'projects')).toMatchObject({ code: 0 });
    // Deleted, it is again a group the configuration names and nobody defines.
    expect((await run('groups', 'list')).out).toMatch(/projects\s+-\s+0\s+ASSIGNED/);
  });

  it('refuses with the message id and the fix', async () => {
    const unknown = await run('groups', 'show', 'nothing');
    expect(unknown).toMatchObject({ code: 1, err: expect.stringContaining('INTEGRATION-DAEMON-GROUPS-404-002') });
    expect(unknown.err).toContain('fix: ');
    writeFileSync(join(real.dir, 'bad.json'), JSON.stringify({ connectorName: 'Bad', connectorProvider: 'data-files-monitor', nope: 1 }));
    await run('groups', 'create', 'other');
    const bad = await run('groups', 'add-connector', 'other', join(real.dir, 'bad.json'));
    expect(bad).toMatchObject({ code: 1, err: expect.stringMatching(/INTEGRATION-DAEMON-GROUPS-400-001 .*connectors\[0\]/) });
    expect(await run('groups', 'frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('INTEGRATION-DAEMON-CLI-400-020') });
    expect(await run('groups', 'show')).toMatchObject({ code: 2 });
    expect(await run('groups', 'add-connector', 'other', join(real.dir, 'missing.json'))).toMatchObject({
      code: 2,
      err: expect.stringContaining('INTEGRATION-DAEMON-CLI-400-021'),
    });
  });
});
