// The CLI against a fixture server of each Egeria era (built from Egeria's documented JSON): the status table with
// the ERROR SOURCE column filled from Egeria's message ids, restart carried out the era's way, and retry now and run
// history refused plainly (exit 1, message id and what to do instead) without calling a path the daemon lacks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.js';
import {
  EGERIA_ERAS,
  EGERIA_SERVER,
  EGERIA_USER,
  startEgeriaFixture,
  type EgeriaEra,
  type EgeriaFixture,
} from '../support/egeria-fixtures.js';

const fixtures = new Map<EgeriaEra, EgeriaFixture>();

beforeAll(async () => {
  for (const era of EGERIA_ERAS) fixtures.set(era, await startEgeriaFixture(era));
});

afterAll(async () => {
  for (const fixture of fixtures.values()) await fixture.close();
});

async function run(era: EgeriaEra, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const fixture = fixtures.get(era) as EgeriaFixture;
  let out = '';
  let err = '';
  const code = await main([...args, '--url', fixture.url, '--server', EGERIA_SERVER, '--user', EGERIA_USER], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    env: { INTEGRATION_DAEMON_TOKEN: 'an-egeria-bearer-token' },
    stop: new AbortController().signal,
  });
  return { code, out, err };
}

const EXPECTED_SOURCES: Record<EgeriaEra, [string, string]> = {
  'egeria-seed': ['OakDeneLandingAreaFilesMonitor', 'metadataServer'],
  'egeria-4': ['OldMarketLandingAreaFilesMonitor', 'thirdParty'],
  'egeria-5': ['CocoLineageCataloguer', 'metadataServer'],
  'egeria-5-token': ['OldMarketLandingAreaFilesMonitor', 'thirdParty'],
};

describe.each(EGERIA_ERAS)('the CLI against an %s daemon', (era) => {
  it('status fills ERROR SOURCE from the message id and names the era', async () => {
    const status = await run(era, ['status']);
    expect(status.code, status.err).toBe(0);
    const [connector, source] = EXPECTED_SOURCES[era];
    const line = status.out.split('\n').find((l) => l.includes(connector));
    expect(line).toMatch(new RegExp(`${connector}\\s+\\S*FAILED\\s+.*\\b${source}\\b`));
    expect(status.out).toMatch(/is an Egeria \S+/);
  });

  it('restart --connector takes the era’s path; retry-now and runs are refused plainly', async () => {
    const fixture = fixtures.get(era) as EgeriaFixture;
    fixture.calls.length = 0;
    const restart = await run(era, ['restart', '--connector', 'OldMarketLandingAreaFilesMonitor']);
    expect(restart.code, restart.err).toBe(0);
    const post = fixture.calls.find((c) => c.method === 'POST');
    expect(post?.operation).toBe(
      era === 'egeria-seed' || era === 'egeria-4' ? 'integration-services/files-integrator/restart' : 'integration-connectors/restart',
    );

    fixture.calls.length = 0;
    const retry = await run(era, ['retry-now', '--connector', 'OldMarketLandingAreaFilesMonitor']);
    expect(retry.code).toBe(1);
    expect(retry.err).toContain('INTEGRATION-DAEMON-CLIENT-501-001 Retry now does not exist on exchangeDL01');
    expect(retry.err).toContain('restart the connector instead');
    const runs = await run(era, ['runs']);
    expect(runs.code).toBe(1);
    expect(runs.err).toContain('Run history does not exist');
    expect(fixture.calls.filter((c) => c.operation !== 'status')).toEqual([]);
  });
});
