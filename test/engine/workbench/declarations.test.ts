// Configuration properties checked against a provider's declarations: unknown names with "did you mean", types,
// choices, bounds and required properties; a provider that declares nothing is left to its own validate.
import { describe, expect, it } from 'vitest';
import type { ConnectorProvider } from '../../../electron/connector-sdk/index.js';
import { declarationProblems, describeProvider, mergeProblems } from '../../../electron/engine/workbench/declarations.js';

const provider: ConnectorProvider = {
  providerName: 'shape-test',
  aliases: [],
  connectorKind: 'database',
  description: 'Declares one property of each kind.',
  validate: () => [],
  create: () => {
    throw new Error('not created');
  },
  configurationProperties: [
    { name: 'mode', type: 'string', description: 'How.', allowedValues: ['fast', 'safe'], required: true },
    { name: 'batchSize', type: 'integer', description: 'How many.', minimum: 1, maximum: 100, default: 10 },
    { name: 'ratio', type: 'number', description: 'How much.' },
    { name: 'names', type: 'stringList', description: 'Which.' },
    { name: 'enabled', type: 'boolean', description: 'Whether.' },
  ],
};

const paths = (properties: Record<string, unknown>) => declarationProblems(provider, properties).map((p) => [p.path, p.message]);

describe('declarationProblems', () => {
  it('accepts values of the declared kinds', () => {
    expect(paths({ mode: 'fast', batchSize: 5, ratio: 0.5, names: ['a'], enabled: false })).toEqual([]);
  });

  it('names each problem with its path and the fix', () => {
    const problems = declarationProblems(provider, { batchSise: 3, batchSize: 1.5, ratio: 'x', names: [1], enabled: 'yes' });
    expect(problems.map((p) => p.path)).toEqual([
      'configurationProperties.batchSise',
      'configurationProperties.batchSize',
      'configurationProperties.ratio',
      'configurationProperties.names',
      'configurationProperties.enabled',
      'configurationProperties.mode',
    ]);
    expect(problems[0]?.message).toContain('did you mean "batchSize"');
    expect(problems[1]?.fix).toContain('10');
    expect(problems.at(-1)?.message).toContain('required');
  });

  it('checks choices and bounds', () => {
    expect(paths({ mode: 'slow', batchSize: 0 }).map(([, m]) => m)).toEqual([
      'The property mode must be one of fast, safe.',
      'The property batchSize must be at least 1.',
    ]);
    expect(paths({ mode: 'safe', batchSize: 101 })).toHaveLength(1);
  });

  it('leaves a provider without declarations to its own validate', () => {
    expect(declarationProblems({ ...provider, configurationProperties: undefined }, { anything: 1 })).toEqual([]);
    expect(describeProvider({ ...provider, configurationProperties: undefined }).endpoint.kind).toBe('none');
  });

  it("keeps the provider's own problems only where the declarations said nothing of that field", () => {
    const merged = mergeProblems(
      [{ path: 'configurationProperties.x', message: 'declared', fix: '' }],
      [
        { path: 'configurationProperties.x', message: 'own', fix: '' },
        { path: 'endpointAddress', message: 'own endpoint', fix: '' },
      ],
    );
    expect(merged.map((p) => p.message)).toEqual(['declared', 'own endpoint']);
  });
});
