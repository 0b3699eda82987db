// Operator-facing words for wire values and messages.
import { describe, expect, it, vi } from 'vitest';
import { errorSourceWords, formatTime, messageWithoutId, RUN_TRIGGER_WORDS } from '../../../renderer/logic/words.js';

describe('message display', () => {
  it('drops the message id Egeria repeats at the start of the text', () => {
    expect(messageWithoutId('OMAG-MULTI-TENANT-404-001 The OMAG Server cocoMDS1 is not available', 'OMAG-MULTI-TENANT-404-001')).toBe(
      'The OMAG Server cocoMDS1 is not available',
    );
    expect(messageWithoutId('plain text', 'X-1')).toBe('plain text');
    expect(messageWithoutId(undefined, 'X-1')).toBe('');
  });
});

describe('wire words', () => {
  it('names the three error sources in the operator’s words, never the wire values', () => {
    expect(errorSourceWords('connector')).toBe('connector or its configuration');
    expect(errorSourceWords('thirdParty')).toBe('third-party technology');
    expect(errorSourceWords('metadataServer')).toBe('metadata server');
    expect(errorSourceWords(undefined)).toBe('');
    expect(RUN_TRIGGER_WORDS.retry).toBe('automatic retry');
  });
});

describe('times', () => {
  const now = new Date(2026, 11, 5, 21, 30, 0);

  it('shows a time of today without its date, and the date of any other day', () => {
    expect(formatTime(new Date(2026, 11, 5, 9, 7, 3).toISOString(), now)).toMatch(/^09:07:03$/);
    const yesterday = formatTime(new Date(2026, 11, 4, 9, 7, 3).toISOString(), now);
    expect(yesterday).toMatch(/09:07:03$/);
    expect(yesterday).toContain('2026');
    expect(formatTime(undefined, now)).toBe('—');
    expect(formatTime('not a time', now)).toBe('not a time');
  });

  it('builds no formatter per call: a windowed list formats three times a row', () => {
    const made = vi.spyOn(Intl, 'DateTimeFormat');
    for (let i = 0; i < 100; i++) formatTime(new Date(2026, 0, 1 + (i % 28)).toISOString(), now);
    expect(made).not.toHaveBeenCalled();
    made.mockRestore();
  });
});
