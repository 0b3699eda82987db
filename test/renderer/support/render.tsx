// Renders console components the way main.tsx mounts them (store, backend and mode in the context, confirmations
// available) against a FakeBackend, for the component tests under test/renderer/components. Test files using it
// run in a DOM: `// @vitest-environment happy-dom`.
import { cleanup, render, type RenderResult } from '@testing-library/react';
import { userEvent, type UserEvent } from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { afterEach } from 'vitest';
import { ConfirmProvider } from '../../../renderer/components/ConfirmDialog.js';
import { ConsoleContext, type ConsoleContextValue } from '../../../renderer/components/context.js';
import { EMPTY_MODEL, type ConsoleModel } from '../../../renderer/store/model.js';
import { reduce } from '../../../renderer/store/reducer.js';
import { createConsoleStore, type ConsoleStore } from '../../../renderer/store/store.js';
import type { DaemonView } from '../../../shared/console-backend.js';
import { FakeBackend } from './fake-backend.js';

// Without vitest globals, Testing Library cannot register its own cleanup: unmount after every test here.
afterEach(cleanup);

/** The model the console builds from the daemon list (the first daemon selected). */
export function modelOf(views: readonly DaemonView[], now = Date.now()): ConsoleModel {
  return reduce(EMPTY_MODEL, { type: 'daemons-listed', views: [...views], now });
}

export interface RenderOptions {
  /** The daemons; by default those of `backend`. */
  views?: DaemonView[];
  /** Defaults to a FakeBackend over `views`, with the desktop's extra methods in desktop mode. */
  backend?: FakeBackend;
  mode?: ConsoleContextValue['mode'];
  /** Defaults to the model built from `views`. */
  model?: ConsoleModel;
}

export interface Rendered extends RenderResult {
  store: ConsoleStore;
  backend: FakeBackend;
  user: UserEvent;
}

export function renderConsole(ui: ReactElement, options: RenderOptions = {}): Rendered {
  const views = options.views ?? options.backend?.views ?? [];
  const mode = options.mode ?? 'browser';
  const backend = options.backend ?? new FakeBackend(views, { desktop: mode === 'desktop' });
  const store = createConsoleStore(options.model ?? modelOf(views));
  // Set up before rendering, so the events it sends and React's updates stay in step.
  const user = userEvent.setup();
  const result = render(
    <ConsoleContext.Provider value={{ store, backend, mode }}>
      <ConfirmProvider>{ui}</ConfirmProvider>
    </ConsoleContext.Provider>,
  );
  return { ...result, store, backend, user };
}

/** Lets promise callbacks (a backend answer and the state update after it) run. */
export async function settled(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
