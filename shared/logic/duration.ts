// ISO-8601 durations as used in error-handling configuration (midPoint writes `PT30M`, `PT1H`), and the countdown
// text the console shows. Years and months are refused: their length in milliseconds depends on the calendar.

const MS = { week: 604_800_000, day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1_000 } as const;

const NUMBER = String.raw`(\d+(?:[.,]\d+)?)`;
const DURATION = new RegExp(`^P(?:${NUMBER}W)?(?:${NUMBER}D)?(?:T(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`);

export class DurationFormatError extends Error {
  readonly messageId = 'INTEGRATION-DAEMON-SERVICES-400-040';
  /** The message without its id, for embedding in a message that has its own (a configuration problem). */
  readonly description: string;
  constructor(
    readonly text: string,
    reason: string,
  ) {
    const description = `"${text}" is not a usable ISO-8601 duration: ${reason}. Write it as PnWnDTnHnMnS, for example PT30M, PT1H30M, P1DT12H or PT0.5S.`;
    super(`INTEGRATION-DAEMON-SERVICES-400-040 ${description}`);
    this.name = 'DurationFormatError';
    this.description = description;
  }
}

/** Milliseconds in an ISO-8601 duration such as `PT30M`, `P1W`, `P1DT2H`, `PT1.5S`. */
export function parseIsoDuration(text: string): number {
  if (typeof text !== 'string') throw new DurationFormatError(String(text), 'it is not text');
  const trimmed = text.trim().toUpperCase();
  const datePart = trimmed.split('T')[0] ?? '';
  if (trimmed.startsWith('P') && /[YM]/.test(datePart)) {
    throw new DurationFormatError(text, 'years and months have no fixed length; use weeks (W) or days (D)');
  }
  const match = DURATION.exec(trimmed);
  if (!match) throw new DurationFormatError(text, 'the text does not follow the pattern');
  const [, w, d, h, m, s] = match;
  if ([w, d, h, m, s].every((part) => part === undefined)) {
    throw new DurationFormatError(text, 'it names no amount of time');
  }
  if (trimmed.endsWith('T')) throw new DurationFormatError(text, 'a T must be followed by hours, minutes or seconds');
  const value = (part: string | undefined) => (part === undefined ? 0 : Number(part.replace(',', '.')));
  return Math.round(value(w) * MS.week + value(d) * MS.day + value(h) * MS.hour + value(m) * MS.minute + value(s) * MS.second);
}

/**
 * A countdown for the console: `03:12` below an hour, `1:02:03` from an hour on. Rounds up, so `00:00` shows only
 * when the moment has come; negative or non-finite input (a late clock) shows `00:00`.
 */
export function formatCountdown(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.ceil(ms / 1000) : 0;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
}

/** A past span for people: `850 ms`, `15.6 s`, `2 min 5 s`, `1 h 2 min`, `2 d 3 h`. Negative input shows `0 ms`. */
export function formatElapsed(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (total < 1_000) return `${Math.round(total)} ms`;
  if (total < MS.minute) return `${(Math.floor(total / 100) / 10).toFixed(1)} s`;
  const pair = (bigUnit: number, big: string, smallUnit: number, small: string) => {
    const whole = Math.floor(total / bigUnit);
    const rest = Math.floor((total - whole * bigUnit) / smallUnit);
    return rest > 0 ? `${whole} ${big} ${rest} ${small}` : `${whole} ${big}`;
  };
  if (total < MS.hour) return pair(MS.minute, 'min', MS.second, 's');
  if (total < MS.day) return pair(MS.hour, 'h', MS.minute, 'min');
  return pair(MS.day, 'd', MS.hour, 'h');
}
