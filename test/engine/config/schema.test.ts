import { describe, expect, it } from 'vitest';
import { connectorIdFor } from '../../../electron/engine/config/defaults.js';
import { CONFIG_MESSAGE_IDS, formatPath } from '../../../electron/engine/config/problems.js';
import { DEFAULT_TIMEOUTS, MIN_REFRESH_MINUTES } from '../../../electron/engine/config/schema.js';
import type { ValidationResult } from '../../../electron/engine/config/types.js';
import { validateConfig } from '../../../electron/engine/config/validate.js';
import { ProviderRegistry } from '../../../electron/engine/providers.js';
import { filesProvider, folderProvider, postgresProvider } from './test-providers.js';

const providers = new ProviderRegistry([filesProvider, folderProvider, postgresProvider]);

function problemsOf(result: ValidationResult) {
  if (result.ok) throw new Error(`expected problems, got a valid config`);
  return result.problems;
}

const minimal = {
  serverName: 'exchangeDL01',
  integrationServices: [
    {
      urlMarker: 'files-integrator',
      connectors: [
        { connectorName: 'OakDeneLandingAreaFilesMonitor', connectorProvider: 'data-files-monitor', endpointAddress: 'data/oak-dene' },
      ],
    },
  ],
};

describe('validateConfig: defaults', () => {
  it('fills every default the brief names', () => {
    const result = validateConfig(minimal, { providers });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { config } = result;
    expect(config.maxPageSize).toBe(1000);
    expect(config.localServerUserId).toBe('exchangeDL01npa');
    expect(config.metadataServer).toEqual({ name: 'exchangeDL01-metadata', kind: 'embedded', path: 'metadata.db' });
    expect(config.auditLog.destinations).toEqual([{ kind: 'console' }, { kind: 'memory', capacity: 10_000 }]);
    const service = config.integrationServices[0]!;
    expect(service.defaultPermittedSynchronization).toBe('FROM_THIRD_PARTY');
    const connector = service.connectors[0]!;
    expect(connector.refreshTimeInterval).toBe(60);
    expect(connector.permittedSynchronization).toBe('FROM_THIRD_PARTY');
    expect(connector.configurationProperties).toEqual({});
    expect(connector.timeouts).toEqual({ initialize: 30_000, start: 30_000, refresh: 600_000, disconnect: 10_000 });
    expect(connector.errorHandling).toBeUndefined();
    expect(result.warnings).toEqual([]);
  });

  it('uses the service default permitted synchronization, which the service entry can override', () => {
    const doc = {
      serverName: 's',
      integrationServices: [
        { urlMarker: 'security-integrator', connectors: [] },
        {
          urlMarker: 'files-integrator',
          defaultPermittedSynchronization: 'BOTH_DIRECTIONS',
          connectors: [
            { connectorName: 'a', connectorProvider: 'data-files-monitor', endpointAddress: 'x' },
            {
              connectorName: 'b',
              connectorProvider: 'data-files-monitor',
              endpointAddress: 'x',
              permittedSynchronization: 'TO_THIRD_PARTY',
            },
          ],
        },
      ],
    };
    const result = validateConfig(doc, { providers });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.config.integrationServices[0]!.defaultPermittedSynchronization).toBe('TO_THIRD_PARTY');
    expect(result.config.integrationServices[1]!.connectors.map((c) => c.permittedSynchronization)).toEqual([
      'BOTH_DIRECTIONS',
      'TO_THIRD_PARTY',
    ]);
  });

  it('keeps explicit values: fractional refresh minutes, timeouts, postgres metadata server, audit destinations', () => {
    const doc = {
      serverName: 'cocoDaemon',
      localServerUserId: 'cocoNPA',
      maxPageSize: 250,
      metadataServer: { kind: 'postgres', connectionString: 'postgres://u:p@localhost/md' },
      auditLog: {
        destinations: [
          { kind: 'jsonl', path: 'audit.jsonl' },
          { kind: 'memory', capacity: 50, severities: ['Error'] },
        ],
      },
      integrationServices: [
        {
          urlMarker: 'files-integrator',
          connectors: [
            {
              connectorName: 'fast',
              connectorId: 'my-own-id',
              connectorProvider: 'data-files-monitor',
              endpointAddress: '/tmp/x',
              refreshTimeInterval: 0.01,
              timeouts: { refresh: 1500 },
              configurationProperties: { waitForDirectory: true },
              errorHandling: [
                {
                  situation: { errorSource: ['thirdParty'] },
                  reaction: { retryLater: { initialInterval: 'PT10S', retryLimit: 3 }, stopAfter: 5 },
                },
              ],
            },
          ],
        },
      ],
    };
    const result = validateConfig(doc, { providers });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const c = result.config.integrationServices[0]!.connectors[0]!;
    expect(c.connectorId).toBe('my-own-id');
    expect(c.refreshTimeInterval).toBe(0.01);
    expect(c.timeouts).toEqual({ ...DEFAULT_TIMEOUTS, refresh: 1500 });
    expect(c.configurationProperties).toEqual({ waitForDirectory: true });
    expect(c.errorHandling).toEqual([
      { situation: { errorSource: ['thirdParty'] }, reaction: { retryLater: { initialInterval: 'PT10S', retryLimit: 3 }, stopAfter: 5 } },
    ]);
    expect(result.config.metadataServer).toEqual({
      name: 'cocoDaemon-metadata',
      kind: 'postgres',
      connectionString: 'postgres://u:p@localhost/md',
    });
    expect(result.config.auditLog.destinations).toEqual([
      { kind: 'jsonl', path: 'audit.jsonl', maxBytes: 10 * 1024 * 1024, maxFiles: 5 },
      { kind: 'memory', capacity: 50, severities: ['Error'] },
    ]);
  });
});

