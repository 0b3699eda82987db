import { describe, expect, it } from 'vitest';
import { RunRecorder } from '../../../electron/engine/lifecycle/runs.js';

describe('RunRecorder', () => {
  it('adds counts, counts each failed object once, and keeps the larger of counted and reported failures', () => {
    const run = new RunRecorder('c', 'id', 'instance', 'schedule', Date.parse('2026-01-05T09:00:00Z'));
    run.add({ discovered: 4, created: 2, unchanged: 1 });
    run.add({ created: -3, updated: Number.NaN });
    run.objectFailed('a');
    run.objectFailed('a');
    expect(run.failed).toBe(1);
    run.add({ failed: 1 });
    expect(run.failed).toBe(1);
    expect(run.snapshot()).toMatchObject({ state: 'RUNNING', counts: { discovered: 4, created: 2, updated: 0, unchanged: 1, failed: 1 } });
    expect(run.snapshot().finishedAt).toBeUndefined();
    run.finish(Date.parse('2026-01-05T09:00:01.500Z'), 'PARTIAL');
    expect(run.snapshot()).toMatchObject({
      trigger: 'schedule',
      startedAt: '2026-01-05T09:00:00.000+00:00',
      finishedAt: '2026-01-05T09:00:01.500+00:00',
      durationMs: 1500,
      state: 'PARTIAL',
    });
  });

  it('records why a run failed', () => {
    const run = new RunRecorder('c', 'id', 'instance', 'retry', 0);
    run.finish(10, 'FAILED', { messageId: 'X-500-001', message: 'X-500-001 broke' });
    expect(run.snapshot()).toMatchObject({
      state: 'FAILED',
      failingExceptionMessageId: 'X-500-001',
      failingExceptionMessage: 'X-500-001 broke',
    });
  });
});
