// Waiting on real processes, sockets and timers in integration tests: poll a probe until it gives a value.
/** Polls a synchronous probe every 10 ms until it gives a value; on timeout the error carries `context()` (a log tail). */
export async function until<T>(
  what: string,
  probe: () => T | undefined | false,
  timeoutMs = 15_000,
  context: () => string = () => '',
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - start > timeoutMs) {
      const tail = context();
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${tail ? `; log:\n${tail}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
