// Validation of the add/edit remote daemon form. Every problem names the field, a message id and the fix, so the
// form can show it next to the input. The transport rule (https:// for a daemon on another machine) is
// shared/daemon-input.ts's, which both backends apply again.
import { z } from 'zod';
import type { DaemonInput } from '../../shared/console-backend.js';
import { platformUrlProblem, TOKEN_IN_CLEAR_TEXT } from '../../shared/daemon-input.js';

export type DaemonField = 'label' | 'url' | 'serverName' | 'userId' | 'token';

export interface DaemonFormValues {
  label: string;
  url: string;
  serverName: string;
  userId: string;
  token: string;
}

export type DaemonFormResult = { ok: true; input: DaemonInput } | { ok: false; errors: Partial<Record<DaemonField, string>> };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The page's own daemon (browser mode) is reached however the page itself was: only remote daemons need TLS. */
const schema = (pageDaemon: boolean) =>
  z.object({
    label: z.string().trim().max(60, {
      message: 'INTEGRATION-CONSOLE-400-001 The label is longer than 60 characters. Shorten it.',
    }),
    url: z
      .string()
      .trim()
      .min(1, {
        message:
          'INTEGRATION-CONSOLE-400-002 The daemon URL is missing. Enter the platform root, for example https://daemon.example.com:9443.',
      })
      .transform((raw, ctx) => {
        let parsed: URL;
        try {
          parsed = new URL(raw);
        } catch {
          ctx.addIssue({
            code: 'custom',
            message: `INTEGRATION-CONSOLE-400-003 "${raw}" is not a URL. Enter the platform root, for example https://daemon.example.com:9443.`,
          });
          return z.NEVER;
        }
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
          ctx.addIssue({
            code: 'custom',
            message: `INTEGRATION-CONSOLE-400-004 The URL scheme ${parsed.protocol} is not supported. Use http:// or https://.`,
          });
          return z.NEVER;
        }
        if ((parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search || parsed.hash || parsed.username || parsed.password) {
          ctx.addIssue({
            code: 'custom',
            message: `INTEGRATION-CONSOLE-400-005 The URL must be the platform root only (scheme, host and port). Remove "${parsed.pathname}${parsed.search}${parsed.hash}" and any user name or password.`,
          });
          return z.NEVER;
        }
        if (!pageDaemon && platformUrlProblem(parsed.origin) === TOKEN_IN_CLEAR_TEXT) {
          ctx.addIssue({ code: 'custom', message: `INTEGRATION-CONSOLE-400-018 The daemon URL ${TOKEN_IN_CLEAR_TEXT}.` });
          return z.NEVER;
        }
        return parsed.origin;
      }),
    serverName: z.string().trim().regex(NAME, {
      message:
        'INTEGRATION-CONSOLE-400-006 The server name must be 1–100 letters, digits, dots, dashes or underscores, starting with a letter or digit (as in the daemon configuration document).',
    }),
    userId: z.string().trim().regex(NAME, {
      message:
        'INTEGRATION-CONSOLE-400-007 The user id must be 1–100 letters, digits, dots, dashes or underscores, starting with a letter or digit.',
    }),
    token: z.string().refine((t) => !/\s/.test(t.trim()), {
      message: 'INTEGRATION-CONSOLE-400-008 The token contains spaces. Paste the bearer token exactly as the daemon printed it.',
    }),
  });

/** An empty token field means "keep the token already held" when editing, and "no token" when adding. */
export function validateDaemonForm(values: DaemonFormValues, options: { pageDaemon?: boolean } = {}): DaemonFormResult {
  const result = schema(options.pageDaemon ?? false).safeParse(values);
  if (!result.success) {
    const errors: Partial<Record<DaemonField, string>> = {};
    for (const issue of result.error.issues) {
      const field = issue.path[0];
      if (typeof field === 'string' && isField(field) && !errors[field]) errors[field] = issue.message;
    }
    return { ok: false, errors };
  }
  const { label, url, serverName, userId, token } = result.data;
  const input: DaemonInput = {
    label: label || `${serverName} @ ${new URL(url).host}`,
    url,
    serverName,
    userId,
  };
  const trimmed = token.trim();
  if (trimmed) input.token = trimmed;
  return { ok: true, input };
}

function isField(name: string): name is DaemonField {
  return name === 'label' || name === 'url' || name === 'serverName' || name === 'userId' || name === 'token';
}
