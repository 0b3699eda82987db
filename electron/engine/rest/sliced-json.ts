// JSON text of a large value in pieces, byte for byte what JSON.stringify writes. The event stream's hello of ten
// thousand connectors is megabytes of JSON: one JSON.stringify of it holds the event loop for longer than /health may
// wait, so the writer serializes the outer levels here and each deeper value (one connector's report) natively, and
// yields to the loop between slices of pieces.

/** Below this depth objects and arrays are walked here; at it each value is one native JSON.stringify call. */
const WALKED_DEPTH = 4;

/** The pieces of `JSON.stringify(value)`, in order; joined they are exactly that text. */
export function* jsonPieces(value: unknown, depth = WALKED_DEPTH): Generator<string> {
  yield* pieces(withToJson(value, ''), depth);
}

/** `value` has had its toJSON applied already. */
function* pieces(value: unknown, depth: number): Generator<string> {
  if (depth <= 0 || value === null || typeof value !== 'object') {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ',';
      const element = withToJson((value as readonly unknown[])[i], String(i));
      // JSON.stringify writes null for array elements it cannot represent.
      if (isOmitted(element)) yield 'null';
      else yield* pieces(element, depth - 1);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const name of Object.keys(value)) {
    const member = withToJson((value as Record<string, unknown>)[name], name);
    if (isOmitted(member)) continue;
    yield `${first ? '' : ','}${JSON.stringify(name)}:`;
    first = false;
    yield* pieces(member, depth - 1);
  }
  yield '}';
}

/** A value with a toJSON method (a Date) is serialized as what it returns, as JSON.stringify does. */
function withToJson(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  return value;
}

function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

export interface SliceOptions {
  /** Once a slice has taken this long it is handed over and the loop gets a turn. */
  sliceMs: number;
  /**
   * When the loop took long to come back (it is busy, as when thousands of connectors start), the next slice may
   * take as long as the wait, up to this: otherwise a snapshot of many slices waits behind every busy turn in turn,
   * and reaches its client after tens of seconds. Absent, every slice takes `sliceMs`.
   */
  maxSliceMs?: number;
  now: () => number;
  /** Resolves on the loop's next turn. */
  yieldToLoop: () => Promise<void>;
  /** False once nobody wants the rest (the client went away). */
  wanted: () => boolean;
}

/**
 * Hands `text`'s pieces over in slices, each built within about `sliceMs`, yielding to the loop between them.
 * Resolves with the longest slice in milliseconds (for the bench), or undefined when it stopped because unwanted.
 */
export async function writeSliced(
  pieceSource: Iterable<string>,
  write: (slice: string) => void,
  options: SliceOptions,
): Promise<number | undefined> {
  let longest = 0;
  let buffer: string[] = [];
  let began = options.now();
  let budget = options.sliceMs;
  for (const piece of pieceSource) {
    buffer.push(piece);
    const took = options.now() - began;
    if (took < budget) continue;
    write(buffer.join(''));
    buffer = [];
    const handedOver = options.now();
    longest = Math.max(longest, handedOver - began);
    await options.yieldToLoop();
    if (!options.wanted()) return undefined;
    began = options.now();
    budget = Math.max(options.sliceMs, Math.min(options.maxSliceMs ?? options.sliceMs, began - handedOver));
  }
  write(buffer.join(''));
  return Math.max(longest, options.now() - began);
}
