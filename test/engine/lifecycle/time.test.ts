import { describe, expect, it } from 'vitest';
import { isoTime } from '../../../electron/engine/lifecycle/time.js';

describe('isoTime', () => {
  it('writes times the way Egeria does', () => {
    expect(isoTime(Date.parse('2021-02-02T20:57:50.647Z'))).toBe('2021-02-02T20:57:50.647+00:00');
  });
});
