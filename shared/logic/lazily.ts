// A value built the first time it is asked for. The console's zod schemas are built this way: built while the
// page's scripts evaluate, they cost tens of milliseconds of one task (the page frozen), mostly for schemas that
// are first needed later, if at all.

/** Returns a function that builds the value on its first call and returns the same value on every call. */
export function lazily<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