describe('connector ids', () => {
  it('derives a stable RFC 4122 v5 UUID from serverName, urlMarker and connectorName', () => {
    const id = connectorIdFor('exchangeDL01', 'files-integrator', 'OakDeneLandingAreaFilesMonitor');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(connectorIdFor('exchangeDL01', 'files-integrator', 'OakDeneLandingAreaFilesMonitor')).toBe(id);
    expect(connectorIdFor('exchangeDL02', 'files-integrator', 'OakDeneLandingAreaFilesMonitor')).not.toBe(id);
    expect(connectorIdFor('exchangeDL01', 'database-integrator', 'OakDeneLandingAreaFilesMonitor')).not.toBe(id);
    // Concatenation must not be ambiguous: ("ab", "c") and ("a", "bc") are different connectors.
    expect(connectorIdFor('s', 'ab', 'c')).not.toBe(connectorIdFor('s', 'a', 'bc'));
  });

  it('matches the reference v5 algorithm (known vector: DNS namespace, "python.org")', async () => {
    // uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org') = 886313e1-3b8a-5372-9b90-0c9aee199e5d; recomputed with the same
    // byte layout to prove the version/variant bit handling (the daemon's own namespace differs).
    const { createHash } = await import('node:crypto');
    const ns = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex');
    const h = createHash('sha1').update(ns).update('python.org').digest();
    h[6] = (h[6]! & 0x0f) | 0x50;
    h[8] = (h[8]! & 0x3f) | 0x80;
    expect(h.subarray(0, 16).toString('hex')).toBe('886313e13b8a53729b900c9aee199e5d');
  });

  it('puts a generated id into the config without one in the document, and the same id every time', () => {
    const a = validateConfig(minimal, { providers });
    const b = validateConfig(structuredClone(minimal), { providers });
    if (!a.ok || !b.ok) throw new Error('expected valid');
    const id = a.config.integrationServices[0]!.connectors[0]!.connectorId;
    expect(id).toBe(connectorIdFor('exchangeDL01', 'files-integrator', 'OakDeneLandingAreaFilesMonitor'));
    expect(b.config.integrationServices[0]!.connectors[0]!.connectorId).toBe(id);
    expect((minimal.integrationServices[0]!.connectors[0] as Record<string, unknown>).connectorId).toBeUndefined();
  });
});

