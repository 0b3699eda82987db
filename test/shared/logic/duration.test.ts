// ISO-8601 durations, the countdown shared by CLI and console, and elapsed-time texts.
import { describe, expect, it } from 'vitest';
import { DurationFormatError, formatCountdown, formatElapsed, parseIsoDuration } from '../../../shared/logic/duration.js';

describe('parseIsoDuration', () => {
  it.each([
    ['PT30M', 1_800_000],
    ['PT1H', 3_600_000],
    ['PT10S', 10_000],
    ['PT0.5S', 500],
    ['PT1,5S', 1_500],
    ['P1W', 604_800_000],
    ['P2D', 172_800_000],
    ['P1DT2H3M4.5S', 93_784_500],
    ['PT1.5H', 5_400_000],
    ['pt6h', 21_600_000],
    ['PT0S', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
  });

  it.each(['', 'P', 'PT', 'P1DT', '30m', 'PT-5M', 'PT1H30', 'P1H', 'PT5M1H', 'T5M'])('refuses %j with the pattern to use', (text) => {
    expect(() => parseIsoDuration(text)).toThrow(DurationFormatError);
    expect(() => parseIsoDuration(text)).toThrow(
      /^INTEGRATION-DAEMON-SERVICES-400-040 ".*" is not a usable ISO-8601 duration: .*Write it as PnWnDTnHnMnS, for example PT30M/,
    );
  });

  it('refuses years and months because their length varies, and says what to use instead', () => {
    expect(() => parseIsoDuration('P1Y')).toThrow(/years and months have no fixed length; use weeks \(W\) or days \(D\)/);
    expect(() => parseIsoDuration('P2M')).toThrow(/years and months/);
    expect(parseIsoDuration('PT2M')).toBe(120_000);
  });
});

describe('formatCountdown', () => {
  it.each([
    [192_000, '03:12'],
    [3_723_000, '1:02:03'],
    [59_001, '01:00'],
    [1, '00:01'],
    [0, '00:00'],
    [-5_000, '00:00'],
    [Number.NaN, '00:00'],
    [90_000_000, '25:00:00'],
  ])('%d ms shows %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });
});

describe('formatElapsed', () => {
  it.each([
    [850, '850 ms'],
    [15_641, '15.6 s'],
    [59_999, '59.9 s'],
    [125_000, '2 min 5 s'],
    [120_000, '2 min'],
    [3_720_000, '1 h 2 min'],
    [183_600_000, '2 d 3 h'],
    [-5, '0 ms'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatElapsed(ms)).toBe(text);
  });
});
