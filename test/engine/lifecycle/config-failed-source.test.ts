// The rule between a connector's status and its error source (README "Error sources"): a connector in CONFIG_FAILED
// always names its own configuration (`errorSource: 'connector'`), whichever client raised the error. Checked for
// every built-in connector with real daemons, real files and a real SQLite file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtInProviders } from '../../../electron/connectors/index.js';
import { type Harness, document, harness, report, waitFor } from './fixtures/daemon-harness.js';

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

/**
 * The connectors with an endpoint or configuration properties. One that takes neither (the OpenLineage cataloguer)
 * has nothing a run can find wrong: the daemon refuses any endpoint or property it is given when it loads the file.
 */
const configurable = builtInProviders.filter((p) => p.endpoint?.kind !== 'none' || (p.configurationProperties?.length ?? 0) > 0);

/** A connector configuration each built-in connector can only fail on at run time, by being configured wrongly. */
function misconfigured(dir: string): Record<string, { urlMarker: string; entry: Record<string, unknown> }> {
  const aFile = join(dir, 'not-a-directory.csv');
  writeFileSync(aFile, 'a,b\n');
  const notADatabase = join(dir, 'notes.txt');
  writeFileSync(notADatabase, 'these are notes, not a SQLite database, and long enough to have a header page '.repeat(20));
  return {
    'data-files-monitor': { urlMarker: 'files-integrator', entry: { endpointAddress: aFile } },
    'data-folder-monitor': { urlMarker: 'files-integrator', entry: { endpointAddress: aFile } },
    'sqlite-database-monitor': { urlMarker: 'database-integrator', entry: { endpointAddress: notADatabase } },
    // A password given by reference to an environment variable that is not set.
    'postgres-database-monitor': {
      urlMarker: 'database-integrator',
      entry: { endpointAddress: 'postgresql://scanner:env:CONFIG_FAILED_TEST_UNSET_PASSWORD@127.0.0.1:1/inventory' },
    },
  };
}

describe('CONFIG_FAILED names the connector configuration as the error source', () => {
  it('has a misconfiguration for every built-in connector that has something to get wrong at run time', () => {
    h = harness();
    expect(Object.keys(misconfigured(h.dir)).sort()).toEqual(configurable.map((p) => p.providerName).sort());
  });

  it('refuses any endpoint or property for a connector that takes none, when the configuration is loaded', () => {
    for (const provider of builtInProviders.filter((p) => !configurable.includes(p))) {
      expect(provider.validate({ endpointAddress: 'http://127.0.0.1:1/x', configurationProperties: {} })).toHaveLength(1);
      expect(provider.validate({ configurationProperties: { anything: 1 } })).toHaveLength(1);
    }
  });

  for (const provider of configurable) {
    it(`${provider.providerName}: a configuration it fails on at run time`, async () => {
      h = harness();
      const { urlMarker, entry } = misconfigured(h.dir)[provider.providerName]!;
      const daemon = await h.start(
        document(h.dir, [
          {
            urlMarker,
            connectors: [{ connectorName: 'Misconfigured', connectorProvider: provider.providerName, refreshTimeInterval: 60, ...entry }],
          },
        ]),
      );
      await waitFor(
        () => report(daemon, 'Misconfigured').connectorStatus === 'CONFIG_FAILED',
        () => JSON.stringify(report(daemon, 'Misconfigured')),
        20_000,
      );
      expect(report(daemon, 'Misconfigured')).toMatchObject({ errorSource: 'connector', errorCategory: 'configuration' });
    });
  }

  for (const provider of builtInProviders) {
    it(`${provider.providerName}: placed in an integration service of another kind`, async () => {
      h = harness();
      mkdirSync(join(h.dir, 'landing'));
      const urlMarker = provider.connectorKind === 'files' ? 'catalog-integrator' : 'files-integrator';
      const daemon = await h.start(
        document(h.dir, [
          {
            urlMarker,
            connectors: [
              {
                connectorName: 'Misplaced',
                connectorProvider: provider.providerName,
                ...(provider.endpoint?.kind === 'none'
                  ? {}
                  : {
                      endpointAddress:
                        provider.connectorKind === 'files' ? join(h.dir, 'landing') : 'postgresql://scanner@127.0.0.1:1/inventory',
                    }),
                refreshTimeInterval: 60,
              },
            ],
          },
        ]),
      );
      await waitFor(
        () => report(daemon, 'Misplaced').connectorStatus === 'CONFIG_FAILED',
        () => JSON.stringify(report(daemon, 'Misplaced')),
        20_000,
      );
      expect(report(daemon, 'Misplaced')).toMatchObject({ errorSource: 'connector', errorCategory: 'configuration' });
    });
  }
});
