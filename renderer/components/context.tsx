// What every component needs: the store, the backend, and whether we run in a browser tab or the desktop app.
import { createContext, useContext } from 'react';
import type { ConsoleBackend } from '../../shared/console-backend.js';
import { useConsole, type ConsoleStore, type ConsoleStoreState } from '../store/store.js';

export interface ConsoleContextValue {
  store: ConsoleStore;
  backend: ConsoleBackend;
  /** Browser tabs keep tokens in sessionStorage; the desktop app encrypts them in the main process. */
  mode: 'browser' | 'desktop';
}

export const ConsoleContext = createContext<ConsoleContextValue | null>(null);

export function useConsoleContext(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('INTEGRATION-CONSOLE-500-001 A console component was rendered outside <ConsoleContext>.');
  return value;
}

export function useModel<T>(selector: (s: ConsoleStoreState) => T): T {
  return useConsole(useConsoleContext().store, selector);
}
