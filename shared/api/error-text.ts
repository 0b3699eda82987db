// Turns anything thrown into one line of text for a message: an Error's message, a string as it is, and any other
// value in a readable form rather than "[object Object]". It sits beside the wire types because shared/api is the one
// place every part may import, the connector SDK included.
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    try {
      return JSON.stringify(error);
    } catch {
      return Object.prototype.toString.call(error);
    }
  }
  return String(error);
}
