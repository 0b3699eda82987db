// Errors the desktop app shows to the operator: an Egeria-style message id, what happened, and the fix.
export class DesktopError extends Error {
  constructor(
    readonly messageId: string,
    text: string,
    readonly userAction: string,
  ) {
    super(`${messageId} ${text}`);
    this.name = 'DesktopError';
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
