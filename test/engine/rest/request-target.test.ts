// Kept request-target readings: one per method and target, the same reading for the same request, a different one
// for another method or target, and every reading still right after the kept ones are dropped at the limit.
import { describe, expect, it } from 'vitest';
import { API_BASE } from '../../../shared/api/types.js';
import { TargetReadings } from '../../../electron/engine/rest/request-target.js';

const status = `${API_BASE('daemon1', 'alice')}/status`;

describe('TargetReadings', () => {
  it('keeps a reading per method and target', () => {
    const readings = new TargetReadings();
    const get = readings.read('GET', status);
    expect(get.matched?.kind).toBe('match');
    expect(readings.read('GET', status)).toBe(get);
    const post = readings.read('POST', status);
    expect(post).not.toBe(get);
    expect(post.matched?.kind).toBe('wrongMethod');
    expect(readings.read('GET', `${status}?x=1`)).not.toBe(get);
    expect(readings.read('GET', `${status}?x=1`).target?.query).toBe('x=1');
  });

  it('reads every target right after the kept ones are dropped at the limit', () => {
    const readings = new TargetReadings();
    for (let i = 0; i < 200; i++) {
      const reading = readings.read(i % 2 === 0 ? 'GET' : 'POST', `${status}?n=${i}`);
      expect(reading.target?.query).toBe(`n=${i}`);
      expect(reading.matched?.kind).toBe(i % 2 === 0 ? 'match' : 'wrongMethod');
    }
    expect(readings.read('GET', status).matched?.kind).toBe('match');
  });
});
