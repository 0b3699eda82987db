// The client commands in-process (main() with captured output) against a real REST server over the in-memory
// daemon, and the local commands (config validate, demo) on real files.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.js';
import { countdown, statusTable, table } from '../../electron/cli/output.js';
import { OPERATOR_TOKEN, SERVER_NAME, startFixture, VIEWER_TOKEN, type Fixture } from '../engine/rest/fixture.js';
import { normalizeStatus } from '../../shared/client/normalize.js';
import { seedExamples } from '../engine/rest/seed.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(args: string[], env: Record<string, string | undefined> = {}, stop = new AbortController().signal): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env, stop });
  return { code, out, err };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('client commands', () => {
  let f: Fixture;
  let env: Record<string, string>;
  beforeEach(async () => {
    f = await startFixture();
    env = { INTEGRATION_DAEMON_TOKEN: OPERATOR_TOKEN, INTEGRATION_DAEMON_URL: f.server.url };
  });
  afterEach(async () => {
    await f.server.close();
  });

  it('status prints an aligned table, learns the server name from /health, and --json the normalized answer', async () => {
    const table = await run(['status'], env);
    expect(table.code).toBe(0);
    const lines = table.out.split('\n');
    expect(lines[0]).toMatch(/^SERVICE\s+CONNECTOR\s+STATUS\s+LAST REFRESH\s+NEXT\s+ERROR SOURCE\s+OBJECT RETRIES\s+MESSAGE$/);
    expect(lines[1]).toMatch(
      /^files-integrator\s+OakDeneLandingAreaFilesMonitor\s+FAILED\s+2021-02-02 21:01:11\s+metadataServer\s+OMAG-MULTI-TENANT-404-001/,
    );
    const statusColumn = lines[0]?.indexOf('STATUS');
    expect(lines.slice(1, 5).every((l) => l.indexOf('FAILED') === statusColumn)).toBe(true);
    expect(table.out).toContain('4 connector(s) failed');

    const json = await run(['status', '--json', '--server', SERVER_NAME], env);
    expect(JSON.parse(json.out)).toEqual(normalizeStatus(seedExamples().statusFailed));
  });

  it('restart and refresh choose the operation from --service and --connector', async () => {
    expect((await run(['restart'], env)).out).toBe(`Restart requested for every connector of ${SERVER_NAME}.\n`);
    await run(['restart', '--service', 'files-integrator'], env);
    await run(['restart', '--service', 'files-integrator', '--connector', 'OakDeneLandingAreaFilesMonitor'], env);
    await run(['restart', '--connector', 'OakDeneLandingAreaDatabaseMonitor'], env);
    await run(['refresh'], env);
    await run(['refresh', '--service', 'database-integrator'], env);
    const json = await run(['refresh', '--connector', 'OakDeneLandingAreaDatabaseMonitor', '--json'], env);
    expect(JSON.parse(json.out)).toEqual({ kind: 'refresh', server: SERVER_NAME, connector: 'OakDeneLandingAreaDatabaseMonitor' });
    expect(f.daemon.calls.filter((c) => !['status'].includes(c.method)).map((c) => [c.method, ...c.args])).toEqual([
      ['restartConnectors', undefined],
      ['restartService', 'files-integrator', undefined],
      ['restartService', 'files-integrator', 'OakDeneLandingAreaFilesMonitor'],
      ['restartConnectors', 'OakDeneLandingAreaDatabaseMonitor'],
      ['refreshAll'],
      ['refreshService', 'database-integrator', undefined],
      ['refreshConnectors', 'OakDeneLandingAreaDatabaseMonitor'],
    ]);
  });

  it('retry-now for a connector, retry-objects-now for its object retries', async () => {
    expect((await run(['retry-now', '--connector', 'OakDeneLandingAreaFilesMonitor'], env)).out).toBe(
      'Retry of OakDeneLandingAreaFilesMonitor started.\n',
    );
    expect((await run(['retry-objects-now', '--connector', 'OakDeneLandingAreaFilesMonitor', '--object', 'a.csv'], env)).out).toBe(
      '0 object retries of OakDeneLandingAreaFilesMonitor started.\n',
    );
    expect((await run(['retry-objects-now', '--connector', 'OakDeneLandingAreaFilesMonitor', '--json'], env)).out).toBe(
      '{\n  "connector": "OakDeneLandingAreaFilesMonitor",\n  "objectRetriesStarted": 0\n}\n',
    );
    for (const command of ['retry-now', 'retry-objects-now']) {
      const missing = await run([command], env);
      expect(missing.code).toBe(2);
      expect(missing.err).toContain(`INTEGRATION-DAEMON-CLI-400-007 ${command} needs --connector NAME`);
    }
    // Object retries have a command of their own: retry-now takes no --object.
    expect((await run(['retry-now', '--connector', 'OakDeneLandingAreaFilesMonitor', '--object', 'a.csv'], env)).code).toBe(2);
  });

  it('a daemon refusal prints the message and its fix, exit 1', async () => {
    const refused = await run(['restart', '--connector', 'Ghost'], env);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('INTEGRATION-DAEMON-SERVICES-400-031 Integration connector named Ghost is not running');
    expect(refused.err).toContain('  fix: ');
    const viewer = await run(['refresh'], { ...env, INTEGRATION_DAEMON_TOKEN: VIEWER_TOKEN });
    expect(viewer.code).toBe(1);
    expect(viewer.err).toContain('INTEGRATION-DAEMON-REST-403-001');
  });

  it('a wrong token says where the token comes from', async () => {
    const tokenFile = join(dir, 'wrong-token');
    writeFileSync(tokenFile, 'not-the-token-at-all\n');
    const wrong = await run(['status', '--token-file', tokenFile, '--url', f.server.url]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('INTEGRATION-DAEMON-REST-401-002');
    expect(wrong.err).toContain('--token-file');
    const right = join(dir, 'token');
    writeFileSync(right, `${OPERATOR_TOKEN}\n`);
    expect((await run(['status', '--token-file', right, '--url', f.server.url])).code).toBe(0);
  });

  it('audit-log prints records in the console line format, filtered', async () => {
    f.daemon.audit.push(
      {
        sequence: 1,
        timeStamp: '2021-02-02T20:57:50.000Z',
        serverName: SERVER_NAME,
        severity: 'Startup',
        messageId: 'INTEGRATION-DAEMON-SERVICES-0001',
        messageText: `The integration daemon services are initializing in server ${SERVER_NAME}`,
        messageParameters: [],
      },
      {
        sequence: 2,
        timeStamp: '2021-02-02T20:57:51.000Z',
        serverName: SERVER_NAME,
        severity: 'Exception',
        messageId: 'INTEGRATION-DAEMON-SERVICES-0031',
        messageText: 'The integration connector X method initialize has returned',
        messageParameters: [],
        connectorName: 'X',
      },
    );
    const all = await run(['audit-log'], env);
    expect(all.out.trim().split('\n')).toHaveLength(2);
    expect(all.out).toMatch(
      /^\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} \S+ 2021 exchangeDL01 Startup INTEGRATION-DAEMON-SERVICES-0001 The integration daemon services/,
    );
    const filtered = await run(['audit-log', '--severity', 'exception', '--connector', 'X', '--limit', '5'], env);
    expect(filtered.out.trim().split('\n')).toHaveLength(1);
    expect(f.daemon.calls.at(-1)?.args[0]).toEqual({ severity: ['Exception'], connectorName: 'X', limit: 5 });
    const bad = await run(['audit-log', '--severity', 'Loud'], env);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('INTEGRATION-DAEMON-CLI-400-008');
    // The command is named as the REST path is, /audit-log; there is no second name for it.
    const old = await run(['audit'], env);
    expect(old.code).toBe(2);
    expect(old.err).toContain('INTEGRATION-DAEMON-CLI-400-000 Unknown command audit.');
  });

  it('audit-log --follow prints new records as they happen until stopped', async () => {
    const stop = new AbortController();
    let out = '';
    const done = main(['audit-log', '--follow', '--severity', 'Error'], {
      stdout: (t) => (out += t),
      stderr: () => undefined,
      env,
      stop: stop.signal,
    });
    await expect.poll(() => f.daemon.listenerCount()).toBe(2);
    const record = (sequence: number, severity: 'Error' | 'Information') => ({
      sequence,
      timeStamp: new Date().toISOString(),
      serverName: SERVER_NAME,
      severity,
      messageId: `M-${sequence}`,
      messageText: `text ${sequence}`,
      messageParameters: [],
    });
    f.daemon.emit({ type: 'audit', record: record(10, 'Information') });
    f.daemon.emit({ type: 'audit', record: record(11, 'Error') });
    await expect.poll(() => out).toContain('M-11 text 11');
    expect(out).not.toContain('M-10');
    stop.abort();
    expect(await done).toBe(0);
  });

  it('metadata-elements fetches every page (the command is named as the REST path; elements is no command)', async () => {
    const out = await run(['metadata-elements', '--type', 'DataFile'], env);
    expect(out.out).toContain('6 element(s)');
    expect(f.daemon.calls.filter((c) => c.method === 'findElements')).toHaveLength(2);
    const json = JSON.parse((await run(['metadata-elements', '--json'], env)).out) as unknown[];
    expect(json).toHaveLength(12);
    expect((await run(['elements'], env)).err).toContain('INTEGRATION-DAEMON-CLI-400-000 Unknown command elements.');
  });

  it('runs and object-retries print tables', async () => {
    f.daemon.runList.push({
      runId: 'r1',
      connectorName: 'C1',
      connectorId: 'c',
      connectorInstanceId: 'i',
      trigger: 'schedule',
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 12,
      state: 'PARTIAL',
      counts: { discovered: 5, created: 2, updated: 1, unchanged: 1, archived: 0, failed: 1 },
    });
    f.daemon.retries.push({
      connectorName: 'C1',
      connectorId: 'c',
      objectKey: 'landing/a.csv',
      state: 'GAVE_UP',
      attempt: 4,
      retryLimit: 3,
      firstFailedAt: 'x',
      lastFailedAt: 'y',
      lastErrorMessageId: 'E-1',
      lastErrorMessage: 'E-1 permission denied',
      errorSource: 'thirdParty',
      errorCategory: 'security',
    });
    const runs = await run(['runs', '--connector', 'C1'], env);
    expect(runs.out).toMatch(/C1\s+schedule\s+2026-01-01 00:00:00\s+12 ms\s+PARTIAL\s+5\/2\/1\/1\/0\/1/);
    const retries = await run(['object-retries'], env);
    expect(retries.out).toMatch(/C1\s+landing\/a.csv\s+GAVE_UP\s+4\/3\s+gave up\s+thirdParty\s+E-1 permission denied/);
  });

  it('bad arguments: unknown option, unknown command, bad URL, bad limit → exit 2 with the fix', async () => {
    for (const args of [['status', '--colour'], ['stats'], ['status', '--url', 'ftp://x'], ['runs', '--limit', '0'], ['status', 'extra']]) {
      const result = await run(args, env);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err, args.join(' ')).toMatch(/INTEGRATION-DAEMON-CLI-400-\d{3} .+\n {2}fix: /);
      expect(result.err).not.toMatch(/\n\s+at /);
    }
  });

  it('client options may come before the command: the same answer as after it', async () => {
    const url = f.server.url;
    const after = await run(['status', '--url', url, '--token', OPERATOR_TOKEN]);
    const before = await run(['--url', url, '--token', OPERATOR_TOKEN, 'status']);
    expect(before.err).toBe('');
    expect(before.code).toBe(0);
    expect(before).toEqual(after);
    expect(before.out).toContain('OakDeneLandingAreaFilesMonitor');
    // --name=value, a boolean, and a mix of before and after; a command with its own positional argument.
    const json = await run([`--url=${url}`, '--json', '--token', OPERATOR_TOKEN, 'status', '--server', SERVER_NAME]);
    expect(JSON.parse(json.out)).toEqual(normalizeStatus(seedExamples().statusFailed));
    expect((await run(['--url', url, '--token', OPERATOR_TOKEN, 'runs', '--limit', '5'])).code).toBe(0);
    // A viewer token before the command is still only a viewer's.
    const refused = await run(['--url', url, '--token', VIEWER_TOKEN, 'restart']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('INTEGRATION-DAEMON-REST-403-001');
    expect((await run(['--url', url, '--help'])).code).toBe(0);
  });

  it('before the command only client options, each with its value; one token source at a time', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, OPERATOR_TOKEN);
    const cases: [string[], string][] = [
      [['--colour', 'status'], 'INTEGRATION-DAEMON-CLI-400-019'],
      [['--config', 'x.json', 'serve'], 'INTEGRATION-DAEMON-CLI-400-019'],
      [['--url'], 'INTEGRATION-DAEMON-CLI-400-020'],
      [['--token', OPERATOR_TOKEN, '--token-file', tokenFile, 'status'], 'INTEGRATION-DAEMON-CLI-400-021'],
      [['--token', '', 'status'], 'INTEGRATION-DAEMON-CLI-400-022'],
    ];
    for (const [args, messageId] of cases) {
      const result = await run(args, { INTEGRATION_DAEMON_URL: f.server.url });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err, args.join(' ')).toMatch(new RegExp(`^${messageId} .+\n {2}fix: `));
    }
    // Nothing but client options: there is no command to run.
    const none = await run(['--url', f.server.url, '--token', OPERATOR_TOKEN]);
    expect(none.err).not.toContain(OPERATOR_TOKEN);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^INTEGRATION-DAEMON-CLI-400-023 .+\n {2}fix: name the command/);
  });

  it('--help prints the usage, exit 0; nothing at all prints it with exit 2', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('integration-daemon serve --config FILE');
    expect((await run(['status', '--help'])).code).toBe(0);
    expect((await run([])).code).toBe(2);
  });
});

