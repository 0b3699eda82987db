// The kept answers' header list: the same names, values and order as every other JSON answer, for the role and
// length asked, never a list kept for another role or another length.
import { describe, expect, it } from 'vitest';
import { jsonHeaders, KeptAnswerHeaders } from '../../../electron/engine/rest/json-headers.js';

const flat = (headers: Record<string, string>): string[] => Object.entries(headers).flat();

describe('KeptAnswerHeaders', () => {
  it('gives jsonHeaders as a flat list for each role and length, kept while the length stays', () => {
    const kept = new KeptAnswerHeaders();
    const operator = kept.of(3979, 'operator');
    expect(operator).toEqual(flat(jsonHeaders(3979, 'operator')));
    expect(kept.of(3979, 'operator')).toBe(operator);
    expect(kept.of(3979, 'viewer')).toEqual(flat(jsonHeaders(3979, 'viewer')));
    expect(kept.of(3979, 'operator')).toBe(operator);
    expect(kept.of(4001, 'operator')).toEqual(flat(jsonHeaders(4001, 'operator')));
    expect(kept.of(3979, 'operator')).toEqual(flat(jsonHeaders(3979, 'operator')));
  });
});
