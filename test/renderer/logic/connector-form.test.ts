// The connector form's rules: typed properties from what the provider declares, problems before sending, and the
// daemon's problems placed by their field.
import { describe, expect, it } from 'vitest';
import { connectorEntry, fieldOf, formValues, placeProblems } from '../../../renderer/logic/connector-form.js';
import { filesProvider } from '../support/providers.js';

const values = (extra: Partial<ReturnType<typeof formValues>> = {}) => ({
  ...formValues('files-integrator', null, 'data-files-monitor'),
  ...extra,
});

describe('connector form', () => {
  it('makes the entry with typed properties, leaving empty ones to their defaults', () => {
    const result = connectorEntry(
      values({
        connectorName: 'Landing',
        endpointAddress: ' /data/landing ',
        refreshTimeInterval: '5',
        properties: { waitForDirectory: 'true', maxDepth: '4', include: '*.csv, *.json', unknown: '' },
      }),
      filesProvider,
    );
    expect(result).toEqual({
      ok: true,
      entry: {
        connectorName: 'Landing',
        connectorProvider: 'data-files-monitor',
        endpointAddress: '/data/landing',
        refreshTimeInterval: 5,
        configurationProperties: { waitForDirectory: true, maxDepth: 4, include: ['*.csv', '*.json'] },
      },
    });
  });

  it('finds problems before sending, each by its field', () => {
    const result = connectorEntry(
      values({ connectorName: 'bad name', properties: { maxDepth: '99' }, refreshTimeInterval: '-1' }),
      filesProvider,
    );
    expect(result).toEqual({
      ok: false,
      problems: {
        connectorName: 'Enter a name of letters, digits, dots, dashes or underscores.',
        endpointAddress: 'Enter the endpoint address: The directory to watch.',
        refreshTimeInterval: 'Enter minutes between refreshes (0 = only at start and on request).',
        'configurationProperties.maxDepth': 'Enter at most 32.',
      },
    });
  });

  it('reads an existing entry back into the form', () => {
    expect(
      formValues(
        'files-integrator',
        {
          connectorName: 'L',
          connectorProvider: 'data-files-monitor',
          endpointAddress: '/x',
          configurationProperties: { include: ['a', 'b'], maxDepth: 3 },
        },
        '',
      ),
    ).toEqual({
      urlMarker: 'files-integrator',
      connectorName: 'L',
      providerName: 'data-files-monitor',
      endpointAddress: '/x',
      refreshTimeInterval: '',
      properties: { include: 'a, b', maxDepth: '3' },
    });
  });

  it('places the daemon’s problems by field, wherever in the document their path points', () => {
    expect(fieldOf('integrationServices[0].connectors[2].endpointAddress')).toBe('endpointAddress');
    expect(fieldOf('configurationProperties.waitForDirectory')).toBe('configurationProperties.waitForDirectory');
    expect(fieldOf('/configurationProperties/maxDepth')).toBe('configurationProperties.maxDepth');
    expect(fieldOf('connectorName')).toBe('connectorName');
    expect(fieldOf('errorHandling[0].reaction')).toBeNull();
    expect(
      placeProblems(
        [
          {
            path: 'configurationProperties.waitForDirectori',
            messageId: 'X-400-1',
            message: 'is not declared',
            fix: 'Did you mean waitForDirectory?',
          },
          { path: 'errorHandling[0]', messageId: 'X-400-2', message: 'bad', fix: 'Fix it.' },
          { path: 'integrationServices[0].connectors[1].endpointAddress', messageId: 'X-400-3', message: 'missing', fix: 'Set it.' },
        ],
        new Set(['endpointAddress']),
      ),
    ).toEqual({
      fields: { endpointAddress: 'X-400-3 missing Set it.' },
      general: [
        'configurationProperties.waitForDirectori: X-400-1 is not declared Did you mean waitForDirectory?',
        'errorHandling[0]: X-400-2 bad Fix it.',
      ],
    });
  });
});
