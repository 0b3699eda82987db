// Seeded generators for hostile input. Every fuzz test prints its seed in failure messages, so a failing case
// reproduces with FUZZ_SEED=<seed>.

export interface Random {
  readonly seed: number;
  /** 0 ≤ x < 1 */
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

/** mulberry32: tiny, fast and good enough to spread cases; not for anything cryptographic. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    seed,
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T,
    chance: (probability) => next() < probability,
  };
}

export function fuzzSeed(fallback: number): number {
  const fromEnv = Number(process.env.FUZZ_SEED);
  return Number.isInteger(fromEnv) ? fromEnv : fallback;
}

/** Text that trips naive code: NUL and control characters, lone surrogates, RTL marks, emoji, path tricks. */
export const NASTY_TEXT: readonly string[] = [
  '',
  ' ',
  '\0',
  'a\0b',
  '\u0007\u001b[31m',
  '\ud800',
  '\udfff\ud800',
  '\u202etxt.exe',
  '😀👩‍👩‍👧',
  'Ω≈ç√∫',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f',
  '%00',
  '%',
  '%zz',
  '{{7*7}}',
  '${process.exit()}',
  "'; DROP TABLE elements; --",
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  'LandingAreaFilesMonitor\0',
  'LandingAreaFilesMonitor ',
];

export function nastyString(random: Random): string {
  switch (random.int(0, 4)) {
    case 0:
      return random.pick(NASTY_TEXT);
    case 1:
      return 'x'.repeat(random.pick([1, 255, 4096, 70_000]));
    case 2: {
      let text = '';
      const length = random.int(0, 40);
      for (let i = 0; i < length; i++) text += String.fromCharCode(random.int(0, 0xffff));
      return text;
    }
    case 3:
      return random.pick(NASTY_TEXT) + random.pick(NASTY_TEXT);
    default:
      return random.pick(['files-integrator', 'LandingAreaFilesMonitor', 'exchangeDL01', 'FROM_THIRD_PARTY']);
  }
}

/** Nested arrays or objects, `depth` levels deep, built without recursion. */
export function deepValue(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** The JSON text of deepValue; JSON.stringify itself overflows the stack long before JSON.parse does. */
export function deepJsonText(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}"bottom"${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`;
}

/** A random JSON value of every shape: wrong types, odd numbers, prototype keys, deep and wide structures. */
export function randomJson(random: Random, depth = 0): unknown {
  const leaf = (): unknown =>
    random.pick<() => unknown>([
      () => null,
      () => random.chance(0.5),
      () => random.pick([0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -0]),
      () => nastyString(random),
    ])();
  if (depth > 4) return leaf();
  switch (random.int(0, 6)) {
    case 0:
    case 1:
      return leaf();
    case 2: {
      const length = random.int(0, 5);
      return Array.from({ length }, () => randomJson(random, depth + 1));
    }
    case 3: {
      const object: Record<string, unknown> = {};
      const count = random.int(0, 6);
      for (let i = 0; i < count; i++) object[nastyString(random)] = randomJson(random, depth + 1);
      return object;
    }
    case 4:
      return deepValue(random.pick([50, 500, 2_000]), random.chance(0.5) ? 'array' : 'object');
    case 5:
      return Array.from({ length: random.pick([1_000, 50_000]) }, (_, i) => i);
    default: {
      // Prototype pollution attempts survive JSON.parse as own keys named __proto__.
      return JSON.parse(
        `{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "name": ${JSON.stringify(nastyString(random))}}`,
      ) as unknown;
    }
  }
}

/** Text that is not JSON (or barely is): truncations, trailing garbage, comments, BOMs, invalid UTF-8 bytes. */
export function malformedJsonBytes(random: Random): Buffer {
  const texts = [
    '{',
    '}',
    '[1,2',
    '{"name": }',
    '{"name": "x",}',
    "{'name': 'x'}",
    '{"name": "x"} trailing',
    '// comment\n{}',
    '\ufeff{"name":"x"}',
    'NaN',
    'Infinity',
    '01',
    '"unterminated',
    '{"a":"\\ud800"}',
    '{"a":"\\u00"}',
    '['.repeat(100_000),
    '{"a":'.repeat(50_000),
    `"${'\\'.repeat(3)}"`,
    'true false',
  ];
  if (random.chance(0.25)) return Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x7b, 0x22, 0xa0, 0xa1]);
  return Buffer.from(random.pick(texts), 'utf8');
}
