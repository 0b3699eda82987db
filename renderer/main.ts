// Entry point: loads the console in stages, each evaluated in a task of its own with the browser free in between,
// so that the page never freezes while it starts (one module graph evaluates in one task, however large). React
// first, then zod (told not to probe `new Function` before any schema exists: see csp.ts), then the console itself.
// Each stage is a chunk of its own next to this file; dynamic imports resolve against this module's URL, which is
// what lets the same build load from the daemon's /console/ and from file:// in Electron.

/** How long the first screen waits at most for Intl to be ready (see intl-warmup.ts); a slow worker only costs that. */
const INTL_WAIT_MS = 2000;

/** Lets the browser run whatever is waiting (input, paint, network) before the next stage. */
function yieldToBrowser(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Resolves once a worker has made Intl cheap for this page, or when that cannot be had. */
function warmIntl(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    try {
      const worker = new Worker(new URL('./intl-warmup.ts', import.meta.url), { type: 'module' });
      worker.onmessage = () => {
        worker.terminate();
        done();
      };
      worker.onerror = done;
      setTimeout(done, INTL_WAIT_MS);
    } catch {
      // Where a page may not start workers (a CSP without them, an unusual scheme) the first Intl call pays instead.
      done();
    }
  });
}

async function load(): Promise<void> {
  const intl = warmIntl();
  await import('react-dom/client');
  await yieldToBrowser();
  await import('./csp.js');
  await yieldToBrowser();
  const { createConsoleRoot, startConsole } = await import('./start.js');
  await yieldToBrowser();
  const root = createConsoleRoot();
  await intl;
  await yieldToBrowser();
  startConsole(root);
}

void load();
