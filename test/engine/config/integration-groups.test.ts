// `integrationGroups` in the configuration document: names checked at the edge, duplicates refused with their path,
// and a daemon that only names groups is not told it has nothing to do.
import { describe, expect, it } from 'vitest';
import { CONFIG_MESSAGE_IDS } from '../../../electron/engine/config/problems.js';
import { validateConfig } from '../../../electron/engine/config/validate.js';
import { ProviderRegistry } from '../../../electron/engine/providers.js';
import { filesProvider } from './test-providers.js';

const providers = new ProviderRegistry([filesProvider]);

describe('validateConfig: integrationGroups', () => {
  it('takes groups beside or instead of integration services, and defaults to none', () => {
    const result = validateConfig(
      { serverName: 'd1', integrationServices: [], integrationGroups: [{ groupName: 'landing-areas' }, { groupName: 'G_2.b' }] },
      { providers },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.integrationGroups).toEqual([{ groupName: 'landing-areas' }, { groupName: 'G_2.b' }]);
    expect(result.warnings.map((w) => w.messageId)).not.toContain(CONFIG_MESSAGE_IDS.noServices);
    const plain = validateConfig({ serverName: 'd1' }, { providers });
    expect(plain.ok && plain.config.integrationGroups).toEqual([]);
  });

  it('refuses a duplicate, an unknown key, a name that cannot be a URL segment and the reserved name summary', () => {
    const result = validateConfig(
      {
        serverName: 'd1',
        integrationGroups: [
          { groupName: 'a' },
          { groupName: 'a' },
          { groupName: 'has space' },
          { groupName: 'summary' },
          { groupName: 'b', x: 1 },
        ],
      },
      { providers },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'integrationGroups[1].groupName',
        'integrationGroups[2].groupName',
        'integrationGroups[3].groupName',
        'integrationGroups[4].x',
      ]),
    );
    const duplicate = result.problems.find((p) => p.path === 'integrationGroups[1].groupName');
    expect(duplicate?.message).toContain('already named at integrationGroups[0]');
    expect(result.problems.every((p) => p.messageId.startsWith('INTEGRATION-DAEMON-CONFIG-400-') && p.fix.length > 0)).toBe(true);
  });
});
