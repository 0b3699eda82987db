// Errors the desktop app shows to the operator: an Egeria-style message id, what happened, and the fix. The shape
// is the console's own (shared/console-backend.ts), so IPC carries both alike.
import { ConsoleError } from '../../shared/console-backend.js';

export class DesktopError extends ConsoleError {
  constructor(messageId: string, text: string, userAction: string) {
    super(messageId, text, userAction);
    this.name = 'DesktopError';
  }
}
