// Starts the console once main.ts has loaded it. In Electron the preload provides the backend; in a browser tab the
// console builds its own and first makes sure it has the local daemon's token.
import { StrictMode, useEffect, useRef, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { LOCAL_DAEMON_ID, type ConsoleBackend } from '../shared/console-backend.js';
import { BrowserBackend } from './backend/browser.js';
import { loadLocalIdentity, MemoryStore, saveLocalIdentity, tokenKey, type KeyValueStore } from './backend/saved-daemons.js';
import { App } from './components/App.js';
import { ConsoleContext } from './components/context.js';
import { fragmentWithoutCredentials, parseFragment } from './logic/token.js';
import { connectStore, createConsoleStore } from './store/store.js';

declare global {
  interface Window {
    integrationDaemon?: ConsoleBackend;
  }
}

/** The user id the console uses with the local daemon when the link does not name one. */
const DEFAULT_USER_ID = 'console';

function mount(root: Root, backend: ConsoleBackend, mode: 'browser' | 'desktop', problems: readonly string[] = []): void {
  const store = createConsoleStore();
  for (const problem of problems) store.getState().notify('error', problem);
  connectStore(store, backend);
  // Rendered at once (Preact, which the console runs on, has no time slicing); the windowed list keeps it short.
  root.render(
    <StrictMode>
      <ConsoleContext.Provider value={{ store, backend, mode }}>
        <App />
      </ConsoleContext.Provider>
    </StrictMode>,
  );
}

/** localStorage/sessionStorage throw when the browser blocks storage; the console then keeps state for this page only. */
function storage(pick: () => Storage): KeyValueStore {
  try {
    const s = pick();
    s.getItem('probe');
    return s;
  } catch {
    return new MemoryStore();
  }
}

async function serverNameOfPageDaemon(): Promise<string | null> {
  try {
    const response = await fetch(new URL('/health', window.location.origin));
    if (!response.ok) return null;
    const body: unknown = await response.json();
    if (typeof body === 'object' && body !== null && 'serverName' in body && typeof body.serverName === 'string') return body.serverName;
    return null;
  } catch {
    return null;
  }
}

function TokenPrompt({ serverName, onDone }: { serverName: string; onDone: (token: string, userId: string) => void }) {
  const [token, setToken] = useState('');
  const [userId, setUserId] = useState(DEFAULT_USER_ID);
  const [error, setError] = useState<string | null>(null);
  const tokenField = useRef<HTMLInputElement>(null);
  // Not autoFocus: Preact only sets the attribute, which a browser honours on page load, not on a later render.
  useEffect(() => tokenField.current?.focus(), []);
  return (
    <main className="token-page">
      <h1>Connect to {serverName}</h1>
      <p>
        This console was opened without the daemon’s token. Paste the operator token the daemon printed when it started (or the value of
        INTEGRATION_DAEMON_TOKEN). It is kept for this tab only and forgotten when the tab closes.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const t = token.trim();
          const u = userId.trim();
          if (!t || /\s/.test(t))
            return setError('INTEGRATION-CONSOLE-400-008 Paste the bearer token exactly as the daemon printed it, without spaces.');
          if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(u))
            return setError('INTEGRATION-CONSOLE-400-007 The user id must be letters, digits, dots, dashes or underscores.');
          onDone(t, u);
        }}
      >
        <div className="field">
          <label htmlFor="token">Bearer token</label>
          <input id="token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} ref={tokenField} />
        </div>
        <div className="field">
          <label htmlFor="user">User id</label>
          <input id="user" value={userId} onChange={(e) => setUserId(e.target.value)} />
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="submit" className="primary">
            Connect
          </button>
        </div>
      </form>
    </main>
  );
}

async function startBrowser(root: Root): Promise<void> {
  const session = storage(() => window.sessionStorage);
  const persistent = storage(() => window.localStorage);
  const served = window.location.protocol === 'http:' || window.location.protocol === 'https:';

  // Read the credentials once and take them out of the address bar and the history.
  const fragment = parseFragment(window.location.hash);
  if (fragment.token || fragment.serverName || fragment.userId) {
    window.history.replaceState(
      null,
      '',
      `${window.location.pathname}${window.location.search}${fragmentWithoutCredentials(window.location.hash)}`,
    );
  }
  if (fragment.token) session.setItem(tokenKey(LOCAL_DAEMON_ID), fragment.token);

  let local: { url: string; serverName: string; userId: string } | null = null;
  if (served) {
    const remembered = loadLocalIdentity(session);
    const serverName = fragment.serverName ?? remembered?.serverName ?? (await serverNameOfPageDaemon());
    if (serverName) {
      const userId = fragment.userId ?? remembered?.userId ?? DEFAULT_USER_ID;
      local = { url: window.location.origin, serverName, userId };
      saveLocalIdentity(session, { serverName, userId });
    }
  }

  const start = () => {
    const backend = new BrowserBackend({ local, persistent, session });
    window.addEventListener('pagehide', () => backend.close());
    mount(root, backend, 'browser', backend.loadProblems);
  };

  if (local && !session.getItem(tokenKey(LOCAL_DAEMON_ID))) {
    const known = local;
    root.render(
      <TokenPrompt
        serverName={known.serverName}
        onDone={(token, userId) => {
          session.setItem(tokenKey(LOCAL_DAEMON_ID), token);
          local = { ...known, userId };
          saveLocalIdentity(session, { serverName: known.serverName, userId });
          start();
        }}
      />,
    );
    return;
  }
  start();
}

/** React's root on the page's #root element (React's first set-up: a task of its own, before startConsole). */
export function createConsoleRoot(): Root {
  const container = document.getElementById('root');
  if (!container) throw new Error('INTEGRATION-CONSOLE-500-003 The page has no #root element; the console build is damaged. Rebuild it.');
  return createRoot(container);
}

export function startConsole(root: Root): void {
  if (window.integrationDaemon) mount(root, window.integrationDaemon, 'desktop');
  else void startBrowser(root);
}
