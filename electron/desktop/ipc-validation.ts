// Every IPC message from a renderer is checked here before a handler sees it: the sender must be the main frame
// of our own console window showing our own page, the channel must be on the list, and the arguments must have
// the declared shape. Pure (no Electron import) so it is tested in plain Node.
import type { z } from 'zod';
import { INVOKE_CHANNELS, type InvokeChannel, type InvokeChannels, type IpcError } from '../../shared/ipc/channels.js';
import { invokeArgSchemas } from '../../shared/ipc/schemas.js';

/** What main knows about the frame that sent a message (from `event.senderFrame` / `event.sender`). */
export interface IpcSender {
  webContentsId: number;
  /** URL of the sending frame; undefined when the frame is gone. */
  frameUrl: string | undefined;
  isMainFrame: boolean;
}

export interface TrustedOrigin {
  /** e.g. `app:` */
  protocol: string;
  /** e.g. `console` */
  host: string;
}

export const APP_ORIGIN: TrustedOrigin = { protocol: 'app:', host: 'console' };
export const APP_URL = `${APP_ORIGIN.protocol}//${APP_ORIGIN.host}/index.html`;

// A compile-time check that each schema produces exactly the tuple the channel map declares.
type SchemaArgs<C extends InvokeChannel> = z.output<(typeof invokeArgSchemas)[C]>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Mismatched = { [C in InvokeChannel]: Same<SchemaArgs<C>, InvokeChannels[C]['args']> extends true ? never : C }[InvokeChannel];
type AllMatch = [Mismatched] extends [never] ? true : Mismatched;
const schemasMatchChannels: AllMatch = true;
void schemasMatchChannels;

export function isOwnPage(frameUrl: string | undefined, origin: TrustedOrigin = APP_ORIGIN): boolean {
  if (!frameUrl) return false;
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  // Compared by parts: URL.origin is "null" for custom schemes, and prefix checks are fooled by app://console.evil.
  return url.protocol === origin.protocol && url.host === origin.host && url.username === '' && url.password === '';
}

export type ValidatedInvoke =
  { [C in InvokeChannel]: { ok: true; channel: C; args: InvokeChannels[C]['args'] } }[InvokeChannel] | { ok: false; error: IpcError };

function refuse(messageId: string, message: string, userAction: string): { ok: false; error: IpcError } {
  return { ok: false, error: { messageId, message, userAction } };
}

/** IPC structured clone keeps trailing `undefined`s of optional parameters; the tuples do not list them. */
function trimTrailingUndefined(args: readonly unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return args.slice(0, end);
}

export function validateInvoke(
  channel: string,
  sender: IpcSender,
  trustedWebContents: ReadonlySet<number>,
  args: readonly unknown[],
  origin: TrustedOrigin = APP_ORIGIN,
): ValidatedInvoke {
  if (!trustedWebContents.has(sender.webContentsId) || !sender.isMainFrame || !isOwnPage(sender.frameUrl, origin)) {
    return refuse(
      'INTEGRATION-DAEMON-DESKTOP-403-001',
      `The IPC message on channel ${channel} came from ${sender.frameUrl ?? 'an unknown frame'}, which is not the console window's own page; it was refused.`,
      'Only the console window may call the desktop app. If you see this, a page other than the console was loaded: restart the app.',
    );
  }
  if (!(INVOKE_CHANNELS as readonly string[]).includes(channel)) {
    return refuse(
      'INTEGRATION-DAEMON-DESKTOP-404-001',
      `The IPC channel ${channel} does not exist.`,
      `Use one of the channels in shared/ipc/channels.ts: ${INVOKE_CHANNELS.join(', ')}.`,
    );
  }
  const known = channel as InvokeChannel;
  const parsed = invokeArgSchemas[known].safeParse(trimTrailingUndefined(args));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(arguments)'}: ${i.message}`).join('; ');
    return refuse(
      'INTEGRATION-DAEMON-DESKTOP-400-001',
      `The arguments of IPC channel ${channel} are not valid: ${problems}.`,
      'Correct the values named above and try again.',
    );
  }
  return { ok: true, channel: known, args: parsed.data } as ValidatedInvoke;
}