describe('validateConfig: problems', () => {
  it('lists every problem, each with a path, a message, a fix and a message id', () => {
    const doc = {
      serverName: 'exchange DL01',
      maxPagesize: 10,
      integrationServices: [
        {
          urlMarker: 'file-integrator',
          connectors: [
            { connectorName: 'a', connectorProvider: 'DataFilesMonitor', endpointAddress: 'x' },
            { connectorName: 'b', connectorProvider: 'data-files-monitor', endpointAddress: 'x' },
            { connectorName: 'c', connectorProvider: 'data-files-monitor', endpointAddress: 'x', refreshTimeInterval: 'ten' },
          ],
        },
        {
          urlMarker: 'database-integrator',
          connectors: [{ connectorName: 'b', connectorProvider: 'postgres-database-monitor', timeouts: { refesh: 5 } }],
        },
      ],
    };
    const problems = problemsOf(validateConfig(doc, { providers }));
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        'serverName',
        'maxPagesize',
        'integrationServices[0].urlMarker',
        'integrationServices[0].connectors[0].connectorProvider',
        'integrationServices[0].connectors[2].refreshTimeInterval',
        'integrationServices[1].connectors[0].connectorName',
        'integrationServices[1].connectors[0].timeouts.refesh',
      ].sort(),
    );
    for (const p of problems) {
      expect(p.messageId).toMatch(/^INTEGRATION-DAEMON-CONFIG-400-\d{3}$/);
      expect(p.message.length).toBeGreaterThan(5);
      expect(p.fix.length).toBeGreaterThan(5);
    }
    expect(byPath['maxPagesize']).toMatchObject({
      messageId: CONFIG_MESSAGE_IDS.unknownKey,
      fix: 'Rename "maxPagesize" to "maxPageSize".',
    });
    expect(byPath['integrationServices[1].connectors[0].timeouts.refesh']!.message).toContain('did you mean "refresh"');
    expect(byPath['integrationServices[0].urlMarker']).toMatchObject({ messageId: CONFIG_MESSAGE_IDS.unknownService });
    expect(byPath['integrationServices[0].urlMarker']!.message).toContain('did you mean "files-integrator"');
    expect(byPath['integrationServices[0].connectors[0].connectorProvider']).toMatchObject({
      messageId: CONFIG_MESSAGE_IDS.unknownProvider,
    });
    expect(byPath['integrationServices[0].connectors[0].connectorProvider']!.message).toContain('did you mean "data-files-monitor"');
    expect(byPath['integrationServices[0].connectors[2].refreshTimeInterval']).toMatchObject({ messageId: CONFIG_MESSAGE_IDS.wrongType });
    expect(byPath['integrationServices[0].connectors[2].refreshTimeInterval']!.message).toBe('must be a number, not the text "ten".');
    expect(byPath['integrationServices[1].connectors[0].connectorName']).toMatchObject({
      messageId: CONFIG_MESSAGE_IDS.duplicateConnectorName,
    });
    expect(byPath['integrationServices[1].connectors[0].connectorName']!.message).toContain('integrationServices[0].connectors[1]');
  });

  it('reports missing required fields as missing, not as wrong types', () => {
    const problems = problemsOf(validateConfig({ integrationServices: [{ connectors: [{ connectorName: 'x' }] }] }, { providers }));
    expect(problems.map((p) => [p.path, p.messageId])).toEqual(
      expect.arrayContaining([
        ['serverName', CONFIG_MESSAGE_IDS.missing],
        ['integrationServices[0].urlMarker', CONFIG_MESSAGE_IDS.missing],
        ['integrationServices[0].connectors[0].connectorProvider', CONFIG_MESSAGE_IDS.missing],
      ]),
    );
    expect(problems.find((p) => p.path === 'serverName')!.message).toBe('is required but missing.');
  });

  it('refuses a document that is not an object', () => {
    for (const doc of [null, [], 'text', 3]) {
      const problems = problemsOf(validateConfig(doc, { providers }));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ messageId: CONFIG_MESSAGE_IDS.notAnObject, path: '' });
    }
  });

  it('checks value ranges and enums with the allowed values in the message', () => {
    const doc = {
      serverName: 's',
      maxPageSize: 0,
      metadataServer: { kind: 'mysql', path: 'x' },
      auditLog: { destinations: [{ kind: 'jsonl', path: 'a.jsonl', maxBytes: 10 }, { kind: 'syslog' }] },
      integrationServices: [
        {
          urlMarker: 'files-integrator',
          connectors: [
            {
              connectorName: 'a',
              connectorProvider: 'data-files-monitor',
              endpointAddress: 'x',
              refreshTimeInterval: -1,
              permittedSynchronization: 'FROM_3RD_PARTY',
              timeouts: { initialize: 0, start: 1.5 },
            },
          ],
        },
      ],
    };
    const problems = problemsOf(validateConfig(doc, { providers }));
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath['maxPageSize']).toBe('must be at least 1, not number 0.');
    expect(byPath['metadataServer.kind']).toBe('must be one of "embedded", "postgres", not the text "mysql".');
    expect(byPath['auditLog.destinations[0].maxBytes']).toBe('must be at least 1024, not number 10.');
    expect(byPath['auditLog.destinations[1].kind']).toBe('must be one of "console", "jsonl", "memory", not the text "syslog".');
    expect(byPath['integrationServices[0].connectors[0].refreshTimeInterval']).toBe('must be at least 0, not number -1.');
    expect(byPath['integrationServices[0].connectors[0].permittedSynchronization']).toBe(
      'must be one of "FROM_THIRD_PARTY", "TO_THIRD_PARTY", "BOTH_DIRECTIONS", not the text "FROM_3RD_PARTY".',
    );
    expect(byPath['integrationServices[0].connectors[0].timeouts.initialize']).toBe('must be at least 1, not number 0.');
    expect(byPath['integrationServices[0].connectors[0].timeouts.start']).toMatch(/whole number|integer/);
  });

  it('refuses refresh intervals and timeouts a timer cannot hold', () => {
    const doc = structuredClone(minimal) as { integrationServices: Array<{ connectors: Array<Record<string, unknown>> }> };
    doc.integrationServices[0]!.connectors[0]!.refreshTimeInterval = 60 * 24 * 30;
    doc.integrationServices[0]!.connectors[0]!.timeouts = { refresh: 3_000_000_000 };
    const paths = problemsOf(validateConfig(doc, { providers })).map((p) => p.path);
    expect(paths).toEqual([
      'integrationServices[0].connectors[0].refreshTimeInterval',
      'integrationServices[0].connectors[0].timeouts.refresh',
    ]);
  });

  it('refuses a refresh interval under the floor, other than 0, with a message id and the fix', () => {
    for (const absurd of [1e-9, 0.0001, Number.MIN_VALUE]) {
      const doc = structuredClone(minimal) as { integrationServices: Array<{ connectors: Array<Record<string, unknown>> }> };
      doc.integrationServices[0]!.connectors[0]!.refreshTimeInterval = absurd;
      const problems = problemsOf(validateConfig(doc, { providers }));
      expect(problems, String(absurd)).toHaveLength(1);
      expect(problems[0]).toMatchObject({
        messageId: CONFIG_MESSAGE_IDS.invalidValue,
        path: 'integrationServices[0].connectors[0].refreshTimeInterval',
        message: expect.stringContaining(`must be 0 or at least ${MIN_REFRESH_MINUTES} minutes`),
        fix: expect.stringContaining('0 (refresh only at start-up and on request)'),
      });
    }
    for (const fine of [0, MIN_REFRESH_MINUTES, 0.5, 10]) {
      const doc = structuredClone(minimal) as { integrationServices: Array<{ connectors: Array<Record<string, unknown>> }> };
      doc.integrationServices[0]!.connectors[0]!.refreshTimeInterval = fine;
      expect(validateConfig(doc, { providers }).ok, String(fine)).toBe(true);
    }
  });

  it('validates errorHandling entries with precise messages', () => {
    const doc = structuredClone(minimal) as { integrationServices: Array<{ connectors: Array<Record<string, unknown>> }> };
    doc.integrationServices[0]!.connectors[0]!.errorHandling = [
      { reaction: {} },
      { reaction: { stop: {}, retryLater: { initialInterval: 'PT1M' } } },
      { reaction: { retryLater: { initialInterval: '30 minutes' } } },
      { situation: { errorSource: ['database'] }, reaction: { ignore: true } },
      { reaction: { stop: true, stopAfter: 2 } },
    ];
    const problems = problemsOf(validateConfig(doc, { providers }));
    const at = (p: string) => problems.find((x) => x.path === `integrationServices[0].connectors[0].errorHandling${p}`);
    expect(at('[0].reaction')!.message).toContain('exactly one of ignore, stop or retryLater; none is given');
    expect(at('[1].reaction')!.message).toContain('stop and retryLater are given');
    expect(at('[2].reaction.retryLater.initialInterval')!.fix).toContain('PT30M');
    expect(at('[2].reaction.retryLater.initialInterval')!.message).toContain('30 minutes');
    expect(at('[3].situation.errorSource[0]')!.message).toContain('thirdParty');
    expect(at('[4].reaction.stopAfter')!.message).toContain('stopAfter applies only to ignore and retryLater');
    for (const p of problems) expect(p.messageId).toMatch(/^INTEGRATION-DAEMON-CONFIG-400-00[2-5]$/);
  });

  it('runs provider-specific validation and prefixes its paths with the connector path', () => {
    const doc = {
      serverName: 's',
      integrationServices: [
        {
          urlMarker: 'files-integrator',
          connectors: [
            { connectorName: 'a', connectorProvider: 'data-files-monitor', configurationProperties: { waitForDirectory: 'yes' } },
          ],
        },
      ],
    };
    const problems = problemsOf(validateConfig(doc, { providers }));
    expect(problems.map((p) => [p.messageId, p.path])).toEqual([
      [CONFIG_MESSAGE_IDS.providerProblem, 'integrationServices[0].connectors[0].endpointAddress'],
      [CONFIG_MESSAGE_IDS.providerProblem, 'integrationServices[0].connectors[0].configurationProperties.waitForDirectory'],
    ]);
  });

  it('turns a provider whose validate throws into a problem instead of a crash', () => {
    const broken = {
      ...filesProvider,
      providerName: 'broken',
      aliases: [],
      validate: () => {
        throw new Error('boom');
      },
    };
    const registry = new ProviderRegistry([broken]);
    const doc = {
      serverName: 's',
      integrationServices: [{ urlMarker: 'files-integrator', connectors: [{ connectorName: 'a', connectorProvider: 'broken' }] }],
    };
    const problems = problemsOf(validateConfig(doc, { providers: registry }));
    expect(problems[0]).toMatchObject({ messageId: CONFIG_MESSAGE_IDS.providerProblem, path: 'integrationServices[0].connectors[0]' });
    expect(problems[0]!.message).toContain('boom');
  });

  it('accepts Egeria provider class names as aliases and suggests the right one for a wrong package', () => {
    const doc = structuredClone(minimal) as { integrationServices: Array<{ connectors: Array<Record<string, unknown>> }> };
    doc.integrationServices[0]!.connectors[0]!.connectorProvider =
      'org.odpi.openmetadata.adapters.connectors.integration.basicfiles.DataFilesMonitorIntegrationProvider';
    expect(validateConfig(doc, { providers }).ok).toBe(true);
    doc.integrationServices[0]!.connectors[0]!.connectorProvider = 'org.example.DataFilesMonitorIntegrationProvider';
    const problems = problemsOf(validateConfig(doc, { providers }));
    expect(problems[0]!.message).toContain(
      'did you mean "org.odpi.openmetadata.adapters.connectors.integration.basicfiles.DataFilesMonitorIntegrationProvider"',
    );
  });

  it('flags duplicate services, connector ids and memory destinations', () => {
    const doc = {
      serverName: 's',
      auditLog: { destinations: [{ kind: 'memory' }, { kind: 'memory', capacity: 5 }] },
      integrationServices: [
        {
          urlMarker: 'files-integrator',
          connectors: [{ connectorName: 'a', connectorId: 'same', connectorProvider: 'data-files-monitor', endpointAddress: 'x' }],
        },
        {
          urlMarker: 'files-integrator',
          connectors: [{ connectorName: 'b', connectorId: 'same', connectorProvider: 'data-files-monitor', endpointAddress: 'x' }],
        },
      ],
    };
    const problems = problemsOf(validateConfig(doc, { providers }));
    expect(problems.map((p) => [p.messageId, p.path])).toEqual([
      [CONFIG_MESSAGE_IDS.duplicateService, 'integrationServices[1].urlMarker'],
      [CONFIG_MESSAGE_IDS.duplicateConnectorId, 'integrationServices[1].connectors[0].connectorId'],
      [CONFIG_MESSAGE_IDS.duplicateMemoryDestination, 'auditLog.destinations[1]'],
    ]);
  });

  it('reports a module provider whose file does not exist', () => {
    const doc = {
      serverName: 's',
      integrationServices: [
        { urlMarker: 'files-integrator', connectors: [{ connectorName: 'a', connectorProvider: './no/such/provider.mjs' }] },
      ],
    };
    const problems = problemsOf(validateConfig(doc, { providers, baseDirectory: '/nonexistent-dir' }));
    expect(problems[0]).toMatchObject({
      messageId: CONFIG_MESSAGE_IDS.providerModuleMissing,
      path: 'integrationServices[0].connectors[0].connectorProvider',
    });
    expect(problems[0]!.message).toContain('/nonexistent-dir/no/such/provider.mjs');
  });
});

