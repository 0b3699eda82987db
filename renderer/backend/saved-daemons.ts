// Browser mode keeps the remote daemon list in localStorage and tokens in sessionStorage only. What is read back
// from storage is external input (another version of the console, or a hand edit), so it is validated.
import { z } from 'zod';
import { DAEMON_ERAS, type DaemonEra } from '../../shared/client/era.js';
import { lazily } from '../../shared/logic/lazily.js';

export interface SavedDaemon {
  id: string;
  label: string;
  url: string;
  serverName: string;
  userId: string;
  /** Which generation of daemon it is, found out once when it was added and kept: a reload does not ask again. */
  era?: DaemonEra | undefined;
}

export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const DAEMONS_KEY = 'integration-console.daemons';
export const LOCAL_KEY = 'integration-console.local';
const TOKEN_PREFIX = 'integration-console.token.';

/** Built on first use (see lazily). */
const savedDaemon = lazily(() =>
  z.object({
    id: z.string().min(1).max(200),
    label: z.string().min(1).max(100),
    url: z.string().regex(/^https?:\/\/[^/?#]+$/),
    serverName: z.string().min(1).max(100),
    userId: z.string().min(1).max(100),
    // An era this console does not know (saved by a newer one) is not a reason to lose the daemon.
    era: z.enum(DAEMON_ERAS).optional().catch(undefined),
  }),
);

export interface LoadResult {
  daemons: SavedDaemon[];
  /** One line per entry that was dropped, for the operator. */
  problems: string[];
}

export function loadSavedDaemons(storage: KeyValueStore): LoadResult {
  const raw = storage.getItem(DAEMONS_KEY);
  if (raw === null) return { daemons: [], problems: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return {
      daemons: [],
      problems: [`INTEGRATION-CONSOLE-400-010 The saved daemon list in this browser is not JSON and was ignored. Add the daemons again.`],
    };
  }
  if (!Array.isArray(parsed)) {
    return {
      daemons: [],
      problems: [`INTEGRATION-CONSOLE-400-010 The saved daemon list in this browser is not a list and was ignored. Add the daemons again.`],
    };
  }
  const daemons: SavedDaemon[] = [];
  const problems: string[] = [];
  parsed.forEach((item, index) => {
    const result = savedDaemon().safeParse(item);
    if (result.success) {
      const { era, ...rest } = result.data;
      daemons.push(era === undefined ? rest : { ...rest, era });
    } else
      problems.push(
        `INTEGRATION-CONSOLE-400-011 Saved daemon #${index + 1} is incomplete (${result.error.issues[0]?.path.join('.') ?? 'entry'}) and was ignored. Add it again.`,
      );
  });
  return { daemons, problems };
}

export function saveDaemons(storage: KeyValueStore, daemons: readonly SavedDaemon[]): void {
  storage.setItem(DAEMONS_KEY, JSON.stringify(daemons));
}

export function tokenKey(daemonId: string): string {
  return TOKEN_PREFIX + daemonId;
}

const localDaemon = lazily(() => z.object({ serverName: z.string().min(1).max(100), userId: z.string().min(1).max(100) }));

/** Server name and user id of the page's own daemon, remembered for this tab. */
export function loadLocalIdentity(storage: KeyValueStore): { serverName: string; userId: string } | null {
  const raw = storage.getItem(LOCAL_KEY);
  if (raw === null) return null;
  try {
    const result = localDaemon().safeParse(JSON.parse(raw));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

export function saveLocalIdentity(storage: KeyValueStore, identity: { serverName: string; userId: string }): void {
  storage.setItem(LOCAL_KEY, JSON.stringify(identity));
}

/** An in-memory store with the Storage methods the backend uses. */
export class MemoryStore implements KeyValueStore {
  private readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}
