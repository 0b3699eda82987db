// The local daemon hands the page its token in the URL fragment (never sent to any server, never in access logs).
// The page reads it once, removes it from the address bar and history, and keeps it for this tab only.

export interface FragmentParams {
  token?: string;
  serverName?: string;
  userId?: string;
}

export function parseFragment(hash: string): FragmentParams {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const out: FragmentParams = {};
  const token = params.get('token')?.trim();
  const serverName = params.get('serverName')?.trim() ?? params.get('server')?.trim();
  const userId = params.get('userId')?.trim() ?? params.get('user')?.trim();
  if (token) out.token = token;
  if (serverName) out.serverName = serverName;
  if (userId) out.userId = userId;
  return out;
}

/** The fragment with the credentials removed, keeping anything else a link may carry. */
export function fragmentWithoutCredentials(hash: string): string {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  for (const key of ['token', 'serverName', 'server', 'userId', 'user']) params.delete(key);
  const rest = params.toString();
  return rest ? `#${rest}` : '';
}
