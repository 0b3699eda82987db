// What an operator is shown of an error: the text and the fix it carries.
import { describe, expect, it } from 'vitest';
import { errorTextWithFix } from '../../../shared/logic/error-text.js';

describe('errorTextWithFix', () => {
  it('puts the fix an error carries on a line of its own, once', () => {
    const refusal = Object.assign(new Error('X-404-001 There is no daemon with id d.'), { userAction: 'Reload the page.' });
    expect(errorTextWithFix(refusal)).toBe('X-404-001 There is no daemon with id d.\nReload the page.');
    const already = Object.assign(new Error('X-1 Gone.\nReload the page.'), { userAction: 'Reload the page.' });
    expect(errorTextWithFix(already)).toBe('X-1 Gone.\nReload the page.');
    expect(errorTextWithFix(new Error('plain'))).toBe('plain');
    expect(errorTextWithFix(Object.assign(new Error('blank fix'), { userAction: ' ' }))).toBe('blank fix');
  });
});
