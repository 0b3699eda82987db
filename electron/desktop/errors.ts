// Errors the desktop app shows to the operator: an Egeria-style message id, what happened, and the fix. The shape
// is the console's own (shared/console-backend.ts), so IPC carries both alike.
import { ConsoleError } from '../../shared/console-backend.js';
import { errorText } from '../../shared/logic/error-text.js';

export class DesktopError extends ConsoleError {
  constructor(messageId: string, text: string, userAction: string) {
    super(messageId, text, userAction);
    this.name = 'DesktopError';
  }
}

/** shared/logic/error-text.ts's errorText under the name local-daemon.ts imports; desktop code uses errorText. */
export const describeError = errorText;
