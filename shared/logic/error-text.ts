// Turns anything thrown into text for a message: an Error's message, a string as it is, and any other value in a
// readable form rather than "[object Object]".
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

/**
 * What an operator is shown: the text and, when the error carries a fix (`userAction`, as daemon refusals and the
 * console's own errors do) that the text does not already hold, the fix on a line of its own.
 */
export function errorTextWithFix(error: unknown): string {
  const text = errorText(error);
  const fix =
    typeof error === 'object' && error !== null && 'userAction' in error && typeof error.userAction === 'string'
      ? error.userAction.trim()
      : '';
  return fix !== '' && !text.includes(fix) ? `${text}\n${fix}` : text;
}
