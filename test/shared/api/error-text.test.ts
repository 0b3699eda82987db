// One error-to-text helper for every part: messages, logs, the console's notices.
import { describe, expect, it } from 'vitest';
import { errorText } from '../../../shared/api/error-text.js';

describe('errorText', () => {
  it("gives an Error's message and a string as it is", () => {
    expect(errorText(new TypeError('bad input'))).toBe('bad input');
    expect(errorText('plain text')).toBe('plain text');
  });
  it('writes other objects as JSON instead of [object Object]', () => {
    expect(errorText({ code: 'ECONNRESET', errno: -104 })).toBe('{"code":"ECONNRESET","errno":-104}');
  });
  it('survives values JSON cannot write', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorText(cyclic)).toBe('[object Object]');
    expect(errorText(10n)).toBe('10');
    expect(errorText(undefined)).toBe('undefined');
    expect(errorText(Symbol('s'))).toBe('Symbol(s)');
  });
});
