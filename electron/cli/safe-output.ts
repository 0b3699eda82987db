// Everything the CLI writes passes through here once: secrets are redacted (a daemon's answer, a local configuration
// document or an error may quote a connection string) and characters that would drive or deceive the terminal are
// shown escaped: C0 and C1 controls (ESC sequences, CSI as U+009B) and the bidirectional overrides and isolates that
// make a name read differently from what it is. Line ends and tabs are the CLI's own layout and stay.
import { redactText } from '../../shared/api/redact.js';
import type { CliIo } from './args.js';

const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * The text as it may reach a terminal. In `--json` output the escape is JSON's own `\uXXXX`, valid only inside
 * strings, which is the only place such characters can be (JSON.stringify writes its structure in ASCII).
 */
export function terminalSafe(text: string): string {
  return redactText(text).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The same io, writing only terminal-safe, redacted text. */
export function safeIo(io: CliIo): CliIo {
  return { ...io, stdout: (text) => io.stdout(terminalSafe(text)), stderr: (text) => io.stderr(terminalSafe(text)) };
}
