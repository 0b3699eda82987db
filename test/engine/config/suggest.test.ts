import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../../electron/engine/config/schema.js';
import { didYouMean } from '../../../electron/engine/config/suggest.js';

describe('didYouMean', () => {
  const markers = ['files-integrator', 'database-integrator', 'catalog-integrator'];
  it('finds typos, case and punctuation differences', () => {
    expect(didYouMean('file-integrator', markers)).toBe('files-integrator');
    expect(didYouMean('DatabaseIntegrator', markers)).toBe('database-integrator');
    expect(didYouMean('refreshTimeIntervall', ['refreshTimeInterval', 'timeouts'])).toBe('refreshTimeInterval');
  });
  it('matches a class name by its simple name whatever the package', () => {
    expect(
      didYouMean('com.acme.DataFilesMonitorIntegrationProvider', ['org.odpi.x.DataFilesMonitorIntegrationProvider', 'data-files-monitor']),
    ).toBe('org.odpi.x.DataFilesMonitorIntegrationProvider');
  });
  it('suggests nothing for something unrelated or empty', () => {
    expect(didYouMean('kafka-topic-monitor', markers)).toBeUndefined();
    expect(didYouMean('', markers)).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
});

describe('configJsonSchema', () => {
  it('describes the document for editors, refusing unknown keys like the validator does', () => {
    const schema = configJsonSchema() as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['serverName', 'localServerUserId', 'maxPageSize', 'metadataServer', 'auditLog', 'integrationServices']),
    );
    expect(schema.required).toEqual(['serverName']);
    expect(schema.additionalProperties).toBe(false);
  });
});
