// What an operator is shown of an error: its text and, when it carries one, its fix.
import { errorText } from '../api/error-text.js';

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
