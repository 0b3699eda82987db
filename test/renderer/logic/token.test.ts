// The local daemon's token handed over in the URL fragment: read once, then removed from the address bar.
import { describe, expect, it } from 'vitest';
import { fragmentWithoutCredentials, parseFragment } from '../../../renderer/logic/token.js';

describe('token fragment', () => {
  it('reads the token and the server identity from the fragment', () => {
    expect(parseFragment('#token=abc&serverName=exchangeDL01&userId=npa')).toEqual({
      token: 'abc',
      serverName: 'exchangeDL01',
      userId: 'npa',
    });
    expect(parseFragment('')).toEqual({});
  });

  it('removes only the credentials from the fragment', () => {
    expect(fragmentWithoutCredentials('#token=abc&view=audit')).toBe('#view=audit');
    expect(fragmentWithoutCredentials('#token=abc')).toBe('');
  });
});
