// Operator-facing words for wire values and messages.
import { describe, expect, it } from 'vitest';
import { errorSourceWords, messageWithoutId, RUN_TRIGGER_WORDS } from '../../../renderer/logic/words.js';

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