describe('validateConfig: warnings', () => {
  it("warns (does not fail) when a connector is of the wrong kind for its service, with the seed's message", () => {
    const doc = {
      serverName: 'exchangeDL01',
      integrationServices: [
        {
          urlMarker: 'database-integrator',
          connectors: [
            { connectorName: 'OakDeneLandingAreaDatabaseMonitor', connectorProvider: 'data-files-monitor', endpointAddress: 'x' },
          ],
        },
      ],
    };
    const result = validateConfig(doc, { providers });
    expect(result.ok).toBe(true);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({
      messageId: 'OMIS-DATABASE-INTEGRATOR-400-001',
      path: 'integrationServices[0].connectors[0].connectorProvider',
      message:
        'Integration connector OakDeneLandingAreaDatabaseMonitor is not of the correct type to run in the Database Integrator OMIS integration service.  It must inherit from org.odpi.openmetadata.integrationservices.database.connector.DatabaseIntegratorConnector',
    });
    expect(result.warnings[0]!.fix).toContain('files-integrator');
  });

  it('warns about an empty daemon, an empty service and a missing memory destination', () => {
    const empty = validateConfig(
      { serverName: 's', integrationServices: [], auditLog: { destinations: [{ kind: 'console' }] } },
      { providers },
    );
    expect(empty.ok).toBe(true);
    expect(empty.warnings.map((w) => w.messageId)).toEqual([CONFIG_MESSAGE_IDS.noServices, CONFIG_MESSAGE_IDS.noMemoryDestination]);
    const noConnectors = validateConfig(
      { serverName: 's', integrationServices: [{ urlMarker: 'catalog-integrator', connectors: [] }] },
      { providers },
    );
    expect(noConnectors.warnings.map((w) => [w.messageId, w.path])).toEqual([
      [CONFIG_MESSAGE_IDS.noConnectors, 'integrationServices[0].connectors'],
    ]);
  });
});

describe('formatPath', () => {
  it('writes JSON paths the way the brief shows them', () => {
    expect(formatPath(['integrationServices', 0, 'connectors', 2, 'refreshTimeInterval'])).toBe(
      'integrationServices[0].connectors[2].refreshTimeInterval',
    );
    expect(formatPath(['configurationProperties', 'odd key'])).toBe('configurationProperties["odd key"]');
    expect(formatPath([])).toBe('');
  });
});