describe('client commands without a daemon', () => {
  it('an unreachable daemon is a clear network error, exit 1', async () => {
    const f = await startFixture();
    const url = f.server.url;
    await f.server.close();
    const result = await run(['status', '--url', url, '--server', SERVER_NAME]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('INTEGRATION-DAEMON-CLIENT-503-001 Cannot reach the integration daemon');
    expect(result.err).toContain('fix: Check that the daemon is running');
  });
});

describe('config validate and demo', () => {
  it('demo writes a configuration that validates, and keeps an existing one', async () => {
    const data = join(dir, 'demo');
    const first = await run(['demo', '--data-dir', data]);
    expect(first.code).toBe(0);
    const path = first.out.trim();
    expect(path).toBe(join(data, 'integration-daemon.json'));
    const valid = await run(['config', 'validate', path]);
    expect(valid.code).toBe(0);
    expect(valid.out).toContain('is valid: server exchangeDL01, 1 integration service(s), 2 connector(s)');
    expect(readdirSync(join(data, 'landing-area'), { recursive: true }).map(String).sort()).toEqual([
      'README.txt',
      'clinical-trials',
      join('clinical-trials', 'week-01.csv'),
      join('clinical-trials', 'week-02.csv'),
    ]);

    const edited = { ...JSON.parse(readFileSync(path, 'utf8')), maxPageSize: 77 };
    writeFileSync(path, JSON.stringify(edited));
    await run(['demo', '--data-dir', data]);
    expect(JSON.parse(readFileSync(path, 'utf8')).maxPageSize).toBe(77);
  });

  it('an invalid document lists every problem with its fix, exit 2', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(
      path,
      JSON.stringify({
        serverName: 'd',
        integrationServices: [
          {
            urlMarker: 'files-integrator',
            connectors: [{ connectorName: 'A', connectorProvider: 'data-files-monitr', refreshTimeInterval: -1 }],
          },
        ],
        typo: true,
      }),
    );
    const result = await run(['config', 'validate', path]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('cannot be used');
    expect(result.err.match(/INTEGRATION-DAEMON-CONFIG-400-\d{3}/g)?.length).toBeGreaterThanOrEqual(3);
    expect(result.err).toContain('fix:');
    const json = JSON.parse((await run(['config', 'validate', path, '--json'])).out) as { valid: boolean; problems: unknown[] };
    expect(json.valid).toBe(false);
    const missing = await run(['config', 'validate', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('does not exist');
  });
});

describe('formatting', () => {
  it('table pads every column but the last and cuts long cells', () => {
    expect(
      table(
        ['A', 'BB'],
        [
          ['xxx', 'y'],
          ['z', 'w'.repeat(150)],
        ],
      ),
    ).toBe(`A    BB\nxxx  y\nz    ${'w'.repeat(99)}…`);
  });

  it('table cells from outside data cannot break lines or send terminal control sequences', () => {
    const printed = table(['FILE', 'MESSAGE'], [['evil\u001b[2J.csv', 'line one\nline two\u009b31m']]);
    expect(printed.split('\n')).toHaveLength(2);
    expect(printed).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(printed).toContain('evil\\u001b[2J.csv');
  });

  it('countdown uses the console countdown formatter and corrects for clock skew', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(countdown('2026-01-01T00:04:10Z', 0, now)).toBe('in 04:10');
    expect(countdown('2026-01-01T00:04:10Z', 60_000, now)).toBe('in 03:10');
    expect(countdown('2026-01-01T00:04:09.200Z', 0, now)).toBe('in 04:10');
    expect(countdown('2026-01-01T00:00:00Z', 0, now)).toBe('due');
    expect(countdown('2026-01-02T03:00:00Z', 0, now)).toBe('in 27:00:00');
    expect(countdown(undefined, 0, now)).toBe('');
    expect(countdown('soon', 0, now)).toBe('soon');
  });

  it('the status table shows retries, object retries and an open metadata server breaker', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const text = statusTable(
      {
        class: 'IntegrationDaemonStatusResponse',
        relatedHTTPCode: 200,
        serverTime: '2026-01-01T00:00:00Z',
        integrationServiceSummaries: [
          {
            integrationServiceId: 4005,
            integrationServiceFullName: 'Files Integrator OMIS',
            integrationServiceURLMarker: 'files-integrator',
            integrationServiceDescription: '',
            integrationServiceWiki: '',
            integrationConnectorReports: [
              {
                connectorName: 'F',
                connectorId: 'c',
                connectorStatus: 'RETRYING',
                minMinutesBetweenRefresh: 10,
                errorSource: 'metadataServer',
                pendingObjectRetries: 2,
                retry: { attempt: 2, retryLimit: 5, nextRetryAt: '2026-01-01T00:00:30Z', reason: 'down', waitingFor: 'metadataServer' },
              },
            ],
          },
        ],
        metadataServers: [
          {
            metadataServerName: 'cocoMDS1',
            breakerState: 'OPEN',
            since: '2026-01-01T00:00:00Z',
            waitingConnectors: 1,
            nextProbeAt: '2026-01-01T00:00:20Z',
          },
        ],
      },
      now,
    );
    expect(text).toMatch(/F\s+RETRYING\s+retry 2\/5 in 00:30 \(waiting for metadata server\)\s+metadataServer\s+2/);
    expect(text).toContain(
      'metadata server cocoMDS1 is unavailable since 2026-01-01 00:00:00; 1 connector(s) waiting, next probe in 00:20',
    );
  });
});
